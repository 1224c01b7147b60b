import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { type Database, parseJson } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { linkIdempotentWrite } from '../../platform/idempotency-link.ts';
import { formatMoney, unitSlice } from '../../platform/money.ts';
import type { OrdersService } from '../orders/service.ts';
import { type ResolvedQuote, resolveQuote } from '../refunds/resolution-quote.ts';
import type { RefundSettlement, RefundsService } from '../refunds/service.ts';
import * as repo from './repo.ts';
import type { ActionBody, ReturnView } from './schemas.ts';
import type { Actor, ChangeHooks, EventInput, ReturnChange, ReturnsService } from './service.ts';
import {
  afterRefund,
  plan,
  type ReturnAction,
  type ReturnStatus,
  releasesQuantity,
} from './state-machine.ts';

type Executor = Kysely<Database>;
type Fulfillment = NonNullable<ReturnView['fulfillment']>;

const CUSTOMER_NOTES: Partial<Record<string, string>> = {
  approve: 'Your return was approved.',
  reject: 'Your return was not accepted.',
  cancel: 'The return was cancelled.',
  ship: 'Your parcel is on its way back to us.',
  receive: 'We have received your parcel.',
  inspect: 'Your items have been inspected.',
  ship_replacement: 'Your new items are on their way.',
  close: 'This return is complete.',
};

/**
 * One function moves a return through an action: plan with the state machine, then, in one
 * transaction, compare-and-set the status (a concurrent action loses with 409), write each
 * step's event and the action's side effects (quantity release, inspection, payout).
 */
