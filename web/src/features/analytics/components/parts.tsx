import { Alert, Anchor, Code, Group, Loader, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { createContext, type ReactNode, useContext } from 'react';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { isApiError } from '../../../lib/api.ts';
import { fillSlots } from '../../../lib/i18n/fill-slots.tsx';
import type { Translate } from '../../../lib/i18n/i18n-provider.tsx';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { csvHref, type Filters, type RankedRateRow, type RateRow, useMetric } from '../api/analytics-api.ts';
import { useAnalyticsFormat } from './use-analytics-format.ts';

/** The server's own message (data, not translated), else a sentence in the reader's language. */
export const messageOf = (e: unknown, t: Translate) =>
  isApiError(e) ? e.message : e instanceof Error ? e.message : t('analytics.requestFailed');

/** A titled region of a page: heading, optional CSV link, then its content. */
export function Panel({
  id,
  title,
  csv,
  description,
  children,
  testId,
}: {
  id: string;
  title: string;
  csv?: string;
  description?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-labelledby={id} data-testid={testId}>
      <Stack gap="sm">
        <Group justify="space-between" align="baseline" gap="xs" wrap="wrap">
          <Title order={2} size="h4" id={id}>
            {title}
          </Title>
          {csv && <CsvLink href={csv} what={title} />}
        </Group>
        {description && (
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        )}
        {children}
      </Stack>
    </Paper>
  );
}

/** The same table as CSV, with the page's filters: the browser downloads it with the session cookie. */
export function CsvLink({ href, what }: { href: string; what: string }) {
  const { t } = useI18n();
  return (
    <Anchor
      href={href}
      download
      size="sm"
      data-testid="csv-link"
      aria-label={t('analytics.csv.label', { what })}
    >
      {t('analytics.csv.link')}
    </Anchor>
  );
}

/**
 * A chart for sighted readers; its numbers are in the table beside it, so screen readers get
 * one image with a summary instead of hundreds of SVG shapes.
 */
export function ChartBox({
  label,
  children,
  height = 260,
}: {
  label: string;
  children: ReactNode;
  height?: number;
}) {
  return (
    <div role="img" aria-label={label} className="analytics-chart" style={{ minHeight: height }}>
      {children}
    </div>
  );
}

/** Loading, failed or answered: the first two drawn the same way everywhere. */
export function QueryView<T>({
  query,
  label,
  children,
}: {
  query: {
    isPending: boolean;
    isError: boolean;
    error: unknown;
    data: T | undefined;
    refetch: () => unknown;
  };
  label: string;
  children: (data: T) => ReactNode;
}) {
  const { t } = useI18n();
  if (query.isPending) return <Loader size="sm" aria-label={t('analytics.loading', { what: label })} />;
  if (query.isError || query.data === undefined)
    return <ErrorPanel compact error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}

/** The signed-in staff member's tenant, for the commands the empty states suggest. */
export const TenantIdContext = createContext('TENANT_ID');

/** A number that opens the drill-down; a plain number when there is nothing behind it. */
export function DrillNumber({
  n,
  label,
  onDrill,
  children,
}: {
  n: number;
  label: string;
  onDrill: () => void;
  children: ReactNode;
}) {
  if (n === 0) return <>{children}</>;
  return (
    <Anchor component="button" type="button" size="sm" onClick={onDrill} aria-label={label}>
      {children}
    </Anchor>
  );
}

/** What a tenant without history sees: how to bring it in. */
export function NoHistory({ what = 'returns' }: { what?: 'returns' | 'notes' | 'alerts' }) {
  const { t } = useI18n();
  const tenantId = useContext(TenantIdContext);
  return (
    <Alert
      color="blue"
      variant="light"
      title={t(`analytics.noHistory.title.${what}`)}
      data-testid="no-history"
    >
      <Stack gap="xs">
        <Text size="sm">{t('analytics.noHistory.body')}</Text>
        <Code block>returnflow import --tenant {tenantId} --orders orders.csv --returns returns.csv</Code>
        <Text size="sm">
          {fillSlots(t('analytics.noHistory.synthetic'), {
            seed: <Code>returnflow seed --synthetic --orders 5000 --tenant {tenantId}</Code>,
            api: <Code>POST /api/v1/analytics/import</Code>,
          })}
        </Text>
      </Stack>
    </Alert>
  );
}

/** A column heading with its explanation a hover, focus or tap away (and always read to screen readers). */
function HelpLabel({ label, help }: { label: string; help: string }) {
  return (
    <Tooltip label={help} multiline w={280} withArrow events={{ hover: true, focus: true, touch: true }}>
      <button type="button" className="analytics-help">
        {label}
        <span className="visually-hidden">. {help}</span>
      </button>
    </Tooltip>
  );
}

/**
 * Units sold, returned and the return rate per key (a SKU, a category, a week…). With `onDrill`
 * each key opens the returns behind it; `extra` adds one column (a reason's own rate, say);
 * `strong` sets one row's key in bold; `ranked` (rows of `rank=shrunk`) adds each rate's 95 %
 * interval and the adjusted rate the rows are ranked by.
 */
export function RateTable({
  rows,
  keyLabel,
  onDrill,
  testId,
  extra,
  strong,
  ranked,
}: {
  rows: RateRow[];
  keyLabel: string;
  onDrill?: (key: string) => void;
  testId: string;
  extra?: { label: string; value: (r: RateRow) => string };
  strong?: string;
  ranked?: { priorUnits: number };
}) {
  const f = useAnalyticsFormat();
  const { t } = f;
  const interval = (r: RankedRateRow) =>
    r.rateLow === null || r.rateHigh === null
      ? '—'
      : t('analytics.interval', { low: f.percent(r.rateLow), high: f.percent(r.rateHigh) });
  return (
    <MetricTable
      testId={testId}
      columns={[
        { label: keyLabel },
        { label: t('analytics.col.unitsSold'), num: true },
        { label: t('analytics.col.unitsReturned'), num: true },
        { label: t('analytics.col.returnRate'), num: true },
        ...(ranked
          ? [
              {
                label: (
                  <HelpLabel label={t('analytics.col.interval')} help={t('analytics.topSkus.intervalHelp')} />
                ),
                num: true as const,
              },
              {
                label: (
                  <HelpLabel
                    label={t('analytics.col.adjustedRate')}
                    help={t('analytics.topSkus.adjustedHelp', { k: f.count(ranked.priorUnits) })}
                  />
                ),
                num: true as const,
              },
            ]
          : []),
        ...(extra ? [{ label: extra.label, num: true as const }] : []),
      ]}
    >
      {rows.map((r) => (
        <Table.Tr key={r.key} data-testid="rate-row" data-key={r.key}>
          <Table.Th scope="row" fw={r.key === strong ? 700 : 400} className="analytics-key">
            {onDrill ? (
              <Anchor
                component="button"
                type="button"
                size="sm"
                onClick={() => onDrill(r.key)}
                aria-label={t('analytics.rate.drill', { what: keyLabel.toLowerCase(), key: r.key })}
              >
                {r.key || t('analytics.none')}
              </Anchor>
            ) : (
              r.key || t('analytics.none')
            )}
          </Table.Th>
          <Table.Td ta="right">{f.count(r.unitsSold)}</Table.Td>
          <Table.Td ta="right">{f.count(r.unitsReturned)}</Table.Td>
          <Table.Td ta="right" data-testid="rate">
            {f.percent(r.returnRate)}
          </Table.Td>
          {ranked && (
            <>
              <Table.Td ta="right" data-testid="interval" className="analytics-key">
                {interval(r as RankedRateRow)}
              </Table.Td>
              <Table.Td ta="right" data-testid="adjusted">
                {f.percent((r as RankedRateRow).adjustedRate)}
              </Table.Td>
            </>
          )}
          {extra && (
            <Table.Td ta="right" data-testid="extra">
              {extra.value(r)}
            </Table.Td>
          )}
        </Table.Tr>
      ))}
    </MetricTable>
  );
}

/** A column heading; `num` columns (counts, rates, money) are right-aligned like their cells. */
export type Column = { label: ReactNode; num?: true };

/**
 * Every analytics table: striped, bordered, scrolling sideways on a phone, with its header row
 * from `columns`; the rows are the children.
 */
export function MetricTable({
  testId,
  columns,
  children,
}: {
  testId: string;
  columns: Column[];
  children: ReactNode;
}) {
  return (
    <div className="admin-table-scroll">
      <Table striped withTableBorder data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c, i) => (
              // The columns of a table never reorder: their position is their identity.
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed column order
              <Table.Th key={i} scope="col" ta={c.num ? 'right' : undefined}>
                {c.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </div>
  );
}

/**
 * A panel over one metric table of the API (`/api/v1/analytics/<path>` with the page's filters):
 * its CSV link, loading and failure drawn as everywhere, then `children` with the answer.
 * `controls` sit above the answer (a grouping switch, say).
 */
export function MetricPanel<R>({
  id,
  path,
  filters,
  extra,
  title,
  description,
  loadingLabel,
  controls,
  children,
}: {
  id: string;
  path: string;
  filters: Filters;
  extra?: Record<string, string | undefined>;
  title: string;
  description?: ReactNode;
  loadingLabel: string;
  controls?: ReactNode;
  children: (answer: { data: R[]; priorUnits?: number }) => ReactNode;
}) {
  const q = useMetric<R>(path, filters, extra);
  return (
    <Panel
      id={id}
      title={title}
      testId={`panel-${id}`}
      csv={csvHref(path, filters, extra)}
      description={description}
    >
      {controls}
      <QueryView query={q} label={loadingLabel}>
        {children}
      </QueryView>
    </Panel>
  );
}
