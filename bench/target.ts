import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { connectDatabase } from '../src/database.ts';
import { createServices } from '../src/main.ts';
import { systemClock } from '../src/platform/clock.ts';
import { type DatabaseConfig, loadConfig, parseDatabaseUrl } from '../src/platform/config.ts';
import type { DatabaseHandle } from '../src/platform/db/database.ts';
import type { QueryTimer } from './query-timer.ts';
import type { StatementCounter } from './statement-counter.ts';

/** A database of the bench's own: a temp SQLite file, or a fresh schema in the given PostgreSQL database. */
export function benchDatabase(pgUrl: string | null): {
  label: string;
  config: DatabaseConfig;
  dispose: (h: DatabaseHandle) => Promise<void>;
} {
  if (pgUrl) {
    const schema = `bench_${randomBytes(6).toString('hex')}`;
    const config = parseDatabaseUrl(`${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`);
    return {
      label: 'PostgreSQL',
      config,
      dispose: async (h) => {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(h.db);
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'returnflow-bench-'));
  return {
    label: 'SQLite',
    config: parseDatabaseUrl(`file:${join(dir, 'bench.db')}`),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

type Json = Record<string, unknown>;

async function call(baseUrl: string, apiKey: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch((e: Error) => {
    // fetch says only "fetch failed"; the reason (ECONNRESET…) is in its cause.
    throw new Error(`${method} ${path}: ${e.message} (${String((e.cause as Error | undefined)?.message)})`);
  });
  const json = (await res.json()) as Json;
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** An order whose one line has a million units, so every bench request can return one of them. */
function bigOrder(i: number) {
  const tag = `${Date.now().toString(36)}-${i}`;
  return {
    externalId: `bench-${tag}`,
    orderNumber: `#B${i}`,
    currency: 'USD',
    placedAt: new Date(Date.now() - 10 * 86_400_000).toISOString(),
    deliveredAt: new Date(Date.now() - 7 * 86_400_000).toISOString(),
    customer: { email: `bench-${tag}@example.com`, name: 'Bench Buyer' },
    shippingAmount: 500,
    lines: [
      {
        externalId: 'L1',
        sku: 'TEE-1',
        title: 'T-shirt',
        category: 'tops',
        quantity: 1_000_000,
        unitPrice: 3500,
      },
    ],
  };
}

/** Signs in as the tenant's admin through the real login route: the console's own credentials. */
async function staffSession(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  await res.arrayBuffer();
  const cookie = /rf_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  if (res.status !== 200 || !cookie) throw new Error(`staff login answered ${res.status} without a session`);
  return cookie;
}

export type TargetOptions = {
  orderCount: number;
  trackedReturns: number;
  timer?: QueryTimer;
  /** Counts statements per request (and the worker's apart); see statement-counter.ts. */
  counter?: StatementCounter;
  /**
   * Request logging as in production: `loadConfig`'s level (info) as pino JSON lines on stdout,
   * which is what `returnflow serve` does when stdout is not a terminal. Off: silent (profiling).
   */
  requestLog?: boolean;
};

/**
 * The real application (createServices + buildApp, as `returnflow serve` builds it) on a loopback
 * port, with one tenant, `orderCount` big orders and `trackedReturns` returns to read back, and a
 * staff session of the tenant's admin for the console.
 */
export async function startTarget(config: DatabaseConfig, opts: TargetOptions) {
  // Default pool size (10), like `returnflow serve`.
  const handle = await connectDatabase(config);
  let baseUrl = 'http://127.0.0.1:0';
  // Everything else as `returnflow serve` runs with an empty environment (worker on, default
  // timeouts); the data dir (secret key file) is a temp dir of its own.
  const dataDir = mkdtempSync(join(tmpdir(), 'returnflow-bench-data-'));
  const defaults = loadConfig({ DATA_DIR: dataDir }, false);
  let db = opts.timer ? opts.timer.wrap(handle.db) : handle.db;
  if (opts.counter) db = opts.counter.wrap(db);
  const services = createServices({ ...handle, db }, systemClock, {
    // Every setting `serve` would get from an empty environment (future ones included) …
    ...defaults,
    // … except the public URL, known once the server listens.
    get publicUrl() {
      return baseUrl;
    },
  });
  const counter = opts.counter;
  if (counter) {
    // The services wake the worker through this property after a commit, from inside the
    // request; the dispatch that follows is the worker's work, counted apart.
    const kick = services.worker.kick.bind(services.worker);
    services.worker.kick = () => counter.outside(kick);
  }
  if (defaults.worker.enabled) services.worker.start();
  const app = await buildApp(services, {
    logLevel: opts.requestLog ? defaults.logLevel : 'silent',
    logFormat: 'json',
    lookupRateLimit: defaults.lookupRateLimit,
    idempotencyStaleMs: defaults.idempotencyStaleMs,
    // The limiter runs on every public request as in production; its ceiling is raised so that
    // one client IP sending thousands of tracking reads a second is not answered 429.
    publicRateLimit: 10_000_000,
    publicUrl: baseUrl,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  counter?.attach(app.server);
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const tenant = await services.identity.createTenant({ name: 'Bench Shop', kind: 'merchant' });

  const returnBodies: string[] = [];
  for (let i = 0; i < opts.orderCount; i++) {
    const order = await call(baseUrl, tenant.apiKey, 'POST', '/api/v1/orders', bigOrder(i));
    const lines = order.lines as { id: string }[];
    returnBodies.push(
      JSON.stringify({
        orderId: order.id,
        resolution: 'refund',
        lines: [{ orderLineId: lines[0]!.id, quantity: 1, reasonCode: 'wrong_size' }],
      }),
    );
  }
  const trackingTokens: string[] = [];
  const caseIds: string[] = [];
  for (let i = 0; i < opts.trackedReturns; i++) {
    const body = JSON.parse(returnBodies[i % returnBodies.length]!) as unknown;
    const ret = await call(baseUrl, tenant.apiKey, 'POST', '/api/v1/returns', body);
    trackingTokens.push(ret.trackingToken as string);
    caseIds.push(ret.id as string);
  }
  const trackingPaths = trackingTokens.map((t) => `/api/v1/track/${t}`);
  const sessionCookie = await staffSession(baseUrl, tenant.adminEmail, tenant.adminPassword);
  // Sanity check: the public route and the console route answer through HTTP.
  for (const [path, headers] of [
    [trackingPaths[0]!, {}],
    [`/api/v1/console/returns/${caseIds[0]}`, { cookie: sessionCookie }],
  ] as const) {
    const probe = await fetch(`${baseUrl}${path}`, { headers });
    if (probe.status !== 200) throw new Error(`probe of ${path} answered ${probe.status}`);
    await probe.arrayBuffer();
  }

  return {
    baseUrl,
    apiKey: tenant.apiKey,
    tenantId: tenant.tenantId,
    sessionCookie,
    handle,
    returnBodies,
    trackingTokens,
    trackingPaths,
    caseIds,
    async countReturns(): Promise<number> {
      const r = await handle.db
        .selectFrom('returns')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    /** Outbox rows by state; `due` is work the worker should be doing now (claimed or not). */
    async outboxState(): Promise<OutboxState> {
      return outboxState(handle.db);
    },
    /**
     * Resolves once no outbox row is pending and due (what `worker.drain` waits for, without
     * running the work here: the server's own worker must do it), or after `timeoutMs`.
     */
    async waitForOutbox(timeoutMs: number, pollMs = 25): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const due = await handle.db
          .selectFrom('outbox')
          .select('id')
          .where('status', '=', 'pending')
          .where('availableAt', '<=', new Date().toISOString())
          .limit(1)
          .executeTakeFirst();
        if (!due) return true;
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, pollMs));
      }
    },
    async close() {
      await services.worker.stop();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Target = Awaited<ReturnType<typeof startTarget>>;

export type OutboxState = { due: number; later: number; done: number; dead: number };

async function outboxState(db: DatabaseHandle['db']): Promise<OutboxState> {
  const now = new Date().toISOString();
  const rows = await db
    .selectFrom('outbox')
    .select((eb) => [
      'status',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>(eb.case().when('availableAt', '<=', now).then(1).else(0).end()).as('due'),
    ])
    .groupBy('status')
    .execute();
  const state: OutboxState = { due: 0, later: 0, done: 0, dead: 0 };
  for (const r of rows) {
    const n = Number(r.n);
    if (r.status === 'pending') {
      state.due += Number(r.due);
      state.later += n - Number(r.due);
    } else if (r.status === 'done') state.done += n;
    else if (r.status === 'dead') state.dead += n;
  }
  return state;
}
