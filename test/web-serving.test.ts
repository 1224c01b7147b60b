import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST_DIR } from '../src/main.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ web: true });
});
afterAll(async () => {
  await t?.close();
});

describe('serving the web app', () => {
  it('answers index.html for the root and every client route, never cached, with a strict CSP', async () => {
    for (const path of ['/', '/returns', '/t/abc', '/console/cases/1', '/admin', '/anything?x=1']) {
      const res = await fetch(`${t.baseUrl}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await res.text()).toContain('<div id="root">');
    }
  });

  it('caches hashed assets for a year and 404s a missing one instead of answering HTML', async () => {
    const asset = readdirSync(join(WEB_DIST_DIR, 'assets')).find((f) => f.endsWith('.js'));
    const res = await fetch(`${t.baseUrl}/assets/${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const missing = await t.anon.get('/assets/index-00000000.js');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('keeps the JSON 404 for unknown API paths and leaves /u/ to the server', async () => {
    for (const path of ['/api/v1/nope', '/api/nope', '/api']) {
      const res = await t.anon.get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code, path).toBe('not_found');
    }
    // The unsubscribe pages are rendered by the server, an invalid one included.
    const unsubscribe = await fetch(`${t.baseUrl}/u/not-a-token`);
    expect(unsubscribe.status).toBe(404);
    expect(await unsubscribe.text()).not.toContain('<div id="root">');
    const health = await t.anon.get('/api/health');
    expect(health.body).toEqual({ status: 'ok' });
  });
});
