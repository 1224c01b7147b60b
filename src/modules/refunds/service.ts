import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { AppError, notFound, unprocessable } from '../../platform/errors.ts';
import { linkIdempotentWrite } from '../../platform/idempotency-link.ts';
import { newId } from '../../platform/ids.ts';
import { formatMoney } from '../../platform/money.ts';
import { enqueue, type HandlerResult, type OutboxMessage } from '../../platform/outbox.ts';
import { accountBalances, accounts, postTransfers, type Transfer } from './ledger.ts';
import type { ProviderAccounts } from './provider-accounts.ts';
import type { PaymentProvider, ProviderRefundResult } from './providers/payment-provider.ts';
import type { ResolvedQuote } from './resolution-quote.ts';

type Executor = Kysely<Database>;

export const REFUND_EXECUTE = 'refund.execute';
export const REFUND_POLL = 'refund.poll';

/** What the returns module hears when a refund it started has settled. */
export type RefundSettlement = {
  tenantId: string;
  returnId: string;
  refundId: string;
  outcome: 'succeeded' | 'failed';
  amount: number;
  currency: string;
  method: string;
  provider: string;
  code?: string;
  message?: string;
};

export type RefundsDeps = {
  db: Db;
  clock: Clock;
  providerAccounts: ProviderAccounts;
  /**
   * Called inside the settling transaction, so the return's state moves with the money; what it
   * answers runs after the commit.
   */
  onSettled: (trx: Executor, s: RefundSettlement) => Promise<(() => void) | undefined>;
  /** Called when a refund needs a person (no definite answer from the provider). */
  onNeedsAttention?: (
    trx: Executor,
    n: { tenantId: string; returnId: string; refundId: string; message: string },
  ) => Promise<void>;
  /** Wakes the outbox worker after a commit that enqueued work. */
  kick?: () => void;
  /** Makes a dead outbox message pending again (staff retry). */
  replayMessage?: (topic: string, dedupeKey: string) => Promise<boolean>;
  /** After this many provider attempts that could not get an answer, the refund is failed for an agent. */
  maxAttempts?: number;
};

export type PayoutStart = {
  refundId: string | null;
  status: 'pending' | 'succeeded';
  method: ResolvedQuote['payout']['method'];
  amount: number;
};

/**
 * The refund engine: the guard rows and the ledger move in the caller's transaction; the
 * provider is called later by the outbox worker with an idempotency key fixed per attempt,
 * so a crash anywhere repeats the call and never the refund.
 */
