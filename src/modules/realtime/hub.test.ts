import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newSecret } from '../../platform/ids.ts';
import {
  createLocalRealtime,
  createPgRealtime,
  notifyInTransaction,
  type PgRealtime,
  RESYNC_EVENT,
  type RealtimeMessage,
  realtimeChannelName,
} from './hub.ts';

// PostgreSQL is always up in CI (both the SQLite and the PostgreSQL run), so these always run.
const PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A recorder: `listen(channel)` subscribes it, `got` is what it received, in order. */
function collect(realtime: { subscribe: (c: string, l: (m: RealtimeMessage) => void) => () => void }) {
  const got: RealtimeMessage[] = [];
  return {
    got,
    listen(channel: string) {
      return realtime.subscribe(channel, (m) => got.push(m));
    },
  };
}

async function until(check: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createLocalRealtime', () => {
  it('delivers a published message to each subscriber of its channel and no other', async () => {
    const rt = createLocalRealtime();
    const a = collect(rt);
    const b = collect(rt);
    const other = collect(rt);
    a.listen('return:ret_1');
    b.listen('return:ret_1');
    other.listen('return:ret_2');
    const msg = { channel: 'return:ret_1', event: 'return.updated', data: { status: 'approved' }, id: '1' };
    await rt.publish(msg);
    expect(a.got).toEqual([msg]);
    expect(b.got).toEqual([msg]);
    expect(other.got).toEqual([]);
    await rt.close();
  });

  it('stops delivering after unsubscribe and counts subscribers per channel and in total', async () => {
    const rt = createLocalRealtime();
    const a = collect(rt);
    const offA = a.listen('c1');
    const offB = rt.subscribe('c1', () => {});
    rt.subscribe('c2', () => {});
    expect(rt.subscriberCount('c1')).toBe(2);
    expect(rt.subscriberCount()).toBe(3);
    offA();
    offA(); // a second call is harmless
    await rt.publish({ channel: 'c1', event: 'e', data: null });
    expect(a.got).toEqual([]);
    expect(rt.subscriberCount('c1')).toBe(1);
    offB();
    expect(rt.subscriberCount('c1')).toBe(0);
    expect(rt.subscriberCount()).toBe(1);
    await rt.close();
    expect(rt.subscriberCount()).toBe(0);
  });

  it('keeps delivering to the others when one listener throws, and reports the error', async () => {
    const errors: unknown[] = [];
    const rt = createLocalRealtime({ onError: (e) => errors.push(e) });
    const before = collect(rt);
    const after = collect(rt);
    before.listen('c');
    rt.subscribe('c', () => {
      throw new Error('dead subscriber');
    });
    after.listen('c');
    await expect(rt.publish({ channel: 'c', event: 'e', data: 1 })).resolves.toBeUndefined();
    expect(before.got).toHaveLength(1);
    expect(after.got).toHaveLength(1);
    expect(errors).toHaveLength(1);
    await rt.close();
  });

  it('lets a listener unsubscribe itself during delivery without skipping the others', async () => {
    const rt = createLocalRealtime();
    const seen: string[] = [];
    const off = rt.subscribe('c', () => {
      seen.push('first');
      off();
    });
    rt.subscribe('c', () => seen.push('second'));
    await rt.publish({ channel: 'c', event: 'e', data: 1 });
    await rt.publish({ channel: 'c', event: 'e', data: 2 });
    expect(seen).toEqual(['first', 'second', 'second']);
    await rt.close();
  });
});

describe('realtimeChannelName', () => {
  it('namespaces by schema and stays within PostgreSQL identifier length', () => {
    expect(realtimeChannelName()).toBe('returnflow_realtime');
    expect(realtimeChannelName('t_abc')).toBe('returnflow_realtime_t_abc');
    const long = realtimeChannelName('s'.repeat(80));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(63);
    expect(realtimeChannelName('s'.repeat(80))).toBe(long);
    expect(realtimeChannelName(`${'s'.repeat(79)}t`)).not.toBe(long);
  });
});

