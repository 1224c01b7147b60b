import type { Kysely } from 'kysely';
import type { Clock } from './clock.ts';
import type { Db } from './db/database.ts';
import { prepared } from './db/prepared.ts';
import { type Database, parseJson } from './db/schema.ts';
import { newId } from './ids.ts';

type Executor = Kysely<Database>;

export type OutboxMessage = {
  id: string;
  tenantId: string;
  topic: string;
  dedupeKey: string;
  payload: unknown;
  attempts: number;
};

/** What a handler answers: done, or try again later (optionally after a given delay). */
export type HandlerResult = { outcome: 'done' } | { outcome: 'retry'; error: string; delayMs?: number };
export type OutboxHandler = (message: OutboxMessage) => Promise<HandlerResult>;

/**
 * Writes a message in the caller's transaction, so it exists exactly when the change that
 * caused it commits. `dedupeKey` names the business event (e.g. refund id + attempt): a second
 * enqueue of the same event is ignored, so retries upstream never produce a second message.
 */
export async function enqueue(
  ex: Executor,
  msg: { tenantId: string; topic: string; dedupeKey: string; payload: unknown; availableAt?: string },
  now: Date,
): Promise<void> {
  await insertMessage.run(ex, {
    id: newId('msg'),
    tenantId: msg.tenantId,
    topic: msg.topic,
    dedupeKey: msg.dedupeKey,
    payload: JSON.stringify(msg.payload),
    availableAt: msg.availableAt ?? now.toISOString(),
    createdAt: now.toISOString(),
  });
}

const insertMessage = prepared(
  (
    db,
    p: {
      id: string;
      tenantId: string;
      topic: string;
      dedupeKey: string;
      payload: string;
      availableAt: string;
      createdAt: string;
    },
  ) =>
    db
      .insertInto('outbox')
      .values({
        id: p.id,
        tenantId: p.tenantId,
        topic: p.topic,
        dedupeKey: p.dedupeKey,
        payload: p.payload,
        status: 'pending',
        availableAt: p.availableAt,
        lockedUntil: null,
        lastError: null,
        createdAt: p.createdAt,
        doneAt: null,
      })
      .onConflict((oc) => oc.columns(['topic', 'dedupeKey']).doNothing()),
);

export type OutboxWorkerOptions = {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  clock: Clock;
  handlers: Record<string, OutboxHandler>;
  /** How long a claimed message stays invisible to other workers; a crashed worker's claim expires. */
  leaseMs?: number;
  pollMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  /** How many messages of a batch run at once (messages about the same return, one by one). */
  concurrency?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  onError?: (err: unknown, message?: OutboxMessage) => void;
};

const markDone = prepared((db, p: { id: string; doneAt: string }) =>
  db
    .updateTable('outbox')
    .set({ status: 'done', doneAt: p.doneAt, lockedUntil: null, lastError: null })
    .where('id', '=', p.id),
);

const markRetry = prepared(
  (db, p: { id: string; status: 'pending' | 'dead'; availableAt: string; lastError: string }) =>
    db
      .updateTable('outbox')
      .set({ status: p.status, availableAt: p.availableAt, lockedUntil: null, lastError: p.lastError })
      .where('id', '=', p.id),
);

/** Exponential back-off with full jitter: uniform in [0, min(max, base * 2^(attempt-1))]. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Delivers outbox messages at least once. Each worker claims a batch by setting a lease
 * (`FOR UPDATE SKIP LOCKED` on PostgreSQL keeps workers in several processes off each other's
 * rows; SQLite has one writer), runs the handler outside any transaction, then marks the
 * message done, schedules a retry, or after `maxAttempts` moves it to `dead` for staff to replay.
 * Handlers must be idempotent: a crash between the side effect and `done` repeats the message.
 */
