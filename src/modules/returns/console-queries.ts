import type { SelectQueryBuilder } from 'kysely';
import { containing, decodeCursor, pageOf } from '../../platform/cursor.ts';
import type { Db } from '../../platform/db/database.ts';
import { type Database, parseJson } from '../../platform/db/schema.ts';
import { amountReceived } from '../refunds/refund-breakdown.ts';
import type { ResolvedQuote } from '../refunds/resolution-quote.ts';
import { AT_RISK, QUEUES, type Queue, SLA_HOURS } from './console-queue.ts';

/**
 * The console's read side: queue counts and the searchable case list. It joins returns with
 * their orders, customers and refunds in one query each, because an agent scanning a queue needs
 * all of it at once; every write still goes through the services.
 */
export function createConsoleQueries(
  db: Db,
  ports: {
    /** What the customer bought and returned (the orders module's count, shared with the policy). */
    boughtAndReturned: (
      tenantId: string,
      customerId: string,
    ) => Promise<{ orderCount: number; unitsBought: number; unitsReturned: number }>;
    /**
     * The ids of the returns whose seller claim is close to its deadline (the "seller deadline"
     * queue): a subquery the owning module supplies, so its claims table stays its own.
     */
    sellerDeadlineDue: (
      tenantId: string,
      now: Date,
    ) => SelectQueryBuilder<Database, keyof Database, { returnId: string }>;
  },
) {
  function base(tenantId: string) {
    return db
      .selectFrom('returns as r')
      .innerJoin('orders as o', (j) =>
        j.onRef('o.tenantId', '=', 'r.tenantId').onRef('o.id', '=', 'r.orderId'),
      )
      .innerJoin('customers as c', (j) =>
        j.onRef('c.tenantId', '=', 'r.tenantId').onRef('c.id', '=', 'r.customerId'),
      )
      .leftJoin('refunds as f', (j) =>
        j.onRef('f.tenantId', '=', 'r.tenantId').onRef('f.returnId', '=', 'r.id'),
      )
      .where('r.tenantId', '=', tenantId);
  }

  function riskCutoffs(now: Date) {
    const hours = (h: number) => new Date(now.getTime() - h * AT_RISK * 3_600_000).toISOString();
    return { review: hours(SLA_HOURS.needs_review), inspection: hours(SLA_HOURS.received) };
  }

  function inQueue<Q extends ReturnType<typeof base>>(q: Q, tenantId: string, queue: Queue, now: Date): Q {
    const cut = riskCutoffs(now);
    switch (queue) {
      case 'needs_review':
        return q.where('r.status', '=', 'needs_review') as Q;
      case 'awaiting_inspection':
        return q.where('r.status', '=', 'received') as Q;
      case 'refund_failed':
        return q.where((eb) =>
          eb.or([
            eb('f.status', '=', 'failed'),
            eb.and([eb('f.status', '=', 'pending'), eb('f.failureCode', '=', 'needs_reconciliation')]),
          ]),
        ) as Q;
      case 'sla_at_risk':
        return q.where((eb) =>
          eb.or([
            eb.and([eb('r.status', '=', 'needs_review'), eb('r.createdAt', '<=', cut.review)]),
            eb.and([eb('r.status', '=', 'received'), eb('r.updatedAt', '<=', cut.inspection)]),
          ]),
        ) as Q;
      case 'seller_deadline':
        return q.where('r.id', 'in', ports.sellerDeadlineDue(tenantId, now)) as Q;
      default:
        return q;
    }
  }

  function slaOf(status: string, createdAt: string, updatedAt: string, now: Date) {
    const hours =
      status === 'needs_review' ? SLA_HOURS.needs_review : status === 'received' ? SLA_HOURS.received : null;
    if (hours === null) return null;
    const from = new Date(status === 'needs_review' ? createdAt : updatedAt).getTime();
    const due = from + hours * 3_600_000;
    const left = due - now.getTime();
    return {
      dueAt: new Date(due).toISOString(),
      state: left < 0 ? 'overdue' : left < hours * (1 - AT_RISK) * 3_600_000 ? 'at_risk' : 'ok',
    };
  }

  return {
    async counts(tenantId: string, now: Date) {
      const out: Record<Queue, number> = {
        needs_review: 0,
        awaiting_inspection: 0,
        refund_failed: 0,
        sla_at_risk: 0,
        seller_deadline: 0,
        all: 0,
      };
      for (const queue of QUEUES) {
        const r = await inQueue(base(tenantId), tenantId, queue, now)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        out[queue] = Number(r.n);
      }
      return out;
    },

    /** A queue, newest first (oldest first for the ones with a clock), searchable by RMA, order number or email. */
    async list(
      tenantId: string,
      opts: { queue: Queue; q?: string; limit: number; cursor?: string },
      now: Date,
    ) {
      let query = inQueue(base(tenantId), tenantId, opts.queue, now).select([
        'r.id',
        'r.rmaNumber',
        'r.status',
        'r.resolution',
        'r.currency',
        'r.refundTotal',
        'r.refundQuote',
        'r.createdAt',
        'r.updatedAt',
        'r.version',
        'o.orderNumber',
        'c.email as customerEmail',
        'c.name as customerName',
        'f.status as refundStatus',
        'f.failureCode as refundFailureCode',
      ]);
      const q = opts.q?.trim().toLowerCase();
      if (q) {
        const like = containing(q);
        query = query.where((eb) =>
          eb.or([
            eb(eb.fn('lower', ['r.rmaNumber']), 'like', like),
            eb(eb.fn('lower', ['o.orderNumber']), 'like', like),
            eb('c.email', 'like', like),
          ]),
        );
      }
      // Queues with a clock put the oldest first (what is due first); the rest show the newest.
      const oldestFirst =
        opts.queue === 'needs_review' || opts.queue === 'awaiting_inspection' || opts.queue === 'sla_at_risk';
      if (opts.cursor) {
        const { at, id } = decodeCursor(opts.cursor);
        query = query.where((eb) =>
          oldestFirst
            ? eb.or([eb('r.createdAt', '>', at), eb.and([eb('r.createdAt', '=', at), eb('r.id', '>', id)])])
            : eb.or([eb('r.createdAt', '<', at), eb.and([eb('r.createdAt', '=', at), eb('r.id', '<', id)])]),
        );
      }
      const dir = oldestFirst ? 'asc' : 'desc';
      const rows = await query
        .orderBy('r.createdAt', dir)
        .orderBy('r.id', dir)
        .limit(opts.limit + 1)
        .execute();
      const { page, nextCursor } = pageOf(rows, opts.limit, (r) => [r.createdAt, r.id]);
      return {
        data: page.map(({ refundQuote, ...r }) => ({
          ...r,
          // What the customer gets, as every other view shows it (store-credit bonus included).
          customerTotal: amountReceived(parseJson<ResolvedQuote>(refundQuote), r.refundTotal),
          sla: slaOf(r.status, r.createdAt, r.updatedAt, now),
        })),
        nextCursor,
      };
    },

    /** The customer's history with this shop: orders, returns, units bought and returned. */
    async customerHistory(tenantId: string, customerId: string) {
      const returns = await db
        .selectFrom('returns')
        .select(['id', 'rmaNumber', 'status', 'refundTotal', 'currency', 'createdAt'])
        .where('tenantId', '=', tenantId)
        .where('customerId', '=', customerId)
        .orderBy('createdAt', 'desc')
        .limit(50)
        .execute();
      const units = await ports.boughtAndReturned(tenantId, customerId);
      return {
        ...units,
        returnRate: units.unitsBought ? units.unitsReturned / units.unitsBought : 0,
        returns,
      };
    },
  };
}

export type ConsoleQueries = ReturnType<typeof createConsoleQueries>;
