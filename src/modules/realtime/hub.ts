import { createHash } from 'node:crypto';
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import pg from 'pg';

export type RealtimeMessage = {
  /** Who hears it: a name made by channels.ts (a return, a tenant's queues, an inbox). */
  channel: string;
  /** The SSE event name, e.g. 'return.updated'. */
  event: string;
  /** JSON-serialisable and small; see MAX_NOTIFY_BYTES for what happens to big ones. */
  data: unknown;
  /** Becomes the SSE `id:` line, which the browser echoes back as Last-Event-ID. */
  id?: string;
};

export type RealtimeListener = (msg: RealtimeMessage) => void;

export interface Realtime {
  /**
   * Delivers to every subscriber of `channel` in every process. Fire-and-forget safe: the promise
   * never rejects — a throwing listener, a dead subscriber or a database error goes to `onError` —
   * because a live update failing must never fail (or crash) the request that committed the change.
   */
  publish(msg: RealtimeMessage): Promise<void>;
  /** In-process subscription; returns unsubscribe. */
  subscribe(channel: string, listener: RealtimeListener): () => void;
  subscriberCount(channel?: string): number;
  close(): Promise<void>;
}

/** The PostgreSQL hub also says which NOTIFY channel it uses, for `notifyInTransaction`. */
export type PgRealtime = Realtime & { readonly notifyChannel: string };

/**
 * Sent to every subscribed channel of a process after its LISTEN connection came back: whatever
 * was published while it was down is lost (NOTIFY is not stored), so subscribers refetch.
 */
export const RESYNC_EVENT = 'realtime.resync';

/**
 * PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. A bigger message goes out as
 * `{ channel, event, id, data: { truncated: true } }`; subscribers that see `truncated` refetch
 * the resource named by the channel instead of reading `data`.
 */
export const MAX_NOTIFY_BYTES = 7999;

export const DEFAULT_NOTIFY_CHANNEL = 'returnflow_realtime';

type LocalOptions = { onError?: (e: unknown) => void };

const defaultOnError = (e: unknown) => console.error('[realtime]', e);

/** The in-process map channel → listeners; shared by both hubs for the local half of delivery. */
function createRegistry(onError: (e: unknown) => void) {
  const channels = new Map<string, Set<RealtimeListener>>();
  return {
    channels,
    deliver(msg: RealtimeMessage): void {
      const set = channels.get(msg.channel);
      if (!set) return;
      // A copy, so a listener that unsubscribes (or subscribes) during delivery changes nothing here.
      for (const listener of [...set]) {
        try {
          listener(msg);
        } catch (e) {
          onError(e);
        }
      }
    },
    subscribe(channel: string, listener: RealtimeListener): () => void {
      let set = channels.get(channel);
      if (!set) {
        set = new Set();
        channels.set(channel, set);
      }
      // Wrapped so the same function subscribed twice gets two deliveries and two unsubscribes.
      const entry: RealtimeListener = (msg) => listener(msg);
      set.add(entry);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        const current = channels.get(channel);
        if (!current) return;
        current.delete(entry);
        if (current.size === 0) channels.delete(channel);
      };
    },
    count(channel?: string): number {
      if (channel !== undefined) return channels.get(channel)?.size ?? 0;
      let n = 0;
      for (const set of channels.values()) n += set.size;
      return n;
    },
  };
}

/** One process (SQLite deployments, tests): publish delivers synchronously to this process's subscribers. */
export function createLocalRealtime(options: LocalOptions = {}): Realtime {
  const registry = createRegistry(options.onError ?? defaultOnError);
  let closed = false;
  return {
    async publish(msg) {
      if (closed) return;
      registry.deliver(msg);
    },
    subscribe: (channel, listener) => registry.subscribe(channel, listener),
    subscriberCount: (channel) => registry.count(channel),
    async close() {
      closed = true;
      registry.channels.clear();
    },
  };
}

/**
 * The NOTIFY channel for a schema. Each test file has its own schema in one database, and NOTIFY
 * reaches every listener of the database, so the schema goes into the name. Names longer than
 * PostgreSQL's 63-byte identifiers would be truncated by LISTEN but refused by pg_notify, so those
 * are shortened with a hash instead.
 */
