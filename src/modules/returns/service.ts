import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import { decodeCursor, pageOf } from '../../platform/cursor.ts';
import type { Db } from '../../platform/db/database.ts';
import { type Database, parseJson } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { linkIdempotentWrite } from '../../platform/idempotency-link.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import { formatMoney } from '../../platform/money.ts';
import type { OrdersService } from '../orders/service.ts';
import type { Decision } from '../policy/evaluate-policy.ts';
import { EXPLAIN_LOCALES, type ExplainItem, explainLocale, explainText } from '../policy/explain.ts';
import { DEFAULT_SHIP_WITHIN_DAYS } from '../policy/policy-schema.ts';
import type { PolicyService } from '../policy/service.ts';
import { amountReceived, customerBreakdown } from '../refunds/refund-breakdown.ts';
import type { ResolvedQuote } from '../refunds/resolution-quote.ts';
import type { RefundsService } from '../refunds/service.ts';
import type { EvidenceService } from './evidence.ts';
import { ineligibleDetails, prepareReturn } from './prepare-return.ts';
import * as repo from './repo.ts';
import type { ReturnRequest, ReturnView } from './schemas.ts';
import type { StageRules } from './stage-rules.ts';
import { allowedActions, isTerminal, type ReturnStatus, stepsAhead } from './state-machine.ts';
import { byTimeThenId } from './timeline-order.ts';

type Executor = Kysely<Database>;

/** The console's read side (console-queries.ts), as the support module sees it. */
export type { ConsoleQueries } from './console-queries.ts';

export type Actor = { type: 'customer' | 'staff' | 'api' | 'system'; id: string | null };

export type ReturnsDeps = {
  db: Db;
  clock: Clock;
  orders: OrdersService;
  policies: PolicyService;
  refunds: RefundsService;
  evidence: EvidenceService;
  /** The stage rules of tenants whose goods move through stages (purchasing agents). */
  stageRules: StageRules | null;
  publicUrl: () => string;
  /** The shop a return belongs to, named on its tracking page (the page's header and title). */
  shopOf?: (tenantId: string) => Promise<{ name: string; handle: string } | undefined>;
  /** Notification deliveries of a return, shown on its internal timeline. */
  deliveriesOfReturn?: (
    tenantId: string,
    returnId: string,
  ) => Promise<
    {
      id: string;
      event: string;
      channel: string;
      recipient: string;
      status: string;
      attempts: number;
      lastError: string | null;
      createdAt: string;
    }[]
  >;
  /** Who hears about a change: notifications inside its transaction, live updates after commit. */
  onChange?: ChangeHooks;
};

/** One committed change of a return, as the communication side sees it. */
export type ReturnChange = {
  tenantId: string;
  returnId: string;
  status: ReturnStatus;
  version: number;
  steps: EventInput[];
  /** The payout method when the change settled one (store credit reads differently). */
  method?: string;
};

export type ChangeHooks = {
  inTransaction: (trx: Executor, change: ReturnChange) => Promise<void>;
  afterCommit: (change: ReturnChange) => void;
};

type Fulfillment = NonNullable<ReturnView['fulfillment']>;

export type EventInput = {
  action: string;
  from: ReturnStatus | null;
  to: ReturnStatus;
  actor: Actor;
  note?: string | null;
  visibility?: 'customer' | 'internal';
  data?: unknown;
};

