import {
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Alert as Notice,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { type Alert, useAlerts, useDetect } from '../api/analytics-api.ts';
import { formatConfidence, formatCount, formatKind, formatPercent, today } from './format.ts';
import { messageOf, NoHistory } from './parts.tsx';

/** "4.1% → 12.3% (×3.0)": the rate before, now, and how many times the higher of baseline and category. */
export function changeText(a: Alert): string {
  return `${formatPercent(a.change.before)} → ${formatPercent(a.change.now)} (×${a.change.lift.toFixed(1)})`;
}

/** Returns of the recent window against the units at risk, e.g. "14 returns, 3.2 expected". */
export function countsText(a: Alert): string {
  const w = a.evidence.window;
  if (!w) return '—';
  const expected = a.evidence.expectedReturns;
  // For a complaint phrase the windows count return notes: `exposure` notes, `returned` with it.
  if (a.kind === 'complaints')
    return `${formatCount(w.returned)} of ${formatCount(Math.round(w.exposure))} return notes${
      expected !== undefined ? `, ${expected.toFixed(1)} expected` : ''
    }`;
  return `${formatCount(w.returned)} returns of ${formatCount(w.linesSold)} sold${
    expected !== undefined ? `, ${expected.toFixed(1)} expected` : ''
  }`;
}

/** `/admin/analytics/alerts`: the early-warning alerts, now or as they stood on a past day. */
export function AlertsPage({ isAdmin }: { isAdmin: boolean }) {
  useDocumentTitle('Alerts · Analytics', 'Returnflow');
  const [params, setParams] = useSearchParams();
  const asOf = params.get('asOf');
  const [day, setDay] = useState(asOf ?? '');
  const alerts = useAlerts(asOf);
  const detect = useDetect();
  const rows = alerts.data?.pages.flatMap((p) => p.data) ?? [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setParams(day ? { asOf: day } : {});
  };

  return (
    <Stack gap="md" data-testid="alerts-page">
      <h1 className="admin-h1">Early-warning alerts</h1>
      <Text size="sm">
        SKUs whose return rate, or the rate of one reason, rose above both their own baseline and their
        category's — tested with the volume in mind and with the false-discovery rate held across every SKU.
      </Text>
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" align="flex-end" gap="md" wrap="wrap">
          <form onSubmit={submit} aria-label="Alerts as of a past day">
            <Group align="flex-end" gap="sm" wrap="wrap">
              <TextInput
                type="date"
                label="As of"
                description="See the alerts as they stood on that day, from the data up to it."
                value={day}
                max={today()}
                onChange={(e) => setDay(e.currentTarget.value)}
              />
              <Button type="submit" variant="default">
                Show
              </Button>
              {asOf && (
                <Button
                  variant="subtle"
                  onClick={() => {
                    setDay('');
                    setParams({});
                  }}
                >
                  Back to the current alerts
                </Button>
              )}
            </Group>
          </form>
          {isAdmin && !asOf && (
            <Button onClick={() => detect.mutate()} loading={detect.isPending} data-testid="run-detection">
              Run detection now
            </Button>
          )}
        </Group>
      </Paper>
      {detect.data && (
        <Notice color="green" variant="light" role="status" data-testid="detect-result">
          Detection as of {detect.data.asOf}: {detect.data.opened.length} new, {detect.data.updated} still
          elevated, {detect.data.resolved} resolved.
        </Notice>
      )}
      {detect.error && (
        <Notice color="red" variant="light" role="alert">
          {messageOf(detect.error)}
        </Notice>
      )}
      {alerts.isPending ? (
        <Loader aria-label="Loading the alerts" />
      ) : alerts.isError ? (
        <ErrorPanel error={alerts.error} onRetry={() => void alerts.refetch()} />
      ) : (
        <>
          <Text size="sm" role="status" data-testid="alerts-summary">
            {asOf
              ? `As of ${asOf}: ${rows.length} alert${rows.length === 1 ? '' : 's'} from ${formatCount(alerts.data.pages[0]?.testsRun ?? 0)} tests. Nothing is stored for a past day.`
              : `${rows.filter((r) => r.status === 'open').length} open, ${rows.filter((r) => r.status === 'resolved').length} resolved.`}
          </Text>
          {rows.length === 0 ? (
            asOf ? (
              <Text size="sm">No SKU stood out on that day.</Text>
            ) : (
              <Stack gap="sm" data-testid="no-alerts">
                <Text size="sm">
                  No alerts yet. Detection runs every day by itself{isAdmin ? ', or run it now above' : ''}.
                  It needs a few months of orders and returns to know each SKU's normal rate.
                </Text>
                <NoHistory what="alerts" />
              </Stack>
            )
          ) : (
            <AlertTable rows={rows} />
          )}
          {alerts.hasNextPage && (
            <Group>
              <Button
                variant="default"
                size="xs"
                loading={alerts.isFetchingNextPage}
                onClick={() => void alerts.fetchNextPage()}
              >
                Load more
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}

function AlertTable({ rows }: { rows: Alert[] }) {
  return (
    <div className="admin-table-scroll">
      <Table striped withTableBorder data-testid="alerts-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">SKU</Table.Th>
            <Table.Th scope="col">What</Table.Th>
            <Table.Th scope="col">Since</Table.Th>
            <Table.Th scope="col" ta="right">
              Confidence
            </Table.Th>
            <Table.Th scope="col">What changed</Table.Th>
            <Table.Th scope="col">Counts</Table.Th>
            <Table.Th scope="col">Top phrases</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((a) => (
            <Table.Tr
              key={a.id ?? `${a.sku}|${a.kind}`}
              data-testid="alert-row"
              data-sku={a.sku}
              data-kind={a.kind}
            >
              <Table.Th scope="row" fw={400} className="analytics-key">
                {a.id ? (
                  <Anchor
                    component={Link}
                    to={`/admin/analytics/alerts/${encodeURIComponent(a.id)}`}
                    size="sm"
                  >
                    <span className="admin-mono">{a.sku}</span>
                    <span className="visually-hidden"> — see the evidence</span>
                  </Anchor>
                ) : (
                  <span className="admin-mono">{a.sku}</span>
                )}
                <Text size="xs" c="dimmed">
                  {a.category}
                </Text>
              </Table.Th>
              <Table.Td>{formatKind(a.kind)}</Table.Td>
              <Table.Td className="analytics-key">{a.since}</Table.Td>
              <Table.Td ta="right" data-testid="confidence">
                {formatConfidence(a.confidence)}
              </Table.Td>
              <Table.Td data-testid="change">{changeText(a)}</Table.Td>
              <Table.Td>{countsText(a)}</Table.Td>
              <Table.Td>
                {a.phrases
                  .slice(0, 3)
                  .map((p) => p.phrase)
                  .join(', ') || '—'}
              </Table.Td>
              <Table.Td className="analytics-key">
                <Badge
                  variant="filled"
                  color={a.status === 'open' ? 'red.9' : a.status === 'resolved' ? 'gray.8' : 'brand'}
                  tt="none"
                >
                  {a.status === 'computed' ? 'as of that day' : a.status}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
