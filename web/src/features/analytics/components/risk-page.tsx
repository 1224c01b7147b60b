import { LineChart } from '@mantine/charts';
import { Alert, Button, Group, Loader, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { isApiError } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/dates.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { type ModelRun, useRiskModel, useRiskScores, useTrain } from '../api/analytics-api.ts';
import { formatCount, formatPercent } from './format.ts';
import { ChartBox, messageOf, Panel } from './parts.tsx';

const fixed = (x: number | null, digits = 3) => (x === null ? '—' : x.toFixed(digits));

/** `/admin/analytics/risk`: how good the return-risk model is, and the open orders most likely to come back. */
export function RiskPage({ isAdmin }: { isAdmin: boolean }) {
  useDocumentTitle('Return risk · Analytics', 'Returnflow');
  const model = useRiskModel();
  const train = useTrain();
  const noModel = isApiError(model.error, 'not_found');

  return (
    <Stack gap="md" data-testid="risk-page">
      <Group justify="space-between" align="center" wrap="wrap">
        <h1 className="admin-h1">Return risk</h1>
        {isAdmin && (
          <Button onClick={() => train.mutate()} loading={train.isPending} data-testid="retrain">
            {model.data ? 'Retrain now' : 'Train the model'}
          </Button>
        )}
      </Group>
      <Text size="sm">
        A model trained on this shop's history scores each open order by its chance of coming back. It is
        checked on the latest orders it did not learn from; it retrains every week by itself (or{' '}
        <code>returnflow analytics train --tenant ID</code>).
      </Text>
      {train.error && (
        <Alert color="red" variant="light" role="alert" data-testid="train-error">
          {messageOf(train.error)}
        </Alert>
      )}
      {train.data && (
        <Alert color="green" variant="light" role="status" data-testid="trained">
          Trained on {formatCount(train.data.trainCount)} order lines; AUC {fixed(train.data.auc)} on{' '}
          {formatCount(train.data.testCount)} held out.
        </Alert>
      )}
      {model.isPending ? (
        <Loader aria-label="Loading the model" />
      ) : noModel ? (
        <Alert color="blue" variant="light" title="No model yet" data-testid="no-model">
          <Text size="sm">
            The model needs a few months of orders and returns.{' '}
            {isAdmin ? 'Train it with the button above once history is in' : 'An admin can train it'} — import
            the history first with <code>returnflow import …</code>, or try it on made-up data with{' '}
            <code>returnflow seed --synthetic --orders 5000</code>.
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
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <Panel id="model-quality" title="Model quality" testId="model-quality">
        <dl className="analytics-facts">
          <dt>AUC</dt>
          <dd data-testid="model-auc">{fixed(run.auc)}</dd>
          <dd className="analytics-note">
            0.5 is a coin toss, 1 is perfect: how well it ranks returned above kept.
          </dd>
          <dt>Brier score</dt>
          <dd data-testid="model-brier">
            {fixed(run.brier)} ({better ? 'better than' : 'no better than'} {fixed(run.baselineBrier)} for
            always guessing the average)
          </dd>
          <dt>Trained</dt>
          <dd data-testid="model-trained-at">{formatDateTime(run.trainedAt, 'en')}</dd>
          <dt>Learned from</dt>
          <dd>
            {formatCount(run.trainCount)} order lines; tested on {formatCount(run.testCount)} placed from{' '}
            {run.holdoutFrom.slice(0, 10)} ({formatCount(run.positives)} returned)
          </dd>
        </dl>
      </Panel>
      <Panel
        id="calibration"
        title="Calibration"
        testId="calibration"
        description="Predicted chance against how many did come back, on the held-out orders. On the diagonal is right."
      >
        {points.length === 0 ? (
          <Text size="sm">No held-out orders to compare.</Text>
        ) : (
          <>
            <ChartBox
              label="Line chart of the observed return rate against the predicted one per band; the numbers are in the table below."
              height={220}
            >
              <LineChart
                h={220}
                data={points.map((b) => ({
                  band: formatPercent(b.predicted),
                  observed: b.observed * 100,
                  ideal: b.predicted * 100,
                }))}
                dataKey="band"
                series={[
                  { name: 'observed', label: 'Observed', color: 'brand.7' },
                  { name: 'ideal', label: 'Predicted', color: 'gray.6', strokeDasharray: '4 4' },
                ]}
                valueFormatter={(v) => `${v.toFixed(1)}%`}
                xAxisLabel="Predicted"
                withLegend
                curveType="linear"
                accessibilityLayer={false}
              />
            </ChartBox>
            <details className="analytics-details">
              <summary>Calibration as a table</summary>
              <div className="admin-table-scroll">
                <Table striped withTableBorder data-testid="calibration-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Band</Table.Th>
                      <Table.Th scope="col" ta="right">
                        Orders
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        Predicted
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        Observed
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {points.map((b) => (
                      <Table.Tr key={b.from}>
                        <Table.Th scope="row" fw={400}>
                          {formatPercent(b.from)}–{formatPercent(b.to)}
                        </Table.Th>
                        <Table.Td ta="right">{formatCount(b.count)}</Table.Td>
                        <Table.Td ta="right">{formatPercent(b.predicted)}</Table.Td>
                        <Table.Td ta="right">{formatPercent(b.observed)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </div>
            </details>
          </>
        )}
      </Panel>
    </SimpleGrid>
  );
}

function OpenOrders() {
  const q = useRiskScores(true);
  return (
    <Panel
      id="open-orders"
      title="Open orders most likely to come back"
      testId="open-orders"
      description="Placed in the last 30 days with nothing returned yet."
    >
      {q.isPending ? (
        <Loader size="sm" aria-label="Loading the scores" />
      ) : q.isError ? (
        <ErrorPanel compact error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.data.length === 0 ? (
        <Text size="sm">No open orders.</Text>
      ) : (
        <div className="admin-table-scroll">
          <Table striped withTableBorder data-testid="risk-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Order</Table.Th>
                <Table.Th scope="col">Placed</Table.Th>
                <Table.Th scope="col" ta="right">
                  Chance of a return
                </Table.Th>
                <Table.Th scope="col">Riskiest line</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.data.map((s) => {
                const top = [...s.lines].sort((a, b) => b.probability - a.probability)[0];
                return (
                  <Table.Tr key={s.orderId} data-testid="risk-row">
                    <Table.Th scope="row" fw={400}>
                      {s.orderNumber}
                    </Table.Th>
                    <Table.Td>{s.placedAt.slice(0, 10)}</Table.Td>
                    <Table.Td ta="right" data-testid="risk-probability">
                      {formatPercent(s.probability)}
                    </Table.Td>
                    <Table.Td>
                      {top ? (
                        <>
                          <span className="admin-mono">{top.sku}</span> ({formatPercent(top.probability)})
                        </>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </Panel>
  );
}