export function createReturnsService(deps: ReturnsDeps) {
  const { db, clock } = deps;

  /** Appends timeline events in one statement, in the given order (ids are monotonic). */
  async function appendEvents(
    ex: Executor,
    tenantId: string,
    returnId: string,
    events: EventInput[],
    at: string,
  ) {
    if (events.length === 0) return;
    await ex
      .insertInto('returnEvents')
      .values(
        events.map((e) => ({
          tenantId,
          id: newId('evt'),
          returnId,
          action: e.action,
          fromStatus: e.from,
          toStatus: e.to,
          actorType: e.actor.type,
          actorId: e.actor.id,
          note: e.note ?? null,
          visibility: e.visibility ?? 'customer',
          data: e.data === undefined ? null : JSON.stringify(e.data),
          createdAt: at,
        })),
      )
      .execute();
  }

  const appendEvent = (ex: Executor, tenantId: string, returnId: string, e: EventInput, at: string) =>
    appendEvents(ex, tenantId, returnId, [e], at);

  async function view(ex: Executor, tenantId: string, id: string): Promise<ReturnView | null> {
    const r = await repo.findReturn(ex, tenantId, id);
    if (!r) return null;
    const lines = await repo.findReturnLines(ex, tenantId, id);
    const status = r.status as ReturnStatus;
    const returnless = r.returnless === 1;
    const fulfillment = r.fulfillment === null ? null : parseJson<Fulfillment>(r.fulfillment);
    const refund = await deps.refunds.refundOfReturn(tenantId, id, ex);
    const evidence = await deps.evidence.listForReturn(tenantId, id, ex);
    return {
      id: r.id,
      rmaNumber: r.rmaNumber,
      orderId: r.orderId,
      customerId: r.customerId,
      status,
      resolution: r.resolution,
      returnless,
      decision: parseJson(r.decision),
      refundQuote: withBreakdown(parseJson<ResolvedQuote>(r.refundQuote), r.refundTotal),
      refundTotal: r.refundTotal,
      currency: r.currency,
      customerNote: r.customerNote,
      lines,
      shipment: r.shipment === null ? null : parseJson(r.shipment),
      refund: refund ?? null,
      fulfillment,
      adjustment: r.adjustment === null ? null : parseJson(r.adjustment),
      evidence: evidence.map((e) => ({ ...e, url: `/api/v1/evidence/${e.id}` })),
      allowedActions: allowedActions(status, { returnless, fulfillment: fulfillment?.status ?? 'none' }),
      policyVersion: r.policyVersion,
      trackingToken: r.trackingToken,
      trackingUrl: `${deps.publicUrl()}/t/${r.trackingToken}`,
      version: r.version,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  }

  return {
    appendEvent,
    appendEvents,
    view,

    /** What a request would get: eligibility per line, decision and refund quote. Writes nothing. */
    async quoteReturn(tenantId: string, input: ReturnRequest, lang?: string) {
      const p = await prepareReturn(db, deps, tenantId, input, clock.now());
      const locale = explainLocale(lang);
      return {
        eligible: p.assessment.eligible,
        lines: p.assessment.lines.map((l) => ({
          orderLineId: l.orderLineId,
          eligible: l.eligible,
          ...(l.code ? { code: l.code } : {}),
          ...(l.reason
            ? { reason: lang && l.reasonItem ? explainText(l.reasonItem, locale) : l.reason }
            : {}),
          windowEndsAt: l.windowEndsAt,
          returnableQuantity: p.evalLines.find((e) => e.orderLineId === l.orderLineId)!.remainingQuantity,
        })),
        decision: p.decision ? { ...p.decision, explanation: localized(p.decision, lang) } : null,
        refundQuote: p.quote && withBreakdown(p.quote),
        policyVersion: p.policyVersion,
      };
    },

    /**
     * Files a return: the policy decides at once, the units are reserved against the order
     * lines, and the return, its lines and its first events are written in one transaction.
     */
    async requestReturn(
      tenantId: string,
      input: ReturnRequest,
      actor: Actor,
      lang?: string,
    ): Promise<ReturnView> {
      let change: ReturnChange | null = null;
      const id = await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const at = now.toISOString();
        const p = await prepareReturn(trx, deps, tenantId, input, now);
        if (!p.assessment.eligible || !p.quote || !p.decision) {
          throw new AppError(
            422,
            'return_not_eligible',
            'Some items cannot be returned.',
            ineligibleDetails(p, lang),
          );
        }
        const { quote, decision } = p;
        const rejected = decision.outcome === 'rejected';
        if (!rejected) {
          for (const l of input.lines) {
            if (!(await deps.orders.reserveQuantity(trx, tenantId, l.orderLineId, l.quantity))) {
              // Another return took the units between our read and this write.
              throw new AppError(422, 'return_not_eligible', 'Some items cannot be returned.', {
                lines: [
                  {
                    orderLineId: l.orderLineId,
                    code: 'quantity_exceeds_remaining',
                    reason: 'Those units are already in another return.',
                  },
                ],
              });
            }
          }
        }
        const id = newId('ret');
        const status: ReturnStatus =
          decision.outcome === 'approved'
            ? decision.returnless
              ? 'approved'
              : 'awaiting_shipment'
            : decision.outcome === 'rejected'
              ? 'rejected'
              : 'needs_review';
        await trx
          .insertInto('returns')
          .values({
            tenantId,
            id,
            rmaNumber: await repo.nextRmaNumber(trx, tenantId),
            orderId: p.order.id,
            customerId: p.order.customer.id,
            status,
            resolution: input.resolution ?? 'refund',
            returnless: decision.returnless ? 1 : 0,
            currency: quote.currency,
            refundTotal: rejected ? 0 : quote.payout.amount,
            decision: JSON.stringify({ ...decision, decidedBy: 'policy', decidedAt: at }),
            refundQuote: JSON.stringify(quote),
            customerNote: input.customerNote ?? null,
            trackingToken: newSecret(32),
            policyVersion: p.policyVersion,
            shipment: null,
            exchange: quote.exchange ? JSON.stringify(quote.exchange) : null,
            fulfillment: needsFulfillment(input.resolution ?? 'refund')
              ? JSON.stringify(fulfillmentFor(quote, p.evalLines))
              : null,
            adjustment: null,
            quotaCounted: p.assessment.countsTowardQuota === false ? 0 : 1,
            locale: lang ? explainLocale(lang) : null,
            createdAt: at,
            updatedAt: at,
          })
          .execute();
        await trx
          .insertInto('returnLines')
          .values(
            input.lines.map((l, position) => ({
              tenantId,
              id: newId('rli'),
              returnId: id,
              orderLineId: l.orderLineId,
              position,
              quantity: l.quantity,
              reasonCode: l.reasonCode,
              note: l.note ?? null,
              refundAmount: quote.lines.find((q) => q.orderLineId === l.orderLineId)!.total,
              acceptedQuantity: null,
              condition: null,
            })),
          )
          .execute();
        await deps.evidence.attach(trx, tenantId, p.order.id, id, input.lines);
        const steps = decisionEvents(status, decision, quote, actor);
        await appendEvents(trx, tenantId, id, steps, at);
        await linkIdempotentWrite(trx, id);
        change = { tenantId, returnId: id, status, version: 1, steps };
        await deps.onChange?.inTransaction(trx, change);
        return id;
      });
      if (change) deps.onChange?.afterCommit(change);
      return (await view(db, tenantId, id))!;
    },

    /** What notifications say about a return: its numbers, items, customer and latest note. */
    async returnContext(tenantId: string, returnId: string, tenantName: string) {
      const r = await repo.findReturn(db, tenantId, returnId);
      if (!r) return null;
      const [order, customer, lines, events, current] = await Promise.all([
        deps.orders.getOrder(tenantId, r.orderId),
        deps.orders.requireCustomer(tenantId, r.customerId),
        repo.findReturnLines(db, tenantId, returnId),
        repo.findEvents(db, tenantId, returnId, true),
        deps.policies.currentPolicy(tenantId),
      ]);
      const last = events[events.length - 1];
      const decision = parseJson<Decision>(r.decision);
      return {
        tenantId,
        tenantName,
        returnId,
        rmaNumber: r.rmaNumber,
        status: r.status,
        resolution: r.resolution,
        orderId: r.orderId,
        orderNumber: order?.orderNumber ?? '',
        currency: r.currency,
        refundTotal: r.refundTotal,
        /** What the customer receives, store-credit bonus included (the breakdown's total). */
        customerTotal: amountReceived(parseJson<ResolvedQuote>(r.refundQuote), r.refundTotal),
        trackingToken: r.trackingToken,
        items: lines.map((l) => ({ title: l.title, quantity: l.quantity })),
        note: last?.note ?? null,
        shipment:
          r.shipment === null
            ? null
            : parseJson<{ carrier: string | null; trackingNumber: string | null }>(r.shipment),
        customer,
        /** The language the return was filed in, when known. */
        locale: r.locale,
        /** The decision's explanation in each language (a shop's own rule texts stay as written). */
        explanations: Object.fromEntries(
          EXPLAIN_LOCALES.map((l) => [l, localized(decision, l).join(' ')]),
        ) as Record<(typeof EXPLAIN_LOCALES)[number], string>,
        /** The last day to send the parcel (YYYY-MM-DD), as the tracking page shows it; null when none is expected. */
        shipBy: shipByOf(r, events, current.policy),
      };
    },

    /** An internal note on the timeline: staff only, no notification, no status change. */
    async addNote(tenantId: string, id: string, note: string, actor: Actor) {
      const r = await repo.findReturn(db, tenantId, id);
      if (!r) throw notFound('Return');
      const status = r.status as ReturnStatus;
      await db.transaction().execute(async (trx) => {
        await appendEvents(
          trx,
          tenantId,
          id,
          [{ action: 'note', from: status, to: status, actor, note, visibility: 'internal' }],
          clock.now().toISOString(),
        );
        await linkIdempotentWrite(trx, id);
      });
      return this.listEvents(tenantId, id);
    },

    /** A message from staff to the customer: on the timeline and through the customer's channels. */
    async sendMessage(tenantId: string, id: string, message: string, actor: Actor) {
      let change: ReturnChange | null = null;
      await db.transaction().execute(async (trx) => {
        const r = await repo.lockReturn(trx, tenantId, id);
        if (!r) throw notFound('Return');
        const status = r.status as ReturnStatus;
        const at = clock.now().toISOString();
        const steps: EventInput[] = [
          { action: 'staff_message', from: status, to: status, actor, note: message },
        ];
        await appendEvents(trx, tenantId, id, steps, at);
        await linkIdempotentWrite(trx, id);
        await trx
          .updateTable('returns')
          .set((eb) => ({ version: eb('version', '+', 1), updatedAt: at }))
          .where('tenantId', '=', tenantId)
          .where('id', '=', id)
          .execute();
        change = { tenantId, returnId: id, status, version: r.version + 1, steps };
        await deps.onChange?.inTransaction(trx, change);
      });
      if (change) deps.onChange?.afterCommit(change);
      return (await view(db, tenantId, id))!;
    },

    /**
     * A customer's recent returns as the purchasing-agent rules count them: this calendar month's
     * (for the free quota) and the last 90 days' with a no-reason code (the abuse signal).
     */
    recentReturnCounts(tenantId: string, customerId: string, noReasonCodes: readonly string[], now: Date) {
      return repo.recentReturnCounts(db, tenantId, customerId, noReasonCodes, now);
    },

    /**
     * A return as another module's rules read it (the purchasing-agent claims), in the caller's
     * transaction: its row's facts, its quote and its lines. Undefined for an unknown id.
     */
    async returnFacts(ex: Executor, tenantId: string, returnId: string) {
      const r = await repo.findReturn(ex, tenantId, returnId);
      if (!r) return undefined;
      const lines = await repo.findReturnLines(ex, tenantId, returnId);
      return {
        id: r.id,
        orderId: r.orderId,
        rmaNumber: r.rmaNumber,
        status: r.status as ReturnStatus,
        currency: r.currency,
        refundTotal: r.refundTotal,
        customerNote: r.customerNote,
        quote: r.refundQuote ? parseJson<ResolvedQuote>(r.refundQuote) : null,
        lines: lines.map((l) => ({
          orderLineId: l.orderLineId,
          quantity: l.quantity,
          reasonCode: l.reasonCode,
          note: l.note,
        })),
      };
    },

    /** Whether any return (in any state) was ever filed on the order: its money is frozen then. */
    async orderHasReturns(ex: Executor, tenantId: string, orderId: string): Promise<boolean> {
      const r = await ex
        .selectFrom('returns')
        .select('id')
        .where('tenantId', '=', tenantId)
        .where('orderId', '=', orderId)
        .limit(1)
        .executeTakeFirst();
      return r !== undefined;
    },

    /** The returns filed on an order's lines, newest first, by order line id. */
    async returnsByOrderLine(tenantId: string, orderId: string) {
      const rows = await db
        .selectFrom('returnLines')
        .innerJoin('returns', (j) =>
          j
            .onRef('returns.tenantId', '=', 'returnLines.tenantId')
            .onRef('returns.id', '=', 'returnLines.returnId'),
        )
        .select(['returnLines.orderLineId', 'returns.id', 'returns.rmaNumber', 'returns.status'])
        .where('returns.tenantId', '=', tenantId)
        .where('returns.orderId', '=', orderId)
        .orderBy('returns.createdAt', 'desc')
        .orderBy('returns.id', 'desc')
        .execute();
      const byLine = new Map<string, { id: string; rmaNumber: string; status: string }[]>();
      for (const r of rows) {
        const list = byLine.get(r.orderLineId) ?? [];
        list.push({ id: r.id, rmaNumber: r.rmaNumber, status: r.status });
        byLine.set(r.orderLineId, list);
      }
      return byLine;
    },

    async getReturn(tenantId: string, id: string): Promise<ReturnView> {
      const v = await view(db, tenantId, id);
      if (!v) throw notFound('Return');
      return v;
    },

    /** Newest first; the cursor is the last item's (createdAt, id). */
    async listReturns(tenantId: string, q: { status?: string; limit?: number; cursor?: string }) {
      const limit = q.limit ?? 20;
      let query = db
        .selectFrom('returns')
        .select([
          'id',
          'rmaNumber',
          'orderId',
          'status',
          'resolution',
          'currency',
          'refundTotal',
          'createdAt',
          'updatedAt',
        ])
        .where('tenantId', '=', tenantId);
      if (q.status) query = query.where('status', '=', q.status);
      if (q.cursor) {
        const c = decodeCursor(q.cursor);
        query = query.where((eb) =>
          eb.or([eb('createdAt', '<', c.at), eb.and([eb('createdAt', '=', c.at), eb('id', '<', c.id)])]),
        );
      }
      const rows = await query
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const { page, nextCursor } = pageOf(rows, limit, (r) => [r.createdAt, r.id]);
      return { data: page, nextCursor };
    },

    /** The internal timeline: every event, and each notification with its delivery status. */
    async listEvents(tenantId: string, id: string) {
      const r = await repo.findReturn(db, tenantId, id);
      if (!r) throw notFound('Return');
      const events = await repo.findEvents(db, tenantId, id);
      // Staff inbox items are about the return, not messages to its customer: left off the timeline.
      const deliveries = ((await deps.deliveriesOfReturn?.(tenantId, id)) ?? []).filter(
        (d) => !d.recipient.startsWith('user:'),
      );
      const notes = deliveries.map((d) => ({
        id: d.id,
        action: `notify_${d.channel}`,
        fromStatus: null,
        toStatus: r.status,
        actor: { type: 'system', id: 'notify' },
        note: `${d.event.replaceAll('_', ' ')} by ${d.channel.replace('_', '-')} to ${mask(d.recipient, d.channel)}: ${d.status}${d.lastError ? ` (${d.lastError})` : ''}`,
        visibility: 'internal',
        data: { deliveryId: d.id, channel: d.channel, status: d.status, attempts: d.attempts },
        createdAt: d.createdAt,
      }));
      const timeline = events.map((e) => ({
        id: e.id,
        action: e.action,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        actor: { type: e.actorType, id: e.actorId },
        note: e.note,
        visibility: e.visibility,
        data: e.data,
        createdAt: e.createdAt,
      }));
      return [...timeline, ...notes].sort(byTimeThenId);
    },

    /** The order an upload belongs to, checked against the tenant. */
    async orderForEvidence(tenantId: string, orderId: string): Promise<string> {
      const order = await deps.orders.getOrder(tenantId, orderId);
      if (!order) throw notFound('Order');
      return order.id;
    },

    /** The id of a line of the order; 404 when it belongs to another order or tenant. */
    async orderLineOf(tenantId: string, orderId: string, lineId: string): Promise<string> {
      const order = await deps.orders.getOrder(tenantId, orderId);
      const line = order?.lines.find((l) => l.id === lineId);
      if (!line) throw notFound('Order line');
      return line.id;
    },

    /** Who a tracking token speaks for; 404 for anything else. */
    async resolveTracking(token: string) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw notFound('Return');
      const r = await db
        .selectFrom('returns')
        .select(['tenantId', 'id', 'customerId'])
        .where('trackingToken', '=', token)
        .executeTakeFirst();
      if (!r) throw notFound('Return');
      return { tenantId: r.tenantId, returnId: r.id, customerId: r.customerId };
    },

    /** The public view behind a tracking link: no names, emails, addresses or internal notes. */
    async trackReturn(token: string, lang?: string) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw notFound('Return');
      const r = await db
        .selectFrom('returns')
        .selectAll()
        .where('trackingToken', '=', token)
        .executeTakeFirst();
      if (!r) throw notFound('Return');
      const [lines, events, refund, current, shop] = await Promise.all([
        repo.findReturnLines(db, r.tenantId, r.id),
        repo.findEvents(db, r.tenantId, r.id, true),
        deps.refunds.refundOfReturn(r.tenantId, r.id),
        deps.policies.currentPolicy(r.tenantId),
        deps.shopOf?.(r.tenantId),
      ]);
      const quote = parseJson<ResolvedQuote>(r.refundQuote);
      const breakdown = customerBreakdown(quote, r.refundTotal);
      const status = r.status as ReturnStatus;
      const returnless = r.returnless === 1;
      const shipByDate = shipByOf(r, events, current.policy);
      return {
        rmaNumber: r.rmaNumber,
        shop: shop ? { name: shop.name, handle: shop.handle } : null,
        status,
        returnless,
        timeline: events.map((e) => ({
          status: e.toStatus,
          action: e.action,
          note: e.note,
          at: e.createdAt,
        })),
        upcoming: isTerminal(status) ? [] : stepsAhead(status, { returnless }),
        items: lines.map((l) => ({ title: l.title, quantity: l.quantity })),
        refund: {
          currency: r.currency,
          total: breakdown.total,
          method: quote.payout?.method ?? 'original_payment',
          bonus: quote.payout?.method === 'store_credit' ? (quote.bonus ?? 0) : 0,
          status: refund?.status ?? null,
          breakdown: breakdown.rows,
        },
        explanation: localized(parseJson<Decision>(r.decision), lang),
        // The last day counts in full (UTC), as for the return window.
        shipBy: shipByDate
          ? { date: shipByDate, passed: clock.now().toISOString().slice(0, 10) > shipByDate }
          : null,
        returnAddress: !returnless ? (current.policy.returnAddress ?? null) : null,
        sourcing: quote.sourcing
          ? {
              refundTo: quote.sourcing.refundTo,
              display: quote.sourcing.display,
              itemised: quote.sourcing.itemised,
              stages: quote.sourcing.stages.map((st) => ({
                title: lines.find((l) => l.orderLineId === st.orderLineId)?.title ?? '',
                // Where the item is now (back with the seller, cancelled…), not when it was filed.
                stage: lines.find((l) => l.orderLineId === st.orderLineId)?.lineStage ?? st.stage,
                route: st.route,
                sellerDeadline: st.sellerDeadline,
                customerDeadline: st.customerDeadline,
              })),
            }
          : null,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
      };
    },
  };
}

