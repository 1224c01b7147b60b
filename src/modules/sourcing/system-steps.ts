import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { formatMoney } from '../../platform/money.ts';
import { enqueue, type HandlerResult, type OutboxMessage } from '../../platform/outbox.ts';
import type { StageRoute } from '../policy/purchasing-agent-policy.ts';
import type { ReturnChange } from '../returns/service.ts';
import { OPEN } from './claim-flow.ts';
import { claimMessages, claimStandingEn, whenEn } from './claim-messages.ts';
import type { SellerClaims } from './seller-claims.ts';
import { CLAIM_DEADLINE, type Executor, type SourcingContext, SYSTEM } from './sourcing-context.ts';
import { canMove, stageOf } from './stages.ts';

/** The return statuses `onReturnChange` acts on (claims opened, followed up or cancelled). */
const CLAIM_STATUSES: ReadonlySet<string> = new Set(['approved', 'needs_review', 'cancelled', 'rejected']);

/** Routes whose line goes back to (or is cancelled with) the seller: each gets a claim. */
const CLAIMED_ROUTES: StageRoute[] = ['seller_cancellation', 'return_to_seller', 'qc_failed_return'];

/**
 * What the system does by itself: on every change of a return (claims opened, the refund queued,
 * claims closed) and when a queued step comes due (the follow-up, a claim's warning or deadline).
 */