export function realtimeChannelName(schema?: string, base = DEFAULT_NOTIFY_CHANNEL): string {
  const name = schema ? `${base}_${schema}` : base;
  if (Buffer.byteLength(name) <= 63) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 16);
  return `${name.slice(0, 46)}_${hash}`;
}

/** The NOTIFY payload for a message: its JSON, or the truncated pointer when that is too big. */
export function notifyPayload(msg: RealtimeMessage): string {
  const full = JSON.stringify({ channel: msg.channel, event: msg.event, data: msg.data, id: msg.id });
  if (Buffer.byteLength(full) <= MAX_NOTIFY_BYTES) return full;
  const pointer = JSON.stringify({
    channel: msg.channel,
    event: msg.event,
    data: { truncated: true },
    id: msg.id,
  });
  // Only a huge channel name or id gets here: a programmer error, not something to deliver half of.
  if (Buffer.byteLength(pointer) > MAX_NOTIFY_BYTES) {
    throw new Error(`realtime message on ${msg.channel.slice(0, 80)}… is too big even as a pointer`);
  }
  return pointer;
}

function parsePayload(payload: string | undefined): RealtimeMessage | null {
  if (!payload) return null;
  const raw = JSON.parse(payload) as Partial<RealtimeMessage>;
  if (!raw || typeof raw.channel !== 'string' || typeof raw.event !== 'string') return null;
  const msg: RealtimeMessage = { channel: raw.channel, event: raw.event, data: raw.data };
  if (typeof raw.id === 'string') msg.id = raw.id;
  return msg;
}

/**
 * Publishes from inside a database transaction on PostgreSQL. PostgreSQL sends a NOTIFY only when
 * the transaction commits, and drops it on rollback, so the live update can never announce a
 * change that did not happen nor arrive before it is visible to a refetch. On SQLite there is no
 * NOTIFY: the caller publishes through `Realtime.publish` after the commit instead.
 *
 * PostgreSQL folds identical (channel, payload) notifications of one transaction into one; give
 * messages an `id` when two equal ones must both arrive.
 */
export async function notifyInTransaction<DB>(
  trx: Kysely<DB>,
  msg: RealtimeMessage,
  channelName: string = DEFAULT_NOTIFY_CHANNEL,
): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) {
    throw new Error('notifyInTransaction needs PostgreSQL; on SQLite publish after the commit');
  }
  await sql`select pg_notify(${channelName}, ${notifyPayload(msg)})`.execute(trx);
}

