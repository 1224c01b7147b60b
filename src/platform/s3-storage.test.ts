import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeS3, startFakeS3 } from '../../test/fakes/fake-s3.ts';
import { createS3Storage, type S3StorageOptions } from './s3-storage.ts';

let s3: FakeS3;
beforeAll(async () => {
  s3 = await startFakeS3();
});
afterAll(async () => {
  await s3?.close();
});

function storage(overrides: Partial<S3StorageOptions> = {}) {
  return createS3Storage({ ...s3.connection, ...overrides });
}

describe('createS3Storage', () => {
  it('stores binary data and reads the same bytes back', async () => {
    const files = storage();
    // Every byte value, so no text decoding on either side goes unnoticed.
    const data = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(70_000)]);
    await files.put('evidence/ten_1/evd_round-trip.png', data);
    const back = await files.get('evidence/ten_1/evd_round-trip.png');
    expect(back?.equals(data)).toBe(true);
    expect(s3.objects.get('evidence/ten_1/evd_round-trip.png')?.data.equals(data)).toBe(true);
  });

  it('answers null for a key that was never stored', async () => {
    expect(await storage().get('evidence/ten_1/evd_missing.png')).toBeNull();
  });

  it('removes a file, and removing a missing one is not an error', async () => {
    const files = storage();
    await files.put('evidence/ten_1/evd_gone.png', Buffer.from('x'));
    await files.remove('evidence/ten_1/evd_gone.png');
    expect(await files.get('evidence/ten_1/evd_gone.png')).toBeNull();
    expect(s3.objects.has('evidence/ten_1/evd_gone.png')).toBe(false);
    await expect(files.remove('evidence/ten_1/evd_gone.png')).resolves.toBeUndefined();
  });

  it('puts every key under the prefix, with or without its trailing slash', async () => {
    await storage({ prefix: 'shop-a' }).put('evidence/k1.png', Buffer.from('a'));
    await storage({ prefix: 'shop-b/files/' }).put('evidence/k1.png', Buffer.from('b'));
    expect(s3.objects.get('shop-a/evidence/k1.png')?.data.toString()).toBe('a');
    expect(s3.objects.get('shop-b/files/evidence/k1.png')?.data.toString()).toBe('b');
    expect(s3.objects.has('evidence/k1.png')).toBe(false);
    expect((await storage({ prefix: 'shop-a/' }).get('evidence/k1.png'))?.toString()).toBe('a');
  });

  it('refuses keys with empty, . or .. segments or control characters before anything is sent', async () => {
    const files = storage();
    const before = s3.requests.length;
    await expect(files.put('evidence/../secret.key', Buffer.from('x'))).rejects.toThrow(
      /storage key not allowed/,
    );
    await expect(files.get('/evidence/a.png')).rejects.toThrow(/storage key not allowed/);
    await expect(files.remove('evidence/./a.png')).rejects.toThrow(/storage key not allowed/);
    await expect(files.get('evidence/a\nb.png')).rejects.toThrow(/storage key not allowed/);
    expect(() => storage({ prefix: '../other' })).toThrow(/storage key not allowed/);
    expect(s3.requests.length).toBe(before);
  });

  it('fails with the store’s reason when the secret is wrong', async () => {
    const files = storage({ secretAccessKey: 'not-the-secret' });
    await expect(files.put('evidence/ten_1/evd_denied.png', Buffer.from('x'))).rejects.toThrow(
      /S3 put of "evidence\/ten_1\/evd_denied.png" failed: SignatureDoesNotMatch \(HTTP 403\)/,
    );
    await expect(files.get('evidence/ten_1/evd_denied.png')).rejects.toThrow(/SignatureDoesNotMatch/);
    expect(s3.objects.has('evidence/ten_1/evd_denied.png')).toBe(false);
  });

  it('treats a missing bucket as a fault, not as a missing file', async () => {
    await expect(storage({ bucket: 'no-such-bucket' }).get('evidence/a.png')).rejects.toThrow(/NoSuchBucket/);
  });

  it('gives up on a store that never answers', async () => {
    const silent = await startFakeS3();
    silent.hang();
    try {
      const files = createS3Storage({
        bucket: silent.bucket,
        region: silent.region,
        endpoint: silent.url,
        accessKeyId: silent.accessKeyId,
        secretAccessKey: silent.secretAccessKey,
        timeoutMs: 300,
      });
      await expect(files.get('evidence/a.png')).rejects.toThrow(/got no answer within 300 ms/);
      await expect(files.put('evidence/a.png', Buffer.from('x'))).rejects.toThrow(
        /got no answer within 300 ms/,
      );
      expect(silent.requests.length).toBeGreaterThan(0);
    } finally {
      await silent.close();
    }
  });
});

describe('fake S3', () => {
  it('refuses a request without a signature', async () => {
    const res = await fetch(`${s3.url}/${s3.bucket}/evidence/a.png`);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
  });
});
