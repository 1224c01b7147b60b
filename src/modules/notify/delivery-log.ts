import type { Clock } from '../../platform/clock.ts';
import { pageById } from '../../platform/cursor.ts';
import type { Db } from '../../platform/db/database.ts';
import { parseJson } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { enqueue } from '../../platform/outbox.ts';
import { type Channel, DELIVER_DIGEST, type WebhookContent } from './channels/channel.ts';
import type { DeliveryStore } from './delivery-store.ts';
import type { DeliveriesTable } from './tables.ts';

/** The read side of the delivery log for staff, and the replay of a delivery that failed. */
export function createDeliveryLog(deps: {
  db: Db;
  clock: Clock;
  store: DeliveryStore;
  channels: Record<DeliveriesTable['channel'], Channel<unknown>>;
  replayMessage: (topic: string, dedupeKey: string) => Promise<boolean>;
  kick?: () => void;
}) {
  const { db, clock } = deps;

  async function getDelivery(tenantId: string, id: string) {
    const d = await db
      .selectFrom('deliveries')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!d) throw notFound('Notification');
    const attempts = await db
      .selectFrom('deliveryAttempts')
      .select(['attempt', 'outcome', 'statusCode', 'response', 'durationMs', 'createdAt'])
      .where('tenantId', '=', tenantId)
      .where('deliveryId', '=', id)
      .orderBy('id')
      .execute();
    return { ...d, content: parseJson<unknown>(d.content), attempts };
  }

  return {
    getDelivery,
    async listDeliveries(
      tenantId: string,
      q: { channel?: string; status?: string; returnId?: string; limit?: number; cursor?: string },
    ) {
      const limit = q.limit ?? 20;
      let query = db
        .selectFrom('deliveries')
        .select([
          'id',
          'event',
          'channel',
          'recipient',
          'returnId',
          'customerId',
          'status',
          'attempts',
          'providerId',
          'lastError',
          'sendAfter',
          'createdAt',
          'updatedAt',
          'content',
        ])
        .where('tenantId', '=', tenantId);
      if (q.channel) query = query.where('channel', '=', q.channel as DeliveriesTable['channel']);
      if (q.status) query = query.where('status', '=', q.status as DeliveriesTable['status']);
      if (q.returnId) query = query.where('returnId', '=', q.returnId);
      if (q.cursor) query = query.where('id', '<', q.cursor);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const { page, nextCursor } = pageById(rows, limit);
      const data = page.map(({ content, ...d }) => ({
        ...d,
        // A webhook is known to its receiver by its type (return.in_transit), not by our event name.
        webhookType: d.channel === 'webhook' ? parseJson<WebhookContent>(content).type : null,
      }));
      return { data, nextCursor };
    },

    /** Staff: a dead or failed delivery goes out again (same delivery, so never twice once sent). */
    async replayDelivery(tenantId: string, id: string) {
      const d = await db
        .selectFrom('deliveries')
        .select(['id', 'channel', 'status', 'digestKey', 'returnId'])
        .where('tenantId', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!d) throw notFound('Notification');
      if (d.status !== 'dead' && d.status !== 'failed') {
        throw new AppError(
          409,
          'not_replayable',
          `Only a dead or failed notification can be replayed; this one is ${d.status}.`,
        );
      }
      // An in-app item is delivered the moment it is written: there is nothing to send again.
      const { topic } = deps.channels[d.channel];
      if (topic === null) throw new AppError(409, 'not_replayable', 'In-app items are delivered at once.');
      if (d.digestKey) {
        // A part of a digest goes out again with the rest of its digest, as one email.
        await db
          .updateTable('deliveries')
          .set({ status: 'digest_pending', updatedAt: clock.now().toISOString() })
          .where('tenantId', '=', tenantId)
          .where('digestKey', '=', d.digestKey)
          .where('status', 'in', ['dead', 'failed'])
          .execute();
        await enqueue(
          db,
          {
            tenantId,
            topic: DELIVER_DIGEST,
            dedupeKey: `${d.digestKey}:replay:${newId('rpl')}`,
            payload: { digestKey: d.digestKey },
          },
          clock.now(),
        );
        deps.kick?.();
        return getDelivery(tenantId, id);
      }
      await deps.store.setStatus(tenantId, id, 'queued');
      const replayed = await deps.replayMessage(topic, id);
      if (!replayed) {
        await enqueue(
          db,
          {
            tenantId,
            topic,
            dedupeKey: `${id}:replay:${newId('rpl')}`,
            payload: { deliveryId: id, ...(d.returnId ? { returnId: d.returnId } : {}) },
          },
          clock.now(),
        );
      }
      deps.kick?.();
      return getDelivery(tenantId, id);
    },

    /** Deliveries of one return, for its internal timeline. */
    async deliveriesOfReturn(tenantId: string, returnId: string) {
      return db
        .selectFrom('deliveries')
        .select([
          'id',
          'event',
          'channel',
          'recipient',
          'status',
          'attempts',
          'lastError',
          'createdAt',
          'updatedAt',
        ])
        .where('tenantId', '=', tenantId)
        .where('returnId', '=', returnId)
        .orderBy('id')
        .execute();
    },
  };
}

export type DeliveryLog = ReturnType<typeof createDeliveryLog>;
