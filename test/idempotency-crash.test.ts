import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../src/database.ts';
import { createServices } from '../src/main.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { DatabaseHandle } from '../src/platform/db/database.ts';
import { type ChildServer, killChild, startChildServer } from './helpers/child-server.ts';
import { orderBody } from './helpers/fixtures.ts';
import { apiClient, startTestApp, type TestApp, testDatabaseConfig } from './helpers/test-app.ts';

/**
 * A write and the answer to its Idempotency-Key: the write links the key in its own transaction,
 * so a retry after the answer was lost (the process died after the commit) answers the first
 * result and never writes twice.
 */
describe('Idempotency-Key when the answer was lost', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** What a crash between the commit and the stored answer leaves behind. */
  const loseAnswer = (key: string) =>
    t.handle.db
      .updateTable('idempotencyKeys')
      .set({ statusCode: null, responseBody: null })
      .where('key', '=', key)
      .execute();

  const returnsOf = async (orderId: string) =>
    t.handle.db.selectFrom('returns').select('id').where('orderId', '=', orderId).execute();

  it('answers a filed return again from the return, not by filing another', async () => {
    const order = (await t.api.post('/api/v1/orders', orderBody())).body;
    const body = {
      orderId: order.id,
      resolution: 'refund',
      lines: [{ orderLineId: order.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
    };
    const key = `crash-${order.id}`;
    const first = await t.api.post('/api/v1/returns', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    await loseAnswer(key);
    const retry = await t.api.post('/api/v1/returns', body, { 'idempotency-key': key });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.body.rmaNumber).toBe(first.body.rmaNumber);
    expect(await returnsOf(order.id)).toHaveLength(1);
    // The rebuilt answer is stored too: the next retry replays it as it is.
    const again = await t.api.post('/api/v1/returns', body, { 'idempotency-key': key });
    expect(again.body).toEqual(retry.body);
  });

  it('answers an action and a message again without repeating them', async () => {
    const order = (await t.api.post('/api/v1/orders', orderBody())).body;
    const ret = (
      await t.api.post('/api/v1/returns', {
        orderId: order.id,
        resolution: 'refund',
        lines: [{ orderLineId: order.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
      })
    ).body;
    const ship = { carrier: 'UPS', trackingNumber: '1Z1' };
    const first = await t.api.post(`/api/v1/returns/${ret.id}/actions/ship`, ship, {
      'idempotency-key': `ship-${ret.id}`,
    });
    expect(first.body.status).toBe('in_transit');
    await loseAnswer(`ship-${ret.id}`);
    const retry = await t.api.post(`/api/v1/returns/${ret.id}/actions/ship`, ship, {
      'idempotency-key': `ship-${ret.id}`,
    });
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe('in_transit');

    const message = { message: 'Thanks, we got the tracking number.' };
    await t.api.post(`/api/v1/returns/${ret.id}/messages`, message, { 'idempotency-key': `msg-${ret.id}` });
    await loseAnswer(`msg-${ret.id}`);
    const resent = await t.api.post(`/api/v1/returns/${ret.id}/messages`, message, {
      'idempotency-key': `msg-${ret.id}`,
    });
    expect(resent.status).toBe(200);
    const events = (await t.api.get(`/api/v1/returns/${ret.id}/events`)).body.data;
    expect(events.filter((e: { action: string }) => e.action === 'staff_message')).toHaveLength(1);
    expect(events.filter((e: { action: string }) => e.action === 'ship')).toHaveLength(1);
  });

  it('runs a request again only when its first try wrote nothing: after the stale window, not before', async () => {
    const order = (await t.api.post('/api/v1/orders', orderBody())).body;
    const body = {
      orderId: order.id,
      resolution: 'refund',
      lines: [{ orderLineId: order.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
    };
    await t.api.post('/api/v1/returns', body, { 'idempotency-key': `seen-${order.id}` });
    const seen = await t.handle.db
      .selectFrom('idempotencyKeys')
      .select('requestHash')
      .where('key', '=', `seen-${order.id}`)
      .executeTakeFirstOrThrow();
    /** A claim for this body that died before its transaction committed (no answer, no link). */
    const deadClaim = (key: string, ageMs: number) =>
      t.handle.db
        .insertInto('idempotencyKeys')
        .values({
          scope: `tenant:${t.tenant.tenantId}`,
          key,
          requestHash: seen.requestHash,
          statusCode: null,
          responseBody: null,
          resourceId: null,
          createdAt: new Date(Date.now() - ageMs).toISOString(),
        })
        .execute();
    await deadClaim(`fresh-${order.id}`, 1_000);
    const waiting = await t.api.post('/api/v1/returns', body, { 'idempotency-key': `fresh-${order.id}` });
    expect(waiting.status).toBe(409);
    expect(waiting.body.error.code).toBe('idempotency_in_progress');

    await deadClaim(`stale-${order.id}`, 120_000);
    const taken = await t.api.post('/api/v1/returns', body, { 'idempotency-key': `stale-${order.id}` });
    expect(taken.status).toBe(201);
    expect(await returnsOf(order.id)).toHaveLength(2);
    const reused = await t.api.post(
      '/api/v1/returns',
      { ...body, customerNote: 'other' },
      {
        'idempotency-key': `stale-${order.id}`,
      },
    );
    expect(reused.status).toBe(422);
  });
});

/**
 * The review's reproduction: returns filed with keys while the server is SIGKILLed, then every
 * unanswered request retried with its key against a new process. No order may get two returns.
 */
describe('Idempotency-Key across SIGKILL', () => {
  const db = testDatabaseConfig();
  const dataDir = mkdtempSync(join(tmpdir(), 'returnflow-idem-crash-'));
  const dbUrl = db.config.dialect === 'sqlite' ? `file:${db.config.file}` : db.config.url;
  const env = {
    DATABASE_URL: dbUrl,
    DATA_DIR: dataDir,
    SECRET_KEY: 'idempotency-crash-secret-0001',
    // A claim that wrote nothing is taken over after 1 s instead of a minute.
    IDEMPOTENCY_STALE_MS: '1000',
  };
  let setup: DatabaseHandle;
  let apiKey = '';
  let server: ChildServer | null = null;

  beforeAll(async () => {
    const config = loadConfig({ ...process.env, ...env });
    setup = await connectDatabase(config.database);
    const tenant = await createServices(setup, systemClock, config).identity.createTenant({
      name: 'Crash Keys',
      kind: 'merchant',
    });
    apiKey = tenant.apiKey;
  });
  afterAll(async () => {
    if (server) await killChild(server.child);
    await db.dispose(setup).catch(() => {});
    await setup?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('files each return once: retries after the crash answer the first result', async () => {
    server = await startChildServer(env);
    const api = apiClient(server.url, apiKey);
    const N = 40;
    // Orders with room for two returns of the line, so a second filing would succeed.
    const orders: { id: string; lineId: string }[] = [];
    for (let i = 0; i < N; i++) {
      const o = (await api.post('/api/v1/orders', orderBody())).body;
      orders.push({ id: o.id, lineId: o.lines[0].id });
    }
    const request = (o: (typeof orders)[number]) => ({
      orderId: o.id,
      resolution: 'refund',
      lines: [{ orderLineId: o.lineId, quantity: 1, reasonCode: 'wrong_size' }],
    });
    const answered = new Map<string, string>();
    const inFlight = orders.map((o) =>
      api
        .post('/api/v1/returns', request(o), { 'idempotency-key': `k-${o.id}` })
        .then((r) => {
          if (r.status === 201) answered.set(o.id, r.body.id);
        })
        .catch(() => {}),
    );
    // Kill once some have been answered and others are still on their way.
    while (answered.size < 3) await new Promise((r) => setTimeout(r, 5));
    await killChild(server.child);
    await Promise.all(inFlight);
    expect(answered.size).toBeLessThan(N);

    server = await startChildServer(env);
    const again = apiClient(server.url, apiKey);
    for (const o of orders) {
      let r = await again.post('/api/v1/returns', request(o), { 'idempotency-key': `k-${o.id}` });
      // A claim that died before committing blocks its retries for IDEMPOTENCY_STALE_MS.
      for (let tries = 0; r.status === 409 && tries < 100; tries++) {
        await new Promise((res) => setTimeout(res, 100));
        r = await again.post('/api/v1/returns', request(o), { 'idempotency-key': `k-${o.id}` });
      }
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      if (answered.has(o.id)) expect(r.body.id).toBe(answered.get(o.id));
    }
    const counts = await setup.db
      .selectFrom('returns')
      .select(['orderId', (e) => e.fn.countAll<number>().as('n')])
      .groupBy('orderId')
      .execute();
    expect(counts).toHaveLength(N);
    const duplicates = counts.filter((c) => Number(c.n) !== 1);
    expect(duplicates).toEqual([]);
  });
});
