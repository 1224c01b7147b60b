import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';

/** The in-app inbox of a customer or a staff member: its items, newest first, and read marks. */
export function createInbox(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async inbox(
      tenantId: string,
      recipient: { type: 'customer' | 'user'; id: string },
      opts: { returnId?: string; limit?: number } = {},
    ) {
      let q = db
        .selectFrom('inboxItems')
        .select(['id', 'returnId', 'event', 'title', 'body', 'url', 'readAt', 'createdAt'])
        .where('tenantId', '=', tenantId)
        .where('recipientType', '=', recipient.type)
        .where('recipientId', '=', recipient.id);
      if (opts.returnId) q = q.where('returnId', '=', opts.returnId);
      const items = await q
        .orderBy('id', 'desc')
        .limit(opts.limit ?? 50)
        .execute();
      let count = db
        .selectFrom('inboxItems')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenantId', '=', tenantId)
        .where('recipientType', '=', recipient.type)
        .where('recipientId', '=', recipient.id)
        .where('readAt', 'is', null);
      if (opts.returnId) count = count.where('returnId', '=', opts.returnId);
      const unread = Number((await count.executeTakeFirstOrThrow()).n);
      return { data: items, unreadCount: unread };
    },

    async markRead(
      tenantId: string,
      recipient: { type: 'customer' | 'user'; id: string },
      ids: string[] | 'all',
      returnId?: string,
    ) {
      let q = db
        .updateTable('inboxItems')
        .set({ readAt: clock.now().toISOString() })
        .where('tenantId', '=', tenantId)
        .where('recipientType', '=', recipient.type)
        .where('recipientId', '=', recipient.id)
        .where('readAt', 'is', null);
      if (returnId) q = q.where('returnId', '=', returnId);
      if (ids !== 'all') q = q.where('id', 'in', ids.length ? ids : ['-']);
      await q.execute();
    },
  };
}
