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
import { LoadMore } from '../../../components/load-more.tsx';
import type { Translate } from '../../../lib/i18n/i18n-provider.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { type Alert, useAlerts, useDetect } from '../api/analytics-api.ts';
import { today } from './format.ts';
import { MetricTable, messageOf, NoHistory } from './parts.tsx';
import { type AnalyticsFormat, useAnalyticsFormat } from './use-analytics-format.ts';

/** "4.1% → 12.3% (×3.0)": the rate before, now, and how many times the higher of baseline and category. */
export function changeText(a: Alert, f: AnalyticsFormat): string {
  return `${f.percent(a.change.before)} → ${f.percent(a.change.now)} (×${f.oneDecimal(a.change.lift)})`;
}

/** Returns of the recent window against the units at risk, e.g. "14 returns, 3.2 expected". */
export function countsText(a: Alert, f: AnalyticsFormat): string {
  const w = a.evidence.window;
  if (!w) return '—';
  const expected = a.evidence.expectedReturns;
  const tail = expected !== undefined ? f.t('analytics.alert.expected', { n: f.oneDecimal(expected) }) : '';
  // For a complaint phrase the windows count return notes: `exposure` notes, `returned` with it.
  if (a.kind === 'complaints')
    return f.t('analytics.alert.countsNotes', {
      n: f.count(w.returned),
      m: f.count(Math.round(w.exposure)),
      expected: tail,
    });
  return f.t('analytics.alert.countsReturns', {
    n: f.count(w.returned),
    m: f.count(w.linesSold),
    expected: tail,
  });
}