describe('createPgRealtime', () => {
  // A schema name of our own, so parallel test files on this database never hear each other.
  const schema = `rt_${newSecret(8)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')}`;
  const errors: unknown[] = [];
  const opts = {
    connectionString: PG_URL,
    schema,
    onError: (e: unknown) => errors.push(e),
    reconnectMinMs: 50,
    reconnectMaxMs: 500,
    // No pings during the file, so a LISTEN session's last statement stays the LISTEN we look for.
    pingMs: 3_600_000,
  };
  let a: PgRealtime;
  let b: PgRealtime;
  let admin: pg.Pool;
  let db: Kysely<any>;

  beforeAll(async () => {
    // Two hubs on two connections stand in for two server processes.
    a = await createPgRealtime(opts);
    b = await createPgRealtime(opts);
    admin = new pg.Pool({ connectionString: PG_URL, max: 2 });
    db = new Kysely<any>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: PG_URL }) }),
    });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await admin?.end();
    await db?.destroy();
  });

  afterEach(() => {
    errors.length = 0;
  });

  it('delivers a publish on A once to a subscriber on B and once to its own subscriber', async () => {
    const onA = collect(a);
    const onB = collect(b);
    const channel = `return:ret_${newSecret(6)}`;
    const offA = onA.listen(channel);
    const offB = onB.listen(channel);
    const msg = { channel, event: 'return.updated', data: { status: 'approved', n: 1 }, id: 'ev1' };
    await a.publish(msg);
    await until(() => onA.got.length >= 1 && onB.got.length >= 1, 5_000, 'delivery on both');
    // Give a duplicate the time it would need to show up.
    await sleep(150);
    expect(onA.got).toEqual([msg]);
    expect(onB.got).toEqual([msg]);
    expect(a.notifyChannel).toBe(`returnflow_realtime_${schema}`);
    offA();
    offB();
  });

  it('does not deliver to hubs namespaced by another schema', async () => {
    const stranger = await createPgRealtime({ ...opts, schema: `${schema}_other` });
    const onStranger = collect(stranger);
    const onB = collect(b);
    const channel = 'tenant:ten_x:queue';
    onStranger.listen(channel);
    const off = onB.listen(channel);
    await a.publish({ channel, event: 'queue.changed', data: {} });
    await until(() => onB.got.length === 1);
    await sleep(150);
    expect(onStranger.got).toEqual([]);
    off();
    await stranger.close();
  });

  it('delivers notifyInTransaction only after commit, and never after rollback', async () => {
    const onB = collect(b);
    const channel = `return:ret_${newSecret(6)}`;
    const off = onB.listen(channel);

    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let notified!: () => void;
    const notifiedInTrx = new Promise<void>((r) => {
      notified = r;
    });
    const committed = db.transaction().execute(async (trx) => {
      await notifyInTransaction(
        trx,
        { channel, event: 'return.updated', data: { v: 'commit' } },
        a.notifyChannel,
      );
      notified();
      await held;
    });
    await notifiedInTrx;
    await sleep(200);
    expect(onB.got).toEqual([]); // the transaction is still open
    release();
    await committed;
    await until(() => onB.got.length === 1, 5_000, 'delivery after commit');
    expect(onB.got[0]!.data).toEqual({ v: 'commit' });

    await expect(
      db.transaction().execute(async (trx) => {
        await notifyInTransaction(
          trx,
          { channel, event: 'return.updated', data: { v: 'rollback' } },
          a.notifyChannel,
        );
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await sleep(300);
    expect(onB.got.map((m) => m.data)).toEqual([{ v: 'commit' }]);
    off();
  });

  it('publishes an oversize message as a truncated pointer that subscribers refetch from', async () => {
    const onB = collect(b);
    const channel = `return:ret_${newSecret(6)}`;
    const off = onB.listen(channel);
    const big = { note: 'x'.repeat(9_000) };
    await a.publish({ channel, event: 'return.updated', data: big, id: 'big1' });
    // Multi-byte characters count by bytes, not by string length.
    await a.publish({ channel, event: 'return.updated', data: { note: 'é'.repeat(4_000) }, id: 'big2' });
    await a.publish({ channel, event: 'return.updated', data: { note: 'x'.repeat(7_000) }, id: 'small' });
    await until(() => onB.got.length === 3, 5_000, 'three messages');
    expect(onB.got[0]).toEqual({ channel, event: 'return.updated', data: { truncated: true }, id: 'big1' });
    expect(onB.got[1]).toEqual({ channel, event: 'return.updated', data: { truncated: true }, id: 'big2' });
    expect(onB.got[2]!.data).toEqual({ note: 'x'.repeat(7_000) });
    expect(errors).toEqual([]);
    off();
  });

  it('reconnects after its LISTEN connection is killed, tells subscribers to resync, and delivers again', async () => {
    const onB = collect(b);
    const channel = `return:ret_${newSecret(6)}`;
    const off = onB.listen(channel);
    // The sessions whose last statement LISTENed on this file's channel are A's and B's.
    const { rows } = await admin.query<{ pid: number }>(
      `select pid from pg_stat_activity where query ilike $1 and pid <> pg_backend_pid()`,
      [`LISTEN "${b.notifyChannel}"%`],
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) await admin.query('select pg_terminate_backend($1)', [row.pid]);

    await until(() => onB.got.some((m) => m.event === RESYNC_EVENT), 10_000, 'resync after reconnect');
    expect(errors.length).toBeGreaterThan(0); // the drop was reported

    await a.publish({ channel, event: 'return.updated', data: { after: 'reconnect' } });
    await until(() => onB.got.some((m) => m.event === 'return.updated'), 5_000, 'delivery after reconnect');
    expect(onB.got.filter((m) => m.event === 'return.updated')).toHaveLength(1);
    off();
  });

  it('never rejects a publish it cannot send, and fails fast when it cannot connect at all', async () => {
    const seen: unknown[] = [];
    const lonely = await createPgRealtime({ ...opts, onError: (e) => seen.push(e) });
    const hugeChannel = { channel: 'c'.repeat(9_000), event: 'e', data: 1 };
    await expect(lonely.publish(hugeChannel)).resolves.toBeUndefined();
    expect(seen).toHaveLength(1);
    await lonely.close();
    await expect(lonely.publish({ channel: 'c', event: 'e', data: 1 })).resolves.toBeUndefined();
    await expect(
      createPgRealtime({ ...opts, connectionString: 'postgres://postgres@127.0.0.1:1/none' }),
    ).rejects.toThrow();
  });

  it('reads the namespace from ?schema= in the URL', async () => {
    const fromUrl = await createPgRealtime({
      ...opts,
      schema: undefined,
      connectionString: `${PG_URL}?schema=${schema}`,
    });
    expect(fromUrl.notifyChannel).toBe(a.notifyChannel);
    const got = collect(fromUrl);
    const off = got.listen('c:url');
    await a.publish({ channel: 'c:url', event: 'e', data: 1 });
    await until(() => got.got.length === 1);
    off();
    await fromUrl.close();
  });
});

describe('notifyInTransaction on SQLite', () => {
  it('refuses with a message saying to publish after commit', async () => {
    const lite = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
    await expect(notifyInTransaction(lite, { channel: 'c', event: 'e', data: 1 })).rejects.toThrow(
      /after the commit/,
    );
    await lite.destroy();
  });
});
