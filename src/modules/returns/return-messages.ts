import { notFound } from '../../platform/errors.ts';
import { linkIdempotentWrite } from '../../platform/idempotency-link.ts';
import * as repo from './repo.ts';
import type { ReturnReads } from './return-reads.ts';
import type { Actor, EventInput, ReturnChange, ReturnsContext } from './returns-context.ts';
import type { ReturnStatus } from './state-machine.ts';

/** Staff words on a return: internal notes (addNote) and messages to the customer (sendMessage). */
export function createReturnMessages(ctx: ReturnsContext, reads: Pick<ReturnReads, 'listEvents'>) {
  const { deps, appendEvents, view } = ctx;
  const { db, clock } = deps;

  return {
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
      return reads.listEvents(tenantId, id);
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
  };
}
