import { createOrderPayments } from './order-payments.ts';
import { createRefundReads } from './refund-reads.ts';
import { createRefundSettlement } from './refund-settlement.ts';
import type { RefundsDeps } from './refunds-deps.ts';
import { createRetryStuckRefund } from './retry-stuck-refund.ts';
import { createStartPayout } from './start-payout.ts';
import { createStoreCredit } from './store-credit.ts';

export { REFUND_EXECUTE, REFUND_POLL, type RefundSettlement, type RefundsDeps } from './refunds-deps.ts';
export type { PayoutStart } from './start-payout.ts';

/**
 * The refund engine: the guard rows and the ledger move in the caller's transaction; the
 * provider is called later by the outbox worker with an idempotency key fixed per attempt,
 * so a crash anywhere repeats the call and never the refund.
 */
export function createRefundsService(deps: RefundsDeps) {
  return {
    ...createOrderPayments(deps),
    ...createStartPayout(deps),
    ...createRetryStuckRefund(deps),
    ...createRefundSettlement(deps),
    ...createStoreCredit(deps),
    ...createRefundReads(deps),
  };
}

export type RefundsService = ReturnType<typeof createRefundsService>;