export function createSystemSteps(ctx: SourcingContext, claims: { getClaim: SellerClaims['getClaim'] }) {
  const { deps, db, clock, paPolicy, lineRows, lineRow, moveLine } = ctx;
  const { claimRow, currentStatus, claimEvent, followUp } = ctx;
  const { getClaim } = claims;

  /** A claim per line that goes back to (or is cancelled with) its seller, once per return. */
  async function ensureClaims(trx: Executor, tenantId: string, returnId: string) {
    const r = await deps.returns.returnFacts(trx, tenantId, returnId);
    const quote = r?.quote;
    if (!r || !quote?.sourcing) return;
    const existing = await trx
      .selectFrom('sellerClaims')
      .select('orderLineId')
      .where('tenantId', '=', tenantId)
      .where('returnId', '=', returnId)
      .execute();
    const have = new Set(existing.map((e) => e.orderLineId));
    // The seller columns of an order line are this module's (migrations/0008-sourcing.ts).
    const sellerOf = new Map((await lineRows(trx, tenantId, r.orderId)).map((l) => [l.id, l]));
    const lines = r.lines.flatMap((l) => {
      const line = sellerOf.get(l.orderLineId);
      return line
        ? [
            {
              ...l,
              title: line.title,
              seller: line.seller,
              sellerOrderRef: line.sellerOrderRef,
              qcAt: line.qcAt,
            },
          ]
        : [];
    });
    const { policy, pa } = await paPolicy(tenantId, trx);
    const now = clock.now();
    const at = now.toISOString();
    const qcPhotos = await deps.linePhotoCounts(
      tenantId,
      r.orderId,
      lines.map((l) => l.orderLineId),
      trx,
    );
    for (const l of lines) {
      const stage = quote.sourcing.stages.find((s) => s.orderLineId === l.orderLineId);
      if (!stage?.route || !CLAIMED_ROUTES.includes(stage.route) || have.has(l.orderLineId)) continue;
      const kind = stage.route === 'seller_cancellation' ? 'cancellation' : 'return';
      const q = quote.lines.find((x) => x.orderLineId === l.orderLineId);
      const goods = q ? q.itemAmount - q.discount + q.tax : 0;
      const domestic = q?.charges?.find((c) => c.code === 'domestic_shipping')?.paid ?? 0;
      // The seller pays back the goods, and the domestic shipping when it was never used or
      // the fault is theirs.
      const amount = goods + (kind === 'cancellation' || stage.sellerFault ? domestic : 0);
      const deadlineAt = kind === 'return' ? stage.sellerDeadline : null;
      const reasonLabel = policy.reasons.find((x) => x.code === l.reasonCode)?.label ?? l.reasonCode;
      const messages = claimMessages({
        kind,
        platformOrderRef: l.sellerOrderRef,
        title: l.title,
        quantity: l.quantity,
        reasonCode: l.reasonCode,
        reasonLabel,
        amount,
        currency: r.currency,
        qcAt: l.qcAt,
        qcPhotos: qcPhotos.get(l.orderLineId) ?? 0,
        deadlineAt,
        sellerFault: stage.sellerFault,
      });
      const id = newId('clm');
      await trx
        .insertInto('sellerClaims')
        .values({
          tenantId,
          id,
          returnId,
          orderId: r.orderId,
          orderLineId: l.orderLineId,
          kind,
          seller: l.seller ?? 'unknown seller',
          platformOrderRef: l.sellerOrderRef,
          currency: r.currency,
          amountExpected: amount,
          deadlineAt,
          status: 'draft',
          messageEn: messages.en,
          messageZh: messages.zh,
          note: null,
          warnedAt: null,
          createdAt: at,
          updatedAt: at,
        })
        .execute();
      if (deadlineAt) {
        const warnAt = new Date(Date.parse(deadlineAt) - pa.claimWarningHours * 3_600_000);
        for (const [step, when] of [
          ['warn', warnAt < now ? now : warnAt],
          ['expire', new Date(deadlineAt)],
        ] as const) {
          await enqueue(
            trx,
            {
              tenantId,
              topic: CLAIM_DEADLINE,
              dedupeKey: `${id}:${step}`,
              payload: { claimId: id, step },
              availableAt: when.toISOString(),
            },
            now,
          );
        }
      }
      await deps.returns.appendEvent(
        trx,
        tenantId,
        returnId,
        {
          action: 'seller_claim_opened',
          from: null,
          to: (await currentStatus(trx, tenantId, returnId)) as never,
          actor: SYSTEM,
          note: `${kind === 'cancellation' ? 'Cancellation' : 'Return'} claim for ${formatMoney(amount, r.currency)} opened with ${l.seller ?? 'the seller'}${deadlineAt ? `; the seller's window ends ${deadlineAt.slice(0, 10)}` : ''}.`,
          visibility: 'internal',
          data: { claimId: id },
        },
        at,
      );
    }
  }

  return {
    /**
     * Called in the transaction of every change of a return. For purchasing agents: opens the
     * seller claims of a decided return, queues the refund of an approved one (refunds go out at
     * approval: to the wallet by default), and closes the open claims of a cancelled or
     * rejected return.
     */
    async onReturnChange(trx: Executor, change: ReturnChange): Promise<void> {
      // Only a decision or an ending touches the claims; every other step costs nothing here.
      if (!CLAIM_STATUSES.has(change.status)) return;
      const r = await deps.returns.returnFacts(trx, change.tenantId, change.returnId);
      const sourcing = r?.quote?.sourcing;
      if (!r || !sourcing) return;
      if (change.status === 'approved' || change.status === 'needs_review') {
        await ensureClaims(trx, change.tenantId, change.returnId);
      }
      if (change.status === 'approved') {
        // A line cancelled before it was bought leaves the to-buy list at once: nobody may buy it
        // for a customer who has been refunded.
        const { pa } = await paPolicy(change.tenantId, trx);
        for (const st of sourcing.stages.filter((s) => s.route === 'cancel_before_purchase')) {
          const line = await lineRow(trx, change.tenantId, r.orderId, st.orderLineId);
          // Only when every unit is cancelled: the rest of a partly cancelled line is still to buy.
          if (!line || line.returnedQuantity < line.quantity || !canMove(stageOf(line.stage), 'cancelled'))
            continue;
          await moveLine(
            trx,
            change.tenantId,
            line,
            'cancelled',
            clock.now(),
            'system:sourcing',
            `Cancelled before purchase with return ${r.rmaNumber}.`,
            pa.storageDays,
          );
        }
      }
      if (change.status === 'approved') {
        await followUp(trx, change.tenantId, change.returnId, 'refund');
      }
      if (change.status === 'cancelled' || change.status === 'rejected') {
        await trx
          .updateTable('sellerClaims')
          .set((eb) => ({
            status: 'cancelled',
            updatedAt: clock.now().toISOString(),
            version: eb('version', '+', 1),
          }))
          .where('tenantId', '=', change.tenantId)
          .where('returnId', '=', change.returnId)
          .where('status', 'in', OPEN)
          .execute();
      }
    },

    /** Outbox handler: the system's next step on a return (approve after the seller agreed; refund). */
    async handleFollowUp(m: OutboxMessage): Promise<HandlerResult> {
      const { returnId, action } = m.payload as { returnId: string; action: 'approve' | 'refund' };
      try {
        await deps.performAction(m.tenantId, returnId, action, {}, SYSTEM);
      } catch (e) {
        // Someone got there first (an agent approved, the customer cancelled): nothing to do.
        if (e instanceof AppError && (e.status === 409 || e.status === 404)) return { outcome: 'done' };
        throw e;
      }
      return { outcome: 'done' };
    },

    /** Outbox handler: a claim's warning time or deadline has come. */
    async handleClaimDeadline(m: OutboxMessage): Promise<HandlerResult> {
      const { claimId, step } = m.payload as { claimId: string; step: 'warn' | 'expire' };
      let told: 'at_risk' | 'expired' | null = null;
      await db.transaction().execute(async (trx) => {
        const c = await claimRow(trx, m.tenantId, claimId);
        if (!c || !OPEN.includes(c.status) || !c.deadlineAt) return;
        const now = clock.now();
        if (step === 'warn' && !c.warnedAt) {
          await trx
            .updateTable('sellerClaims')
            .set({ warnedAt: now.toISOString() })
            .where('tenantId', '=', m.tenantId)
            .where('id', '=', claimId)
            .execute();
          await claimEvent(
            trx,
            m.tenantId,
            c,
            'seller_claim_at_risk',
            `The seller's window for this claim ends ${whenEn(c.deadlineAt)}; at this warning ${claimStandingEn(c.status)}.`,
            SYSTEM,
          );
          told = 'at_risk';
        }
        if (step === 'expire' && now.getTime() >= Date.parse(c.deadlineAt)) {
          await trx
            .updateTable('sellerClaims')
            .set((eb) => ({
              status: 'expired',
              updatedAt: now.toISOString(),
              version: eb('version', '+', 1),
            }))
            .where('tenantId', '=', m.tenantId)
            .where('id', '=', claimId)
            .where('status', 'in', OPEN)
            .execute();
          await claimEvent(
            trx,
            m.tenantId,
            c,
            'seller_claim_expired',
            `The seller's window closed on ${whenEn(c.deadlineAt)} before the claim was settled; ${formatMoney(c.amountExpected, c.currency)} can no longer be recovered from ${c.seller}.`,
            SYSTEM,
          );
          told = 'expired';
        }
      });
      // After the commit; a retry after a crash here repeats nothing (keyed per claim and step).
      if (told && deps.notifyClaim)
        await deps.notifyClaim(m.tenantId, await getClaim(m.tenantId, claimId), told);
      return { outcome: 'done' };
    },
  };
}
