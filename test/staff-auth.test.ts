import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody } from './helpers/fixtures.ts';
import { openSse } from './helpers/sse-client.ts';
import { apiClient, startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
const password = 'correct horse battery';
const users: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  for (const role of ['agent', 'warehouse', 'supervisor'] as const) {
    const email = `${role}-${Date.now()}@shop.example`;
    await t.services.identity.createUser(t.tenant.tenantId, {
      email,
      name: `${role} person`,
      role,
      password,
    });
    users[role] = email;
  }
});
afterAll(async () => {
  await t?.close();
});

/** Signs in and answers a client that sends the cookie (and, for changes, the CSRF token). */
async function signIn(email: string, pw = password) {
  const res = await t.anon.post('/api/v1/auth/login', { email, password: pw });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const setCookie = res.headers.get('set-cookie')!;
  expect(setCookie).toMatch(/rf_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
  const cookie = setCookie.split(';')[0]!;
  const base = apiClient(t.baseUrl);
  const headers = { cookie, 'x-csrf-token': res.body.csrfToken };
  return {
    cookie,
    me: res.body,
    get: (p: string) => base.get(p, { cookie }),
    post: (p: string, body?: unknown) => base.post(p, body, headers),
    put: (p: string, body?: unknown) => base.put(p, body, headers),
    postWithoutCsrf: (p: string, body?: unknown) => base.post(p, body, { cookie }),
  };
}

describe('staff sessions', () => {
  it('signs in with an http-only cookie, answers who is signed in, and signs out', async () => {
    const s = await signIn(users.agent!);
    expect(s.me.user).toMatchObject({ email: users.agent, role: 'agent', tenantId: t.tenant.tenantId });
    expect(s.me.csrfToken).toBeTruthy();
    expect((await s.get('/api/v1/returns')).status).toBe(200);
    expect((await s.get('/api/v1/auth/me')).body.user.email).toBe(users.agent);
    const rows = await t.handle.db.selectFrom('sessions').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(s.cookie.split('=')[1]);
    expect((await s.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await s.get('/api/v1/returns')).status).toBe(401);
  });

  it('refuses a change made with the cookie but without the CSRF token', async () => {
    const s = await signIn(users.agent!);
    const order = (await t.api.post('/api/v1/orders', orderBody())).body;
    const body = {
      orderId: order.id,
      lines: [{ orderLineId: order.lines[1].id, quantity: 1, reasonCode: 'wrong_size' }],
    };
    const forged = await s.postWithoutCsrf('/api/v1/returns', body);
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('csrf_failed');
    expect((await s.post('/api/v1/returns', body)).status).toBe(201);
  });

  it('answers a wrong password like an unknown address, and pauses after five failures', async () => {
    const wrong = await t.anon.post('/api/v1/auth/login', {
      email: users.supervisor,
      password: 'nope-nope-nope',
    });
    const unknown = await t.anon.post('/api/v1/auth/login', {
      email: 'nobody@shop.example',
      password: 'nope-nope-nope',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    for (let i = 0; i < 4; i++)
      await t.anon.post('/api/v1/auth/login', { email: users.supervisor, password: 'nope-nope-nope' });
    const locked = await t.anon.post('/api/v1/auth/login', { email: users.supervisor, password });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('too_many_attempts');
  });
});

describe('roles', () => {
  it('lets the warehouse receive and inspect but not approve, refund or write to customers', async () => {
    const wh = await signIn(users.warehouse!);
    const order = (await t.api.post('/api/v1/orders', orderBody())).body;
    const ret = (
      await t.api.post('/api/v1/returns', {
        orderId: order.id,
        lines: [{ orderLineId: order.lines[1].id, quantity: 1, reasonCode: 'wrong_size' }],
      })
    ).body;
    expect((await wh.post(`/api/v1/returns/${ret.id}/actions/receive`)).status).toBe(200);
    expect((await wh.post(`/api/v1/returns/${ret.id}/actions/inspect`)).status).toBe(200);
    const refund = await wh.post(`/api/v1/returns/${ret.id}/actions/refund`);
    expect(refund.status).toBe(403);
    expect((await wh.post(`/api/v1/returns/${ret.id}/messages`, { message: 'hi' })).status).toBe(403);
    const agent = await signIn(users.agent!);
    expect((await agent.post(`/api/v1/returns/${ret.id}/actions/refund`)).status).toBe(200);
  });

  it('keeps policy, webhooks and provider settings for admins', async () => {
    const agent = await signIn(users.agent!);
    const policy = (await t.api.get('/api/v1/policy')).body.policy;
    expect((await agent.put('/api/v1/policy', policy)).status).toBe(403);
    expect(
      (await agent.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/x', events: ['*'] })).status,
    ).toBe(403);
    const admin = await signIn(t.tenant.adminEmail, t.tenant.adminPassword);
    expect((await admin.put('/api/v1/policy', policy)).status).toBe(200);
  });
});

describe('password reset', () => {
  it('mails a one-time link that sets a new password and ends old sessions', async () => {
    const email = `reset-${Date.now()}@shop.example`;
    await t.services.identity.createUser(t.tenant.tenantId, {
      email,
      name: 'Rita Reset',
      role: 'agent',
      password,
    });
    const old = await signIn(email);
    const asked = await t.anon.post('/api/v1/auth/password-reset', { email });
    const unknown = await t.anon.post('/api/v1/auth/password-reset', { email: 'ghost@shop.example' });
    expect(asked.status).toBe(202);
    expect(unknown.body).toEqual(asked.body);
    const mail = await t.eventually(
      async () =>
        (await t.api.get('/api/v1/notifications?channel=email&limit=100')).body.data.find(
          (d: { recipient: string }) => d.recipient === email,
        ),
      (d) => d?.status === 'stored',
    );
    const detail = (await t.api.get(`/api/v1/notifications/${mail.id}`)).body;
    const token = /token=([A-Za-z0-9_%-]+)/.exec(detail.content.message.text)![1]!;
    const done = await t.anon.post('/api/v1/auth/password-reset/confirm', {
      token: decodeURIComponent(token),
      password: 'a brand new passphrase',
    });
    expect(done.status).toBe(204);
    expect((await old.get('/api/v1/returns')).status).toBe(401);
    const again = await t.anon.post('/api/v1/auth/password-reset/confirm', {
      token: decodeURIComponent(token),
      password: 'another passphrase!',
    });
    expect(again.status).toBe(400);
    expect((await t.anon.post('/api/v1/auth/login', { email, password })).status).toBe(401);
    await signIn(email, 'a brand new passphrase');
  });
});

describe('staff inbox', () => {
  it('tells agents about a return that needs review, live and in their inbox', async () => {
    const agent = await signIn(users.agent!);
    const stream = await openSse(`${t.baseUrl}/api/v1/me/stream`, { cookie: agent.cookie });
    try {
      const order = (await t.api.post('/api/v1/orders', orderBody())).body;
      // "damaged" needs a photo, so the policy leaves it to a person.
      const ret = (
        await t.api.post('/api/v1/returns', {
          orderId: order.id,
          lines: [{ orderLineId: order.lines[1].id, quantity: 1, reasonCode: 'damaged' }],
        })
      ).body;
      expect(ret.status).toBe('needs_review');
      const item = await stream.next((e) => e.event === 'inbox.item');
      expect(JSON.stringify(item.json)).toContain(ret.rmaNumber);
      const inbox = await agent.get('/api/v1/me/inbox');
      expect(inbox.body.data.some((i: { returnId: string }) => i.returnId === ret.id)).toBe(true);
      expect(inbox.body.unreadCount).toBeGreaterThan(0);
      const read = await agent.post('/api/v1/me/inbox/read', { all: true });
      expect(read.body.unreadCount).toBe(0);
      const wh = await signIn(users.warehouse!);
      expect(
        (await wh.get('/api/v1/me/inbox')).body.data.some((i: { returnId: string }) => i.returnId === ret.id),
      ).toBe(false);
    } finally {
      stream.close();
    }
    expect((await t.api.get('/api/v1/me/inbox')).status).toBe(403);
  });
});
