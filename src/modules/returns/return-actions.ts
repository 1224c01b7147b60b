import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { parseJson } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { formatMoney, unitSlice } from '../../platform/money.ts';
import type { OrdersService } from '../orders/service.ts';
import type { RefundQuote } from '../refunds/refund-calculator.ts';
import type { RefundsService } from '../refunds/service.ts';
import * as repo from './repo.ts';
import type { ActionBody, ReturnView } from './schemas.ts';
import type { Actor, EventInput, ReturnsService } from './service.ts';
import { plan, type ReturnAction, type ReturnStatus, releasesQuantity } from './state-machine.ts';

const CUSTOMER_NOTES: Partial<Record<string, string>> = {
  approve: 'Your return was approved.',
  reject: 'Your return was not accepted.',
  cancel: 'The return was cancelled.',
  ship: 'Your parcel is on its way back to us.',
  receive: 'We have received your parcel.',
  inspect: 'Your items have been inspected.',
  close: 'This return is complete.',
};

/**
 * One function moves a return through an action: plan with the state machine, then, in one
 * transaction, compare-and-set the status (a concurrent action loses with 409), write each
 * step's event and the action's side effects (quantity release, inspection, refund).
 */
export function createReturnActions(deps: {
  db: Db;
  clock: Clock;
  returns: ReturnsService;
  orders: OrdersService;
  refunds: RefundsService;
}) {
  const { db, clock, returns } = deps;

  return {
    async performAction(
      tenantId: string,
      id: string,
      action: ReturnAction,
      body: ActionBody,
      actor: Actor,
    ): Promise<ReturnView> {
      await db.transaction().execute(async (trx) => {
        const r = await repo.findReturn(trx, tenantId, id);
        if (!r) throw notFound('Return');
        if (body.expectedVersion !== undefined && body.expectedVersion !== r.version) {
          throw new AppError(
            409,
            'stale_return',
            'This return changed since you loaded it; reload to see what changed.',
            {
              currentVersion: r.version,
              status: r.status,
            },
          );
        }
        const status = r.status as ReturnStatus;
        const returnless = r.returnless === 1;
        const p = plan(status, action, { returnless });
        if (!p.ok) {
          throw new AppError(
            409,
            'illegal_transition',
            `A return that is ${status.replace('_', ' ')} cannot be given "${action}".`,
            {
              status,
              allowedActions: p.allowed,
            },
          );
        }
        const at = clock.now().toISOString();
        const visibility = body.internal ? 'internal' : 'customer';
        const events: EventInput[] = [];
        const extra: { refundTotal?: number; shipment?: string; decision?: string } = {};
        let finalStatus = p.steps[p.steps.length - 1]!.to;
        for (const s of p.steps) {
          events.push({
            action: s.action,
            from: s.from,
            to: s.to,
            actor: s.action === action ? actor : { type: 'system', id: null },
            note:
              s.action === action
                ? (body.note ?? CUSTOMER_NOTES[action] ?? null)
                : 'Return instructions were issued.',
            visibility: s.action === action ? visibility : 'customer',
          });
        }

        if (action === 'approve' || action === 'reject') {
          const decision = parseJson<Record<string, unknown>>(r.decision);
          extra.decision = JSON.stringify({
            ...decision,
            outcome: action === 'approve' ? 'approved' : 'rejected',
            automatic: false,
            decidedBy: `${actor.type}:${actor.id ?? ''}`,
            decidedAt: at,
            explanation: [...(decision.explanation as string[]), ...(body.note ? [body.note] : [])],
          });
        }
        if (releasesQuantity(finalStatus) && !releasesQuantity(status)) {
          for (const l of await repo.findReturnLines(trx, tenantId, id)) {
            await deps.orders.releaseQuantity(trx, tenantId, l.orderLineId, l.quantity);
          }
          if (action === 'reject') extra.refundTotal = 0;
        }
        if (action === 'ship') {
          extra.shipment = JSON.stringify({
            carrier: body.carrier ?? null,
            trackingNumber: body.trackingNumber ?? null,
            shippedAt: at,
          });
          events[0]!.data = { carrier: body.carrier ?? null, trackingNumber: body.trackingNumber ?? null };
        }
        if (action === 'inspect') {
          const adjusted = await inspect(trx, tenantId, id, r.refundQuote, body);
          extra.refundTotal = adjusted.refundTotal;
          events[0]!.data = adjusted.data;
          if (adjusted.refundTotal !== r.refundTotal) {
            events[0]!.note =
              body.note ??
              `Your items have been inspected. Not everything could be accepted, so the refund is now ${formatMoney(adjusted.refundTotal, r.currency)}.`;
          }
        }
        if (action === 'refund') {
          const refund = await deps.refunds.issueRefund(trx, {
            tenantId,
            returnId: id,
            orderId: r.orderId,
            amount: r.refundTotal,
            currency: r.currency,
          });
          events[0]!.note = `Refund of ${formatMoney(r.refundTotal, r.currency)} started.`;
          events.push({
            action: 'refund_succeeded',
            from: 'refund_pending',
            to: 'refunded',
            actor: { type: 'system', id: refund.provider },
            note:
              body.note ??
              `${formatMoney(r.refundTotal, r.currency)} has been refunded to your original payment method.`,
            data: {
              refundId: refund.id,
              provider: refund.provider,
              amount: r.refundTotal,
              currency: r.currency,
            },
          });
          finalStatus = 'refunded';
        }

        if (!(await repo.compareAndSetStatus(trx, tenantId, id, status, finalStatus, r.version, at, extra))) {
          throw new AppError(
            409,
            'stale_return',
            'This return was changed by someone else at the same moment; reload and try again.',
          );
        }
        for (const e of events) await returns.appendEvent(trx, tenantId, id, e, at);
      });
      return returns.getReturn(tenantId, id);
    },
  };
}

