import { LineChart } from '@mantine/charts';
import { Alert, Button, Group, Loader, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { isApiError } from '../../../lib/api.ts';
import { fillSlots } from '../../../lib/i18n/fill-slots.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { type ModelRun, useRiskModel, useRiskScores, useTrain } from '../api/analytics-api.ts';
import { ChartBox, MetricTable, messageOf, Panel } from './parts.tsx';
import { useAnalyticsFormat } from './use-analytics-format.ts';

/** A model score with three decimals in the reader's format ("0.812", "0,812"). */
const fixed = (x: number | null, locale: string) =>
  x === null
    ? '—'
    : new Intl.NumberFormat(locale, {
        minimumFractionDigits: 3,
        maximumFractionDigits: 3,
        useGrouping: false,
      }).format(x);

/** `/admin/analytics/risk`: how good the return-risk model is, and the open orders most likely to come back. */
export function RiskPage({ isAdmin }: { isAdmin: boolean }) {
  const f = useAnalyticsFormat();
  const { t } = f;
  useDocumentTitle(t('analytics.risk.docTitle'), 'Returnflow');
  const model = useRiskModel();
  const train = useTrain();
  const noModel = isApiError(model.error, 'not_found');

  return (
    <Stack gap="md" data-testid="risk-page">
      <Group justify="space-between" align="center" wrap="wrap">
        <h1 className="admin-h1">{t('analytics.nav.risk')}</h1>
        {isAdmin && (
          <Button onClick={() => train.mutate()} loading={train.isPending} data-testid="retrain">
            {model.data ? t('analytics.risk.retrain') : t('analytics.risk.train')}
          </Button>
        )}
      </Group>
      <Text size="sm">
        {fillSlots(t('analytics.risk.lead'), {
          command: <code>returnflow analytics train --tenant ID</code>,
        })}
      </Text>
      {train.error && (
        <Alert color="red" variant="light" role="alert" data-testid="train-error">
          {messageOf(train.error, t)}
        </Alert>
      )}
      {train.data && (
        <Alert color="green" variant="light" role="status" data-testid="trained">
          {t('analytics.risk.trained', {
            n: f.count(train.data.trainCount),
            auc: fixed(train.data.auc, f.locale),
            m: f.count(train.data.testCount),
          })}
        </Alert>
      )}
      {model.isPending ? (
        <Loader aria-label={t('analytics.loading', { what: t('analytics.what.model') })} />
      ) : noModel ? (
        <Alert color="blue" variant="light" title={t('analytics.risk.noModel')} data-testid="no-model">
          <Text size="sm">
            {fillSlots(t(isAdmin ? 'analytics.risk.noModelAdmin' : 'analytics.risk.noModelBody'), {
              import: <code>returnflow import …</code>,
              seed: <code>returnflow seed --synthetic --orders 5000</code>,
            })}
          </Text>
        </Alert>
      ) : model.isError ? (
        <ErrorPanel error={model.error} onRetry={() => void model.refetch()} />
      ) : (
        <>
          <Quality run={model.data} />
          <OpenOrders />
        </>
      )}
    </Stack>
  );
}

function Quality({ run }: { run: ModelRun }) {
  const points = run.calibration.filter((b) => b.count > 0);
  const better = run.brier !== null && run.brier < run.baselineBrier;
  const f = useAnalyticsFormat();
  const { t } = f;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <Panel id="model-quality" title={t('analytics.risk.quality')} testId="model-quality">
        <dl className="analytics-facts">
          <dt>AUC</dt>
          <dd data-testid="model-auc">{fixed(run.auc, f.locale)}</dd>
          <dd className="analytics-note">{t('analytics.risk.aucNote')}</dd>
          <dt>{t('analytics.risk.brier')}</dt>
          <dd data-testid="model-brier">
            {t(better ? 'analytics.risk.brierBetter' : 'analytics.risk.brierNotBetter', {
              brier: fixed(run.brier, f.locale),
              baseline: fixed(run.baselineBrier, f.locale),
            })}
          </dd>
          <dt>{t('analytics.risk.trainedAt')}</dt>
          <dd data-testid="model-trained-at">{f.dateTime(run.trainedAt)}</dd>
          <dt>{t('analytics.risk.learnedFrom')}</dt>
          <dd>
            {t('analytics.risk.learnedFromValue', {
              n: f.count(run.trainCount),
              m: f.count(run.testCount),
              date: run.holdoutFrom.slice(0, 10),
              returned: f.count(run.positives),
            })}
          </dd>
        </dl>
      </Panel>
      <Panel
        id="calibration"
        title={t('analytics.risk.calibration')}
        testId="calibration"
        description={t('analytics.risk.calibrationDescription')}
      >
        {points.length === 0 ? (
          <Text size="sm">{t('analytics.risk.noHeldOut')}</Text>
        ) : (
          <>
            <ChartBox label={t('analytics.risk.calibrationChart')} height={220}>
              <LineChart
                h={220}
                data={points.map((b) => ({
                  band: f.percent(b.predicted),
                  observed: b.observed * 100,
                  ideal: b.predicted * 100,
                }))}
                dataKey="band"
                series={[
                  { name: 'observed', label: t('analytics.risk.observed'), color: 'brand.7' },
                  {
                    name: 'ideal',
                    label: t('analytics.risk.predicted'),
                    color: 'gray.6',
                    strokeDasharray: '4 4',
                  },
                ]}
                valueFormatter={f.percentAxis}
                xAxisLabel={t('analytics.risk.predicted')}
                withLegend
                curveType="linear"
                accessibilityLayer={false}
              />
            </ChartBox>
            <details className="analytics-details">
              <summary>{t('analytics.risk.calibrationTable')}</summary>
              <MetricTable
                testId="calibration-table"
                columns={[
                  { label: t('analytics.risk.band') },
                  { label: t('analytics.risk.orders'), num: true },
                  { label: t('analytics.risk.predicted'), num: true },
                  { label: t('analytics.risk.observed'), num: true },
                ]}
              >
                {points.map((b) => (
                  <Table.Tr key={b.from}>
                    <Table.Th scope="row" fw={400}>
                      {f.percent(b.from)}–{f.percent(b.to)}
                    </Table.Th>
                    <Table.Td ta="right">{f.count(b.count)}</Table.Td>
                    <Table.Td ta="right">{f.percent(b.predicted)}</Table.Td>
                    <Table.Td ta="right">{f.percent(b.observed)}</Table.Td>
                  </Table.Tr>
                ))}
              </MetricTable>
            </details>
          </>
        )}
      </Panel>
    </SimpleGrid>
  );
}

