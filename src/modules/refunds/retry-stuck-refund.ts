import { AppError, notFound } from '../../platform/errors.ts';
import { REFUND_EXECUTE, type RefundsDeps } from './refunds-deps.ts';

/** Retrying a refund stuck without a definite answer from the provider (staff, after reconciling). */
export function createRetryStuckRefund(deps: RefundsDeps) {
  const { db } = deps;

  return {
    /**
     * Staff retry of a refund whose provider call gave no definite answer: the same attempt is
     * sent again with the same idempotency key, so a refund the provider did make is not repeated.
     */
    async retryStuckRefund(tenantId: string, refundId: string) {
      const refund = await db
        .selectFrom('refunds')
        .select(['id', 'status', 'attempt', 'failureCode'])
        .where('tenantId', '=', tenantId)
        .where('id', '=', refundId)
        .executeTakeFirst();
      if (!refund) throw notFound('Refund');
      if (refund.status !== 'pending' || refund.failureCode !== 'needs_reconciliation') {
        throw new AppError(
          409,
          'refund_not_stuck',
          "Only a pending refund waiting for reconciliation can be retried here; a failed refund is retried with the return's refund action.",
        );
      }
      const replayed = (await deps.replayMessage?.(REFUND_EXECUTE, `${refundId}:${refund.attempt}`)) ?? false;
      if (!replayed) throw new AppError(409, 'refund_in_progress', 'This refund is already being retried.');
      await db
        .updateTable('refunds')
        .set({ failureCode: null, failureMessage: null })
        .where('tenantId', '=', tenantId)
        .where('id', '=', refundId)
        .execute();
      deps.kick?.();
      return { id: refundId, status: 'pending' as const };
    },
  };
}
