import { notFound } from '../../platform/errors.ts';
import { enqueue, type HandlerResult, type OutboxMessage } from '../../platform/outbox.ts';
import { accounts, postTransfers } from './ledger.ts';
import type { PaymentProvider, ProviderRefundResult } from './providers/payment-provider.ts';
import { REFUND_POLL, type RefundsDeps } from './refunds-deps.ts';

/**
 * The provider call and its settlement: the outbox handlers call the provider, and its answer (or
 * a webhook's) settles the refund and its ledger transfers in one transaction.
 */
export function createRefundSettlement(deps: RefundsDeps) {
  const { db, clock, providerAccounts } = deps;
  const maxAttempts = deps.maxAttempts ?? 8;

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
  };
}
