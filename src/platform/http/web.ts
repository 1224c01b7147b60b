import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type WebOptions = {
  /** The Vite build output: `index.html` plus hashed files under `assets/`. */
  distDir: string;
};

// Tracking links carry their token in the path: no referrer may take it to another site.
const PAGE_HEADERS = {
  'cache-control': 'no-cache',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Mantine writes its CSS variables into a <style> element, hence 'unsafe-inline' for styles
  // only; scripts come from our own origin and nowhere else.
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; " +
    "frame-ancestors 'none'",
};

/** Prefixes the SPA never answers: the API keeps its JSON 404, unsubscribe pages are server-rendered. */
const NOT_THE_APP = /^\/(api|u)(\/|$)/;

/** Content types as `mime` names them, text in UTF-8; anything else is application/octet-stream. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/vnd.microsoft.icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.xml': 'application/xml',
  '.gz': 'application/gzip',
};

/** bin/build-web.js writes NAME.br and NAME.gz beside each text file; brotli is preferred. */
const ENCODINGS = [
  ['br', '.br'],
  ['gzip', '.gz'],
] as const;
type Encoding = (typeof ENCODINGS)[number][0];

/** One file as it is sent: its bytes and the validators a browser revalidates it with. */
type Body = { data: Buffer; etag: string; lastModified: string };
type WebFile = Body & { type: string; cacheControl: string; encoded: Partial<Record<Encoding, Body>> };

function body(path: string): Body {
  const st = statSync(path);
  const data = readFileSync(path);
  // As @fastify/send, which served these files before: a weak tag of size and mtime.
  return {
    data,
    etag: `W/"${st.size.toString(16)}-${st.mtime.getTime().toString(16)}"`,
    lastModified: st.mtime.toUTCString(),
  };
}

/** Every file of the build (dotfiles aside), by URL path, read once. */
function readBuild(distDir: string): Map<string, WebFile> {
  const files = new Map<string, WebFile>();
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      const url = `${prefix}/${entry.name}`;
      if (entry.isDirectory()) {
        walk(path, url);
        continue;
      }
      const encoded: WebFile['encoded'] = {};
      for (const [name, ext] of ENCODINGS) {
        if (existsSync(path + ext)) encoded[name] = body(path + ext);
      }
      files.set(url, {
        ...body(path),
        type: TYPES[extname(entry.name).toLowerCase()] ?? 'application/octet-stream',
        // Vite puts a content hash in every file name under assets/: a changed file has a new name.
        cacheControl: url.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        encoded,
      });
    }
  };
  walk(distDir, '');
  return files;
}

/**
 * Serves the built web app from memory, precompressed: hashed assets cached for a year, and
 * `index.html` for every other GET that is not an API path, so client routes (`/t/:token`,
 * `/console`, …) survive a reload. The build is read once at start-up (3 MB); nothing touches the
 * disk per request. Answers as @fastify/static did: ETag and Last-Modified, conditional requests
 * (304, 412) and byte ranges.
 */
export async function registerWeb(app: FastifyInstance, opts: WebOptions): Promise<void> {
  const indexFile = join(opts.distDir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`registerWeb: ${indexFile} does not exist; build the web app`);
  const files = readBuild(opts.distDir);
  const index = files.get('/index.html')!;

  const sendIndex = (request: FastifyRequest, reply: FastifyReply) =>
    sendWebFile(request, reply.headers(PAGE_HEADERS), index);

  app.get('/', { schema: { hide: true }, config: { public: true } }, sendIndex);
  app.get('/*', { schema: { hide: true }, config: { public: true } }, (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    // Decoded as the router matched a route of its own per file before (%2F stays a name).
    const file = files.get(path) ?? (path.includes('%') ? files.get(decodeURI(path)) : undefined);
    if (file) return sendWebFile(request, reply, file);
    // A missing hashed asset (an old page after a deploy) must fail as a 404, not load HTML as JS.
    if (NOT_THE_APP.test(path) || path.startsWith('/assets/')) return reply.callNotFound();
    return sendIndex(request, reply);
  });
}

