import { decodeCursor, pageOf } from '../../platform/cursor.ts';
import { notFound } from '../../platform/errors.ts';
import * as repo from './repo.ts';
import type { ReturnsContext } from './returns-context.ts';
import type { ReturnView } from './schemas.ts';
import { byTimeThenId } from './timeline-order.ts';

/** Staff reads: one return, the paged list, the internal timeline, and the checks of an upload. */
export function createReturnReads(ctx: ReturnsContext) {
  const { deps, view } = ctx;
  const { db } = deps;

  return {
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

    /**
     * The internal timeline: every event, and each notification with its delivery status.
     * `known`: the return as the caller has just read it (the console's case page), not read again.
     */
    async listEvents(tenantId: string, id: string, known?: { status: string }) {
      const r = known ?? (await repo.findReturn(db, tenantId, id));
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
  };
}

/** Enough of an address for staff to recognise it, not enough to copy it off a screen. */
function mask(recipient: string, channel: string): string {
  if (channel === 'email') return recipient.replace(/^(.).*?(@.*)$/, '$1***$2');
  if (channel === 'sms') return `${recipient.slice(0, 3)}***${recipient.slice(-2)}`;
  return channel === 'webhook' ? `endpoint ${recipient}` : 'the customer inbox';
}

export type ReturnReads = ReturnType<typeof createReturnReads>;
