import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../config.ts';
import { columnTypes } from './column-types.ts';
import { type DatabaseHandle, migrateToLatest, openDatabase } from './database.ts';
import { core } from './migrations/0001-core.ts';
import { refundEngine } from './migrations/0002-refund-engine.ts';
import { prepared } from './prepared.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  // The platform's own tables (the outbox among them), without the modules'.
  h = openDatabase(parseDatabaseUrl('file::memory:'));
  await migrateToLatest(h, (d) => ({
    '0001-core': core(columnTypes(d)),
    '0002-refund-engine': refundEngine(columnTypes(d)),
  }));
  const at = (i: number) => `2027-01-0${i}T00:00:00.000Z`;
  for (const i of [1, 2, 3, 4]) {
    await h.db
      .insertInto('outbox')
      .values({
        id: `msg_${i}`,
        tenantId: i % 2 ? 'ten_odd' : 'ten_even',
        topic: 'test.topic',
        dedupeKey: `k${i}`,
        payload: '{}',
        status: 'pending',
        availableAt: at(i),
        lockedUntil: null,
        lastError: null,
        createdAt: at(i),
        doneAt: null,
      })
      .execute();
  }
});
afterAll(async () => {
  await h.close();
});

describe('a prepared query', () => {
  let builds = 0;
  const firstDue = prepared((db, p: { tenantId: string; before: string }) => {
    builds += 1;
    return db
      .selectFrom('outbox')
      .select(['id', 'tenantId', 'availableAt'])
      .where('tenantId', '=', p.tenantId)
      .where('availableAt', '<', p.before)
      .where('status', '=', 'pending')
      .orderBy('availableAt')
      .limit(1);
  });

  it('answers what the same query built anew answers, camelCased, for each set of parameters', async () => {
    for (const [tenantId, before] of [
      ['ten_odd', '2027-01-09'],
      ['ten_even', '2027-01-09'],
      ['ten_odd', '2027-01-01'],
    ] as const) {
      const built = await h.db
        .selectFrom('outbox')
        .select(['id', 'tenantId', 'availableAt'])
        .where('tenantId', '=', tenantId)
        .where('availableAt', '<', before)
        .where('status', '=', 'pending')
        .orderBy('availableAt')
        .limit(1)
        .execute();
      expect(await firstDue.execute(h.db, { tenantId, before })).toEqual(built);
    }
    expect(await firstDue.takeFirst(h.db, { tenantId: 'ten_even', before: '2027-01-09' })).toEqual({
      id: 'msg_2',
      tenantId: 'ten_even',
      availableAt: '2027-01-02T00:00:00.000Z',
    });
  });

  it('is built once, also for a transaction of the same database, and keeps its fixed values', async () => {
    const before = builds;
    await h.db.transaction().execute(async (trx) => {
      // `limit(1)` and `status = 'pending'` are part of the shape, not parameters.
      expect(await firstDue.execute(trx, { tenantId: 'ten_odd', before: '2027-01-09' })).toHaveLength(1);
    });
    expect(builds).toBe(before);
  });

  it('refuses to run without a value for a placeholder (undefined would bind as NULL)', async () => {
    await expect(
      firstDue.execute(h.db, { tenantId: 'ten_odd' } as { tenantId: string; before: string }),
    ).rejects.toThrow('no value for before');
  });

  it('counts the rows a write changed', async () => {
    const release = prepared((db, p: { tenantId: string }) =>
      db.updateTable('outbox').set({ status: 'done' }).where('tenantId', '=', p.tenantId),
    );
    expect(await release.run(h.db, { tenantId: 'ten_even' })).toBe(2n);
    expect(await release.run(h.db, { tenantId: 'nobody' })).toBe(0n);
  });
});