function sendWebFile(request: FastifyRequest, reply: FastifyReply, file: WebFile) {
  const encoding = negotiate(request.headers['accept-encoding'], file);
  const sent = encoding ? file.encoded[encoding]! : file;
  const precondition = checkPreconditions(request, sent);
  if (precondition === 'failed') {
    return reply.send(Object.assign(new Error('Precondition Failed'), { statusCode: 412 }));
  }
  const range = precondition ? null : requestedRange(request, sent);
  if (range === 'unsatisfiable') {
    const headers = { 'content-range': `bytes */${sent.data.length}` };
    return reply.send(Object.assign(new Error('Range Not Satisfiable'), { statusCode: 416, headers }));
  }
  reply.header('accept-ranges', 'bytes');
  reply.header('cache-control', file.cacheControl);
  reply.header('last-modified', sent.lastModified);
  reply.header('etag', sent.etag);
  reply.header('x-content-type-options', 'nosniff');
  // Chosen by Accept-Encoding, the uncompressed answer too: a shared cache must keep them apart.
  reply.header('vary', varyWithAcceptEncoding(reply.getHeader('vary')));
  if (encoding) reply.header('content-encoding', encoding);
  if (precondition === 'not-modified') {
    // No content headers on a 304, but for an encoded answer's type (as @fastify/static had it).
    if (encoding) reply.header('content-type', file.type);
    // An empty stream, as before: a HEAD answer then gets no Content-Length of 0 either.
    return reply.code(304).send(Readable.from([]));
  }
  reply.header('content-type', file.type);
  if (!range) return reply.send(sent.data);
  reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${sent.data.length}`);
  return reply.send(sent.data.subarray(range.start, range.end + 1));
}

/** The best encoding the client accepts that the file has, as @fastify/static negotiated. */
function negotiate(header: string | undefined, file: WebFile): Encoding | null {
  if (header === undefined) return null;
  // "*" stands for gzip (as @fastify/static has it); the earlier of equal preferences wins.
  let best: Encoding | null = null;
  let bestQuality = 0;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const part of header.toLowerCase().replaceAll('*', 'gzip').split(',')) {
    const [token = '', ...params] = part.split(';');
    const rank = ENCODINGS.findIndex(([name]) => name === token.trim());
    if (rank < 0 || !file.encoded[ENCODINGS[rank]![0]]) continue;
    const q = params.map((p) => /^\s*q\s*=\s*([\d.]+)/.exec(p)).find(Boolean);
    const quality = q ? Number.parseFloat(q[1]!) || 0 : 1;
    if (quality === 0 || quality < bestQuality || (quality === bestQuality && rank >= bestRank)) continue;
    best = ENCODINGS[rank]![0];
    bestQuality = quality;
    bestRank = rank;
  }
  return best;
}

function varyWithAcceptEncoding(current: ReturnType<FastifyReply['getHeader']>): string {
  if (current === undefined) return 'accept-encoding';
  const value = Array.isArray(current) ? current.join(', ') : String(current);
  return value.split(',').some((v) => v.trim() === '*' || v.trim().toLowerCase() === 'accept-encoding')
    ? value
    : `${value}, accept-encoding`;
}

/** Iterates the comma-separated tokens of a header (entity tags, mostly). */
function tokens(header: string): string[] {
  return header
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

/** RFC 9110 §13 as @fastify/send applied it: If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since. */
function checkPreconditions(request: FastifyRequest, sent: Body): 'failed' | 'not-modified' | null {
  const h = request.headers;
  const ifMatch = h['if-match'];
  if (ifMatch && ifMatch !== '*' && !tokens(ifMatch).some((t) => t === sent.etag || `W/${t}` === sent.etag)) {
    return 'failed';
  }
  const ifUnmodifiedSince = h['if-unmodified-since'];
  if (ifUnmodifiedSince !== undefined) {
    const since = Date.parse(ifUnmodifiedSince);
    if (!Number.isNaN(since) && Date.parse(sent.lastModified) > since) return 'failed';
  }
  // An end-to-end reload asks for the file whatever the client holds.
  if (h['cache-control']?.includes('no-cache')) return null;
  const ifNoneMatch = h['if-none-match'];
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch === '*' ||
      tokens(ifNoneMatch).some(
        (t) => t === sent.etag || (t.length < sent.etag.length && `W/${t}` === sent.etag),
      )
      ? 'not-modified'
      : null;
  }
  const ifModifiedSince = h['if-modified-since'];
  if (ifModifiedSince !== undefined && Date.parse(sent.lastModified) <= Date.parse(ifModifiedSince)) {
    return 'not-modified';
  }
  return null;
}

/** A single byte range (several, or a stale If-Range, get the whole file), as @fastify/send read it. */
function requestedRange(
  request: FastifyRequest,
  sent: Body,
): { start: number; end: number } | 'unsatisfiable' | null {
  const header = request.headers.range;
  if (header === undefined || !/^ *bytes=/.test(header)) return null;
  const ifRange = request.headers['if-range'];
  if (typeof ifRange === 'string') {
    if (ifRange.includes('"')) {
      if (!ifRange.includes(sent.etag)) return null;
    } else {
      const at = Date.parse(ifRange);
      if (Number.isNaN(at) || Date.parse(sent.lastModified) > at) return null;
    }
  }
  const size = sent.data.length;
  const ranges: { start: number; end: number }[] = [];
  for (const spec of header.slice(header.indexOf('=') + 1).split(',')) {
    const dash = spec.indexOf('-');
    let start = Number.parseInt(spec.slice(0, dash), 10);
    let end = Number.parseInt(spec.slice(dash + 1), 10);
    if (Number.isNaN(start)) {
      start = size - end;
      end = size - 1;
    } else if (Number.isNaN(end) || end > size - 1) {
      end = size - 1;
    }
    if (!Number.isNaN(start) && !Number.isNaN(end) && start > -1 && start <= end) ranges.push({ start, end });
  }
  if (ranges.length === 0) return 'unsatisfiable';
  if (ranges.length > 1 && !overlapIntoOne(ranges)) return null;
  return ranges[0]!;
}

/** Whether ranges merge into one (then `ranges[0]` is it), as range-parser combined them. */
function overlapIntoOne(ranges: { start: number; end: number }[]): boolean {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged = { ...sorted[0]! };
  for (const r of sorted.slice(1)) {
    if (r.start > merged.end + 1) return false;
    merged.end = Math.max(merged.end, r.end);
  }
  ranges[0] = merged;
  return true;
}
