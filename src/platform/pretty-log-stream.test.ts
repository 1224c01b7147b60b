import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { chooseLogFormat, prettyLogStream } from './pretty-log-stream.ts';

function sink() {
  const lines: string[] = [];
  return { lines, write: (text: string) => lines.push(...text.split('\n').filter(Boolean)) };
}

describe('prettyLogStream', () => {
  it("turns Fastify's two JSON lines per request into one: method, path, status, milliseconds", async () => {
    const out = sink();
    const app = Fastify({ logger: { level: 'info', stream: prettyLogStream(out) } });
    app.get('/api/v1/things', async () => ({ ok: true }));
    await app.ready();
    await app.inject({ method: 'GET', url: '/api/v1/things?limit=2' });
    await app.inject({ method: 'POST', url: '/nowhere' });
    await app.close();
    const requests = out.lines.filter((l) => /^\d\d:\d\d:\d\d (GET|POST) /.test(l));
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatch(/^\d\d:\d\d:\d\d GET \/api\/v1\/things\?limit=2 200 \d+\.\d ms$/);
    expect(requests[1]).toMatch(/^\d\d:\d\d:\d\d POST \/nowhere 404 \d+\.\d ms$/);
    expect(out.lines.join('\n')).not.toContain('{');
  });

  it('writes other messages with their time, the level unless info, extra fields, and an error with its stack', () => {
    const out = sink();
    const stream = prettyLogStream(out);
    const time = new Date(2026, 11, 3, 9, 5, 7).getTime();
    stream.write(
      `${JSON.stringify({ level: 30, time, pid: 1, hostname: 'h', msg: 'Server listening at http://127.0.0.1:3000' })}\n`,
    );
    stream.write(
      `${JSON.stringify({ level: 40, time, msg: 'slow provider', provider: 'stripe', ms: 900 })}\n`,
    );
    stream.write(
      `${JSON.stringify({ level: 50, time, reqId: 'req-9', msg: 'unhandled error', err: { message: 'boom', stack: 'Error: boom\n    at f (x.ts:1:1)' } })}\n`,
    );
    stream.write('not json at all\n');
    expect(out.lines).toEqual([
      '09:05:07 Server listening at http://127.0.0.1:3000',
      '09:05:07 WARN slow provider  provider=stripe ms=900',
      '09:05:07 ERROR unhandled error',
      '  Error: boom',
      '      at f (x.ts:1:1)',
      'not json at all',
    ]);
  });

  it('still writes a line for a request whose start it never saw', () => {
    const out = sink();
    prettyLogStream(out).write(
      `${JSON.stringify({ level: 30, time: Date.now(), reqId: 'req-1', res: { statusCode: 204 }, responseTime: 1.25, msg: 'request completed' })}\n`,
    );
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatch(/^\d\d:\d\d:\d\d request req-1 204 1\.3 ms$/);
  });
});

describe('chooseLogFormat', () => {
  it('follows LOG_FORMAT when set, and otherwise pretty on a terminal and JSON elsewhere', () => {
    expect(chooseLogFormat(undefined, true)).toBe('pretty');
    expect(chooseLogFormat(undefined, false)).toBe('json');
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
  });
});
