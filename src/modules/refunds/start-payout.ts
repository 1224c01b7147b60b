import { AppError, unprocessable } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { formatMoney } from '../../platform/money.ts';
import { enqueue } from '../../platform/outbox.ts';
import { accounts, postTransfers, type Transfer } from './ledger.ts';
import { payment } from './order-payments.ts';
import { type Executor, REFUND_EXECUTE, type RefundsDeps } from './refunds-deps.ts';
import type { ResolvedQuote } from './resolution-quote.ts';
import { adjustCreditBalance } from './store-credit.ts';

export type PayoutStart = {
  refundId: string | null;
  status: 'pending' | 'succeeded';
  method: ResolvedQuote['payout']['method'];
  amount: number;
};

/** Issuing a refund: the payout starts in the caller's transaction, the worker is woken after it. */
export function createStartPayout(deps: RefundsDeps) {
  const { clock } = deps;

  /** Reserves `amount` of the captured payment; the CHECK constraint stands behind the WHERE. */
  async function reserve(ex: Executor, tenantId: string, orderId: string, amount: number): Promise<boolean> {
    const r = await ex
      .updateTable('orderPayments')
      .set((eb) => ({ refundedAmount: eb('refundedAmount', '+', amount) }))
      .where('tenantId', '=', tenantId)
      .where('orderId', '=', orderId)
      .where((eb) => eb(eb('refundedAmount', '+', amount), '<=', eb.ref('capturedAmount')))
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  return {
    /**
     * Starts paying out a return in the caller's transaction: reserves the amount against the
     * captured payment, writes the refund and its ledger transfers, and (for the original payment)
     * queues the provider call. Store credit and no-money resolutions settle at once.
     */
    async startPayout(
      trx: Executor,
      p: { tenantId: string; returnId: string; orderId: string; customerId: string; quote: ResolvedQuote },
    ): Promise<PayoutStart> {
      const now = clock.now();
      const { quote } = p;
      const pay = await payment(trx, p.tenantId, p.orderId);
      if (!pay) throw unprocessable('no_payment', 'This order has no recorded payment to refund.');
      if (pay.currency !== quote.currency) {
        throw unprocessable(
          'currency_mismatch',
          `The order was paid in ${pay.currency} but the refund is in ${quote.currency}; refunds go back in the currency paid.`,
        );
      }
      const common = {
        currency: quote.currency,
        orderId: p.orderId,
        returnId: p.returnId,
        customerId: p.customerId,
      };
      const transfers: Transfer[] = [];
      const existing = await trx
        .selectFrom('refunds')
        .selectAll()
        .where('tenantId', '=', p.tenantId)
        .where('returnId', '=', p.returnId)
        .executeTakeFirst();
      if (existing && existing.status !== 'failed') {
        throw new AppError(409, 'already_refunded', 'This return already has a refund under way or paid.');
      }
      if (!existing) {
        // Fees and exchanged value leave the customer's balance once, whatever happens to the payout.
        for (const f of quote.fees) {
          transfers.push({
            kind: 'fee_kept',
            debit: accounts.order(p.orderId),
            credit: accounts.feeIncome(f.code),
            amount: f.amount,
            ...common,
            memo: f.label,
          });
        }
        transfers.push({
          kind: 'fee_kept',
          debit: accounts.order(p.orderId),
          credit: accounts.feeIncome('restocking'),
          amount: quote.restockingFees,
          ...common,
          memo: 'Restocking',
        });
        if (quote.exchange) {
          // What was not paid back in cash went towards the new items.
          transfers.push({
            kind: 'exchange_applied',
            debit: accounts.order(p.orderId),
            credit: 'income:exchange_sale',
            amount: quote.total - quote.payout.amount,
            ...common,
          });
        }
      }
      const amount = quote.payout.amount;
      const method = quote.payout.method;
      if (amount > 0 && !(await reserve(trx, p.tenantId, p.orderId, amount))) {
        throw unprocessable(
          'refund_exceeds_captured',
          `A refund of ${formatMoney(amount, quote.currency)} would be more than what is left of the ${formatMoney(pay.capturedAmount, pay.currency)} paid.`,
        );
      }
      if (method === 'none' || amount === 0) {
        await postTransfers(trx, p.tenantId, transfers, now);
        return { refundId: null, status: 'succeeded', method, amount: 0 };
      }

      const refundId = existing?.id ?? newId('ref');
      const attempt = (existing?.attempt ?? 0) + 1;
      const provider = method === 'store_credit' ? 'store_credit' : pay.provider;
      const row = {
        amount,
        currency: quote.currency,
        provider,
        providerRef: null,
        status: (method === 'store_credit' ? 'succeeded' : 'pending') as 'succeeded' | 'pending',
        attempt,
        method,
        bonusAmount: method === 'store_credit' ? quote.bonus : 0,
        idempotencyKey: `${refundId}-${attempt}`,
        failureCode: null,
        failureMessage: null,
        settledAt: method === 'store_credit' ? now.toISOString() : null,
        customerId: p.customerId,
      };
      if (existing) {
        await trx
          .updateTable('refunds')
          .set(row)
          .where('tenantId', '=', p.tenantId)
          .where('id', '=', refundId)
          .execute();
      } else {
        await trx
          .insertInto('refunds')
          .values({
            tenantId: p.tenantId,
            id: refundId,
            returnId: p.returnId,
            orderId: p.orderId,
            createdAt: now.toISOString(),
            ...row,
          })
          .execute();
      }

      if (method === 'store_credit') {
        transfers.push(
          {
            kind: 'credit_issued',
            debit: accounts.order(p.orderId),
            credit: accounts.credit(p.customerId),
            amount,
            ...common,
            refundId,
          },
          {
            kind: 'credit_bonus',
            debit: accounts.bonusExpense,
            credit: accounts.credit(p.customerId),
            amount: quote.bonus,
            ...common,
            refundId,
          },
        );
        await postTransfers(trx, p.tenantId, transfers, now);
        await adjustCreditBalance(trx, p.tenantId, p.customerId, quote.currency, amount + quote.bonus);
        return { refundId, status: 'succeeded', method, amount };
      }
      transfers.push({
        kind: 'refund_started',
        debit: accounts.order(p.orderId),
        credit: accounts.refundInFlight(refundId),
        amount,
        ...common,
        refundId,
      });
      await postTransfers(trx, p.tenantId, transfers, now);
      await enqueue(
        trx,
        {
          tenantId: p.tenantId,
          topic: REFUND_EXECUTE,
          dedupeKey: `${refundId}:${attempt}`,
          payload: { refundId, attempt },
        },
        now,
      );
      return { refundId, status: 'pending', method, amount };
    },

    /** Wakes the worker; call after the transaction that started a payout has committed. */
    kick() {
      deps.kick?.();
    },
  };
}