/** Records accepted units and condition per line; the refund shrinks pro rata for units not accepted. */
async function inspect(
  trx: Parameters<typeof repo.findReturnLines>[0],
  tenantId: string,
  returnId: string,
  quoteJson: unknown,
  body: ActionBody,
) {
  const lines = await repo.findReturnLines(trx, tenantId, returnId);
  const quote = parseJson<RefundQuote>(quoteJson);
  const byId = new Map((body.lines ?? []).map((l) => [l.returnLineId, l]));
  for (const id of byId.keys()) {
    if (!lines.some((l) => l.id === id)) {
      throw new AppError(422, 'unknown_return_line', `Return line ${id} is not part of this return.`);
    }
  }
  let subtotal = 0;
  const data: { returnLineId: string; acceptedQuantity: number; condition: string; refundAmount: number }[] =
    [];
  for (const l of lines) {
    const given = byId.get(l.id);
    const accepted = given?.acceptedQuantity ?? l.quantity;
    if (accepted > l.quantity) {
      throw new AppError(
        422,
        'accepted_exceeds_returned',
        `Line ${l.id}: ${accepted} accepted but only ${l.quantity} returned.`,
      );
    }
    const condition = given?.condition ?? 'new';
    const lineTotal = quote.lines.find((q) => q.orderLineId === l.orderLineId)?.total ?? l.refundAmount;
    const refundAmount = unitSlice(lineTotal, l.quantity, 0, accepted);
    subtotal += refundAmount;
    data.push({ returnLineId: l.id, acceptedQuantity: accepted, condition, refundAmount });
    await trx
      .updateTable('returnLines')
      .set({ acceptedQuantity: accepted, condition, refundAmount })
      .where('tenantId', '=', tenantId)
      .where('id', '=', l.id)
      .execute();
  }
  const fees = quote.fees.reduce((a, f) => a + f.amount, 0);
  return { refundTotal: Math.max(0, subtotal - fees), data: { lines: data } };
}
