import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { type Database, parseJson } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import { formatMoney } from '../../platform/money.ts';
import type { OrdersService } from '../orders/service.ts';
import type { Decision } from '../policy/evaluate-policy.ts';
import type { PolicyService } from '../policy/service.ts';
import type { RefundQuote } from '../refunds/refund-calculator.ts';
import { ineligibleDetails, prepareReturn } from './prepare-return.ts';
import * as repo from './repo.ts';
import type { ReturnRequest, ReturnView } from './schemas.ts';
import { allowedActions, isTerminal, type ReturnStatus, stepsAhead } from './state-machine.ts';

type Executor = Kysely<Database>;

export type Actor = { type: 'customer' | 'staff' | 'api' | 'system'; id: string | null };

export type ReturnsDeps = {
  db: Db;
  clock: Clock;
  orders: OrdersService;
  policies: PolicyService;
  publicUrl: string;
};

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

  async function appendEvent(ex: Executor, tenantId: string, returnId: string, e: EventInput, at: string) {
    await ex
      .insertInto('returnEvents')
      .values({
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
      })
      .execute();
  }

  async function view(ex: Executor, tenantId: string, id: string): Promise<ReturnView | null> {
    const r = await repo.findReturn(ex, tenantId, id);
    if (!r) return null;
    const lines = await repo.findReturnLines(ex, tenantId, id);
    const status = r.status as ReturnStatus;
    const returnless = r.returnless === 1;
    return {
      id: r.id,
      rmaNumber: r.rmaNumber,
      orderId: r.orderId,
      customerId: r.customerId,
      status,
      resolution: r.resolution,
      returnless,
      decision: parseJson(r.decision),
      refundQuote: parseJson(r.refundQuote),
      refundTotal: r.refundTotal,
      currency: r.currency,
      customerNote: r.customerNote,
      lines,
      shipment: r.shipment === null ? null : parseJson(r.shipment),
      allowedActions: allowedActions(status, { returnless }),
      policyVersion: r.policyVersion,
      trackingToken: r.trackingToken,
      trackingUrl: `${deps.publicUrl}/t/${r.trackingToken}`,
      version: r.version,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  }

  return {
    appendEvent,
    view,

    /** What a request would get: eligibility per line, decision and refund quote. Writes nothing. */
    async quoteReturn(tenantId: string, input: ReturnRequest) {
      const p = await prepareReturn(db, deps, tenantId, input, clock.now());
      return {
        eligible: p.assessment.eligible,
        lines: p.assessment.lines.map((l) => ({
          orderLineId: l.orderLineId,
          eligible: l.eligible,
          ...(l.code ? { code: l.code } : {}),
          ...(l.reason ? { reason: l.reason } : {}),
          windowEndsAt: l.windowEndsAt,
          returnableQuantity: p.evalLines.find((e) => e.orderLineId === l.orderLineId)!.remainingQuantity,
        })),
        decision: p.decision,
        refundQuote: p.quote,
        policyVersion: p.policyVersion,
      };
    },

    /**
     * Files a return: the policy decides at once, the units are reserved against the order
     * lines, and the return, its lines and its first events are written in one transaction.
     */
    async requestReturn(tenantId: string, input: ReturnRequest, actor: Actor): Promise<ReturnView> {
      const id = await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const at = now.toISOString();
        const p = await prepareReturn(trx, deps, tenantId, input, now);
        if (!p.assessment.eligible || !p.quote || !p.decision) {
          throw new AppError(
            422,
            'return_not_eligible',
            'Some items cannot be returned.',
            ineligibleDetails(p),
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
            refundTotal: rejected ? 0 : quote.total,
            decision: JSON.stringify({ ...decision, decidedBy: 'policy', decidedAt: at }),
            refundQuote: JSON.stringify(quote),
            customerNote: input.customerNote ?? null,
            trackingToken: newSecret(32),
            policyVersion: p.policyVersion,
            shipment: null,
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
        for (const e of decisionEvents(status, decision, quote, actor))
          await appendEvent(trx, tenantId, id, e, at);
        return id;
      });
      return (await view(db, tenantId, id))!;
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
          eb.or([
            eb('createdAt', '<', c.createdAt),
            eb.and([eb('createdAt', '=', c.createdAt), eb('id', '<', c.id)]),
          ]),
        );
      }
      const rows = await query
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        data: page,
        nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
      };
    },

    async listEvents(tenantId: string, id: string) {
      if (!(await repo.findReturn(db, tenantId, id))) throw notFound('Return');
      const events = await repo.findEvents(db, tenantId, id);
      return events.map((e) => ({
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
    },

    /** The public view behind a tracking link: no names, emails, addresses or internal notes. */
    async trackReturn(token: string) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw notFound('Return');
      const r = await db
        .selectFrom('returns')
        .selectAll()
        .where('trackingToken', '=', token)
        .executeTakeFirst();
      if (!r) throw notFound('Return');
      const [lines, events] = await Promise.all([
        repo.findReturnLines(db, r.tenantId, r.id),
        repo.findEvents(db, r.tenantId, r.id, true),
      ]);
      const status = r.status as ReturnStatus;
      const returnless = r.returnless === 1;
      return {
        rmaNumber: r.rmaNumber,
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
        refund: { currency: r.currency, total: r.refundTotal },
        explanation: parseJson<Decision>(r.decision).explanation,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
      };
    },
  };
}

function decisionEvents(
  status: ReturnStatus,
  decision: Decision,
  quote: RefundQuote,
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
      data: { refundQuote: quote.total },
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
        note: `Please send the items back. Your refund of ${formatMoney(quote.total, quote.currency)} follows once they are inspected.`,
      });
    }
  }
  return events;
}

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(`${createdAt}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) {
    throw new AppError(400, 'invalid_cursor', 'The cursor is not one this API gave out.');
  }
  return { createdAt, id };
}

export type ReturnsService = ReturnType<typeof createReturnsService>;
