import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
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

/** A GET with exactly these headers, the body as sent (fetch would add Accept-Encoding and decode). */
function rawGet(path: string, headers: Record<string, string> = {}) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
  }>((resolve, reject) => {
    const req = request(`${t.baseUrl}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The largest built file of a kind: the entry bundle or the main stylesheet. */
function largestAsset(ext: string) {
  const dir = join(WEB_DIST_DIR, 'assets');
  const files = readdirSync(dir).filter((f) => f.endsWith(ext));
  const size = (f: string) => readFileSync(join(dir, f)).length;
  return files.sort((a, b) => size(b) - size(a))[0]!;
}

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

  it('sends scripts and styles brotli- or gzip-compressed, each decoding to the file, and identity to a client that asks for neither', async () => {
    for (const asset of [largestAsset('.js'), largestAsset('.css')]) {
      const file = readFileSync(join(WEB_DIST_DIR, 'assets', asset));
      const path = `/assets/${asset}`;

      const br = await rawGet(path, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.status, asset).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers.vary).toMatch(/accept-encoding/i);
      expect(br.headers['content-type']).toMatch(asset.endsWith('.js') ? /javascript/ : /^text\/css/);
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(br.headers['x-content-type-options']).toBe('nosniff');
      expect(br.body.length).toBeLessThan(file.length / 2);
      expect(brotliDecompressSync(br.body).equals(file)).toBe(true);

      const gz = await rawGet(path, { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers.vary).toMatch(/accept-encoding/i);
      expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(gz.body.length).toBeLessThan(file.length / 2);
      expect(gunzipSync(gz.body).equals(file)).toBe(true);

      for (const headers of [{}, { 'accept-encoding': 'identity' }] as Record<string, string>[]) {
        const plain = await rawGet(path, headers);
        expect(plain.status).toBe(200);
        expect(plain.headers['content-encoding']).toBeUndefined();
        expect(plain.headers.vary).toMatch(/accept-encoding/i);
        expect(plain.body.equals(file)).toBe(true);
      }
    }
  });

  it('compresses the HTML pages too, never cacheable, with their security headers', async () => {
    const file = readFileSync(join(WEB_DIST_DIR, 'index.html'));
    for (const path of ['/', '/s/demo/returns', '/t/abc']) {
      const br = await rawGet(path, { 'accept-encoding': 'br' });
      expect(br.status, path).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['content-type']).toMatch(/^text\/html/);
      expect(br.headers['cache-control']).toBe('no-cache');
      expect(br.headers['x-frame-options']).toBe('DENY');
      expect(br.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(br.headers.vary).toMatch(/accept-encoding/i);
      expect(brotliDecompressSync(br.body).equals(file)).toBe(true);
      const plain = await rawGet(path);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers['cache-control']).toBe('no-cache');
      expect(plain.body.equals(file)).toBe(true);
    }
  });
});