export function createOutboxWorker(opts: OutboxWorkerOptions) {
  const { db, dialect, clock, handlers } = opts;
  const leaseMs = opts.leaseMs ?? 30_000;
  const pollMs = opts.pollMs ?? 500;
  const batchSize = opts.batchSize ?? 10;
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  const maxAttempts = opts.maxAttempts ?? 8;
  const baseDelayMs = opts.baseDelayMs ?? 1_000;
  const maxDelayMs = opts.maxDelayMs ?? 10 * 60_000;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let stopped = true;
  let again = false;
  let current: Promise<number> | null = null;

  // Prepared per worker: the topics it handles and its batch size are part of the claim's shape.
  const topics = Object.keys(handlers);
  const claimDue = prepared((q, p: { now: string; lockedUntil: string }) => {
    let due = q
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('topic', 'in', topics)
      .where('availableAt', '<=', p.now)
      .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', p.now)]))
      .orderBy('availableAt')
      .limit(batchSize);
    if (dialect === 'postgres') due = due.forUpdate().skipLocked();
    return q
      .updateTable('outbox')
      .set((eb) => ({ lockedUntil: p.lockedUntil, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', due)
      .returning(['id', 'tenantId', 'topic', 'dedupeKey', 'payload', 'attempts']);
  });

  async function claim(): Promise<OutboxMessage[]> {
    if (topics.length === 0) return [];
    const now = clock.now();
    const rows = await claimDue.execute(db, {
      now: now.toISOString(),
      lockedUntil: new Date(now.getTime() + leaseMs).toISOString(),
    });
    return rows.map((r) => ({ ...r, payload: parseJson<unknown>(r.payload) }));
  }

  async function settle(m: OutboxMessage, result: HandlerResult) {
    const now = clock.now();
    if (result.outcome === 'done') {
      await markDone.run(db, { id: m.id, doneAt: now.toISOString() });
      return;
    }
    const dead = m.attempts >= maxAttempts;
    const delay = result.delayMs ?? backoffDelay(m.attempts, baseDelayMs, maxDelayMs);
    await markRetry.run(db, {
      id: m.id,
      status: dead ? 'dead' : 'pending',
      availableAt: new Date(now.getTime() + delay).toISOString(),
      lastError: result.error.slice(0, 2000),
    });
  }

  /** Claims and handles one batch; answers how many messages it handled. */
  async function runOnce(): Promise<number> {
    const batch = await claim();
    // Messages about one return run in the order they were claimed; different returns run side
    // by side, up to `concurrency` at a time (on PostgreSQL each message is a dozen round trips).
    const lanes = new Map<string, OutboxMessage[]>();
    for (const m of batch) {
      const key = (m.payload as { returnId?: unknown } | null)?.returnId;
      const lane = typeof key === 'string' ? `return:${key}` : m.id;
      lanes.set(lane, [...(lanes.get(lane) ?? []), m]);
    }
    const queue = [...lanes.values()];
    const runLane = async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) {
        for (const m of lane) {
          await handle(m);
          // On SQLite every statement resolves at once, so a batch would otherwise run as one
          // chain of microtasks and hold off the requests waiting for the event loop.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, runLane));
    return batch.length;
  }

  async function handle(m: OutboxMessage) {
    let result: HandlerResult;
    try {
      result = await handlers[m.topic]!(m);
    } catch (e) {
      opts.onError?.(e, m);
      result = { outcome: 'retry', error: e instanceof Error ? e.message : String(e) };
    }
    await settle(m, result);
  }

  async function loop() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        current = runOnce();
        const n = await current;
        if (n > 0) again = true;
      } while (again && !stopped);
    } catch (e) {
      opts.onError?.(e);
    } finally {
      current = null;
      running = false;
      if (!stopped) timer = setTimeout(loop, pollMs);
    }
  }

  /**
   * Runs due work until none is left, waiting for what another worker of this database holds
   * (the server's own loop, while the demo is seeded into it). Throws after `timeoutMs`.
   */
  async function drain(tenantId?: string, timeoutMs = 15_000): Promise<void> {
    const topics = Object.keys(handlers);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while ((await runOnce()) > 0);
      let due = db
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('topic', 'in', topics.length ? topics : ['-'])
        .where('availableAt', '<=', clock.now().toISOString());
      if (tenantId) due = due.where('tenantId', '=', tenantId);
      if (!(await due.limit(1).executeTakeFirst())) return;
      if (Date.now() > deadline) throw new Error(`outbox work still due after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  return {
    runOnce,
    drain,
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(loop, 0);
    },
    /** Wakes the worker now (after a commit that enqueued work) instead of at the next poll. */
    kick() {
      if (stopped) return;
      if (timer) clearTimeout(timer);
      timer = null;
      void loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await current?.catch(() => {});
    },
    /** Staff action: a dead message becomes pending again with a fresh attempt budget. */
    async replay(id: string): Promise<boolean> {
      const r = await db
        .updateTable('outbox')
        .set({ status: 'pending', attempts: 0, availableAt: clock.now().toISOString(), lockedUntil: null })
        .where('id', '=', id)
        .where('status', '=', 'dead')
        .executeTakeFirst();
      return r.numUpdatedRows === 1n;
    },

    /** The same, found by the business event it carries. */
    async replayByKey(topic: string, dedupeKey: string): Promise<boolean> {
      const r = await db
        .updateTable('outbox')
        .set({ status: 'pending', attempts: 0, availableAt: clock.now().toISOString(), lockedUntil: null })
        .where('topic', '=', topic)
        .where('dedupeKey', '=', dedupeKey)
        .where('status', '=', 'dead')
        .executeTakeFirst();
      return r.numUpdatedRows === 1n;
    },
  };
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;