function OpenOrders() {
  const f = useAnalyticsFormat();
  const { t } = f;
  const q = useRiskScores(true);
  return (
    <Panel
      id="open-orders"
      title={t('analytics.risk.openOrders')}
      testId="open-orders"
      description={t('analytics.risk.openOrdersDescription')}
    >
      {q.isPending ? (
        <Loader size="sm" aria-label={t('analytics.loading', { what: t('analytics.what.scores') })} />
      ) : q.isError ? (
        <ErrorPanel compact error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.data.length === 0 ? (
        <Text size="sm">{t('analytics.risk.noOpenOrders')}</Text>
      ) : (
        <MetricTable
          testId="risk-table"
          columns={[
            { label: t('analytics.risk.order') },
            { label: t('analytics.risk.placed') },
            { label: t('analytics.risk.chance'), num: true },
            { label: t('analytics.risk.riskiestLine') },
          ]}
        >
          {q.data.data.map((s) => {
            const top = [...s.lines].sort((a, b) => b.probability - a.probability)[0];
            return (
              <Table.Tr key={s.orderId} data-testid="risk-row">
                <Table.Th scope="row" fw={400}>
                  {s.orderNumber}
                </Table.Th>
                <Table.Td>{s.placedAt.slice(0, 10)}</Table.Td>
                <Table.Td ta="right" data-testid="risk-probability">
                  {f.percent(s.probability)}
                </Table.Td>
                <Table.Td>
                  {top ? (
                    <>
                      <span className="admin-mono">{top.sku}</span> ({f.percent(top.probability)})
                    </>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </MetricTable>
      )}
    </Panel>
  );
}
