import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for an S3-compatible store over real HTTP: path-style PutObject, GetObject,
 * HeadObject and DeleteObject on one bucket, objects kept in memory, S3's XML errors and
 * statuses, and AWS Signature V4 checked on every request.
 *
 * The signature is computed here from the specification (not with the SDK's signer), so a
 * signing bug in the SDK set-up cannot hide behind the same code on both sides. Bodies must be
 * signed with their SHA-256 or sent as UNSIGNED-PAYLOAD; aws-chunked `STREAMING-…` uploads and
 * flexible checksums are refused with 501, as the storage turns them off
 * (`requestChecksumCalculation: 'WHEN_REQUIRED'`): a change in what the SDK sends fails loudly.
 */

export type FakeS3Object = { data: Buffer; contentType: string; etag: string; lastModified: Date };

export type FakeS3Request = {
  method: string;
  /** The path as sent, still URL-encoded. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Filled in when the answer goes out. */
  status?: number;
};

const ALGORITHM = 'AWS4-HMAC-SHA256';
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');
/** S3 refuses requests signed more than 15 minutes away from its clock. */
const MAX_SKEW_MS = 15 * 60_000;

export async function startFakeS3(
  opts: { bucket?: string; region?: string; accessKeyId?: string; secretAccessKey?: string } = {},
) {
  const bucket = opts.bucket ?? 'returnflow-test';
  const region = opts.region ?? 'us-east-1';
  const accessKeyId = opts.accessKeyId ?? 'AKIAFAKES3TEST';
  const secretAccessKey = opts.secretAccessKey ?? 'fake-s3-secret-not-for-production';
  /** By key, without the bucket. */
  const objects = new Map<string, FakeS3Object>();
  const requests: FakeS3Request[] = [];
  let hanging = false;

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendError(res, req, 500, 'InternalError', `Fake S3 crashed: ${String(e)}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const entry: FakeS3Request = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers };
    requests.push(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    const body = await readBody(req);
    // Answers nothing, ever: the socket stays open until the client gives up or close().
    if (hanging) return;

    const refusal = checkSignature(req, body, { region, accessKeyId, secretAccessKey });
    if (refusal) return sendError(res, req, refusal.status, refusal.code, refusal.message);

    const { pathname, searchParams } = new URL(req.url ?? '/', 'http://fake');
    const [, bucketName = '', ...rest] = pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    if (bucketName !== bucket) {
      return sendError(res, req, 404, 'NoSuchBucket', 'The specified bucket does not exist', {
        BucketName: bucketName,
      });
    }
    // The SDK tags each call with `?x-id=PutObject` and the like; any other parameter names
    // another operation (?uploads, ?acl, ?list-type…).
    const subresource = [...searchParams.keys()].some((k) => k !== 'x-id');
    if (!key || subresource || req.headers['x-amz-copy-source']) {
      return sendError(
        res,
        req,
        501,
        'NotImplemented',
        'The fake S3 only puts, gets, heads and deletes objects',
      );
    }
    switch (req.method) {
      case 'PUT': {
        const etag = `"${createHash('md5').update(body).digest('hex')}"`;
        const contentType = String(req.headers['content-type'] ?? 'binary/octet-stream');
        objects.set(key, { data: body, contentType, etag, lastModified: new Date() });
        res.writeHead(200, { ...baseHeaders(), etag, 'content-length': '0' });
        return void res.end();
      }
      case 'GET':
      case 'HEAD': {
        const object = objects.get(key);
        if (!object) {
          // HEAD answers carry no body, so the SDK names them NotFound; GET's body says NoSuchKey.
          return sendError(res, req, 404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
        }
        res.writeHead(200, {
          ...baseHeaders(),
          etag: object.etag,
          'content-type': object.contentType,
          'content-length': String(object.data.length),
          'last-modified': object.lastModified.toUTCString(),
        });
        return void res.end(req.method === 'GET' ? object.data : undefined);
      }
      case 'DELETE':
        // S3 answers 204 whether or not the key existed.
        objects.delete(key);
        res.writeHead(204, baseHeaders());
        return void res.end();
      default:
        return sendError(
          res,
          req,
          405,
          'MethodNotAllowed',
          'The specified method is not allowed against this resource.',
        );
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    objects,
    requests,
    /** What a client needs to reach this store: the fields of `S3StorageOptions` / `StorageConfig`. */
    connection: {
      bucket,
      region,
      endpoint: `http://127.0.0.1:${port}`,
      forcePathStyle: true,
      accessKeyId,
      secretAccessKey,
    },

    /** From now on, read each request and never answer it (a store that hangs). */
    hang(on = true): void {
      hanging = on;
    },

    /** Stops the server, dropping hung requests and keep-alive connections. */
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

export type FakeS3 = Awaited<ReturnType<typeof startFakeS3>>;

type Refusal = { status: number; code: string; message: string };
type Credentials = { region: string; accessKeyId: string; secretAccessKey: string };

/** Checks AWS Signature V4 in the Authorization header as S3 does; null when the request may go on. */
function checkSignature(req: IncomingMessage, body: Buffer, creds: Credentials): Refusal | null {
  const auth = req.headers.authorization;
  if (!auth) return { status: 403, code: 'AccessDenied', message: 'Access Denied' };
  const m = auth.match(
    /^AWS4-HMAC-SHA256 Credential=([^,]+),\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/,
  );
  const scope = m?.[1]?.split('/');
  if (!m || scope?.length !== 5 || scope[3] !== 's3' || scope[4] !== 'aws4_request') {
    return {
      status: 400,
      code: 'AuthorizationHeaderMalformed',
      message: 'The authorization header is malformed.',
    };
  }
  const [keyId, day, scopeRegion] = scope as [string, string, string, string, string];
  if (keyId !== creds.accessKeyId) {
    return {
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
    };
  }
  if (scopeRegion !== creds.region) {
    return {
      status: 400,
      code: 'AuthorizationHeaderMalformed',
      message: `The authorization header is malformed; the region '${scopeRegion}' is wrong; expecting '${creds.region}'`,
    };
  }
  const amzDate = header(req, 'x-amz-date');
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt || amzDate.slice(0, 8) !== day) {
    return {
      status: 403,
      code: 'AccessDenied',
      message: 'AWS authentication requires a valid Date or x-amz-date header',
    };
  }
  if (Math.abs(Date.now() - signedAt.getTime()) > MAX_SKEW_MS) {
    return {
      status: 403,
      code: 'RequestTimeTooSkewed',
      message: 'The difference between the request time and the current time is too large.',
    };
  }
  const signedHeaders = m[2]!.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-content-sha256')) {
    return { status: 403, code: 'AccessDenied', message: 'host and x-amz-content-sha256 must be signed' };
  }
  const payload = checkPayload(req, body);
  if ('status' in payload) return payload;

  const canonical = canonicalRequest(req, signedHeaders, payload.hash);
  const stringToSign = [ALGORITHM, amzDate, `${day}/${scopeRegion}/s3/aws4_request`, sha256(canonical)].join(
    '\n',
  );
  const key = [day, scopeRegion, 's3', 'aws4_request'].reduce<Buffer | string>(
    (k, part) => hmac(k, part),
    `AWS4${creds.secretAccessKey}`,
  );
  const expected = hmac(key, stringToSign);
  if (!timingSafeEqual(expected, Buffer.from(m[3]!, 'hex'))) {
    return {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message:
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    };
  }
  return null;
}

