import { Anchor, Button, Group, Loader, Table, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { formatMoney } from '../../../lib/money.ts';
import { csvHref, type Filters, useDrillDown } from '../api/analytics-api.ts';
import { formatCount, humanize } from './format.ts';
import { Panel } from './parts.tsx';
import type { Drill } from './use-filters.ts';

function scope(filters: Filters, drill: Drill) {
  if (drill.by === 'period') return { filters: { ...filters, from: drill.from, to: drill.to }, extra: {} };
  if (drill.by === 'sku') return { filters, extra: { sku: drill.value } };
  if (drill.by === 'reason') return { filters: { ...filters, reason: drill.value }, extra: {} };
  if (drill.by === 'category') return { filters: { ...filters, category: drill.value }, extra: {} };
  return { filters, extra: {} };
}

function titleOf(drill: Drill): string {
  if (drill.by === 'period') return `Returns requested ${drill.from} to ${drill.to}`;
  if (drill.by === 'sku') return `Returns of SKU ${drill.value}`;
  if (drill.by === 'reason') return `Returns for “${humanize(drill.value)}”`;
  if (drill.by === 'category') return `Returns in ${drill.value}`;
  return 'Returns behind these numbers';
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
        title={titleOf(drill)}
        csv={csvHref('returns', s.filters, { ...s.extra, limit: '500' })}
        description="Each return line with the filters above; the CSV has the newest 500."
      >
        <Group>
          <Button size="xs" variant="default" onClick={onClose}>
            Close the list
          </Button>
        </Group>
        {q.isPending ? (
          <Loader size="sm" aria-label="Loading the returns" />
        ) : q.isError ? (
          <ErrorPanel compact error={q.error} onRetry={() => void q.refetch()} />
        ) : rows.length === 0 ? (
          <Text size="sm" data-testid="drill-empty">
            No returns match.
          </Text>
        ) : (
          <>
            <div className="admin-table-scroll">
              <Table striped withTableBorder data-testid="drill-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Return</Table.Th>
                    <Table.Th scope="col">Requested</Table.Th>
                    <Table.Th scope="col">SKU</Table.Th>
                    <Table.Th scope="col">Category</Table.Th>
                    <Table.Th scope="col">Reason</Table.Th>
                    <Table.Th scope="col">Resolution</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col" ta="right">
                      Units
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      Refunded
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
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
                      <Table.Td ta="right">{formatCount(r.unitsRequested)}</Table.Td>
                      <Table.Td ta="right">{formatMoney(r.refundAmount, r.currency, 'en')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
            <Group gap="sm">
              <Text size="sm" role="status" data-testid="drill-count">
                {formatCount(rows.length)} shown{q.hasNextPage ? ', more to load' : ''}.
              </Text>
              {q.hasNextPage && (
                <Button
                  size="xs"
                  variant="default"
                  loading={q.isFetchingNextPage}
                  onClick={() => void q.fetchNextPage()}
                >
                  Load more
                </Button>
              )}
            </Group>
          </>
        )}
      </Panel>
    </div>
  );
}
