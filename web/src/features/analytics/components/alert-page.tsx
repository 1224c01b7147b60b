import { BarChart, LineChart } from '@mantine/charts';
import { Anchor, Badge, Group, Loader, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { isApiError } from '../../../lib/api.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { type Alert, csvHref, type RateRow, useAlert, useMetric } from '../api/analytics-api.ts';
import { changeText, countsText } from './alerts-page.tsx';
import {
  addDays,
  alertHeadline,
  formatConfidence,
  formatCount,
  formatDecimal,
  formatPercent,
  humanize,
  today,
} from './format.ts';
import { ChartBox, Panel, QueryView, RateTable } from './parts.tsx';
import { ThemeTable } from './themes-page.tsx';
import { drillParam } from './use-filters.ts';

/** `/admin/analytics/alerts/:id` (the link in alert notifications): what changed and the evidence. */
export function AlertPage() {
  const { id = '' } = useParams();
  const q = useAlert(id);
  useDocumentTitle(q.data ? `Alert ${q.data.sku} · Analytics` : 'Alert · Analytics', 'Returnflow');
  if (q.isPending) return <Loader aria-label="Loading the alert" />;
  if (q.isError)
    return isApiError(q.error, 'not_found') ? (
      <Stack gap="sm" data-testid="alert-not-found">
        <h1 className="admin-h1">Alert not found</h1>
        <Text size="sm">
          It may belong to another shop, or the link is incomplete.{' '}
          <Anchor component={Link} to="/admin/analytics/alerts">
            See the current alerts
          </Anchor>
          .
        </Text>
      </Stack>
    ) : (
      <ErrorPanel error={q.error} onRetry={() => void q.refetch()} />
    );
  return <AlertView alert={q.data} />;
}

function AlertView({ alert: a }: { alert: Alert }) {
  const e = a.evidence;
  const rows = [
    e.baseline && { label: 'Baseline (the SKU before)', ...e.baseline },
    e.window && { label: 'Recent window', ...e.window },
  ].filter((r): r is NonNullable<typeof r> => Boolean(r));
  const rates = [
    { what: 'Baseline', rate: a.change.before * 100 },
    ...(e.reference ? [{ what: `Category (${e.reference.name})`, rate: e.reference.rate * 100 }] : []),
    { what: 'Now', rate: a.change.now * 100 },
  ];
  // From a month before the excess: the returns before and after it side by side.
  const from = addDays(a.since, -30);
  const returnsHref = `/admin/analytics?${new URLSearchParams({ from, to: today(), drill: drillParam({ by: 'sku', value: a.sku }) })}`;
  const reasonCode = a.kind.startsWith('reason:') ? a.kind.slice(7) : null;

  return (
    <Stack gap="md" data-testid="alert-page" data-sku={a.sku}>
      <Anchor component={Link} to="/admin/analytics/alerts" size="sm">
        ← All alerts
      </Anchor>
      <Group gap="sm" align="center" wrap="wrap">
        <h1 className="admin-h1">
          <span className="admin-mono">{a.sku}</span>: {alertHeadline(a.kind)}
        </h1>
        <Badge variant="filled" color={a.status === 'open' ? 'red.9' : 'gray.8'} tt="none">
          {a.status}
        </Badge>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <Panel id="alert-summary" title="What changed" testId="alert-summary">
          <dl className="analytics-facts">
            <dt>Category</dt>
            <dd>{a.category}</dd>
            <dt>Since</dt>
            <dd data-testid="alert-since">{a.since}</dd>
            {e.affectedOrdersSince && (
              <>
                <dt>Orders affected from about</dt>
                <dd>{e.affectedOrdersSince}</dd>
              </>
            )}
            <dt>Rate</dt>
            <dd data-testid="alert-change">{changeText(a)}</dd>
            <dt>Confidence</dt>
            <dd data-testid="alert-confidence">
              {formatConfidence(a.confidence)} (q = {a.qValue.toPrecision(2)}, p = {a.pValue.toPrecision(2)}
              {e.testsRun ? `, ${formatCount(e.testsRun)} tests` : ''})
            </dd>
            <dt>Counts</dt>
            <dd>{countsText(a)}</dd>
            {e.phrase && (
              <>
                <dt>Phrase</dt>
                <dd>“{e.phrase}”</dd>
              </>
            )}
            <dt>Detected</dt>
            <dd>
              {a.firstDetectedAt?.slice(0, 10) ?? '—'}
              {a.lastDetectedAt && a.lastDetectedAt !== a.firstDetectedAt
                ? `, again ${a.lastDetectedAt.slice(0, 10)}`
                : ''}
              {a.resolvedAt ? `; resolved ${a.resolvedAt.slice(0, 10)}` : ''}
            </dd>
          </dl>
          <Anchor component={Link} to={returnsHref} size="sm" data-testid="alert-returns-link">
            Show the returns of {a.sku}
          </Anchor>
        </Panel>
        <Panel id="alert-rates" title="Rates compared" testId="alert-rates">
          <ChartBox
            label={`Bar chart: baseline ${formatPercent(a.change.before)}${e.reference ? `, category ${formatPercent(e.reference.rate)}` : ''}, now ${formatPercent(a.change.now)}.`}
            height={200}
          >
            <BarChart
              h={200}
              data={rates}
              dataKey="what"
              series={[{ name: 'rate', label: 'Returns per unit at risk', color: 'red.8' }]}
              valueFormatter={(v) => `${v.toFixed(1)}%`}
              accessibilityLayer={false}
            />
          </ChartBox>
        </Panel>
      </SimpleGrid>
      <SkuTrend alert={a} reasonCode={reasonCode} />
      <Panel
        id="alert-evidence"
        title="Evidence"
        testId="alert-evidence"
        description={
          a.kind === 'complaints'
            ? 'Return notes with the phrase, against all the notes of the SKU in each window.'
            : 'Rates are returns per unit at risk: sales weighted by how long returns take to arrive.'
        }
      >
        <div className="admin-table-scroll">
          <Table striped withTableBorder data-testid="evidence-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Window</Table.Th>
                <Table.Th scope="col">Days</Table.Th>
                <Table.Th scope="col" ta="right">
                  Lines sold
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {a.kind === 'complaints'
                    ? 'Notes with it'
                    : reasonCode
                      ? `Returns (${reasonCode})`
                      : 'Returns'}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  At risk
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Rate
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.label} data-testid="evidence-row">
                  <Table.Th scope="row" fw={400}>
                    {r.label}
                  </Table.Th>
                  <Table.Td>
                    {r.from} – {r.to}
                  </Table.Td>
                  <Table.Td ta="right">{formatCount(r.linesSold)}</Table.Td>
                  <Table.Td ta="right" data-testid="evidence-returned">
                    {formatCount(r.returned)}
                  </Table.Td>
                  <Table.Td ta="right">{formatDecimal(r.exposure)}</Table.Td>
                  <Table.Td ta="right">{formatPercent(r.rate)}</Table.Td>
                </Table.Tr>
              ))}
              {e.reference && (
                <Table.Tr data-testid="evidence-row">
                  <Table.Th scope="row" fw={400}>
                    {e.reference.scope === 'tenant' ? 'The whole shop' : `Category ${e.reference.name}`}
                  </Table.Th>
                  <Table.Td>{e.window ? `${e.window.from} – ${e.window.to}` : ''}</Table.Td>
                  <Table.Td ta="right">—</Table.Td>
                  <Table.Td ta="right">{formatCount(e.reference.returned)}</Table.Td>
                  <Table.Td ta="right">{formatDecimal(e.reference.exposure)}</Table.Td>
                  <Table.Td ta="right">{formatPercent(e.reference.rate)}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </div>
        {e.expectedReturns !== undefined && (
          <Text size="sm">
            At the baseline rate, {e.expectedReturns.toFixed(1)} would have been expected in the recent
            window.
          </Text>
        )}
      </Panel>
      <Panel
        id="alert-phrases"
        title="Top complaint phrases"
        testId="alert-phrases"
        description="Phrases of this SKU's return notes that are rare in the rest of the shop."
      >
        {a.phrases.length > 0 ? (
          <div className="admin-table-scroll">
            <Table striped withTableBorder data-testid="alert-phrase-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Since {a.since}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Notes
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Lift
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {a.phrases.map((p) => (
                  <Table.Tr key={p.phrase} data-testid="alert-phrase">
                    <Table.Th scope="row" fw={400}>
                      {p.phrase}
                    </Table.Th>
                    <Table.Td ta="right">{formatCount(p.count)}</Table.Td>
                    <Table.Td ta="right">×{p.lift.toFixed(1)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        ) : (
          <Text size="sm">No phrase stands out in the notes since {a.since}.</Text>
        )}
        <Text size="sm" fw={600} mt="xs">
          Over the last year
        </Text>
        <ThemeTable target={{ sku: a.sku }} limit={8} testId="alert-themes" />
      </Panel>
    </Stack>
  );
}

/**
 * The SKU's weekly return rate (and the alert's reason, for a reason alert) from twelve weeks
 * before the excess began to today, with the start of the excess marked: what the numbers above
 * summarise, drawn so the jump can be seen.
 */
function SkuTrend({ alert: a, reasonCode }: { alert: Alert; reasonCode: string | null }) {
  const range = { from: addDays(a.since, -84), to: [today(), a.asOf].sort()[1]!, sku: a.sku };
  const all = useMetric<RateRow>('return-rate', range, { groupBy: 'week' });
  const reason = useMetric<RateRow>(
    'return-rate',
    { ...range, reason: reasonCode ?? undefined },
    { groupBy: 'week' },
  );
  const reasonLabel = reasonCode ? `“${humanize(reasonCode)}”` : '';
  return (
    <Panel
      id="alert-trend"
      title={`Weekly return rate of ${a.sku}`}
      testId="alert-trend"
      csv={csvHref('return-rate', range, { groupBy: 'week' })}
      description={`Units returned per unit sold, by the week the return was asked for; the marked week is when the excess began (${a.since}).`}
    >
      <QueryView query={all} label="the trend">
        {(d) => {
          const byWeek = new Map((reasonCode ? reason.data?.data : undefined)?.map((r) => [r.key, r]));
          const data = d.data.map((r) => ({
            week: r.key,
            all: (r.returnRate ?? 0) * 100,
            ...(reasonCode ? { reason: (byWeek.get(r.key)?.returnRate ?? 0) * 100 } : {}),
          }));
          const onset = d.data.filter((r) => r.key <= a.since).at(-1)?.key;
          if (data.length === 0)
            return (
              <Text size="sm">
                No sales or returns of {a.sku} since {range.from}.
              </Text>
            );
          return (
            <>
              <ChartBox
                label={`Line chart of the weekly return rate of ${a.sku}${reasonCode ? ` and of returns for ${reasonLabel}` : ''} from ${data[0]?.week} to ${data.at(-1)?.week}; the numbers are in the table below.`}
                height={220}
              >
                <LineChart
                  h={220}
                  data={data}
                  dataKey="week"
                  series={[
                    { name: 'all', label: 'All reasons', color: 'brand.7' },
                    ...(reasonCode ? [{ name: 'reason', label: reasonLabel, color: 'red.8' }] : []),
                  ]}
                  referenceLines={onset ? [{ x: onset, label: 'Excess began', color: 'red.8' }] : []}
                  valueFormatter={(v) => `${v.toFixed(1)}%`}
                  curveType="linear"
                  withLegend={Boolean(reasonCode)}
                  accessibilityLayer={false}
                />
              </ChartBox>
              <details className="analytics-details">
                <summary>Trend as a table</summary>
                <RateTable
                  rows={d.data}
                  keyLabel="Week of"
                  testId="alert-trend-table"
                  strong={onset}
                  extra={
                    reasonCode
                      ? {
                          label: `For ${reasonLabel}`,
                          value: (r) => formatPercent(byWeek.get(r.key)?.returnRate ?? null),
                        }
                      : undefined
                  }
                />
              </details>
            </>
          );
        }}
      </QueryView>
    </Panel>
  );
}
