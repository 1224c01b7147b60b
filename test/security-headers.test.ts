import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUnsubscribe } from '../src/modules/notify/unsubscribe-token.ts';
import { MAX_STREAMS_PER_HOLDER } from '../src/modules/realtime/sse.ts';
import { createHttpServer } from '../src/platform/http/server.ts';
import { returnNeedingReview } from './helpers/fixtures.ts';
import { openSse, type SseClient } from './helpers/sse-client.ts';
import { staffClient, startTestApp, type TestApp } from './helpers/test-app.ts';

/** Headers on every kind of answer, the auth hook's reach, stream caps and the unsubscribe link. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ web: true });
});
afterAll(async () => {
  await t?.close();
});

describe('security headers', () => {
  it('keeps API answers out of caches and sniffers', async () => {
    const res = await t.api.get('/api/v1/returns');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const anon = await t.anon.get('/api/v1/portal/order');
    expect(anon.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses framing of every HTML page: the app, the unsubscribe page and the API docs', async () => {
    const ret = await returnNeedingReview(t.api);
    const view = await t.api.get(`/api/v1/returns/${ret.id}`);
    const token = signUnsubscribe(Buffer.alloc(32), {
      tenantId: t.tenant.tenantId,
      customerId: view.body.customerId ?? 'cus_x',
      channel: 'email',
    });
    for (const path of ['/', '/console', `/u/${token}`, '/api/docs/']) {
      const res = await fetch(`${t.baseUrl}${path}`);
      const type = res.headers.get('content-type') ?? '';
      if (!type.startsWith('text/html')) continue;
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    }
    const docs = await fetch(`${t.baseUrl}/api/docs/`);
    expect(docs.headers.get('content-type')).toContain('text/html');
  });

  it('tells browsers to stay on https when the public address is https', async () => {
    const app = await createHttpServer({
      config: { logLevel: 'silent', publicRateLimit: 100, publicUrl: 'https://returns.example.com' },
      db: t.handle.db,
      authenticateApiKey: async () => null,
    });
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    await app.close();
    expect((await t.anon.get('/api/health')).headers.get('strict-transport-security')).toBeNull();
  });
});

describe('the edges an attacker spells differently', () => {
  it('checks sign-in and roles on a route however its path is spelled', async () => {
    for (const path of ['/%61pi/v1/returns', '/api/v%31/returns', '/api/v1/%72eturns']) {
      expect((await fetch(`${t.baseUrl}${path}`)).status, path).toBe(401);
    }
    // The role check lives in the hook alone: an agent must not list users by spelling the path.
    const agent = await staffClient(t, 'agent');
    for (const path of ['/api/v1/users', '/%61pi/v1/users', '/api/v1/%75sers']) {
      const res = await fetch(`${t.baseUrl}${path}`, { headers: { cookie: agent.cookie } });
      expect(res.status, path).toBe(403);
    }
  });

  it('refuses an unsubscribe link with extra segments', async () => {
    const ok = signUnsubscribe(Buffer.alloc(32), { tenantId: 't', customerId: 'c', channel: 'email' });
    for (const bad of [`${ok}.x`, `${ok}..`, `.${ok}`, ok.replace('.', '..')]) {
      const res = await fetch(`${t.baseUrl}/u/${bad}`, { method: 'POST' });
      expect(res.status, bad).toBe(404);
    }
  });

  it('caps the live streams one tracking link may hold open', async () => {
    const ret = await returnNeedingReview(t.api);
    const streams: SseClient[] = [];
    try {
      for (let i = 0; i < MAX_STREAMS_PER_HOLDER; i++) {
        streams.push(await openSse(`${t.baseUrl}/api/v1/track/${ret.token}/stream`));
      }
      const refused = await fetch(`${t.baseUrl}/api/v1/track/${ret.token}/stream`);
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('too_many_streams');
      streams.pop()!.close();
      await new Promise((r) => setTimeout(r, 100));
      const again = await openSse(`${t.baseUrl}/api/v1/track/${ret.token}/stream`);
      streams.push(again);
      expect(again.status).toBe(200);
    } finally {
      for (const s of streams) s.close();
    }
  });
});