/** `/admin/analytics/alerts`: the early-warning alerts, now or as they stood on a past day. */
export function AlertsPage({ isAdmin }: { isAdmin: boolean }) {
  const f = useAnalyticsFormat();
  const { t } = f;
  useDocumentTitle(t('analytics.alerts.docTitle'), 'Returnflow');
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
      <h1 className="admin-h1">{t('analytics.alerts.title')}</h1>
      <Text size="sm">{t('analytics.alerts.lead')}</Text>
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" align="flex-end" gap="md" wrap="wrap">
          <form onSubmit={submit} aria-label={t('analytics.alerts.asOfForm')}>
            <Group align="flex-end" gap="sm" wrap="wrap">
              <TextInput
                type="date"
                label={t('analytics.alerts.asOf')}
                description={t('analytics.alerts.asOfHint')}
                value={day}
                max={today()}
                onChange={(e) => setDay(e.currentTarget.value)}
              />
              <Button type="submit" variant="default">
                {t('analytics.alerts.show')}
              </Button>
              {asOf && (
                <Button
                  variant="subtle"
                  onClick={() => {
                    setDay('');
                    setParams({});
                  }}
                >
                  {t('analytics.alerts.backToCurrent')}
                </Button>
              )}
            </Group>
          </form>
          {isAdmin && !asOf && (
            <Button onClick={() => detect.mutate()} loading={detect.isPending} data-testid="run-detection">
              {t('analytics.alerts.runDetection')}
            </Button>
          )}
        </Group>
      </Paper>
      {detect.data && (
        <Notice color="green" variant="light" role="status" data-testid="detect-result">
          {t('analytics.alerts.detected', {
            asOf: detect.data.asOf,
            opened: f.count(detect.data.opened.length),
            updated: f.count(detect.data.updated),
            resolved: f.count(detect.data.resolved),
          })}
        </Notice>
      )}
      {detect.error && (
        <Notice color="red" variant="light" role="alert">
          {messageOf(detect.error, t)}
        </Notice>
      )}
      {alerts.isPending ? (
        <Loader aria-label={t('analytics.loading', { what: t('analytics.what.alerts') })} />
      ) : alerts.isError ? (
        <ErrorPanel error={alerts.error} onRetry={() => void alerts.refetch()} />
      ) : (
        <>
          <Text size="sm" role="status" data-testid="alerts-summary">
            {asOf
              ? t(
                  rows.length === 1
                    ? 'analytics.alerts.summaryAsOf.one'
                    : 'analytics.alerts.summaryAsOf.other',
                  {
                    asOf,
                    n: f.count(rows.length),
                    tests: f.count(alerts.data.pages[0]?.testsRun ?? 0),
                  },
                )
              : t('analytics.alerts.summary', {
                  open: f.count(rows.filter((r) => r.status === 'open').length),
                  resolved: f.count(rows.filter((r) => r.status === 'resolved').length),
                })}
          </Text>
          {rows.length === 0 ? (
            asOf ? (
              <Text size="sm">{t('analytics.alerts.noneThatDay')}</Text>
            ) : (
              <Stack gap="sm" data-testid="no-alerts">
                <Text size="sm">{t(isAdmin ? 'analytics.alerts.noneAdmin' : 'analytics.alerts.none')}</Text>
                <NoHistory what="alerts" />
              </Stack>
            )
          ) : (
            <AlertTable rows={rows} asOf={asOf} />
          )}
          {alerts.hasNextPage && (
            <Group>
              <LoadMore query={alerts} label={t('analytics.loadMore')} size="xs" />
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}

/**
 * Where an alert's evidence is: a stored alert's own page, or (as of a past day, where nothing
 * is stored) the page of the finding computed for that day.
 */
export function alertHref(a: Alert, asOf: string | null): string | null {
  if (a.id) return `/admin/analytics/alerts/${encodeURIComponent(a.id)}`;
  if (!asOf) return null;
  return `/admin/analytics/alerts/as-of/${asOf}?${new URLSearchParams({ sku: a.sku, kind: a.kind })}`;
}

function AlertTable({ rows, asOf }: { rows: Alert[]; asOf: string | null }) {
  const f = useAnalyticsFormat();
  const { t } = f;
  return (
    <MetricTable
      testId="alerts-table"
      columns={[
        { label: t('analytics.col.sku') },
        { label: t('analytics.alerts.col.what') },
        { label: t('analytics.alerts.col.since') },
        { label: t('analytics.alerts.col.confidence'), num: true },
        { label: t('analytics.alerts.col.change') },
        { label: t('analytics.alerts.col.counts') },
        { label: t('analytics.alerts.col.phrases') },
        { label: t('analytics.col.status') },
      ]}
    >
      {rows.map((a) => {
        const href = alertHref(a, asOf);
        return (
          <Table.Tr
            key={a.id ?? `${a.sku}|${a.kind}`}
            data-testid="alert-row"
            data-sku={a.sku}
            data-kind={a.kind}
          >
            <Table.Th scope="row" fw={400} className="analytics-key">
              {href ? (
                <Anchor component={Link} to={href} size="sm">
                  <span className="admin-mono">{a.sku}</span>
                  <span className="visually-hidden">{t('analytics.alerts.seeEvidence')}</span>
                </Anchor>
              ) : (
                <span className="admin-mono">{a.sku}</span>
              )}
              <Text size="xs" c="dimmed">
                {a.category}
              </Text>
            </Table.Th>
            <Table.Td>{f.kind(a.kind)}</Table.Td>
            <Table.Td className="analytics-key">{a.since}</Table.Td>
            <Table.Td ta="right" data-testid="confidence">
              {f.confidence(a.confidence)}
            </Table.Td>
            <Table.Td data-testid="change">{changeText(a, f)}</Table.Td>
            <Table.Td>{countsText(a, f)}</Table.Td>
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
                className="analytics-badge"
                data-testid="alert-status"
              >
                {statusLabel(a.status, t)}
              </Badge>
            </Table.Td>
          </Table.Tr>
        );
      })}
    </MetricTable>
  );
}

/** An alert's status in words; a status the API adds later shows as its code. */
export function statusLabel(status: string, t: Translate): string {
  if (status === 'open') return t('analytics.alert.status.open');
  if (status === 'resolved') return t('analytics.alert.status.resolved');
  if (status === 'computed') return t('analytics.alert.status.computed');
  return status;
}
