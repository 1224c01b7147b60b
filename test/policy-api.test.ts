import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody } from './helpers/fixtures.ts';
import { createStaff, staffSignIn, startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('policy API', () => {
  it('starts a new tenant on a sensible default policy, version 1', async () => {
    const res = await t.api.get('/api/v1/policy');
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(1);
    expect(res.body.policy.returnWindowDays).toBe(30);
    expect(res.body.policy.reasons.map((r: { code: string }) => r.code)).toContain('wrong_size');
  });

  it('publishes a new version, keeps the old one, and decides new returns with it', async () => {
    const { api } = await t.otherTenant();
    const current = (await api.get('/api/v1/policy')).body.policy;
    const stricter = {
      ...current,
      rules: [
        ...current.rules,
        {
          id: 'jackets-review',
          when: { field: 'line.category', op: 'eq', value: 'outerwear' },
          action: 'review',
          message: 'Outerwear returns are checked by a person.',
        },
      ],
    };
    const put = await api.put('/api/v1/policy', stricter);
    expect(put.status).toBe(200);
    expect(put.body.version).toBe(2);
    const versions = await api.get('/api/v1/policy/versions');
    expect(versions.body.data.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions.body.data[1].policy.rules).toHaveLength(current.rules.length);

    const order = (await api.post('/api/v1/orders', orderBody())).body;
    const ret = await api.post('/api/v1/returns', {
      orderId: order.id,
      lines: [{ orderLineId: order.lines[1].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    expect(ret.status).toBe(201);
    expect(ret.body.status).toBe('needs_review');
    expect(ret.body.policyVersion).toBe(2);
    expect(ret.body.decision.rules.find((r: { ruleId: string }) => r.ruleId === 'jackets-review').fired).toBe(
      true,
    );
    expect(ret.body.decision.explanation).toContain('Outerwear returns are checked by a person.');

    const approved = await api.post(`/api/v1/returns/${ret.body.id}/actions/approve`, {
      note: 'Checked the photos.',
    });
    expect(approved.body.status).toBe('awaiting_shipment');
    expect(approved.body.decision).toMatchObject({
      outcome: 'approved',
      automatic: false,
      decidedBy: expect.stringMatching(/^api:/),
    });
  });

  it('refuses an invalid policy with field-level problems and keeps the current version', async () => {
    const { api } = await t.otherTenant();
    const current = (await api.get('/api/v1/policy')).body.policy;
    const dupReasons = { ...current, reasons: [...current.reasons, current.reasons[0]] };
    const res = await api.put('/api/v1/policy', dupReasons);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_policy');
    expect(res.body.error.details[0].path).toMatch(/^\/reasons\//);
    const badType = await api.put('/api/v1/policy', { ...current, returnWindowDays: 'thirty' });
    expect(badType.status).toBe(400);
    const badField = await api.put('/api/v1/policy', {
      ...current,
      rules: [
        { id: 'x', when: { field: 'order.colour', op: 'eq', value: 'red' }, action: 'reject', message: 'no' },
      ],
    });
    expect([400, 422]).toContain(badField.status);
    expect((await api.get('/api/v1/policy')).body.version).toBe(1);
  });
});

describe('policy versions: who published them, and rolling back', () => {
  type Version = {
    version: number;
    publishedBy: { type: string; id: string | null; name: string | null };
    policy: Record<string, unknown>;
  };

  it('names the publisher of every version: the staff member, the API key, or the system', async () => {
    const other = await t.otherTenant();
    const priya = await createStaff(t, 'admin', { name: 'Priya Raman', tenantId: other.tenant.tenantId });
    const session = await staffSignIn(t, priya.email);
    const current = (await other.api.get('/api/v1/policy')).body.policy;
    const byStaff = await session.put('/api/v1/policy', { ...current, returnWindowDays: 45 });
    expect(byStaff.status).toBe(200);
    expect(byStaff.body.publishedBy).toMatchObject({ type: 'staff', name: 'Priya Raman' });
    expect((await other.api.put('/api/v1/policy', { ...current, returnWindowDays: 60 })).status).toBe(200);

    const versions = (await session.get('/api/v1/policy/versions')).body.data as Version[];
    expect(versions.map((v) => [v.version, v.publishedBy.type, v.publishedBy.name])).toEqual([
      [3, 'api', 'Default key'],
      [2, 'staff', 'Priya Raman'],
      [1, 'system', null],
    ]);
    expect(versions[1]!.publishedBy.id).toBe(byStaff.body.publishedBy.id);
    expect((await other.api.get('/api/v1/policy')).body.publishedBy).toMatchObject({
      type: 'api',
      name: 'Default key',
    });
  });

  it('rolls back by publishing the old document as a new version; no version is changed', async () => {
    const other = await t.otherTenant();
    const admin = await staffSignIn(t, other.tenant.adminEmail, other.tenant.adminPassword);
    const v1 = (await admin.get('/api/v1/policy')).body.policy;
    expect((await admin.put('/api/v1/policy', { ...v1, returnWindowDays: 7, rules: [] })).status).toBe(200);

    const rolled = await admin.post('/api/v1/policy/versions/1/rollback', {});
    expect(rolled.status).toBe(200);
    expect(rolled.body.version).toBe(3);
    expect(rolled.body.policy).toEqual(v1);
    expect(rolled.body.publishedBy).toMatchObject({ type: 'staff', name: 'Administrator' });

    const versions = (await admin.get('/api/v1/policy/versions')).body.data as Version[];
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(versions[1]!.policy).toMatchObject({ returnWindowDays: 7, rules: [] });
    expect(versions[2]!.policy).toEqual(v1);
    expect((await admin.get('/api/v1/policy')).body.version).toBe(3);

    const missing = await admin.post('/api/v1/policy/versions/99/rollback', {});
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const agent = await createStaff(t, 'agent', { tenantId: other.tenant.tenantId });
    const refused = await (await staffSignIn(t, agent.email)).post('/api/v1/policy/versions/1/rollback', {});
    expect(refused.status).toBe(403);
    expect((await admin.get('/api/v1/policy')).body.version).toBe(3);
  });

  it("refuses to roll back to another tenant's version: the number is this tenant's only", async () => {
    const a = await t.otherTenant();
    const b = await t.otherTenant();
    const base = (await a.api.get('/api/v1/policy')).body.policy;
    expect((await a.api.put('/api/v1/policy', { ...base, returnWindowDays: 9 })).status).toBe(200);
    expect((await b.api.post('/api/v1/policy/versions/2/rollback', {})).status).toBe(404);
    expect((await b.api.get('/api/v1/policy/versions')).body.data).toHaveLength(1);
  });

  it('serves the policy guide the editor links to, as text', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/policy/guide`, {
      headers: { authorization: `Bearer ${t.tenant.apiKey}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; charset=utf-8/);
    const text = await res.text();
    expect(text).toContain('## Rules');
    expect(text).toContain('returnWindowDays');
  });
});

describe('API documentation', () => {
  it('serves OpenAPI 3.1 generated from the route schemas', async () => {
    const res = await t.anon.get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    for (const path of [
      '/api/v1/orders',
      '/api/v1/orders/{id}',
      '/api/v1/policy',
      '/api/v1/policy/versions',
      '/api/v1/returns',
      '/api/v1/returns/quote',
      '/api/v1/returns/{id}',
      '/api/v1/returns/{id}/events',
      '/api/v1/returns/{id}/actions/{action}',
      '/api/v1/track/{token}',
      '/api/v1/customers/{id}/credit',
      '/api/v1/customers/{id}/credit/spend',
      '/api/v1/payment-providers',
      '/api/v1/payment-providers/stripe',
      '/api/v1/refunds/{id}/retry',
      '/api/v1/webhooks/payments/{provider}/{token}',
    ]) {
      expect(res.body.paths[path], path).toBeDefined();
    }
    const create = res.body.paths['/api/v1/returns'].post;
    expect(create.requestBody.content['application/json'].schema.properties.lines).toBeDefined();
    expect(create.responses['201']).toBeDefined();
    expect(create.responses['422']).toBeDefined();
    expect(res.body.paths['/api/v1/track/{token}'].get.security).toEqual([]);
  });

  it('serves readable docs at /api/docs', async () => {
    const res = await fetch(`${t.baseUrl}/api/docs`, { redirect: 'follow' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger');
  });
});
