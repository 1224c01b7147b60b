import { prepared } from '../../platform/db/prepared.ts';
import type { Executor, RefundsDeps } from './refunds-deps.ts';

/** Reading refunds: what has been paid out for a return, and its latest refund. */
export function createRefundReads(deps: RefundsDeps) {
  const { db } = deps;

  return {
    /** What has reached the customer for a return: the sum of its succeeded refunds. */
    async paidOut(tenantId: string, returnId: string, ex: Executor = db): Promise<number> {
      const paid = await ex
        .selectFrom('refunds')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('n'))
        .where('tenantId', '=', tenantId)
        .where('returnId', '=', returnId)
        .where('status', '=', 'succeeded')
        .executeTakeFirstOrThrow();
      return Number(paid.n);
    },

    /** The refund of a return (one per return), for its view. */
    async refundOfReturn(tenantId: string, returnId: string, ex: Executor = db) {
      return latestRefund.takeFirst(ex, { tenantId, returnId });
    },
  };
}

const latestRefund = prepared((db, p: { tenantId: string; returnId: string }) =>
  db
    .selectFrom('refunds')
    .select([
      'id',
      'status',
      'amount',
      'currency',
      'method',
      'provider',
      'providerRef',
      'attempt',
      'bonusAmount',
      'failureCode',
      'failureMessage',
      'createdAt',
      'settledAt',
    ])
    .where('tenantId', '=', p.tenantId)
    .where('returnId', '=', p.returnId),
);
