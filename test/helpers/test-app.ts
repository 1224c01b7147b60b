import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.ts';
import { connectDatabase } from '../../src/database.ts';
import {
  createRealtime,
  createServices,
  type ServiceConfig,
  type Services,
  WEB_DIST_DIR,
} from '../../src/main.ts';
import { type Clock, systemClock } from '../../src/platform/clock.ts';
import { type DatabaseConfig, parseDatabaseUrl, type StorageConfig } from '../../src/platform/config.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import { newSecret } from '../../src/platform/ids.ts';
import { WAIT_MS } from './budget.ts';

/**
 * A database of its own for one test file: a temporary SQLite file, or — when
 * TEST_DATABASE_URL is a postgres:// URL — a fresh schema in that database, dropped afterwards.
 */
export function testDatabaseConfig(): {
  config: DatabaseConfig;
  dispose: (h: DatabaseHandle) => Promise<void>;
} {
  const url = process.env.TEST_DATABASE_URL;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    // Named after the run, and dropped by the global teardown once every file is done: dropping a
    // schema while another file migrates breaks that migration (Kysely's migrator introspects
    // every schema of the database). Runs outside vitest's global setup drop their own at once.
    const run = process.env.RETURNFLOW_TEST_RUN;
    const schema = `${run ? `t_${run}_` : 't_'}${newSecret(8)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')}`;
    const config = parseDatabaseUrl(`${url}${url.includes('?') ? '&' : '?'}schema=${schema}`);
    return {
      config,
      dispose: async (h) => {
        if (!run) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(h.db);
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'returnflow-test-'));
  return {
    config: parseDatabaseUrl(`file:${join(dir, 'test.db')}`),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type ApiResponse<T = any> = { status: number; body: T; headers: Headers };

export function apiClient(baseUrl: string, apiKey?: string) {
  async function call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  return {
    get: <T = any>(path: string, headers?: Record<string, string>) =>
      call<T>('GET', path, undefined, headers),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('POST', path, body ?? {}, headers),
    put: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('PUT', path, body, headers),
    delete: <T = any>(path: string, headers?: Record<string, string>) =>
      call<T>('DELETE', path, undefined, headers),
    raw: call,
    /** A GET answered with bytes (a photo, a CSV with its BOM), kept exactly as sent. */
    bytes: async (path: string) => {
      const res = await fetch(`${baseUrl}${path}`, {
        headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      });
      return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
    },
  };
}

/**
 * A customer's browser on the portal API: keeps the session cookie between calls; a Buffer body
 * goes as it is (photo uploads), anything else as JSON.
 */
export function customerSession(baseUrl: string) {
  let cookie = '';
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(body !== undefined && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      // A Blob, which both Node's and the DOM's fetch types accept (browser tests compile this too).
      body:
        body === undefined
          ? undefined
          : Buffer.isBuffer(body)
            ? new Blob([new Uint8Array(body)])
            : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0]!;
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

export const STAFF_PASSWORD = 'correct horse battery';

/**
 * Signs a staff member in through the API, as the web app does: a client that sends their session
 * cookie and CSRF token with every call.
 */
export async function staffSignIn(app: TestApp, email: string, password = STAFF_PASSWORD) {
  const login = await app.anon.post('/api/v1/auth/login', { email, password });
  if (login.status !== 200)
    throw new Error(`sign-in of ${email}: ${login.status} ${JSON.stringify(login.body)}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = login.body.csrfToken as string;
  const headers = { cookie, 'x-csrf-token': csrf };
  const base = apiClient(app.baseUrl);
  return {
    email,
    cookie,
    csrf,
    get: <T = any>(p: string) => base.get<T>(p, headers),
    post: <T = any>(p: string, body?: unknown) => base.post<T>(p, body, headers),
    put: <T = any>(p: string, body?: unknown) => base.put<T>(p, body, headers),
    delete: <T = any>(p: string) => base.delete<T>(p, headers),
  };
}

export type StaffRole = 'admin' | 'supervisor' | 'agent' | 'warehouse';

/** A new staff member with a fresh email, of the app's tenant unless another is given. */
export async function createStaff(
  app: TestApp,
  role: StaffRole,
  opts: { name?: string; password?: string; tenantId?: string } = {},
) {
  const email = `${role}-${newSecret(6).toLowerCase()}@staff.example`;
  const { name = role, password = STAFF_PASSWORD } = opts;
  await app.services.identity.createUser(opts.tenantId ?? app.tenant.tenantId, {
    email,
    name,
    role,
    password,
  });
  return { email, password, name };
}

/** A new staff member of the app's tenant with `role`, signed in (see `staffSignIn`). */
export async function staffClient(app: TestApp, role: StaffRole) {
  const { email } = await createStaff(app, role);
  return staffSignIn(app, email);
}

/** The real server on a loopback port over its own database, with one tenant ready. */
export async function startTestApp(
  opts: {
    clock?: Clock;
    publicRateLimit?: number;
    /** Order lookups per minute per IP; high by default, as test files look up many orders. */
    lookupRateLimit?: number;
    worker?: Partial<ServiceConfig['worker']>;
    allowProviderBaseUrl?: boolean;
    /** Webhooks to loopback (the tests' receivers) are allowed unless this says false. */
    allowPrivateWebhookUrls?: boolean;
    smtpUrl?: string;
    /** Where uploaded files go; default a temporary DATA_DIR. */
    storage?: StorageConfig;
    /** Serve the built web app at `/` (test/e2e/global-setup.ts builds it once per run). */
    web?: boolean;
  } = {},
) {
  const { config, dispose } = testDatabaseConfig();
  const handle = await connectDatabase(config, { poolSize: 20 });
  const clock = opts.clock ?? systemClock;
  let baseUrl = 'http://127.0.0.1:0';
  const dataDir = mkdtempSync(join(tmpdir(), 'returnflow-data-'));
  const realtime = await createRealtime(config);
  const services: Services = createServices(
    handle,
    clock,
    {
      get publicUrl() {
        return baseUrl;
      },
      dataDir,
      secretKey: 'test-secret-key-not-for-production',
      worker: { enabled: true, pollMs: 25, leaseMs: 5_000, maxAttempts: 4, baseDelayMs: 20, ...opts.worker },
      providerTimeoutMs: 1_000,
      allowProviderBaseUrl: opts.allowProviderBaseUrl ?? true,
      smtpUrl: opts.smtpUrl,
      allowPrivateWebhookUrls: opts.allowPrivateWebhookUrls ?? true,
      storage: opts.storage,
    },
    realtime,
  );
  services.worker.start();
  const app = await buildApp(services, {
    logLevel: 'silent',
    publicRateLimit: opts.publicRateLimit ?? 100_000,
    lookupRateLimit: opts.lookupRateLimit ?? 1_000,
    // Read when links are built, after listen() has picked the port.
    get publicUrl() {
      return baseUrl;
    },
    webDir: opts.web ? WEB_DIST_DIR : null,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const tenant = await services.identity.createTenant({ name: 'Test Shop', kind: 'merchant' });
  return {
    baseUrl,
    /** The Fastify instance (its `routeList` names every route and who may call it). */
    app,
    services,
    handle,
    dataDir,
    clock,
    tenant,
    api: apiClient(baseUrl, tenant.apiKey),
    anon: apiClient(baseUrl),
    /** Another tenant with its own key, for isolation tests. */
    async otherTenant() {
      const t = await services.identity.createTenant({ name: 'Other Shop', kind: 'merchant' });
      return { tenant: t, api: apiClient(baseUrl, t.apiKey) };
    },
    /** Waits until `check` passes (the worker settles refunds in the background). */
    async eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = WAIT_MS): Promise<T> {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const v = await read();
        if (ok(v)) return v;
        if (Date.now() > until)
          throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(v)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      await services.shutdown();
      await app.close();
      await realtime.close();
      rmSync(dataDir, { recursive: true, force: true });
      await dispose(handle).catch(() => {});
      await handle.close();
    },
  };
}
