import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../src/database.ts';
import { createServices } from '../src/main.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { DatabaseHandle } from '../src/platform/db/database.ts';
import { newSecret } from '../src/platform/ids.ts';
import { type ChildServer, killChild, startChildServer } from './helpers/child-server.ts';
import { orderBody } from './helpers/fixtures.ts';
import { openSse } from './helpers/sse-client.ts';
import { apiClient } from './helpers/test-app.ts';

/**
 * Two server processes on one PostgreSQL database: a change made through one reaches a browser
 * connected to the other, through LISTEN/NOTIFY. PostgreSQL is always up where the suite runs
 * (CI starts it), so this runs in the SQLite pass too, against its own schema.
 */
const PG = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// Named after the run like every test schema (see `testDatabaseConfig`), so a run on PostgreSQL
// drops it with the others at the end rather than while another file migrates.
const run = process.env.RETURNFLOW_TEST_RUN;
const dropAtTeardown = Boolean(run && /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? ''));
const schema = `t_${run ? `${run}_` : ''}cluster_${newSecret(6)
  .toLowerCase()
  .replace(/[^a-z0-9]/g, '')}`;
const url = `${PG}?schema=${schema}`;
let dataDir: string;
let setup: DatabaseHandle;
let a: ChildServer;
let b: ChildServer;
let apiKey: string;
let services: ReturnType<typeof createServices>;
let tenantId: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'returnflow-cluster-'));
  const env = { DATABASE_URL: url, DATA_DIR: dataDir, SECRET_KEY: 'cluster-test-secret-key-01' };
  const config = loadConfig({ ...env });
  setup = await connectDatabase(config.database);
  services = createServices(setup, systemClock, config);
  const tenant = await services.identity.createTenant({ name: 'Cluster Shop', kind: 'merchant' });
  apiKey = tenant.apiKey;
  tenantId = tenant.tenantId;
  [a, b] = await Promise.all([startChildServer(env), startChildServer(env)]);
});

afterAll(async () => {
  for (const s of [a, b]) if (s) await killChild(s.child);
  if (!dropAtTeardown) {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(setup.db).catch(() => {});
  }
  await setup?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('two processes on one PostgreSQL', () => {
  it('delivers a change made through process A to a tracking stream on process B', async () => {
    const { order } = await services.orders.upsertOrder(tenantId, orderBody() as never);
    const apiA = apiClient(a.url, apiKey);
    const ret = (
      await apiA.post('/api/v1/returns', {
        orderId: order.id,
        lines: [{ orderLineId: order.lines[1]!.id, quantity: 1, reasonCode: 'wrong_size' }],
      })
    ).body;
    const onB = await openSse(`${b.url}/api/v1/track/${ret.trackingToken}/stream`);
    try {
      expect(onB.status).toBe(200);
      const started = Date.now();
      const shipped = await apiA.post(`/api/v1/returns/${ret.id}/actions/ship`, { carrier: 'DHL' });
      expect(shipped.status).toBe(200);
      const e = await onB.next((x) => x.event === 'return.updated', 3_000);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(e.json).toMatchObject({ returnId: ret.id, status: 'in_transit' });
      // Exactly once, though both processes hear every NOTIFY.
      await new Promise((r) => setTimeout(r, 300));
      expect(onB.events.filter((x) => x.event === 'return.updated')).toHaveLength(1);
    } finally {
      onB.close();
    }
  });

  it('decides by a policy published through A on B, which had the old version cached', async () => {
    const { order } = await services.orders.upsertOrder(tenantId, orderBody() as never);
    const apiA = apiClient(a.url, apiKey);
    const apiB = apiClient(b.url, apiKey);
    const quote = {
      orderId: order.id,
      lines: [{ orderLineId: order.lines[1]!.id, quantity: 1, reasonCode: 'wrong_size' }],
    };
    const before = await apiB.post('/api/v1/returns/quote', quote);
    expect(before.status).toBe(200);
    const policy = (await apiA.get('/api/v1/policy')).body;
    const published = await apiA.put('/api/v1/policy', { ...policy.policy, returnWindowDays: 60 });
    expect(published.status).toBe(200);
    expect(published.body.version).toBe(before.body.policyVersion + 1);
    // B hears of it through NOTIFY, well within the caches' 5 s backstop.
    await expect
      .poll(async () => (await apiB.post('/api/v1/returns/quote', quote)).body.policyVersion, {
        timeout: 2_000,
      })
      .toBe(published.body.version);
  });

  it('refuses on B an API key revoked through A, which B had just accepted', async () => {
    const apiA = apiClient(a.url, apiKey);
    const made = await apiA.post('/api/v1/api-keys', { name: 'short-lived' });
    expect(made.status).toBe(201);
    const shortLived = apiClient(b.url, made.body.apiKey);
    expect((await shortLived.get('/api/v1/policy')).status).toBe(200);
    expect((await apiA.delete(`/api/v1/api-keys/${made.body.id}`)).status).toBe(204);
    await expect
      .poll(async () => (await shortLived.get('/api/v1/policy')).status, { timeout: 2_000 })
      .toBe(401);
  });
});
