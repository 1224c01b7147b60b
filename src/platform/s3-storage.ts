import type { S3Client } from '@aws-sdk/client-s3';
import type { StorageConfig } from './config.ts';
import { type FileStorage, isSafeKey } from './storage.ts';

/** The `S3_*` settings (config.ts), with path style defaulted and a timeout for tests. */
export type S3StorageOptions = Omit<Extract<StorageConfig, { kind: 's3' }>, 'kind' | 'forcePathStyle'> & {
  forcePathStyle?: boolean;
  /** How long one call may take, retries included. */
  timeoutMs?: number;
};

const DEFAULT_TIMEOUT_MS = 5_000;

type Sdk = typeof import('@aws-sdk/client-s3');
let sdk: Promise<Sdk> | undefined;
// Loaded on first use: the SDK adds about 90 ms to the start of every process, and most
// installations keep their files on disk.
const loadSdk = () => {
  sdk ??= import('@aws-sdk/client-s3');
  return sdk;
};

/** Files in an S3-compatible bucket, so several servers behind a load balancer share them. */
export function createS3Storage(options: S3StorageOptions): FileStorage {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const prefix = options.prefix ? `${options.prefix.replace(/\/+$/, '')}/` : '';
  if (prefix) checkKey(prefix.slice(0, -1));
  const Bucket = options.bucket;
  let client: Promise<S3Client> | undefined;

  /** Runs one SDK call under a deadline and turns its failure into an error that names the key. */
  async function call<T>(op: string, Key: string, run: (s3: S3Client, sig: AbortSignal) => Promise<T>) {
    client ??= buildClient(options, timeoutMs);
    const s3 = await client;
    // The handler's own timeouts bound one attempt; this bounds the call, retries included.
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      return await run(s3, signal);
    } catch (e) {
      throw signal.aborted
        ? new Error(`S3 ${op} of "${Key}" got no answer within ${timeoutMs} ms`, { cause: e })
        : new Error(`S3 ${op} of "${Key}" failed: ${describe(e)}`, { cause: e });
    }
  }

  return {
    async put(key, data) {
      const Key = prefix + checkKey(key);
      const { PutObjectCommand } = await loadSdk();
      await call('put', Key, (s3, abortSignal) =>
        s3.send(new PutObjectCommand({ Bucket, Key, Body: data }), { abortSignal }),
      );
    },
    async get(key) {
      const Key = prefix + checkKey(key);
      const { GetObjectCommand } = await loadSdk();
      return call('get', Key, async (s3, abortSignal) => {
        try {
          const out = await s3.send(new GetObjectCommand({ Bucket, Key }), { abortSignal });
          return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : Buffer.alloc(0);
        } catch (e) {
          // Only a missing key is "no file": a missing bucket or a refused signature is a fault.
          if ((e as Error).name === 'NoSuchKey') return null;
          throw e;
        }
      });
    },
    async remove(key) {
      const Key = prefix + checkKey(key);
      const { DeleteObjectCommand } = await loadSdk();
      await call('remove', Key, async (s3, abortSignal) => {
        try {
          await s3.send(new DeleteObjectCommand({ Bucket, Key }), { abortSignal });
        } catch (e) {
          // S3 answers 204 for a missing key; some compatible stores answer NoSuchKey instead.
          if ((e as Error).name !== 'NoSuchKey') throw e;
        }
      });
    },
  };
}

async function buildClient(options: S3StorageOptions, timeoutMs: number): Promise<S3Client> {
  const { S3Client } = await loadSdk();
  return new S3Client({
    region: options.region,
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.accessKeyId && options.secretAccessKey
      ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
      : {}),
    // Since early 2025 the SDK adds a CRC32 checksum to every upload by default, which several
    // S3-compatible stores (older MinIO, B2, R2 for a while) refuse (docs/DECISIONS.md). The
    // SigV4 payload hash already covers our small, buffered bodies, so checksums go only where
    // an operation requires one (none of ours), and the fake S3 in tests can stay small.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Without these a store that accepts the connection and never answers holds the request
    // (and the customer's upload) forever: the SDK's default request timeout is none.
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true },
  });
}

function checkKey(key: string): string {
  if (!isSafeKey(key)) throw new Error(`storage key not allowed: ${JSON.stringify(key)}`);
  return key;
}

/** `SignatureDoesNotMatch (HTTP 403): The request signature we calculated…` from an SDK error. */
function describe(e: unknown): string {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  return `${err.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${err.message ?? String(e)}`;
}
