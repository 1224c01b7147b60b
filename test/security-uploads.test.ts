import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVIDENCE_PER_ORDER } from '../src/modules/returns/evidence.ts';
import { gateUploads } from '../src/platform/http/upload-gate.ts';
import { orderBody } from './helpers/fixtures.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

/** Photo uploads: the per-order cap under concurrency, decompression bombs, memory held at once. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A tiny PNG whose header declares `w` × `h` pixels. */
function pngDeclaring(w: number, h: number) {
  const b = Buffer.from(PNG);
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  return b;
}

const upload = (orderId: string, body: Buffer) =>
  fetch(`${t.baseUrl}/api/v1/orders/${orderId}/evidence`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.tenant.apiKey}`, 'content-type': 'image/png' },
    body: new Uint8Array(body),
  });

describe('photo uploads', () => {
  it(`keeps at most ${MAX_EVIDENCE_PER_ORDER} photos per order when 60 arrive at once`, async () => {
    const order = (await t.api.post('/api/v1/orders', orderBody())).body;
    const statuses = await Promise.all(
      Array.from({ length: 60 }, () => upload(order.id, PNG).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(MAX_EVIDENCE_PER_ORDER);
    expect(statuses.filter((s) => s === 422)).toHaveLength(60 - MAX_EVIDENCE_PER_ORDER);
    const stored = await t.handle.db
      .selectFrom('evidence')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('orderId', '=', order.id)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(MAX_EVIDENCE_PER_ORDER);
  });

  it('refuses a small file that declares an absurd size (a decompression bomb), and a JSON body', async () => {
    const order = (await t.api.post('/api/v1/orders', orderBody())).body;
    const bomb = await upload(order.id, pngDeclaring(50_000, 50_000));
    expect(bomb.status).toBe(422);
    expect(((await bomb.json()) as { error: { code: string } }).error.code).toBe('image_too_large');
    const wide = await upload(order.id, pngDeclaring(20_000, 10));
    expect(wide.status).toBe(422);
    // A real photo's size is fine.
    expect((await upload(order.id, pngDeclaring(4000, 3000))).status).toBe(201);
    const json = await fetch(`${t.baseUrl}/api/v1/orders/${order.id}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.tenant.apiKey}`, 'content-type': 'application/json' },
      body: 'null',
    });
    expect(json.status).toBe(415);
  });
});

describe('gateUploads', () => {
  it('reads at most `max` bodies at once; the others wait, and give up with 503 after the wait', async () => {
    const app = Fastify();
    let inHandler = 0;
    let most = 0;
    await app.register(async (scope) => {
      gateUploads(scope, { max: 2, waitMs: 1_500 });
      scope.post('/up', async () => {
        inHandler++;
        most = Math.max(most, inHandler);
        await new Promise((r) => setTimeout(r, 200));
        inHandler--;
        return { ok: true };
      });
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/up`;
    try {
      const send = () =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(
          (r) => r.status,
        );
      const statuses = await Promise.all(Array.from({ length: 6 }, send));
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
      expect(most).toBe(2);
      // Ten at once with room for two and 200 ms each: those still waiting after 1.5 s give up.
      const crowd = await Promise.all(Array.from({ length: 20 }, send));
      expect(crowd.filter((s) => s === 503).length).toBeGreaterThan(0);
      expect(crowd.filter((s) => s === 200).length).toBeGreaterThanOrEqual(4);
    } finally {
      await app.close();
    }
  });
});
