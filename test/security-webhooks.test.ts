import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

/**
 * Webhook URLs are the tenant's choice, so they must never make the server call its own network:
 * the reproductions of the black-box review (IPv4-mapped IPv6, reserved ranges, fe80::/10) and a
 * DNS answer that changes after the URL was saved.
 */
let t: TestApp;
let internal: Server;
let internalPort = 0;
let internalHits = 0;

beforeAll(async () => {
  t = await startTestApp({ allowPrivateWebhookUrls: false });
  // Stands for what lives on the server's loopback (an admin port, a database's HTTP API).
  internal = createServer((_req, res) => {
    internalHits++;
    res.end('{"secret":"internal-only"}');
  });
  await new Promise<void>((r) => internal.listen(0, '127.0.0.1', r));
  internalPort = (internal.address() as { port: number }).port;
});
afterAll(async () => {
  internal?.close();
  await t?.close();
});

describe('webhook URLs', () => {
  it.each([
    '[::ffff:127.0.0.1]',
    '[::ffff:7f00:1]',
    '[0:0:0:0:0:ffff:127.0.0.1]',
    '[::ffff:169.254.169.254]',
    '[::ffff:10.0.0.1]',
    '[::127.0.0.1]',
    '[64:ff9b::7f00:1]',
    '198.18.0.1',
    '[fe90::1]',
    '127.1',
    '0x7f.0.0.1',
    'localhost',
  ])('refuses http://%s:PORT/ when saving', async (host) => {
    const res = await t.api.post('/api/v1/webhooks', {
      url: `http://${host}:${internalPort}/`,
      events: ['*'],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('invalid_webhook_url');
    expect(internalHits).toBe(0);
  });

  it('checks the address it connects to at delivery, so a host that later resolves inward is not called', async () => {
    // A public address when saved; then the name "moves" to loopback (DNS rebinding). The stored
    // row is changed directly, as the DNS answer would change outside our control.
    const saved = await t.api.post('/api/v1/webhooks', { url: 'https://93.184.216.34/hook', events: ['*'] });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    await t.handle.db
      .updateTable('webhookEndpoints')
      .set({ url: `http://localhost:${internalPort}/` })
      .where('id', '=', saved.body.id)
      .execute();
    const test = await t.api.post(`/api/v1/webhooks/${saved.body.id}/test`, {});
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ ok: false, statusCode: null, responseExcerpt: null });
    expect(test.body.error).toMatch(
      /^Not sent: localhost resolves to (127\.0\.0\.1|::1), a loopback address/,
    );
    expect(internalHits).toBe(0);
  });

  it('shows a test send its status, timing and a short labelled excerpt of the answer, never the whole page', async () => {
    const open = await startTestApp();
    const page = createServer((_req, res) => res.end(`<html>${'x'.repeat(5000)}</html>`));
    await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(page.address() as { port: number }).port}/`;
      const hook = await open.api.post('/api/v1/webhooks', { url, events: ['*'] });
      const test = await open.api.post(`/api/v1/webhooks/${hook.body.id}/test`, {});
      expect(test.body).toMatchObject({ ok: true, statusCode: 200, error: null });
      expect(test.body.durationMs).toBeGreaterThanOrEqual(0);
      expect(test.body.responseExcerpt).toBe(`<html>${'x'.repeat(194)}`);
      expect(test.body).not.toHaveProperty('response');
    } finally {
      page.close();
      await open.close();
    }
  });
});
