import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../src/database.ts';
import { createServices } from '../src/main.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { DatabaseHandle } from '../src/platform/db/database.ts';
import { type FakeStripe, startFakeStripe } from './fakes/fake-stripe.ts';
import { orderBody } from './helpers/fixtures.ts';
import { apiClient, testDatabaseConfig } from './helpers/test-app.ts';

/**
 * The refund saga under SIGKILL: a real server process is killed at the worst moments and
 * started again; afterwards the ledger, the guard row and the provider's own log must agree,
 * and the provider must have made the refund exactly once.
 */
const BIN = join(import.meta.dirname, '..', 'bin', 'returnflow.js');
const STRIPE_KEY = 'sk_test_crash_0001';
const WEBHOOK_SECRET = 'whsec_crash_0001';

let stripe: FakeStripe;
let dataDir: string;
let dbUrl: string;
let db: ReturnType<typeof testDatabaseConfig>;
let apiKey: string;
let setup: DatabaseHandle;
let services: ReturnType<typeof createServices>;
let tenantId: string;
const children = new Set<ChildProcess>();

function env(extra: Record<string, string>) {
  return {
    ...process.env,
    DATABASE_URL: dbUrl,
    DATA_DIR: dataDir,
    PORT: '0',
    SEED_DEMO: 'false',
    SECRET_KEY: 'crash-test-secret-key-0001',
    ALLOW_PROVIDER_BASE_URL: 'true',
    OUTBOX_LEASE_MS: '1000',
    OUTBOX_POLL_MS: '50',
    OUTBOX_RETRY_BASE_MS: '100',
    PROVIDER_TIMEOUT_MS: '5000',
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

function serve(extra: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: env(extra),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /running at (http:\/\/\S+)/.exec(out)?.[1];
      if (url && out.includes('API docs')) {
        clearTimeout(timer);
        resolve({ child, url });
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
    children.delete(child);
  });
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  stripe = await startFakeStripe({ apiKey: STRIPE_KEY, webhookSecret: WEBHOOK_SECRET });
  db = testDatabaseConfig();
  dbUrl = db.config.dialect === 'sqlite' ? `file:${db.config.file}` : db.config.url;
  dataDir = mkdtempSync(join(tmpdir(), 'returnflow-crash-'));
  const config = loadConfig(env({}));
  setup = await connectDatabase(config.database);
  // Set up in-process without a worker: nothing is executed here, only prepared.
  services = createServices(setup, systemClock, config);
  const tenant = await services.identity.createTenant({ name: 'Crash Shop', kind: 'merchant' });
  tenantId = tenant.tenantId;
  apiKey = tenant.apiKey;
  await services.providerAccounts.configureStripe(tenantId, {
    apiKey: STRIPE_KEY,
    webhookSecret: WEBHOOK_SECRET,
    baseUrl: stripe.url,
  });
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await db.dispose(setup).catch(() => {});
  await setup?.close();
  await stripe?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

let n = 0;
/** An inspected return of an order paid through (fake) Stripe, prepared in-process. */
async function inspectedReturn() {
  n += 1;
  const pi = `pi_crash_${Date.now()}_${n}`;
  const { order } = await services.orders.upsertOrder(
    tenantId,
    orderBody({ payment: { provider: 'stripe', reference: pi } }) as never,
  );
  stripe.setCharge(pi, { amount: order.totalAmount, currency: 'USD' });
  const actor = { type: 'api' as const, id: 'crash-test' };
  const ret = await services.returns.requestReturn(
    tenantId,
    {
      orderId: order.id,
      resolution: 'refund',
      lines: [{ orderLineId: order.lines[1]!.id, quantity: 1, reasonCode: 'not_as_described' }],
    },
    actor,
  );
  for (const a of ['receive', 'inspect'] as const)
    await services.returnActions.performAction(tenantId, ret.id, a, {}, actor);
  return { pi, order, ret };
}

async function assertBooksAgree(orderId: string, returnId: string, amount: number) {
  const entries = await setup.db
    .selectFrom('ledgerEntries')
    .selectAll()
    .where('returnId', '=', returnId)
    .execute();
  const kinds = entries.map((e) => e.kind).sort();
  expect(kinds).toEqual(['refund_started', 'refund_succeeded']);
  for (const e of entries) expect(e.amount).toBe(amount);
  const pay = await setup.db
    .selectFrom('orderPayments')
    .selectAll()
    .where('orderId', '=', orderId)
    .executeTakeFirstOrThrow();
  expect(pay.refundedAmount).toBe(amount);
  const refunds = await setup.db.selectFrom('refunds').selectAll().where('returnId', '=', returnId).execute();
  expect(refunds).toHaveLength(1);
  expect(refunds[0]).toMatchObject({ status: 'succeeded', attempt: 1 });
}

describe('refunds survive SIGKILL', () => {
  it('finishes a refund whose process died right after committing it, before calling the provider', async () => {
    const { pi, order, ret } = await inspectedReturn();
    const first = await serve({ WORKER: 'false' });
    const api = apiClient(first.url, apiKey);
    const res = await api.post(`/api/v1/returns/${ret.id}/actions/refund`);
    expect(res.body.status).toBe('refund_pending');
    await kill(first.child);
    expect(stripe.requests.filter((r) => r.params.payment_intent === pi)).toHaveLength(0);

    const second = await serve();
    try {
      const done = await until(
        () => apiClient(second.url, apiKey).get(`/api/v1/returns/${ret.id}`),
        (r) => r.body.status === 'refunded',
      );
      expect(done.body.refund.status).toBe('succeeded');
      expect(stripe.createdCount(pi)).toBe(1);
      await assertBooksAgree(order.id, ret.id, ret.refundTotal);
    } finally {
      await kill(second.child);
    }
  }, 90_000);

  it('refunds once when the process dies while the provider is still making the refund', async () => {
    const { pi, order, ret } = await inspectedReturn();
    // Stripe holds the first request 1.5 s, then makes the refund whoever is still listening.
    stripe.script({ kind: 'hang', ms: 1_500 });
    const first = await serve();
    await apiClient(first.url, apiKey).post(`/api/v1/returns/${ret.id}/actions/refund`);
    await until(
      async () => stripe.requests.filter((r) => r.params.payment_intent === pi).length,
      (k) => k === 1,
    );
    await kill(first.child);
    await until(
      async () => stripe.createdCount(pi),
      (k) => k === 1,
    );

    const second = await serve();
    try {
      const done = await until(
        () => apiClient(second.url, apiKey).get(`/api/v1/returns/${ret.id}`),
        (r) => r.body.status === 'refunded',
      );
      const calls = stripe.requests.filter((r) => r.params.payment_intent === pi);
      // The retry carried the same idempotency key and was answered with the first refund.
      expect(calls.length).toBeGreaterThanOrEqual(2);
      expect(new Set(calls.map((c) => c.idempotencyKey)).size).toBe(1);
      expect(calls.some((c) => c.replayed)).toBe(true);
      expect(stripe.createdCount(pi)).toBe(1);
      expect(done.body.refund.providerRef).toBe(
        [...stripe.refunds.values()].find((r) => r.payment_intent === pi)!.id,
      );
      await assertBooksAgree(order.id, ret.id, ret.refundTotal);
    } finally {
      await kill(second.child);
    }
  }, 90_000);
});
