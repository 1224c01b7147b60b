import { AppError } from '../../platform/errors.ts';
import { accountBalances, accounts, postTransfers } from './ledger.ts';
import type { Executor, RefundsDeps } from './refunds-deps.ts';

/** The order's payment guard row (captured and refunded so far), or undefined. */
export async function payment(ex: Executor, tenantId: string, orderId: string) {
  return ex
    .selectFrom('orderPayments')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('orderId', '=', orderId)
    .executeTakeFirst();
}

/** The order's side of the refund engine: recording an order's payment, and reading its money. */
export function createOrderPayments(deps: RefundsDeps) {
  const { db } = deps;

  return {
    /** Records the payment of an imported order: the guard row and the capture transfer. */
    async recordCapture(
      ex: Executor,
      p: {
        tenantId: string;
        orderId: string;
        customerId: string;
        currency: string;
        provider: string;
        paymentRef: string | null;
        capturedAmount: number;
      },
      now: Date,
    ): Promise<void> {
      const existing = await payment(ex, p.tenantId, p.orderId);
      if (!existing) {
        await ex
          .insertInto('orderPayments')
          .values({
            tenantId: p.tenantId,
            orderId: p.orderId,
            provider: p.provider,
            paymentRef: p.paymentRef,
            currency: p.currency,
            capturedAmount: p.capturedAmount,
          })
          .execute();
        await postTransfers(
          ex,
          p.tenantId,
          [
            {
              kind: 'capture',
              debit: accounts.provider(p.provider),
              credit: accounts.order(p.orderId),
              amount: p.capturedAmount,
              currency: p.currency,
              orderId: p.orderId,
              customerId: p.customerId,
            },
          ],
          now,
        );
        return;
      }
      if (
        existing.provider === p.provider &&
        existing.paymentRef === p.paymentRef &&
        existing.capturedAmount === p.capturedAmount &&
        existing.currency === p.currency
      ) {
        return;
      }
      if (existing.refundedAmount > 0 || existing.currency !== p.currency) {
        throw new AppError(
          409,
          'order_has_refunds',
          'The payment of an order with refunds can no longer change.',
        );
      }
      await ex
        .updateTable('orderPayments')
        .set({ provider: p.provider, paymentRef: p.paymentRef, capturedAmount: p.capturedAmount })
        .where('tenantId', '=', p.tenantId)
        .where('orderId', '=', p.orderId)
        .execute();
      // Corrections are new transfers; the ledger never rewrites history.
      const delta = p.capturedAmount - existing.capturedAmount;
      const base = {
        currency: p.currency,
        orderId: p.orderId,
        customerId: p.customerId,
        amount: Math.abs(delta),
      };
      if (existing.provider !== p.provider) {
        await postTransfers(
          ex,
          p.tenantId,
          [
            {
              kind: 'capture_moved',
              debit: accounts.order(p.orderId),
              credit: accounts.provider(existing.provider),
              ...base,
              amount: existing.capturedAmount,
            },
            {
              kind: 'capture_moved',
              debit: accounts.provider(p.provider),
              credit: accounts.order(p.orderId),
              ...base,
              amount: p.capturedAmount,
            },
          ],
          now,
        );
      } else if (delta !== 0) {
        await postTransfers(
          ex,
          p.tenantId,
          [
            delta > 0
              ? {
                  kind: 'capture_adjusted',
                  debit: accounts.provider(p.provider),
                  credit: accounts.order(p.orderId),
                  ...base,
                }
              : {
                  kind: 'capture_adjusted',
                  debit: accounts.order(p.orderId),
                  credit: accounts.provider(p.provider),
                  ...base,
                },
          ],
          now,
        );
      }
    },

    /** Captured, refunded, in flight and still refundable for an order, all summed from the ledger. */
    async orderMoney(tenantId: string, orderId: string, ex: Executor = db) {
      const pay = await payment(ex, tenantId, orderId);
      if (!pay) return null;
      const rows = await ex
        .selectFrom('ledgerEntries')
        .select((eb) => ['kind', eb.fn.sum<number>('amount').as('total')])
        .where('tenantId', '=', tenantId)
        .where('orderId', '=', orderId)
        .groupBy('kind')
        .execute();
      const sum = (...kinds: string[]) =>
        rows.filter((r) => kinds.includes(r.kind)).reduce((a, r) => a + Number(r.total), 0);
      const balance = (await accountBalances(ex, tenantId, accounts.order(orderId))).get(pay.currency) ?? 0;
      const started = sum('refund_started');
      const refunded = sum('refund_succeeded');
      const failed = sum('refund_failed');
      return {
        provider: pay.provider,
        paymentRef: pay.paymentRef,
        currency: pay.currency,
        capturedAmount: pay.capturedAmount,
        refundedAmount: refunded,
        pendingRefundAmount: started - refunded - failed,
        creditIssuedAmount: sum('credit_issued'),
        feesKeptAmount: sum('fee_kept'),
        refundableAmount: balance,
      };
    },
  };
}
