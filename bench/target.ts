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

/**
 * The real application (createServices + buildApp, as `returnflow serve` builds it) on a loopback
 * port, with one tenant, `orderCount` big orders and `trackedReturns` returns to read back.
 */
export async function startTarget(
  config: DatabaseConfig,
  opts: { orderCount: number; trackedReturns: number; timer?: QueryTimer },
) {
  // Default pool size (10), like `returnflow serve`.
  const handle = await connectDatabase(config);
  let baseUrl = 'http://127.0.0.1:0';
  // Everything else as `returnflow serve` runs with an empty environment (worker on, default
  // timeouts); the data dir (secret key file) is a temp dir of its own.
  const dataDir = mkdtempSync(join(tmpdir(), 'returnflow-bench-data-'));
  const defaults = loadConfig({ DATA_DIR: dataDir });
  const db = opts.timer ? opts.timer.wrap(handle.db) : handle.db;
  const services = createServices({ ...handle, db }, systemClock, {
    // Every setting `serve` would get from an empty environment (future ones included) …
    ...defaults,
    // … except the public URL, known once the server listens.
    get publicUrl() {
      return baseUrl;
    },
  });
  if (defaults.worker.enabled) services.worker.start();
  const app = await buildApp(services, {
    logLevel: 'silent',
    publicRateLimit: 10_000_000,
    publicUrl: baseUrl,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
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
  const trackingPaths: string[] = [];
  for (let i = 0; i < opts.trackedReturns; i++) {
    const body = JSON.parse(returnBodies[i % returnBodies.length]!) as unknown;
    const ret = await call(baseUrl, tenant.apiKey, 'POST', '/api/v1/returns', body);
    trackingPaths.push(`/api/v1/track/${ret.trackingToken as string}`);
  }
  // Sanity check: the public route answers through HTTP.
  const probe = await fetch(`${baseUrl}${trackingPaths[0]}`);
  if (probe.status !== 200) throw new Error(`tracking probe answered ${probe.status}`);
  await probe.arrayBuffer();

  return {
    baseUrl,
    apiKey: tenant.apiKey,
    handle,
    returnBodies,
    trackingPaths,
    async countReturns(): Promise<number> {
      const r = await handle.db
        .selectFrom('returns')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async close() {
      await services.worker.stop();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