/** The UTC calendar date `days` after the UTC date of `iso` ("2025-02-10T18:00Z", 14 → "2025-02-24"). */
function addUtcDays(iso: string, days: number): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00.000Z`);
  return new Date(d.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The decision's sentences in the asked language, when they were stored as items; else as written. */
export function localized(
  decision: Pick<Decision, 'explanation'> & { explain?: ExplainItem[] },
  lang?: string,
): string[] {
  if (!decision.explain?.length || !lang) return decision.explanation;
  const locale = explainLocale(lang);
  return decision.explain.map((i) => explainText(i, locale));
}

/** Enough of an address for staff to recognise it, not enough to copy it off a screen. */
function mask(recipient: string, channel: string): string {
  if (channel === 'email') return recipient.replace(/^(.).*?(@.*)$/, '$1***$2');
  if (channel === 'sms') return `${recipient.slice(0, 3)}***${recipient.slice(-2)}`;
  return channel === 'webhook' ? `endpoint ${recipient}` : 'the customer inbox';
}

function needsFulfillment(resolution: string): boolean {
  return resolution === 'exchange' || resolution === 'replacement' || resolution === 'repair';
}

/** What goes back to the customer: the new items of an exchange, else the returned items themselves. */
function fulfillmentFor(
  quote: ResolvedQuote,
  lines: { sku: string; title: string; quantity: number }[],
): Fulfillment {
  const items = quote.exchange
    ? quote.exchange.items.map((i) => ({ sku: i.sku, title: i.title, quantity: i.quantity }))
    : lines.map((l) => ({ sku: l.sku, title: l.title, quantity: l.quantity }));
  return { status: 'pending', items, carrier: null, trackingNumber: null, shippedAt: null };
}

function decisionEvents(
  status: ReturnStatus,
  decision: Decision,
  quote: ResolvedQuote,
  actor: Actor,
): EventInput[] {
  const system: Actor = { type: 'system', id: 'policy' };
  const events: EventInput[] = [
    {
      action: 'request',
      from: null,
      to: 'submitted',
      actor,
      note: 'Return requested.',
      data: {
        resolution: quote.resolution,
        refundQuote: quote.total,
        payout: quote.payout,
        bonus: quote.bonus,
      },
    },
  ];
  const why = decision.explanation.join(' ');
  if (decision.outcome === 'rejected') {
    events.push({
      action: 'reject',
      from: 'submitted',
      to: 'rejected',
      actor: system,
      note: why,
      data: { rules: decision.rules },
    });
  } else if (decision.outcome === 'needs_review') {
    events.push({
      action: 'review',
      from: 'submitted',
      to: 'needs_review',
      actor: system,
      note: why,
      data: { rules: decision.rules },
    });
  } else {
    events.push({
      action: 'approve',
      from: 'submitted',
      to: 'approved',
      actor: system,
      note: why,
      data: { rules: decision.rules },
    });
    if (status === 'awaiting_shipment') {
      events.push({
        action: 'issue_instructions',
        from: 'approved',
        to: 'awaiting_shipment',
        actor: system,
        note: instructionsNote(quote),
      });
    }
  }
  return events;
}

/**
 * The last day to send the parcel: from the day the instructions were issued (with the approval),
 * by the current policy's window (the shop's window today is what the customer needs). Null when
 * no parcel is expected.
 */
function shipByOf(
  r: { returnless: number; status: string },
  events: { toStatus: string; createdAt: string }[],
  policy: { shipWithinDays?: number },
): string | null {
  if (r.returnless === 1 || r.status !== 'awaiting_shipment') return null;
  const issuedAt = events.find(
    (e) => e.toStatus === 'approved' || e.toStatus === 'awaiting_shipment',
  )?.createdAt;
  return issuedAt ? addUtcDays(issuedAt, policy.shipWithinDays ?? DEFAULT_SHIP_WITHIN_DAYS) : null;
}

/** The stored quote with the customer's breakdown beside it, for API answers. */
function withBreakdown(q: ResolvedQuote, payout?: number) {
  return { ...q, breakdown: customerBreakdown(q, payout ?? q.payout.amount) };
}

function instructionsNote(quote: ResolvedQuote): string {
  const money = (n: number) => formatMoney(n, quote.currency);
  switch (quote.resolution) {
    case 'store_credit':
      return `Please send the items back. Your store credit of ${money(amountReceived(quote))} follows once they are inspected.`;
    case 'exchange':
      return 'Please send the items back. Your new items ship once the return is inspected.';
    case 'replacement':
    case 'repair':
      return 'Please send the items back. We will send them back to you replaced or repaired.';
    default:
      return `Please send the items back. Your refund of ${money(quote.payout.amount)} follows once they are inspected.`;
  }
}

export type ReturnsService = ReturnType<typeof createReturnsService>;