export function createRefundsService(deps: RefundsDeps) {
  const { db, clock, providerAccounts } = deps;
  const maxAttempts = deps.maxAttempts ?? 8;

  async function payment(ex: Executor, tenantId: string, orderId: string) {
    return ex
      .selectFrom('orderPayments')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('orderId', '=', orderId)
      .executeTakeFirst();
  }

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

  async function settle(
    tenantId: string,
    refundId: string,
    attempt: number,
    result:
      | { outcome: 'succeeded'; providerRef: string | null }
      | { outcome: 'failed'; code: string; message: string },
  ): Promise<boolean> {
    const now = clock.now();
    let afterCommit: (() => void) | undefined;
    const settled = await db.transaction().execute(async (trx) => {
      const refund = await trx
        .selectFrom('refunds')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('id', '=', refundId)
        .executeTakeFirst();
      if (refund?.status !== 'pending' || refund.attempt !== attempt) return false;
      const cas = await trx
        .updateTable('refunds')
        .set({
          status: result.outcome,
          settledAt: now.toISOString(),
          ...(result.outcome === 'succeeded'
            ? {
                providerRef: result.providerRef ?? refund.providerRef,
                failureCode: null,
                failureMessage: null,
              }
            : { failureCode: result.code, failureMessage: result.message }),
        })
        .where('tenantId', '=', tenantId)
        .where('id', '=', refundId)
        .where('status', '=', 'pending')
        .where('attempt', '=', attempt)
        .executeTakeFirst();
      if (cas.numUpdatedRows !== 1n) return false;
      const common = {
        amount: refund.amount,
        currency: refund.currency,
        orderId: refund.orderId,
        returnId: refund.returnId,
        refundId,
        customerId: refund.customerId,
      };
      if (result.outcome === 'succeeded') {
        await postTransfers(
          trx,
          tenantId,
          [
            {
              kind: 'refund_succeeded',
              debit: accounts.refundInFlight(refundId),
              credit: accounts.provider(refund.provider),
              ...common,
            },
          ],
          now,
        );
      } else {
        await postTransfers(
          trx,
          tenantId,
          [
            {
              kind: 'refund_failed',
              debit: accounts.refundInFlight(refundId),
              credit: accounts.order(refund.orderId),
              ...common,
            },
          ],
          now,
        );
        await trx
          .updateTable('orderPayments')
          .set((eb) => ({ refundedAmount: eb('refundedAmount', '-', refund.amount) }))
          .where('tenantId', '=', tenantId)
          .where('orderId', '=', refund.orderId)
          .execute();
      }
      afterCommit = await deps.onSettled(trx, {
        tenantId,
        returnId: refund.returnId,
        refundId,
        outcome: result.outcome,
        amount: refund.amount,
        currency: refund.currency,
        method: refund.method,
        provider: refund.provider,
        ...(result.outcome === 'failed' ? { code: result.code, message: result.message } : {}),
      });
      return true;
    });
    afterCommit?.();
    return settled;
  }

  async function providerFor(tenantId: string, providerId: string): Promise<PaymentProvider | null> {
    return providerAccounts.providerFor(tenantId, providerId);
  }

  async function applyProviderResult(
    m: { tenantId: string; refundId: string; attempt: number; attempts: number },
    result: ProviderRefundResult,
  ): Promise<HandlerResult> {
    switch (result.status) {
      case 'succeeded':
        await settle(m.tenantId, m.refundId, m.attempt, {
          outcome: 'succeeded',
          providerRef: result.providerRefundId,
        });
        return { outcome: 'done' };
      case 'pending': {
        const now = clock.now();
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('refunds')
            .set({ providerRef: result.providerRefundId })
            .where('tenantId', '=', m.tenantId)
            .where('id', '=', m.refundId)
            .execute();
          // The webhook normally settles it; a poll is the safety net if the webhook never comes.
          await enqueue(
            trx,
            {
              tenantId: m.tenantId,
              topic: REFUND_POLL,
              dedupeKey: `${m.refundId}:${m.attempt}`,
              payload: { refundId: m.refundId, attempt: m.attempt },
              availableAt: new Date(now.getTime() + 60_000).toISOString(),
            },
            now,
          );
        });
        return { outcome: 'done' };
      }
      case 'failed':
        await settle(m.tenantId, m.refundId, m.attempt, {
          outcome: 'failed',
          code: result.code,
          message: result.message,
        });
        return { outcome: 'done' };
      case 'retry':
        if (m.attempts >= maxAttempts) {
          // We cannot tell whether the money moved, so the refund is neither failed (a retry with
          // a new key could pay twice) nor succeeded. It stays pending, flagged for a person who
          // can look at the provider's dashboard; the outbox message goes dead until they replay it.
          await db.transaction().execute(async (trx) => {
            const message = `No definite answer from the payment provider after ${m.attempts} tries (${result.code}: ${result.message}). Check the refund at the provider, then retry it.`;
            await trx
              .updateTable('refunds')
              .set({ failureCode: 'needs_reconciliation', failureMessage: message })
              .where('tenantId', '=', m.tenantId)
              .where('id', '=', m.refundId)
              .execute();
            const r = await trx
              .selectFrom('refunds')
              .select('returnId')
              .where('tenantId', '=', m.tenantId)
              .where('id', '=', m.refundId)
              .executeTakeFirst();
            if (r)
              await deps.onNeedsAttention?.(trx, {
                tenantId: m.tenantId,
                returnId: r.returnId,
                refundId: m.refundId,
                message,
              });
          });
        }
        return {
          outcome: 'retry',
          error: `${result.code}: ${result.message}`,
          ...(result.retryAfterMs ? { delayMs: result.retryAfterMs } : {}),
        };
    }
  }

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

    /** Wakes the worker; call after the transaction that started a payout has committed. */
    kick() {
      deps.kick?.();
    },

    /** Outbox handler for `refund.execute`: one provider call with the attempt's idempotency key. */
    async executeRefund(m: OutboxMessage): Promise<HandlerResult> {
      const { refundId, attempt } = m.payload as { refundId: string; attempt: number };
      const refund = await db
        .selectFrom('refunds')
        .innerJoin('orderPayments', (j) =>
          j
            .onRef('orderPayments.tenantId', '=', 'refunds.tenantId')
            .onRef('orderPayments.orderId', '=', 'refunds.orderId'),
        )
        .select([
          'refunds.status',
          'refunds.attempt',
          'refunds.amount',
          'refunds.currency',
          'refunds.provider',
          'refunds.idempotencyKey',
          'refunds.returnId',
          'orderPayments.paymentRef',
        ])
        .where('refunds.tenantId', '=', m.tenantId)
        .where('refunds.id', '=', refundId)
        .executeTakeFirst();
      // Already settled (a repeated message after a crash, or a webhook got there first).
      if (refund?.status !== 'pending' || refund.attempt !== attempt) return { outcome: 'done' };
      const provider = await providerFor(m.tenantId, refund.provider);
      const ctx = { tenantId: m.tenantId, refundId, attempt, attempts: m.attempts };
      if (!provider) {
        return applyProviderResult(ctx, {
          status: 'failed',
          code: 'provider_not_configured',
          message: `No ${refund.provider} account is configured for this shop.`,
        });
      }
      const result = await provider.refund({
        paymentRef: refund.paymentRef ?? '',
        amount: refund.amount,
        currency: refund.currency,
        idempotencyKey: refund.idempotencyKey ?? `${refundId}-${attempt}`,
        metadata: { refundId, returnId: refund.returnId },
      });
      return applyProviderResult(ctx, result);
    },

    /** Outbox handler for `refund.poll`: asks the provider about a refund still pending. */
    async pollRefund(m: OutboxMessage): Promise<HandlerResult> {
      const { refundId, attempt } = m.payload as { refundId: string; attempt: number };
      const refund = await db
        .selectFrom('refunds')
        .select(['status', 'attempt', 'provider', 'providerRef'])
        .where('tenantId', '=', m.tenantId)
        .where('id', '=', refundId)
        .executeTakeFirst();
      if (refund?.status !== 'pending' || refund.attempt !== attempt || !refund.providerRef)
        return { outcome: 'done' };
      const provider = await providerFor(m.tenantId, refund.provider);
      if (!provider?.getRefund) return { outcome: 'done' };
      const result = await provider.getRefund(refund.providerRef);
      if (result.status === 'pending')
        return { outcome: 'retry', error: 'still pending', delayMs: 5 * 60_000 };
      return applyProviderResult({ tenantId: m.tenantId, refundId, attempt, attempts: m.attempts }, result);
    },

    /** A provider webhook: verified with the tenant's secret, then the refund it names is settled. */
    async handleWebhook(
      providerId: string,
      token: string,
      rawBody: string,
      headers: Record<string, string | string[] | undefined>,
    ) {
      const account = await providerAccounts.byWebhookToken(providerId, token);
      if (!account) throw notFound('Webhook endpoint');
      const provider = await providerFor(account.tenantId, providerId);
      if (!provider?.parseWebhook) throw notFound('Webhook endpoint');
      const event = provider.parseWebhook(rawBody, headers);
      if (!event || event.status === 'pending') return { received: true, settled: false };
      const refund = await db
        .selectFrom('refunds')
        .select(['id', 'attempt'])
        .where('tenantId', '=', account.tenantId)
        .where('provider', '=', providerId)
        .where('providerRef', '=', event.providerRefundId)
        .executeTakeFirst();
      if (!refund) return { received: true, settled: false };
      const settled = await settle(
        account.tenantId,
        refund.id,
        refund.attempt,
        event.status === 'succeeded'
          ? { outcome: 'succeeded', providerRef: event.providerRefundId }
          : {
              outcome: 'failed',
              code: 'provider_failed',
              message: event.message ?? 'The payment provider could not complete the refund.',
            },
      );
      return { received: true, settled };
    },

    async customerCredit(tenantId: string, customerId: string) {
      const balances = await accountBalances(db, tenantId, accounts.credit(customerId));
      const entries = await db
        .selectFrom('ledgerEntries')
        .select([
          'id',
          'kind',
          'debitAccount',
          'creditAccount',
          'amount',
          'currency',
          'returnId',
          'orderId',
          'memo',
          'createdAt',
        ])
        .where('tenantId', '=', tenantId)
        .where((eb) =>
          eb.or([
            eb('creditAccount', '=', accounts.credit(customerId)),
            eb('debitAccount', '=', accounts.credit(customerId)),
          ]),
        )
        .orderBy('id', 'desc')
        .limit(200)
        .execute();
      return {
        customerId,
        balances: [...balances].map(([currency, balance]) => ({ currency, balance })),
        entries: entries.map((e) => ({
          id: e.id,
          kind: e.kind,
          amount: e.creditAccount === accounts.credit(customerId) ? e.amount : -e.amount,
          currency: e.currency,
          returnId: e.returnId,
          orderId: e.orderId,
          memo: e.memo,
          createdAt: e.createdAt,
        })),
      };
    },

    /** Spends store credit on a purchase; the guard row refuses to go below zero. */
    async spendCredit(
      tenantId: string,
      customerId: string,
      input: { amount: number; currency: string; reference: string },
    ) {
      await db.transaction().execute(async (trx) => {
        await takeCredit(
          trx,
          tenantId,
          customerId,
          { amount: input.amount, currency: input.currency },
          { kind: 'credit_spent', to: accounts.creditSpent, memo: input.reference },
          clock.now(),
        );
        await linkIdempotentWrite(trx, customerId);
      });
      return this.customerCredit(tenantId, customerId);
    },

    /**
     * Takes credit out of a customer's balance in the caller's transaction (a purchasing agent's
     * wallet withdrawal): never below zero (422 otherwise), and the ledger records where it went.
     */
    takeCredit(
      trx: Executor,
      tenantId: string,
      customerId: string,
      money: { amount: number; currency: string },
      transfer: { kind: string; to: string; memo: string },
    ) {
      return takeCredit(trx, tenantId, customerId, money, transfer, clock.now());
    },

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

    /** The latest refund of a return, for its view. */
    async refundOfReturn(tenantId: string, returnId: string, ex: Executor = db) {
      return ex
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
        .where('tenantId', '=', tenantId)
        .where('returnId', '=', returnId)
        .executeTakeFirst();
    },
  };
}

