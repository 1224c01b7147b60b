import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../../platform/http/error-handler.ts';
import type { Realtime, RealtimeMessage } from './hub.ts';

export type SseOptions = {
  realtime: Realtime;
  channels: string[];
  /**
   * Sent before any live message. Pass a loader rather than an array to close the gap between
   * reading the current state and subscribing: the stream subscribes first, holds live messages
   * while the loader runs, then sends the loaded events followed by what arrived meanwhile.
   */
  initial?: RealtimeMessage[] | (() => Promise<RealtimeMessage[]>);
  /** Comment line this often so proxies and load balancers keep an idle stream open; default 15 s. */
  heartbeatMs?: number;
  /** The browser's reconnect delay, sent once as `retry:`; default 2 s. */
  retryMs?: number;
  /**
   * How many bytes may wait unsent for a slow client (Node's buffer plus the socket's) before the
   * stream is dropped; default 256 KiB, some thousand typical events. A dropped browser reconnects
   * after `retryMs` and gets the current state through `initial`, which costs less than holding
   * memory without bound for a client that stopped reading.
   */
  maxBufferedBytes?: number;
  /**
   * Who holds the stream (a tracking token, a staff user): at most MAX_STREAMS_PER_HOLDER open at
   * once each, besides MAX_STREAMS_PER_IP per client address.
   */
  holder?: string;
  /** Streams one client address may hold at once; default MAX_STREAMS_PER_IP (benchmarks lift it). */
  maxPerIp?: number;
};

/** Open streams one address may hold in this process (an office behind one NAT has room). */
export const MAX_STREAMS_PER_IP = 100;
/** Open streams one token or user may hold in this process (tabs, reconnects that overlap). */
export const MAX_STREAMS_PER_HOLDER = 20;
const openStreams = new Map<string, number>();
const countStream = (key: string, by: 1 | -1) => {
  const n = (openStreams.get(key) ?? 0) + by;
  if (n <= 0) openStreams.delete(key);
  else openStreams.set(key, n);
};

const HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // nginx buffers proxied responses unless told not to, which would hold events back.
  'x-accel-buffering': 'no',
};

/** The most live messages held while an `initial` loader runs before the client is dropped. */
const MAX_PENDING = 1_000;

// The hub hands the same message object to every subscriber: encode it once, not once per client.
const frames = new WeakMap<RealtimeMessage, Buffer>();

/** One SSE event on the wire: `id:`, `event:`, `data:` (JSON on one line), then a blank line. */
export function sseFrame(msg: RealtimeMessage): Buffer {
  let frame = frames.get(msg);
  if (!frame) {
    // Line breaks in id or event would start a new field: a client could be fed forged events.
    const id = msg.id === undefined ? '' : `id: ${msg.id.replace(/[\r\n\0]/g, '')}\n`;
    const event = `event: ${msg.event.replace(/[\r\n]/g, '')}\n`;
    // JSON.stringify escapes CR and LF inside strings, so the data is always one line.
    frame = Buffer.from(`${id}${event}data: ${JSON.stringify(msg.data ?? null)}\n\n`);
    frames.set(msg, frame);
  }
  return frame;
}

/** The Last-Event-ID the browser sent on reconnect, for the caller to build `initial` from. */
export function lastEventId(request: FastifyRequest): string | undefined {
  const value = request.headers['last-event-id'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Turns a Fastify reply into an SSE stream subscribed to `channels`; sends `initial` events first;
 * heartbeats (comment line) every `heartbeatMs` so proxies keep it open; cleans up on client
 * close; honours `Last-Event-ID` only as far as the caller supplies `initial`.
 *
 * The reply is hijacked, so Fastify's onSend hooks and its serialisation do not run: headers such
 * as CORS must be set on `reply.raw` by the caller first. The server must destroy open streams on
 * close (`forceCloseConnections: true`, as createHttpServer sets) or `app.close()` waits for them.
 */
export function streamSse(request: FastifyRequest, reply: FastifyReply, opts: SseOptions): void {
  // Each open stream holds a socket and a subscription for as long as the client wants: without a
  // cap, one address could hold hundreds (the review saw 560).
  const keys = [`ip:${request.ip}`, ...(opts.holder ? [`holder:${opts.holder}`] : [])];
  if (
    (openStreams.get(keys[0]!) ?? 0) >= (opts.maxPerIp ?? MAX_STREAMS_PER_IP) ||
    (opts.holder && (openStreams.get(keys[1]!) ?? 0) >= MAX_STREAMS_PER_HOLDER)
  ) {
    reply
      .code(429)
      .header('retry-after', '30')
      .send(
        errorBody(
          'too_many_streams',
          'Too many live connections are open from here; close some and try again.',
        ),
      );
    return;
  }
  const raw = reply.raw;
  reply.hijack();
  if (raw.destroyed || raw.writableEnded) return;

  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const maxBuffered = opts.maxBufferedBytes ?? 256 * 1024;
  let closed = false;
  let heartbeat: NodeJS.Timeout | null = null;
  const unsubscribes: Array<() => void> = [];
  // Live messages that arrive while the `initial` loader runs; null once they go straight out.
  let pending: RealtimeMessage[] | null = null;

  for (const k of keys) countStream(k, 1);
  const cleanup = () => {
    if (closed) return;
    closed = true;
    for (const k of keys) countStream(k, -1);
    if (heartbeat) clearInterval(heartbeat);
    for (const unsubscribe of unsubscribes) unsubscribe();
    unsubscribes.length = 0;
    pending = null;
  };
  const drop = () => {
    cleanup();
    raw.destroy();
  };
  const write = (chunk: string | Buffer) => {
    if (closed) return;
    raw.write(chunk);
    // write() returning false only means "past the high-water mark"; a burst may pass it and
    // drain a moment later, so the limit is on what has piled up, not on the first false.
    if (raw.writableLength > maxBuffered) drop();
  };

  raw.on('close', cleanup);
  // A write to a reset socket reports here; without a listener it would crash the process.
  raw.on('error', drop);

  raw.writeHead(200, HEADERS);
  write(`retry: ${Math.max(0, Math.floor(opts.retryMs ?? 2_000))}\n\n`);

  const loader = opts.initial;
  if (typeof loader === 'function') pending = [];
  for (const channel of new Set(opts.channels)) {
    unsubscribes.push(
      opts.realtime.subscribe(channel, (msg) => {
        if (closed) return;
        if (pending) {
          if (pending.length >= MAX_PENDING) drop();
          else pending.push(msg);
          return;
        }
        write(sseFrame(msg));
      }),
    );
  }

  heartbeat = setInterval(() => write(': ping\n\n'), heartbeatMs);
  heartbeat.unref();

  if (typeof loader !== 'function') {
    for (const msg of loader ?? []) write(sseFrame(msg));
    return;
  }
  loader().then(
    (events) => {
      if (closed) return;
      for (const msg of events) write(sseFrame(msg));
      const held = pending ?? [];
      pending = null;
      for (const msg of held) write(sseFrame(msg));
    },
    (e: unknown) => {
      // The browser reconnects after `retry` and the loader gets another chance.
      request.log.error({ err: e }, 'sse initial events failed');
      cleanup();
      raw.end();
    },
  );
}
