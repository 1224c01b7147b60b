import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { formatMoney } from '../../platform/money.ts';
import type { RefundSettlement } from '../refunds/service.ts';
import * as repo from './repo.ts';
import type { ChangeHooks, EventInput, ReturnChange, ReturnsService } from './service.ts';
import { afterRefund, type ReturnStatus } from './state-machine.ts';

type Executor = Kysely<Database>;

/**
 * What the refund engine tells a return about its payout, inside the engine's own transaction:
 * the payout settled (the return moves with it) or it waits for a person (said on the internal
 * timeline; the status does not move).
 */
export function createRefundFollowUp(deps: {
  clock: Clock;
  returns: ReturnsService;
  onChange?: ChangeHooks;
}) {
  const { clock, returns } = deps;
  return {
    /** A refund waits for a person: say so on the internal timeline (the status does not move). */
    async refundNeedsAttention(
      trx: Executor,
      n: { tenantId: string; returnId: string; refundId: string; message: string },
    ) {
      const r = await repo.findReturn(trx, n.tenantId, n.returnId);
      if (!r) return;
      const status = r.status as ReturnStatus;
      await returns.appendEvent(
        trx,
        n.tenantId,
        n.returnId,
        {
          action: 'refund_needs_attention',
          from: status,
          to: status,
          actor: { type: 'system', id: null },
          note: n.message,
          visibility: 'internal',
          data: { refundId: n.refundId },
        },
        clock.now().toISOString(),
      );
    },

    /**
     * The refund engine settled a payout: move the return with it, in the settling transaction.
     * Answers what to run once that transaction has committed (live updates).
     */
    async refundSettled(trx: Executor, s: RefundSettlement): Promise<(() => void) | undefined> {
      const r = await repo.lockReturn(trx, s.tenantId, s.returnId);
      if (r?.status !== 'refund_pending') return;
      const step = afterRefund(s.outcome, { returnless: r.returnless === 1 });
      const at = clock.now().toISOString();
      if (
        !(await repo.compareAndSetStatus(
          trx,
          s.tenantId,
          s.returnId,
          'refund_pending',
          step.to,
          r.version,
          at,
        ))
      ) {
        throw new AppError(409, 'stale_return', 'The return changed while its refund settled.');
      }
      const money = formatMoney(s.amount, s.currency);
      const steps: EventInput[] =
        s.outcome === 'succeeded'
          ? [
              {
                action: step.action,
                from: step.from,
                to: step.to,
                actor: { type: 'system', id: s.provider },
                note: `${money} has been refunded to your original payment method.`,
                data: { refundId: s.refundId, provider: s.provider, amount: s.amount, currency: s.currency },
              },
            ]
          : [
              {
                action: step.action,
                from: step.from,
                to: step.to,
                actor: { type: 'system', id: s.provider },
                note: `Refund of ${money} failed at ${s.provider}: ${s.message ?? s.code ?? 'no reason given'} (${s.code ?? 'error'}). Check the payment and refund again.`,
                visibility: 'internal',
                data: { refundId: s.refundId, code: s.code, message: s.message },
              },
              {
                action: 'refund_delayed',
                from: step.to,
                to: step.to,
                actor: { type: 'system', id: null },
                note: 'We could not complete your refund yet. Our team has been told and will sort it out.',
              },
            ];
      await returns.appendEvents(trx, s.tenantId, s.returnId, steps, at);
      const change: ReturnChange = {
        tenantId: s.tenantId,
        returnId: s.returnId,
        status: step.to,
        version: r.version + 1,
        steps,
        method: s.method,
      };
      await deps.onChange?.inTransaction(trx, change);
      return () => deps.onChange?.afterCommit(change);
    },
  };
}