/**
 * Takes credit out of a customer's balance in the caller's transaction: the guarded UPDATE never
 * lets it go below zero (422 otherwise), and the ledger records where it went.
 */
async function takeCredit(
  trx: Executor,
  tenantId: string,
  customerId: string,
  money: { amount: number; currency: string },
  transfer: { kind: string; to: string; memo: string },
  now: Date,
): Promise<void> {
  const r = await trx
    .updateTable('creditBalances')
    .set((eb) => ({ balance: eb('balance', '-', money.amount) }))
    .where('tenantId', '=', tenantId)
    .where('customerId', '=', customerId)
    .where('currency', '=', money.currency)
    .where('balance', '>=', money.amount)
    .executeTakeFirst();
  if (r.numUpdatedRows !== 1n) {
    throw unprocessable(
      'insufficient_credit',
      `The customer has less than ${formatMoney(money.amount, money.currency)} of store credit.`,
    );
  }
  await postTransfers(
    trx,
    tenantId,
    [
      {
        kind: transfer.kind,
        debit: accounts.credit(customerId),
        credit: transfer.to,
        amount: money.amount,
        currency: money.currency,
        customerId,
        memo: transfer.memo,
      },
    ],
    now,
  );
}

async function adjustCreditBalance(
  trx: Executor,
  tenantId: string,
  customerId: string,
  currency: string,
  delta: number,
) {
  await trx
    .insertInto('creditBalances')
    .values({ tenantId, customerId, currency, balance: delta })
    .onConflict((oc) =>
      oc
        .columns(['tenantId', 'customerId', 'currency'])
        .doUpdateSet((eb) => ({ balance: eb('creditBalances.balance', '+', delta) })),
    )
    .execute();
}

export type RefundsService = ReturnType<typeof createRefundsService>;
