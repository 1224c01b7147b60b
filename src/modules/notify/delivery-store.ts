import type { Clock } from '../../platform/clock.ts';
import { type Db, isUniqueViolation } from '../../platform/db/database.ts';
import { parseJson } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import type { HandlerResult, OutboxMessage } from '../../platform/outbox.ts';
import type { Delivery, Executor, SendingChannel, Sent } from './channels/channel.ts';
import type { DeliveriesTable } from './tables.ts';

export type NewDelivery = Omit<
  DeliveriesTable,
  'attempts' | 'providerId' | 'lastError' | 'createdAt' | 'updatedAt' | 'content'
> & { content: unknown };

/**
 * The write side of the delivery log: a delivery is written once per event key, channel and
 * recipient; a send claims it, records the attempt and settles it (done, retry later, or — out
 * of tries — dead until someone replays it).
 */
export function createDeliveryStore(deps: { db: Db; clock: Clock; maxAttempts: number }) {
  const { db, clock } = deps;

  async function setStatus(
    tenantId: string,
    id: string,
    status: DeliveriesTable['status'],
    extra: Partial<Pick<DeliveriesTable, 'providerId' | 'lastError'>> = {},
  ) {
    await db
      .updateTable('deliveries')
      .set({ status, updatedAt: clock.now().toISOString(), ...extra })
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /** Writes a delivery; false when this event already has it (a repeated dispatch). */
  async function insert(trx: Executor, row: NewDelivery, now: string): Promise<boolean> {
    try {
      const r = await trx
        .insertInto('deliveries')
        .values({
          ...row,
          content: JSON.stringify(row.content),
          providerId: null,
          lastError: null,
          createdAt: now,
          updatedAt: now,
        })
        .onConflict((oc) => oc.columns(['tenantId', 'eventKey', 'channel', 'recipient']).doNothing())
        .executeTakeFirst();
      return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  /**
   * Marks a delivery `sending` and loads it, in one statement; null when it is already settled.
   * A delivery found `sending` was claimed by a worker that died mid-send; its lease has
   * expired, so this worker sends it. See docs/DECISIONS.md on the window that leaves.
   */
  async function claim(m: OutboxMessage) {
    const { deliveryId } = m.payload as { deliveryId: string };
    const d = await db
      .updateTable('deliveries')
      .set((eb) => ({
        status: 'sending',
        attempts: eb('attempts', '+', 1),
        updatedAt: clock.now().toISOString(),
      }))
      .where('tenantId', '=', m.tenantId)
      .where('id', '=', deliveryId)
      .where('status', 'in', ['queued', 'sending'])
      .returningAll()
      .executeTakeFirst();
    return d ?? null;
  }

  async function recordAttempt(
    d: { tenantId: string; id: string },
    attempt: number,
    a: Sent['attempt'],
    started: number,
  ) {
    await db
      .insertInto('deliveryAttempts')
      .values({
        tenantId: d.tenantId,
        id: newId('dat'),
        deliveryId: d.id,
        attempt,
        outcome: a.outcome,
        statusCode: a.statusCode ?? null,
        response: a.response?.slice(0, 500) ?? null,
        durationMs: Math.max(0, Date.now() - started),
        createdAt: clock.now().toISOString(),
      })
      .execute();
  }

  /** Settles a send: done, retry later, or — out of tries — dead until someone replays it. */
  async function settle(
    m: OutboxMessage,
    d: { tenantId: string; id: string },
    r: Sent['result'],
  ): Promise<HandlerResult> {
    if (r.status === 'retry') {
      const dead = m.attempts >= deps.maxAttempts;
      await setStatus(d.tenantId, d.id, dead ? 'dead' : 'queued', { lastError: `${r.code}: ${r.error}` });
      return {
        outcome: 'retry',
        error: `${r.code}: ${r.error}`,
        ...(r.retryAfterMs ? { delayMs: r.retryAfterMs } : {}),
      };
    }
    if (r.status === 'failed' || r.status === 'bounced') {
      await setStatus(d.tenantId, d.id, r.status, { lastError: `${r.code}: ${r.error}` });
      return { outcome: 'done' };
    }
    await setStatus(d.tenantId, d.id, r.status, {
      providerId: 'providerId' in r ? (r.providerId ?? null) : null,
      lastError: null,
    });
    return { outcome: 'done' };
  }

  /** The outbox handler of a sending channel: claim, send through the channel, record, settle. */
  function sender<C>(channel: SendingChannel<C>) {
    return async (m: OutboxMessage): Promise<HandlerResult> => {
      const row = await claim(m);
      if (!row) return { outcome: 'done' };
      const d: Delivery<C> = { ...row, content: parseJson<C>(row.content) };
      const started = Date.now();
      const sent = await channel.deliver(d, m);
      // Numbered by the delivery's own tries (claim counted this one), not the outbox message's,
      // which starts again at 1 when staff replay a delivery.
      await recordAttempt(row, Number(row.attempts), sent.attempt, started);
      return settle(m, row, sent.result);
    };
  }

  return { insert, setStatus, sender };
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;
