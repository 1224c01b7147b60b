import { Anchor, Button, Group, Loader, Table, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { LoadMore } from '../../../components/load-more.tsx';
import type { Translate } from '../../../lib/i18n/i18n-provider.tsx';
import { csvHref, type Filters, useDrillDown } from '../api/analytics-api.ts';
import { humanize } from './format.ts';
import { MetricTable, Panel } from './parts.tsx';
import { useAnalyticsFormat } from './use-analytics-format.ts';
import type { Drill } from './use-filters.ts';

/** The rates' drills count by order day, as the rates do (see use-filters.ts). */
const byOrder = (drill: Drill) =>
  drill.by === 'sku' || drill.by === 'category' || drill.by === 'period' || drill.by === 'ordered';

function scope(filters: Filters, drill: Drill) {
  const extra = byOrder(drill) ? { basis: 'order' } : {};
  if (drill.by === 'period') return { filters: { ...filters, from: drill.from, to: drill.to }, extra };
  if (drill.by === 'sku') return { filters, extra: { ...extra, sku: drill.value } };
  if (drill.by === 'reason') return { filters: { ...filters, reason: drill.value }, extra };
  if (drill.by === 'category') return { filters: { ...filters, category: drill.value }, extra };
  return { filters, extra };
}

function titleOf(drill: Drill, t: Translate): string {
  if (drill.by === 'period') return t('analytics.drill.title.period', { from: drill.from, to: drill.to });
  if (drill.by === 'sku') return t('analytics.drill.title.sku', { sku: drill.value });
  if (drill.by === 'reason') return t('analytics.drill.title.reason', { reason: humanize(drill.value) });
  if (drill.by === 'category') return t('analytics.drill.title.category', { category: drill.value });
  if (drill.by === 'ordered') return t('analytics.drill.title.ordered');
  return t('analytics.drill.title.all');
}

/** The return lines behind a clicked number, with the page's filters, newest first, a page at a time. */
export function DrillDown({
  filters,
  drill,
  onClose,
}: {
  filters: Filters;
  drill: Drill;
  onClose: () => void;
}) {
  const f = useAnalyticsFormat();
  const { t } = f;
  const s = scope(filters, drill);
  const q = useDrillDown(s.filters, s.extra, true);
  const heading = useRef<HTMLDivElement>(null);
  const key = JSON.stringify(drill);
  // Opened from a chart or a table further down: bring the list into view and focus it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when another drill-down opens
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus({ preventScroll: true });
  }, [key]);
  const rows = q.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <div ref={heading} tabIndex={-1} className="analytics-drill" data-testid="drill-down">
      <Panel
        id="drill-title"
        title={titleOf(drill, t)}
        csv={csvHref('returns', s.filters, { ...s.extra, limit: '500' })}
        description={t(byOrder(drill) ? 'analytics.drill.descriptionOrdered' : 'analytics.drill.description')}
      >
        <Group>
          <Button size="xs" variant="default" onClick={onClose}>
            {t('analytics.drill.close')}
          </Button>
        </Group>
        {q.isPending ? (
          <Loader size="sm" aria-label={t('analytics.loading', { what: t('analytics.what.returns') })} />
        ) : q.isError ? (
          <ErrorPanel compact error={q.error} onRetry={() => void q.refetch()} />
        ) : rows.length === 0 ? (
          <Text size="sm" data-testid="drill-empty">
            {t('analytics.drill.empty')}
          </Text>
        ) : (
          <>
            <MetricTable
              testId="drill-table"
              columns={[
                { label: t('analytics.col.return') },
                { label: t('analytics.col.requested') },
                { label: t('analytics.col.sku') },
                { label: t('analytics.col.category') },
                { label: t('analytics.col.reason') },
                { label: t('analytics.col.resolution') },
                { label: t('analytics.col.status') },
                { label: t('analytics.col.units'), num: true },
                { label: t('analytics.col.refunded'), num: true },
              ]}
            >
              {rows.map((r) => (
                <Table.Tr
                  key={r.returnLineId}
                  data-testid="drill-row"
                  data-sku={r.sku}
                  data-reason={r.reasonCode}
                >
                  <Table.Td>
                    <Anchor
                      component={Link}
                      to={`/console/returns/${encodeURIComponent(r.returnId)}`}
                      size="sm"
                    >
                      {r.rmaNumber}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{r.requestedAt.slice(0, 10)}</Table.Td>
                  <Table.Td className="admin-mono">{r.sku}</Table.Td>
                  <Table.Td>{r.category}</Table.Td>
                  <Table.Td>{humanize(r.reasonCode)}</Table.Td>
                  <Table.Td>{humanize(r.resolution)}</Table.Td>
                  <Table.Td>{humanize(r.status)}</Table.Td>
                  <Table.Td ta="right">{f.count(r.unitsRequested)}</Table.Td>
                  <Table.Td ta="right">{f.money(r.refundAmount, r.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </MetricTable>
            <Group gap="sm">
              <Text size="sm" role="status" data-testid="drill-count">
                {t(q.hasNextPage ? 'analytics.drill.shownMore' : 'analytics.drill.shown', {
                  n: f.count(rows.length),
                })}
              </Text>
              <LoadMore query={q} label={t('analytics.loadMore')} size="xs" />
            </Group>
          </>
        )}
      </Panel>
    </div>
  );
}
