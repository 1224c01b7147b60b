import { Badge, Group, Stack, Text } from '@mantine/core';
import { BreakdownTable } from '../../../components/breakdown-table.tsx';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import type { TrackingView } from '../api/tracking-api.ts';

const METHOD_KEYS = {
  original_payment: 'refund.method.original_payment',
  store_credit: 'refund.method.store_credit',
  none: 'refund.method.none',
} as const;
const REFUND_STATUS_KEYS = {
  pending: 'refund.status.pending',
  succeeded: 'refund.status.succeeded',
  failed: 'refund.status.failed',
} as const;

/** Where the refund payment stands (pending, paid, delayed), or nothing before it starts. */
export function RefundStatusBadge({ status }: { status: string | null }) {
  const { t } = useI18n();
  if (!status) return null;
  const key = REFUND_STATUS_KEYS[status as keyof typeof REFUND_STATUS_KEYS] ?? 'refund.status.unknown';
  return (
    <Badge variant="filled" color={status === 'failed' ? 'red.9' : 'brand'} data-testid="refund-status">
      {t(key)}
    </Badge>
  );
}

/** Every line of the breakdown and the total, with where the money goes. */
export function RefundBreakdown({ refund }: { refund: TrackingView['refund'] }) {
  const { t, money } = useI18n();
  const methodKey = METHOD_KEYS[refund.method as keyof typeof METHOD_KEYS];
  const statusKey = refund.status
    ? (REFUND_STATUS_KEYS[refund.status as keyof typeof REFUND_STATUS_KEYS] ?? 'refund.status.unknown')
    : null;
  return (
    <Stack gap="sm">
      <BreakdownTable
        rows={refund.breakdown}
        total={refund.total}
        currency={refund.currency}
        totalLabel={t('refund.total')}
        testId="refund-breakdown"
        totalTestId="refund-total"
      />
      <Group gap="xs" justify="space-between" wrap="wrap">
        {methodKey && <Text size="sm">{t(methodKey)}</Text>}
        {statusKey && (
          <Badge variant="filled" color={refund.status === 'failed' ? 'red.9' : 'brand'}>
            {t(statusKey)}
          </Badge>
        )}
      </Group>
      {refund.bonus > 0 && (
        <Text size="sm">{t('refund.bonus', { amount: money(refund.bonus, refund.currency) })}</Text>
      )}
    </Stack>
  );
}
