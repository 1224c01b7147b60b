import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageConfig } from '../src/platform/config.ts';
import { type FakeS3, startFakeS3 } from './fakes/fake-s3.ts';
import { orderBody } from './helpers/fixtures.ts';
import { customerSession, startTestApp, type TestApp } from './helpers/test-app.ts';

// The smallest valid PNG (1×1, transparent).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

let s3: FakeS3;
let t: TestApp;

function s3Storage(overrides: Partial<Extract<StorageConfig, { kind: 's3' }>> = {}): StorageConfig {
  return { kind: 's3', ...s3.connection, prefix: 'returnflow/', ...overrides };
}

beforeAll(async () => {
  s3 = await startFakeS3();
  t = await startTestApp({ storage: s3Storage() });
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String);
}

describe('evidence photos in S3', () => {
  it('keeps a customer photo in the bucket, not under DATA_DIR, and serves it back', async () => {
    const o = (await t.api.post('/api/v1/orders', orderBody())).body;
    const call = customerSession(t.baseUrl);
    await call('POST', '/api/v1/portal/lookup', {
      shop: t.tenant.handle,
      orderNumber: o.orderNumber,
      email: o.customer.email,
    });
    const photo = await call('POST', '/api/v1/portal/evidence', PNG, { 'content-type': 'image/png' });
    expect(photo.status).toBe(201);

    const key = `returnflow/evidence/${t.tenant.tenantId}/${photo.body.id}.png`;
    expect(s3.objects.get(key)?.data.equals(PNG)).toBe(true);
    expect(filesUnder(t.dataDir).filter((f) => f.includes('evidence') || f.includes(photo.body.id))).toEqual(
      [],
    );

    const lines = [
      { orderLineId: o.lines[1].id, quantity: 1, reasonCode: 'damaged', evidenceIds: [photo.body.id] },
    ];
    const filed = await call('POST', '/api/v1/portal/returns', { resolution: 'refund', lines });
    expect(filed.status).toBe(201);
    const staffView = await t.api.get(`/api/v1/returns/${filed.body.id}`);
    expect(staffView.body.evidence).toHaveLength(1);
    const file = await t.api.bytes(staffView.body.evidence[0].url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.body.equals(PNG)).toBe(true);
    expect(s3.requests.some((r) => r.method === 'GET' && r.path.startsWith(`/${s3.bucket}/${key}`))).toBe(
      true,
    );
  });

  it('stores photos an integrator uploads for an order in the bucket too', async () => {
    const o = (await t.api.post('/api/v1/orders', orderBody())).body;
    const res = await fetch(`${t.baseUrl}/api/v1/orders/${o.id}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.tenant.apiKey}`, 'content-type': 'image/png' },
      body: PNG,
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(s3.objects.has(`returnflow/evidence/${t.tenant.tenantId}/${id}.png`)).toBe(true);
  });

  it('answers 500 without the store’s details when the bucket refuses the upload', async () => {
    const refused = await startTestApp({ storage: s3Storage({ secretAccessKey: 'not-the-secret' }) });
    try {
      const o = (await refused.api.post('/api/v1/orders', orderBody())).body;
      const res = await fetch(`${refused.baseUrl}/api/v1/orders/${o.id}/evidence`, {
        method: 'POST',
        headers: { authorization: `Bearer ${refused.tenant.apiKey}`, 'content-type': 'image/png' },
        body: PNG,
      });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain('SignatureDoesNotMatch');
      expect(text).not.toContain(s3.bucket);
      expect([...s3.objects.keys()].filter((k) => k.includes(refused.tenant.tenantId))).toEqual([]);
    } finally {
      await refused.close();
    }
  });
});