export function createReturnActions(deps: {
  db: Db;
  clock: Clock;
  returns: ReturnsService;
  orders: OrdersService;
  refunds: RefundsService;
  onChange?: ChangeHooks;
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
      let startedPayout = false;
      let change: ReturnChange | null = null;
      await db.transaction().execute(async (trx) => {
        const r = await repo.lockReturn(trx, tenantId, id);
        if (!r) throw notFound('Return');
        await linkIdempotentWrite(trx, id);
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
        const fulfillment = r.fulfillment === null ? null : parseJson<Fulfillment>(r.fulfillment);
        const facts = { returnless, fulfillment: fulfillment?.status ?? ('none' as const) };
        const p = plan(status, action, facts);
        if (!p.ok) {
          const why =
            action === 'close' && status === 'refunded' && facts.fulfillment === 'pending'
              ? 'The replacement has not shipped yet, so the return cannot close.'
              : `A return that is ${status.replaceAll('_', ' ')} cannot be given "${action}".`;
          throw new AppError(409, 'illegal_transition', why, { status, allowedActions: p.allowed });
        }
        const now = clock.now();
        const at = now.toISOString();
        const visibility = body.internal ? 'internal' : 'customer';
        const events: EventInput[] = p.steps.map((s) => ({
          action: s.action,
          from: s.from,
          to: s.to,
          actor: s.action === action ? actor : { type: 'system', id: null },
          note:
            s.action === action
              ? (body.note ?? CUSTOMER_NOTES[action] ?? null)
              : 'Return instructions were issued.',
          visibility: s.action === action ? visibility : 'customer',
        }));
        let finalStatus = p.steps[p.steps.length - 1]!.to;
        const extra: repo.ReturnChanges = {};

        if (action === 'approve' || action === 'reject') {
          const decision = parseJson<Record<string, unknown>>(r.decision);
          extra.decision = JSON.stringify({
            ...decision,
            outcome: action === 'approve' ? 'approved' : 'rejected',
            automatic: false,
            decidedBy: `${actor.type}:${actor.id ?? ''}`,
            decidedAt: at,
            explanation: [...(decision.explanation as string[]), ...(body.note ? [body.note] : [])],
            // The agent's words are kept as written in every language.
            explain: [
              ...((decision.explain as unknown[]) ?? []),
              ...(body.note ? [{ key: 'text', params: { text: body.note } }] : []),
            ],
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
        if (action === 'ship_replacement' && fulfillment) {
          extra.fulfillment = JSON.stringify({
            ...fulfillment,
            status: 'shipped',
            carrier: body.carrier ?? null,
            trackingNumber: body.trackingNumber ?? null,
            shippedAt: at,
          } satisfies Fulfillment);
          events[0]!.data = {
            carrier: body.carrier ?? null,
            trackingNumber: body.trackingNumber ?? null,
            items: fulfillment.items,
          };
        }
        if (action === 'inspect') {
          const inspected = await inspect(trx, tenantId, r, body, actor, at);
          Object.assign(extra, inspected.changes);
          events[0]!.data = inspected.data;
          if (inspected.payout !== r.refundTotal && !body.note) {
            events[0]!.note = inspected.adjustment
              ? `Your items have been inspected. ${inspected.adjustment.reason} The refund is now ${formatMoney(inspected.payout, r.currency)}.`
              : `Your items have been inspected. Not everything could be accepted, so the refund is now ${formatMoney(inspected.payout, r.currency)}.`;
          }
        }
        if (action === 'refund') {
          const quote = parseJson<ResolvedQuote>(r.refundQuote);
          const start = await deps.refunds.startPayout(trx, {
            tenantId,
            returnId: id,
            orderId: r.orderId,
            customerId: r.customerId,
            quote: {
              ...quote,
              currency: body.currency ?? quote.currency,
              payout: { method: quote.payout?.method ?? 'original_payment', amount: r.refundTotal },
            },
          });
          const money = formatMoney(start.amount, r.currency);
          events[0]!.note = payoutNote(start.method, money, quote);
          events[0]!.data = {
            refundId: start.refundId,
            method: start.method,
            amount: start.amount,
            breakdown: quote,
          };
          if (start.status === 'succeeded') {
            // Store credit and exchanges without money to send settle here and now.
            events.push({
              action: 'refund_succeeded',
              from: 'refund_pending',
              to: 'refunded',
              actor: { type: 'system', id: start.method },
              note:
                start.method !== 'store_credit'
                  ? 'Nothing to refund: your return is settled.'
                  : quote.sourcing?.refundTo === 'wallet'
                    ? `${formatMoney(start.amount, r.currency)} has been added to your wallet. Spend it on your next order, or withdraw it to your original payment method from this page.`
                    : `${formatMoney(start.amount + quote.bonus, r.currency)} of store credit has been added to your account.`,
              data: {
                refundId: start.refundId,
                method: start.method,
                amount: start.amount,
                bonus: quote.bonus,
              },
            });
            finalStatus = 'refunded';
          } else {
            startedPayout = true;
          }
        }

        if (!(await repo.compareAndSetStatus(trx, tenantId, id, status, finalStatus, r.version, at, extra))) {
          throw new AppError(
            409,
            'stale_return',
            'This return was changed by someone else at the same moment; reload and try again.',
          );
        }
        await returns.appendEvents(trx, tenantId, id, events, at);
        change = {
          tenantId,
          returnId: id,
          status: finalStatus,
          version: r.version + 1,
          steps: events,
          method: r.refundQuote ? payoutMethodOf(parseJson<ResolvedQuote>(r.refundQuote)) : undefined,
        };
        await deps.onChange?.inTransaction(trx, change);
      });
      const view = await returns.getReturn(tenantId, id);
      // Announced (and the worker woken) after the answer is read, so the answer shows the
      // change itself, not what the worker made of it a moment later.
      if (change) deps.onChange?.afterCommit(change);
      if (startedPayout) deps.refunds.kick();
      return view;
    },

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

/** Where the money goes, as customers know it: a purchasing agent's wallet is not store credit. */
function payoutMethodOf(q: ResolvedQuote): string | undefined {
  return q.payout?.method === 'store_credit' && q.sourcing?.refundTo === 'wallet'
    ? 'wallet'
    : q.payout?.method;
}

function payoutNote(method: string, money: string, quote: ResolvedQuote): string {
  if (method === 'store_credit' && quote.sourcing?.refundTo === 'wallet')
    return `${money} is being added to your wallet.`;
  if (method === 'store_credit') return `Store credit of ${money} is being issued.`;
  if (method === 'none')
    return quote.exchange ? 'Your exchange has been settled.' : 'Your return has been settled.';
  return `Refund of ${money} started.`;
}

/**
 * Records accepted units and condition per line, re-prices what was accepted, and applies an
 * agent's partial refund (never above what inspection allows, always with a reason).
 */
async function inspect(
  trx: Executor,
  tenantId: string,
  r: NonNullable<repo.ReturnRow>,
  body: ActionBody,
  actor: Actor,
  at: string,
) {
  const lines = await repo.findReturnLines(trx, tenantId, r.id);
  const quote = parseJson<ResolvedQuote>(r.refundQuote);
  const byId = new Map((body.lines ?? []).map((l) => [l.returnLineId, l]));
  for (const id of byId.keys()) {
    if (!lines.some((l) => l.id === id))
      throw new AppError(422, 'unknown_return_line', `Return line ${id} is not part of this return.`);
  }
  const data: { returnLineId: string; acceptedQuantity: number; condition: string; refundAmount: number }[] =
    [];
  const repriced: ResolvedQuote['lines'] = [];
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
    const q = quote.lines.find((x) => x.orderLineId === l.orderLineId);
    // Units not accepted go back to the customer: their share of every component drops out exactly.
    const slice = (v: number) => unitSlice(v, l.quantity, 0, accepted);
    const line = q
      ? {
          ...q,
          quantity: accepted,
          itemAmount: slice(q.itemAmount),
          discount: slice(q.discount),
          tax: slice(q.tax),
          shipping: slice(q.shipping),
          restockingFee: slice(q.restockingFee),
          total: slice(q.total),
        }
      : null;
    if (line) repriced.push(line);
    const refundAmount = line?.total ?? 0;
    data.push({ returnLineId: l.id, acceptedQuantity: accepted, condition, refundAmount });
    await trx
      .updateTable('returnLines')
      .set({ acceptedQuantity: accepted, condition, refundAmount })
      .where('tenantId', '=', tenantId)
      .where('id', '=', l.id)
      .execute();
  }
  const subtotal = repriced.reduce((a, l) => a + l.total, 0);
  let left = subtotal;
  const fees = quote.fees.map((f) => {
    const amount = Math.min(f.amount, left);
    left -= amount;
    return { ...f, amount };
  });
  const base = {
    currency: quote.currency,
    lines: repriced,
    subtotal,
    restockingFees: repriced.reduce((a, l) => a + l.restockingFee, 0),
    returnShippingFee: fees.filter((f) => f.code === 'return_shipping').reduce((a, f) => a + f.amount, 0),
    fees,
    total: left,
  };
  let resolved = resolveQuote(base, {
    resolution: quote.resolution ?? 'refund',
    bonusPercent: quote.bonusPercent ?? 0,
    ...(quote.exchange ? { exchangeItems: quote.exchange.items } : {}),
  });

  let adjustment: { amount: number; reason: string; by: string; at: string } | null = null;
  if (body.refundAmount !== undefined) {
    if (!body.reason)
      throw new AppError(422, 'reason_required', 'A partial refund needs a reason the customer can read.');
    if (body.refundAmount > resolved.payout.amount) {
      throw new AppError(
        422,
        'refund_above_inspection',
        `The refund cannot be more than the ${formatMoney(resolved.payout.amount, quote.currency)} inspection allows.`,
      );
    }
    adjustment = {
      amount: body.refundAmount,
      reason: body.reason,
      by: `${actor.type}:${actor.id ?? ''}`,
      at,
    };
    resolved = { ...resolved, payout: { ...resolved.payout, amount: body.refundAmount } };
  }
  return {
    payout: resolved.payout.amount,
    adjustment,
    changes: {
      refundTotal: resolved.payout.amount,
      refundQuote: JSON.stringify(resolved),
      ...(adjustment ? { adjustment: JSON.stringify(adjustment) } : {}),
    },
    data: { lines: data, refundTotal: resolved.payout.amount, adjustment },
  };
}
