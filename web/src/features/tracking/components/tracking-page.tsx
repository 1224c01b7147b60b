import { Grid, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { ErrorBoundary, ErrorPanel } from '../../../components/error-boundary.tsx';
import { ItemisedRefund } from '../../../components/itemised-refund.tsx';
import { isApiError } from '../../../lib/api.ts';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { useShowShop } from '../../../lib/shop-brand.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { type TrackingView, useTracking, useTrackingStream } from '../api/tracking-api.ts';
import { InboxPanel } from './inbox-panel.tsx';
import { LiveIndicator } from './live-indicator.tsx';
import { PreferencesForm } from './preferences-form.tsx';
import { RefundBreakdown, RefundStatusBadge } from './refund-breakdown.tsx';
import { ReturnInstructions } from './return-instructions.tsx';
import { SourcingStages } from './sourcing-stages.tsx';
import { statusKey } from './status-text.ts';
import { StatusTimeline } from './status-timeline.tsx';
import { TrackingNotFound } from './tracking-not-found.tsx';
import { WalletPanel } from './wallet-panel.tsx';

/** A titled region of the page with its own error boundary: one failing part leaves the rest. */
function Region({ id, title, children }: { id: string; title?: string; children: ReactNode }) {
  return (
    <Paper component="section" withBorder radius="md" p={{ base: 'md', sm: 'lg' }} aria-labelledby={id}>
      {title && (
        <Title order={2} size="h3" id={id} mb="sm">
          {title}
        </Title>
      )}
      <ErrorBoundary compact>{children}</ErrorBoundary>
    </Paper>
  );
}

/** The whole tracking page for one token: status, progress, money, instructions, messages, settings. */
export function TrackingPage({ token }: { token: string }) {
  const { t } = useI18n();
  const tracking = useTracking(token);
  const live = useTrackingStream(token, tracking.isSuccess);

  if (tracking.isPending) {
    return (
      <Group gap="sm" py="xl" role="status">
        <Loader size="sm" aria-hidden="true" />
        <Text>{t('track.loading')}</Text>
      </Group>
    );
  }
  if (tracking.isError) {
    if (isApiError(tracking.error, 'not_found')) return <TrackingNotFound />;
    return <ErrorPanel error={tracking.error} onRetry={() => void tracking.refetch()} />;
  }
  return <TrackingDetails token={token} view={tracking.data} live={live} />;
}

function TrackingDetails({
  token,
  view,
  live,
}: {
  token: string;
  view: TrackingView;
  live: ReturnType<typeof useTrackingStream>;
}) {
  const { t, dateTime } = useI18n();
  // Money that is already in a wallet or on the account is not waiting for a bank statement.
  const settledAs =
    view.status === 'refunded' && view.refund.method === 'store_credit'
      ? view.sourcing?.refundTo === 'wallet'
        ? 'wallet'
        : 'credit'
      : null;
  const headline = settledAs
    ? t(`status.refunded.headline.${settledAs}` as const)
    : t(statusKey(view.status, 'headline'));
  useDocumentTitle(`${headline} (${view.rmaNumber})`, view.shop?.name ?? t('app.shopName'));
  useShowShop(view.shop?.name, view.shop?.handle);
  const announcement = useStatusAnnouncement(view.status, t(statusKey(view.status, 'label')));
  const awaitingParcel = view.status === 'awaiting_shipment';

  return (
    <Stack gap="lg" data-testid="tracking-page" data-status={view.status}>
      <Stack gap={4}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text fw={600} c="dimmed" data-testid="rma">
            {t('track.rma', { rma: view.rmaNumber })}
          </Text>
          <LiveIndicator state={live} />
        </Group>
        <Title order={1} data-testid="status-headline">
          {headline}
        </Title>
        <Text size="lg">
          {settledAs
            ? t(`status.refunded.detail.${settledAs}` as const)
            : t(statusKey(view.status, 'detail'))}
        </Text>
        <Text size="sm" c="dimmed">
          {t('track.requestedOn', { date: dateTime(view.createdAt) })} ·{' '}
          {t('track.updatedAt', { date: dateTime(view.updatedAt) })}
        </Text>
        <div className="visually-hidden" role="status" aria-live="polite">
          {announcement}
        </div>
      </Stack>

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            {awaitingParcel && (
              <Region id="instructions" title={t('instructions.title')}>
                <ReturnInstructions
                  rmaNumber={view.rmaNumber}
                  shipBy={view.shipBy}
                  address={view.returnAddress}
                />
              </Region>
            )}
            {view.sourcing && view.sourcing.stages.length > 0 && (
              <Region id="sourcing" title={t('sourcing.title')}>
                <SourcingStages stages={view.sourcing.stages} />
              </Region>
            )}
            <Region id="progress" title={t('timeline.title')}>
              <StatusTimeline view={view} />
            </Region>
            {view.explanation.length > 0 && (
              <Region id="explanation" title={t('explanation.title')}>
                {/* Written by the server in the page's language (?lang=); a shop's own rule texts stay as written. */}
                <Stack gap={6} component="ul" pl="md" my={0}>
                  {view.explanation.map((sentence) => (
                    <Text component="li" key={sentence}>
                      {sentence}
                    </Text>
                  ))}
                </Stack>
              </Region>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            <Region id="refund" title={t('refund.title')}>
              {/* A rejected or cancelled return pays nothing: its quote would only confuse. */}
              {view.status === 'rejected' || view.status === 'cancelled' ? (
                <Text>{t('refund.notApplicable')}</Text>
              ) : view.sourcing ? (
                // A purchasing agent: every fee paid and what of it comes back, with the reason.
                <Stack gap="sm">
                  <ItemisedRefund
                    itemised={view.sourcing.itemised}
                    currency={view.refund.currency}
                    refundTo={view.sourcing.refundTo}
                    display={view.sourcing.display}
                  />
                  <div>
                    <RefundStatusBadge status={view.refund.status} />
                  </div>
                </Stack>
              ) : (
                <RefundBreakdown refund={view.refund} />
              )}
            </Region>
            {view.sourcing?.refundTo === 'wallet' && (
              <Region id="wallet" title={t('wallet.title')}>
                <WalletPanel token={token} />
              </Region>
            )}
            <Region id="items" title={t('items.title')}>
              <Stack gap={4} component="ul" pl="md" my={0}>
                {view.items.map((item, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: two lines may share a title
                  <Text component="li" key={i}>
                    {item.title}{' '}
                    <Text span c="dimmed" size="sm">
                      ({t('items.quantity', { count: item.quantity })})
                    </Text>
                  </Text>
                ))}
              </Stack>
            </Region>
            <Region id="inbox">
              <InboxPanel token={token} headingId="inbox" />
            </Region>
            <Region id="preferences" title={t('prefs.title')}>
              <PreferencesForm token={token} />
            </Region>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** What a screen reader hears when the status changes while the page is open (not on first load). */
function useStatusAnnouncement(status: string, label: string): string {
  const { t } = useI18n();
  const previous = useRef(status);
  const [text, setText] = useState('');
  useEffect(() => {
    if (previous.current === status) return;
    previous.current = status;
    setText(t('track.statusChanged', { status: label }));
  }, [status, label, t]);
  return text;
}
