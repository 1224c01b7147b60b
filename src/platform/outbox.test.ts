import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from './clock.ts';
import { parseDatabaseUrl } from './config.ts';
import { columnTypes } from './db/column-types.ts';
import { type DatabaseHandle, migrateToLatest, openDatabase } from './db/database.ts';
import { core } from './db/migrations/0001-core.ts';
import { refundEngine } from './db/migrations/0002-refund-engine.ts';
import { createOutboxWorker, enqueue, type OutboxMessage } from './outbox.ts';

const clock = fixedClock('2027-01-01T00:00:00.000Z');
let h: DatabaseHandle;
beforeEach(async () => {
  h = openDatabase(parseDatabaseUrl('file::memory:'));
  await migrateToLatest(h, (d) => ({
    '0001-core': core(columnTypes(d)),
    '0002-refund-engine': refundEngine(columnTypes(d)),
  }));
});
afterEach(async () => {
  await h.close();
});

/** Handlers that take a few event-loop turns each and record what ran alongside what. */
function recorder() {
  const log: { id: string; returnId: string; start: number; end: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let tick = 0;
  const handler = async (m: OutboxMessage) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const start = tick++;
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    const { returnId, n } = m.payload as { returnId: string; n: string };
    log.push({ id: n, returnId, start, end: tick++ });
    inFlight -= 1;
    return { outcome: 'done' as const };
  };
  return { log, handler, maxInFlight: () => maxInFlight };
}

function workerWith(handler: ReturnType<typeof recorder>['handler'], concurrency?: number) {
  return createOutboxWorker({
    db: h.db,
    dialect: 'sqlite',
    clock,
    handlers: { 'test.work': handler },
    ...(concurrency ? { concurrency } : {}),
  });
}

async function enqueueFor(returnIds: string[]) {
  let i = 0;
  for (const returnId of returnIds) {
    i += 1;
    const availableAt = new Date(Date.parse('2026-12-31T00:00:00.000Z') + i * 1000).toISOString();
    await enqueue(
      h.db,
      {
        tenantId: 'ten_a',
        topic: 'test.work',
        dedupeKey: `m${i}`,
        payload: { returnId, n: `m${i}` },
        availableAt,
      },
      clock.now(),
    );
  }
}

describe('the outbox worker', () => {
  it('runs messages about different returns side by side, up to its concurrency', async () => {
    await enqueueFor(['r1', 'r2', 'r3', 'r4', 'r5']);
    const rec = recorder();
    const worker = workerWith(rec.handler, 3);
    expect(await worker.runOnce()).toBe(5);
    expect(rec.maxInFlight()).toBe(3);
    expect(rec.log.map((e) => e.id).sort()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('runs the messages of one return one after another, in the order they became due', async () => {
    await enqueueFor(['r1', 'r2', 'r1', 'r2', 'r1']);
    const rec = recorder();
    const worker = workerWith(rec.handler, 4);
    await worker.runOnce();
    for (const returnId of ['r1', 'r2']) {
      const mine = rec.log.filter((e) => e.returnId === returnId).sort((a, b) => a.start - b.start);
      expect(mine.map((e) => e.id)).toEqual(returnId === 'r1' ? ['m1', 'm3', 'm5'] : ['m2', 'm4']);
      // Each starts after the previous one ended.
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.start).toBeGreaterThan(mine[i - 1]!.end);
    }
    expect(rec.maxInFlight()).toBe(2);
  });

  it('runs one message at a time by default', async () => {
    await enqueueFor(['r1', 'r2', 'r3']);
    const rec = recorder();
    await workerWith(rec.handler).runOnce();
    expect(rec.maxInFlight()).toBe(1);
    const done = await h.db.selectFrom('outbox').select('status').execute();
    expect(done.map((r) => r.status)).toEqual(['done', 'done', 'done']);
  });
});
