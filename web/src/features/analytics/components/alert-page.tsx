import { BarChart, LineChart } from '@mantine/charts';
import { Anchor, Badge, Group, Loader, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { isApiError } from '../../../lib/api.ts';
import { fillSlots } from '../../../lib/i18n/fill-slots.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { type Alert, csvHref, type RateRow, useAlert, useAlerts, useMetric } from '../api/analytics-api.ts';
import { changeText, countsText, statusLabel } from './alerts-page.tsx';
import { addDays, humanize, today } from './format.ts';
import { ChartBox, MetricTable, Panel, QueryView, RateTable } from './parts.tsx';
import { ThemeTable } from './themes-page.tsx';
import { useAnalyticsFormat } from './use-analytics-format.ts';
import { drillParam } from './use-filters.ts';

/** `/admin/analytics/alerts/:id` (the link in alert notifications): what changed and the evidence. */
export function AlertPage() {
  const { id = '' } = useParams();
  const { t } = useAnalyticsFormat();
  const q = useAlert(id);
  useDocumentTitle(
    q.data ? t('analytics.alert.docTitleSku', { sku: q.data.sku }) : t('analytics.alert.docTitle'),
    'Returnflow',
  );
  if (q.isPending) return <Loader aria-label={t('analytics.loading', { what: t('analytics.what.alert') })} />;
  if (q.isError)
    return isApiError(q.error, 'not_found') ? (
      <AlertNotFound />
    ) : (
      <ErrorPanel error={q.error} onRetry={() => void q.refetch()} />
    );
  return <AlertView alert={q.data} />;
}

function AlertNotFound() {
  const { t } = useAnalyticsFormat();
  return (
    <Stack gap="sm" data-testid="alert-not-found">
      <h1 className="admin-h1">{t('analytics.alert.notFound')}</h1>
      <Text size="sm">
        {fillSlots(t('analytics.alert.notFoundBody'), {
          link: (
            <Anchor component={Link} to="/admin/analytics/alerts">
              {t('analytics.alert.seeCurrent')}
            </Anchor>
          ),
        })}
      </Text>
    </Stack>
  );
}

/**
 * `/admin/analytics/alerts/as-of/:asOf?sku=&kind=`: a finding as it stood on a past day, where
 * nothing is stored, computed again from the data up to that day (the as-of list links here).
 */
export function AsOfAlertPage() {
  const { asOf = '' } = useParams();
  const [params] = useSearchParams();
  const sku = params.get('sku') ?? '';
  const kind = params.get('kind') ?? '';
  const { t } = useAnalyticsFormat();
  const q = useAlerts(asOf);
  const alert = q.data?.pages.flatMap((p) => p.data).find((a) => a.sku === sku && a.kind === kind);
  useDocumentTitle(
    alert ? t('analytics.alert.docTitleSku', { sku: alert.sku }) : t('analytics.alert.docTitle'),
    'Returnflow',
  );
  if (q.isPending) return <Loader aria-label={t('analytics.loading', { what: t('analytics.what.alert') })} />;
  if (q.isError) return <ErrorPanel error={q.error} onRetry={() => void q.refetch()} />;
  if (!alert) return <AlertNotFound />;
  return <AlertView alert={alert} back={`/admin/analytics/alerts?${new URLSearchParams({ asOf })}`} />;
}

function AlertView({ alert: a, back = '/admin/analytics/alerts' }: { alert: Alert; back?: string }) {
  const f = useAnalyticsFormat();
  const { t } = f;
  const e = a.evidence;
  const rows = [
    e.baseline && { label: t('analytics.alert.window.baseline'), ...e.baseline },
    e.window && { label: t('analytics.alert.window.recent'), ...e.window },
  ].filter((r): r is NonNullable<typeof r> => Boolean(r));
  const rates = [
    { what: t('analytics.alert.rates.baseline'), rate: a.change.before * 100 },
    ...(e.reference
      ? [
          {
            what: t('analytics.alert.rates.category', { name: e.reference.name }),
            rate: e.reference.rate * 100,
          },
        ]
      : []),
    { what: t('analytics.alert.rates.now'), rate: a.change.now * 100 },
  ];
  // From a month before the excess: the returns before and after it side by side.
  const from = addDays(a.since, -30);
  const returnsHref = `/admin/analytics?${new URLSearchParams({ from, to: today(), drill: drillParam({ by: 'sku', value: a.sku }) })}`;
  const reasonCode = a.kind.startsWith('reason:') ? a.kind.slice(7) : null;

  return (
    <Stack gap="md" data-testid="alert-page" data-sku={a.sku}>
      <Anchor component={Link} to={back} size="sm">
        {t('analytics.alert.all')}
      </Anchor>
      <Group gap="sm" align="center" wrap="wrap">
        <h1 className="admin-h1">
          {fillSlots(t('analytics.alert.heading'), {
            sku: <span className="admin-mono">{a.sku}</span>,
            headline: f.headline(a.kind),
          })}
        </h1>
        <Badge
          variant="filled"
          color={a.status === 'open' ? 'red.9' : a.status === 'resolved' ? 'gray.8' : 'brand'}
          tt="none"
          className="analytics-badge"
          data-testid="alert-status"
        >
          {statusLabel(a.status, t)}
        </Badge>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <Panel id="alert-summary" title={t('analytics.alerts.col.change')} testId="alert-summary">
          <dl className="analytics-facts">
            <dt>{t('analytics.col.category')}</dt>
            <dd>{a.category}</dd>
            <dt>{t('analytics.alerts.col.since')}</dt>
            <dd data-testid="alert-since">{a.since}</dd>
            {e.affectedOrdersSince && (
              <>
                <dt>{t('analytics.alert.affectedFrom')}</dt>
                <dd>{e.affectedOrdersSince}</dd>
              </>
            )}
            <dt>{t('analytics.alert.rate')}</dt>
            <dd data-testid="alert-change">{changeText(a, f)}</dd>
            <dt>{t('analytics.alerts.col.confidence')}</dt>
            <dd data-testid="alert-confidence">
              {f.confidence(a.confidence)} (q = {a.qValue.toPrecision(2)}, p = {a.pValue.toPrecision(2)}
              {e.testsRun ? t('analytics.alert.tests', { n: f.count(e.testsRun) }) : ''})
            </dd>
            <dt>{t('analytics.alerts.col.counts')}</dt>
            <dd>{countsText(a, f)}</dd>
            {e.phrase && (
              <>
                <dt>{t('analytics.alert.phrase')}</dt>
                <dd>“{e.phrase}”</dd>
              </>
            )}
            <dt>{t('analytics.alert.detected')}</dt>
            <dd>
              {a.firstDetectedAt?.slice(0, 10) ?? '—'}
              {a.lastDetectedAt && a.lastDetectedAt !== a.firstDetectedAt
                ? t('analytics.alert.detectedAgain', { date: a.lastDetectedAt.slice(0, 10) })
                : ''}
              {a.resolvedAt ? t('analytics.alert.resolvedOn', { date: a.resolvedAt.slice(0, 10) }) : ''}
            </dd>
          </dl>
          <Anchor component={Link} to={returnsHref} size="sm" data-testid="alert-returns-link">
            {t('analytics.alert.showReturns', { sku: a.sku })}
          </Anchor>
        </Panel>
        <Panel id="alert-rates" title={t('analytics.alert.ratesCompared')} testId="alert-rates">
          <ChartBox
            label={t(e.reference ? 'analytics.alert.ratesChart.category' : 'analytics.alert.ratesChart', {
              before: f.percent(a.change.before),
              category: f.percent(e.reference?.rate),
              now: f.percent(a.change.now),
            })}
            height={200}
          >
            <BarChart
              h={200}
              data={rates}
              dataKey="what"
              series={[{ name: 'rate', label: t('analytics.alert.perUnitAtRisk'), color: 'red.8' }]}
              valueFormatter={f.percentAxis}
              accessibilityLayer={false}
            />
          </ChartBox>
        </Panel>
      </SimpleGrid>
      <SkuTrend alert={a} reasonCode={reasonCode} />
      <Panel
        id="alert-evidence"
        title={t('analytics.alert.evidence')}
        testId="alert-evidence"
        description={
          a.kind === 'complaints' ? t('analytics.alert.evidence.notes') : t('analytics.alert.evidence.rates')
        }
      >
        <MetricTable
          testId="evidence-table"
          columns={[
            { label: t('analytics.alert.col.window') },
            { label: t('analytics.alert.col.days') },
            { label: t('analytics.alert.col.linesSold'), num: true },
            {
              label:
                a.kind === 'complaints'
                  ? t('analytics.alert.col.notesWith')
                  : reasonCode
                    ? t('analytics.alert.col.returnsFor', { reason: reasonCode })
                    : t('analytics.col.returns'),
              num: true,
            },
            { label: t('analytics.alert.col.atRisk'), num: true },
            { label: t('analytics.alert.rate'), num: true },
          ]}
        >
          {rows.map((r) => (
            <Table.Tr key={r.label} data-testid="evidence-row">
              <Table.Th scope="row" fw={400}>
                {r.label}
              </Table.Th>
              <Table.Td>
                {r.from} – {r.to}
              </Table.Td>
              <Table.Td ta="right">{f.count(r.linesSold)}</Table.Td>
              <Table.Td ta="right" data-testid="evidence-returned">
                {f.count(r.returned)}
              </Table.Td>
              <Table.Td ta="right">{f.decimal(r.exposure)}</Table.Td>
              <Table.Td ta="right">{f.percent(r.rate)}</Table.Td>
            </Table.Tr>
          ))}
          {e.reference && (
            <Table.Tr data-testid="evidence-row">
              <Table.Th scope="row" fw={400}>
                {e.reference.scope === 'tenant'
                  ? t('analytics.alert.wholeShop')
                  : t('analytics.alert.categoryNamed', { name: e.reference.name })}
              </Table.Th>
              <Table.Td>{e.window ? `${e.window.from} – ${e.window.to}` : ''}</Table.Td>
              <Table.Td ta="right">—</Table.Td>
              <Table.Td ta="right">{f.count(e.reference.returned)}</Table.Td>
              <Table.Td ta="right">{f.decimal(e.reference.exposure)}</Table.Td>
              <Table.Td ta="right">{f.percent(e.reference.rate)}</Table.Td>
            </Table.Tr>
          )}
        </MetricTable>
        {e.expectedReturns !== undefined && (
          <Text size="sm">
            {t('analytics.alert.expectedAtBaseline', { n: f.oneDecimal(e.expectedReturns) })}
          </Text>
        )}
      </Panel>
      <Panel
        id="alert-phrases"
        title={t('analytics.alert.phrases.title')}
        testId="alert-phrases"
        description={t('analytics.alert.phrases.description')}
      >
        {a.phrases.length > 0 ? (
          <MetricTable
            testId="alert-phrase-table"
            columns={[
              { label: t('analytics.alert.phrases.since', { date: a.since }) },
              { label: t('analytics.themes.col.notes'), num: true },
              { label: t('analytics.themes.col.lift'), num: true },
            ]}
          >
            {a.phrases.map((p) => (
              <Table.Tr key={p.phrase} data-testid="alert-phrase">
                <Table.Th scope="row" fw={400}>
                  {p.phrase}
                </Table.Th>
                <Table.Td ta="right">{f.count(p.count)}</Table.Td>
                <Table.Td ta="right">×{f.oneDecimal(p.lift)}</Table.Td>
              </Table.Tr>
            ))}
          </MetricTable>
        ) : (
          <Text size="sm">{t('analytics.alert.phrases.none', { date: a.since })}</Text>
        )}
        <Text size="sm" fw={600} mt="xs">
          {t('analytics.alert.phrases.lastYear')}
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
  const f = useAnalyticsFormat();
  const { t } = f;
  const reasonLabel = reasonCode ? t('analytics.quoted', { text: humanize(reasonCode) }) : '';
  return (
    <Panel
      id="alert-trend"
      title={t('analytics.alert.trend.title', { sku: a.sku })}
      testId="alert-trend"
      csv={csvHref('return-rate', range, { groupBy: 'week' })}
      description={t('analytics.alert.trend.description', { date: a.since })}
    >
      <QueryView query={all} label={t('analytics.what.trend')}>
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
              <Text size="sm">{t('analytics.alert.trend.empty', { sku: a.sku, date: range.from })}</Text>
            );
          return (
            <>
              <ChartBox
                label={t(reasonCode ? 'analytics.alert.trend.chartReason' : 'analytics.alert.trend.chart', {
                  sku: a.sku,
                  reason: reasonLabel,
                  from: data[0]?.week ?? '',
                  to: data.at(-1)?.week ?? '',
                })}
                height={220}
              >
                <LineChart
                  h={220}
                  data={data}
                  dataKey="week"
                  series={[
                    { name: 'all', label: t('analytics.filters.allReasons'), color: 'brand.7' },
                    ...(reasonCode ? [{ name: 'reason', label: reasonLabel, color: 'red.8' }] : []),
                  ]}
                  referenceLines={
                    onset ? [{ x: onset, label: t('analytics.alert.trend.excessBegan'), color: 'red.8' }] : []
                  }
                  valueFormatter={f.percentAxis}
                  curveType="linear"
                  withLegend={Boolean(reasonCode)}
                  accessibilityLayer={false}
                />
              </ChartBox>
              <details className="analytics-details">
                <summary>{t('analytics.trend.asTable')}</summary>
                <RateTable
                  rows={d.data}
                  keyLabel={t('analytics.col.weekOf')}
                  testId="alert-trend-table"
                  strong={onset}
                  extra={
                    reasonCode
                      ? {
                          label: t('analytics.alert.trend.for', { reason: reasonLabel }),
                          value: (r) => f.percent(byWeek.get(r.key)?.returnRate ?? null),
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