export type PgRealtimeOptions = {
  connectionString: string;
  /** Namespaces the NOTIFY channel (tests use a schema per file); defaults to the URL's `?schema=`. */
  schema?: string;
  /** The NOTIFY channel before namespacing; default 'returnflow_realtime'. */
  channelName?: string;
  onError?: (e: unknown) => void;
  /** How often the LISTEN connection is checked; a half-open TCP connection otherwise looks alive for hours. */
  pingMs?: number;
  /** First and longest wait between reconnect attempts (doubling in between). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
};

/**
 * Fan-out across processes through PostgreSQL LISTEN/NOTIFY. Each process keeps one dedicated
 * connection that LISTENs and delivers what comes back to its own subscribers — including what it
 * published itself, so every process delivers each message exactly once and in the order
 * PostgreSQL committed them.
 *
 * `publish` runs `pg_notify` through a small pool of its own rather than on the LISTEN
 * connection: a publish then neither waits for nor fails with the listener's reconnects, and
 * concurrent publishes do not queue behind one another on a single connection. The cost is at
 * most two more connections per process, closed when idle.
 */
export async function createPgRealtime(opts: PgRealtimeOptions): Promise<PgRealtime> {
  const onError = opts.onError ?? defaultOnError;
  const { url, schema: urlSchema } = splitSchema(opts.connectionString);
  const notifyChannel = realtimeChannelName(opts.schema ?? urlSchema, opts.channelName);
  const pingMs = opts.pingMs ?? 30_000;
  const minDelay = opts.reconnectMinMs ?? 100;
  const maxDelay = opts.reconnectMaxMs ?? 5_000;
  const registry = createRegistry(onError);

  const pool = new pg.Pool({ connectionString: url, max: 2, idleTimeoutMillis: 10_000 });
  // An idle pooled connection that dies emits 'error' on the pool; unhandled, it would crash.
  pool.on('error', onError);

  let closed = false;
  let client: pg.Client | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let pingTimer: NodeJS.Timeout | null = null;
  let attempt = 0;
  // A connection given up on (a missed ping) may still hand over notifications until it is gone;
  // its replacement hears them too, so they would be delivered twice.
  const retired = new WeakSet<pg.Client>();

  async function listen(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: url, keepAlive: true });
    // Errors before 'connect' resolves reject the promise below; this only keeps them from crashing.
    c.on('error', () => {});
    // Attached before LISTEN: a notification parsed in the same read as the LISTEN's reply is
    // emitted before the awaited query resumes us, and would otherwise be lost.
    c.on('notification', (n) => {
      if (n.channel !== notifyChannel || retired.has(c)) return;
      let msg: RealtimeMessage | null;
      try {
        msg = parsePayload(n.payload);
      } catch (e) {
        onError(e);
        return;
      }
      if (msg) registry.deliver(msg);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${quoteIdent(notifyChannel)}`);
    } catch (e) {
      await c.end().catch(() => {});
      throw e;
    }
    c.removeAllListeners('error');
    c.on('error', (e) => lost(c, e));
    c.on('end', () => lost(c, new Error('realtime LISTEN connection ended')));
    return c;
  }

  function lost(c: pg.Client, e: unknown): void {
    if (client !== c || closed) return;
    client = null;
    retired.add(c);
    stopPing();
    onError(e);
    c.end().catch(() => {});
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (closed || retryTimer) return;
    const delay = Math.min(maxDelay, minDelay * 2 ** attempt) * (0.75 + Math.random() * 0.5);
    attempt += 1;
    retryTimer = setTimeout(async () => {
      retryTimer = null;
      try {
        const c = await listen();
        if (closed) {
          await c.end().catch(() => {});
          return;
        }
        client = c;
        attempt = 0;
        startPing(c);
        resync();
      } catch (e) {
        onError(e);
        scheduleReconnect();
      }
    }, delay);
  }

  /** Tells every local subscriber it may have missed messages while the connection was down. */
  function resync(): void {
    for (const channel of [...registry.channels.keys()]) {
      registry.deliver({ channel, event: RESYNC_EVENT, data: { reason: 'reconnected' } });
    }
  }

  function startPing(c: pg.Client): void {
    stopPing();
    pingTimer = setInterval(() => {
      let answered = false;
      const timeout = setTimeout(() => {
        if (!answered) lost(c, new Error('realtime LISTEN connection did not answer a ping'));
      }, 10_000);
      timeout.unref();
      c.query('select 1').then(
        () => {
          answered = true;
          clearTimeout(timeout);
        },
        (e) => {
          answered = true;
          clearTimeout(timeout);
          lost(c, e);
        },
      );
    }, pingMs);
    pingTimer.unref();
  }

  function stopPing(): void {
    if (pingTimer) clearInterval(pingTimer);
    pingTimer = null;
  }

  try {
    client = await listen();
  } catch (e) {
    await pool.end().catch(() => {});
    throw e;
  }
  startPing(client);

  return {
    notifyChannel,
    async publish(msg) {
      if (closed) return;
      try {
        await pool.query('select pg_notify($1, $2)', [notifyChannel, notifyPayload(msg)]);
      } catch (e) {
        onError(e);
      }
    },
    subscribe: (channel, listener) => registry.subscribe(channel, listener),
    subscriberCount: (channel) => registry.count(channel),
    async close() {
      if (closed) return;
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      stopPing();
      registry.channels.clear();
      const c = client;
      client = null;
      await Promise.all([c?.end().catch(() => {}), pool.end().catch(() => {})]);
    },
  };
}

/** The app's URLs carry `?schema=`, which is ours, not libpq's: strip it before pg sees it. */
function splitSchema(connectionString: string): { url: string; schema?: string } {
  let parsed: URL;
  try {
    parsed = new URL(connectionString);
  } catch {
    return { url: connectionString };
  }
  const schema = parsed.searchParams.get('schema');
  if (schema === null) return { url: connectionString };
  parsed.searchParams.delete('schema');
  return { url: parsed.toString(), ...(schema ? { schema } : {}) };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
