import net from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSse } from '../../../test/helpers/sse-client.ts';
import { createLocalRealtime, type Realtime, type RealtimeMessage } from './hub.ts';
import { sseFrame, streamSse } from './sse.ts';

async function until(check: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('streamSse', () => {
  let app: FastifyInstance;
  let realtime: Realtime;
  let baseUrl: string;
  let slowLoader: (() => Promise<RealtimeMessage[]>) | null;

  beforeEach(async () => {
    realtime = createLocalRealtime();
    slowLoader = null;
    // forceCloseConnections, as in createHttpServer: open streams must not hold app.close() up.
    app = Fastify({ logger: false, forceCloseConnections: true });
    app.get<{ Params: { id: string }; Querystring: { hb?: string; max?: string } }>(
      '/returns/:id/events',
      async (request, reply) => {
        const { id } = request.params;
        streamSse(request, reply, {
          realtime,
          channels: [`return:${id}`, `return:${id}`, 'tenant:ten_1:queue'],
          initial: slowLoader ?? [
            { channel: `return:${id}`, event: 'return.snapshot', data: { id, status: 'submitted' }, id: '0' },
          ],
          heartbeatMs: request.query.hb ? Number(request.query.hb) : undefined,
          maxBufferedBytes: request.query.max ? Number(request.query.max) : undefined,
          retryMs: 1_500,
        });
      },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address !== 'object') throw new Error('no address');
    baseUrl = `http://127.0.0.1:${address.port}`;
  });

  afterEach(async () => {
    await app.close();
    await realtime.close();
  });

  it('answers with SSE headers, the retry delay and the initial events first', async () => {
    const sse = await openSse(`${baseUrl}/returns/ret_1/events`);
    expect(sse.status).toBe(200);
    expect(sse.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(sse.headers['cache-control']).toBe('no-cache, no-transform');
    expect(sse.headers.connection).toBe('keep-alive');
    expect(sse.headers['x-accel-buffering']).toBe('no');
    const first = await sse.next();
    expect(first).toMatchObject({
      id: '0',
      event: 'return.snapshot',
      json: { id: 'ret_1', status: 'submitted' },
    });
    expect(sse.retry).toBe(1_500);
    sse.close();
  });

  it('delivers a published message on each subscribed channel once, even when a channel is listed twice', async () => {
    const sse = await openSse(`${baseUrl}/returns/ret_2/events`);
    await sse.next((e) => e.event === 'return.snapshot');
    await realtime.publish({
      channel: 'return:ret_2',
      event: 'return.updated',
      data: { status: 'approved' },
      id: '7',
    });
    await realtime.publish({ channel: 'return:ret_other', event: 'return.updated', data: { status: 'x' } });
    await realtime.publish({ channel: 'tenant:ten_1:queue', event: 'queue.changed', data: { size: 3 } });
    const updated = await sse.next((e) => e.event === 'return.updated');
    expect(updated).toMatchObject({ id: '7', json: { status: 'approved' } });
    await sse.next((e) => e.event === 'queue.changed');
    expect(sse.events.map((e) => e.event)).toEqual(['return.snapshot', 'return.updated', 'queue.changed']);
    sse.close();
  });

  it('sends a heartbeat comment every heartbeatMs', async () => {
    const sse = await openSse(`${baseUrl}/returns/ret_3/events?hb=50`);
    expect(await sse.nextComment(2_000)).toBe('ping');
    expect(await sse.nextComment(2_000)).toBe('ping');
    sse.close();
  });

  it('removes the subscriptions when the client goes away', async () => {
    const sse = await openSse(`${baseUrl}/returns/ret_4/events`);
    await sse.next();
    expect(realtime.subscriberCount('return:ret_4')).toBe(1);
    expect(realtime.subscriberCount('tenant:ten_1:queue')).toBe(1);
    sse.close();
    await until(() => realtime.subscriberCount() === 0, 5_000, 'unsubscribe on close');
    // Publishing to a channel whose subscriber left is harmless.
    await realtime.publish({ channel: 'return:ret_4', event: 'return.updated', data: {} });
  });

  it('holds live messages while an initial loader runs and sends them after its events', async () => {
    let finish!: (events: RealtimeMessage[]) => void;
    slowLoader = () => new Promise((r) => (finish = r));
    const sse = await openSse(`${baseUrl}/returns/ret_5/events`);
    await until(() => realtime.subscriberCount('return:ret_5') === 1);
    await realtime.publish({
      channel: 'return:ret_5',
      event: 'return.updated',
      data: { status: 'approved' },
    });
    finish([{ channel: 'return:ret_5', event: 'return.snapshot', data: { status: 'submitted' } }]);
    await sse.next((e) => e.event === 'return.updated');
    expect(sse.events.map((e) => e.event)).toEqual(['return.snapshot', 'return.updated']);
    sse.close();
  });

  it('drops a client that stops reading instead of buffering without bound', async () => {
    // A raw socket that never reads: the kernel buffers fill, then Node's, then the limit trips.
    const { port } = new URL(baseUrl);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.write(`GET /returns/ret_6/events?max=65536 HTTP/1.1\r\nHost: x\r\n\r\n`);
    socket.pause();
    await until(() => realtime.subscriberCount('return:ret_6') === 1);
    const data = { note: 'x'.repeat(16_000) };
    for (let i = 0; i < 2_000 && realtime.subscriberCount('return:ret_6') > 0; i++) {
      await realtime.publish({ channel: 'return:ret_6', event: 'return.updated', data });
      if (i % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(realtime.subscriberCount('return:ret_6')).toBe(0);
    socket.destroy();
  });

  it('closes open streams when the server closes', async () => {
    const sse = await openSse(`${baseUrl}/returns/ret_7/events`);
    await sse.next();
    await app.close();
    await sse.closed;
    expect(realtime.subscriberCount()).toBe(0);
  });
});

describe('sseFrame', () => {
  it('writes id, event and one-line JSON data, and keeps line breaks out of the fields', () => {
    const frame = sseFrame({ channel: 'c', event: 'return.updated', data: { note: 'a\nb' }, id: '42' });
    expect(frame.toString()).toBe('id: 42\nevent: return.updated\ndata: {"note":"a\\nb"}\n\n');
    const forged = sseFrame({ channel: 'c', event: 'x\ndata: forged', data: null, id: '1\nevent: y' });
    expect(forged.toString()).toBe('id: 1event: y\nevent: xdata: forged\ndata: null\n\n');
  });
});