/** The payload hash to sign with: the body's SHA-256 as declared, or UNSIGNED-PAYLOAD. */
function checkPayload(req: IncomingMessage, body: Buffer): { hash: string } | Refusal {
  const declared = header(req, 'x-amz-content-sha256');
  if (!declared) {
    return {
      status: 400,
      code: 'InvalidRequest',
      message: 'Missing required header for this request: x-amz-content-sha256',
    };
  }
  const checksum = Object.keys(req.headers).find(
    (h) => h.startsWith('x-amz-checksum-') || h === 'x-amz-trailer',
  );
  if (declared.startsWith('STREAMING-') || checksum) {
    return {
      status: 501,
      code: 'NotImplemented',
      message: `The fake S3 takes no aws-chunked bodies or flexible checksums (${checksum ?? declared}); set requestChecksumCalculation: 'WHEN_REQUIRED'`,
    };
  }
  if (declared === 'UNSIGNED-PAYLOAD') return { hash: declared };
  if (!/^[0-9a-f]{64}$/.test(declared) || declared !== (body.length ? sha256(body) : EMPTY_SHA256)) {
    return {
      status: 400,
      code: 'XAmzContentSHA256Mismatch',
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    };
  }
  return { hash: declared };
}

/**
 * Method, path, query, signed headers and payload hash, one per line. S3 signs the path
 * encoded once (segments decoded and re-encoded per RFC 3986), not twice like other services.
 */
function canonicalRequest(req: IncomingMessage, signedHeaders: string[], payloadHash: string): string {
  const url = new URL(req.url ?? '/', 'http://fake');
  const path = url.pathname
    .split('/')
    .map((s) => rfc3986(decodeURIComponent(s)))
    .join('/');
  const query = [...url.searchParams]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = signedHeaders.map((h) => `${h}:${header(req, h).trim().replace(/\s+/g, ' ')}\n`).join('');
  return [req.method, path, query, headers, signedHeaders.join(';'), payloadHash].join('\n');
}

function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : (v ?? '');
}

/** `20261126T145547Z` → a Date, or null. */
function parseAmzDate(s: string): Date | null {
  const m = s.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : null;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function baseHeaders(): Record<string, string> {
  return { 'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(), server: 'FakeS3' };
}

function sendError(
  res: ServerResponse,
  req: IncomingMessage,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
): void {
  const headers = baseHeaders();
  const fields = Object.entries({
    Code: code,
    Message: message,
    ...extra,
    RequestId: headers['x-amz-request-id']!,
  })
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${fields}</Error>`;
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(xml),
  });
  // A HEAD answer has no body, whatever the status.
  res.end(req.method === 'HEAD' ? undefined : xml);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
