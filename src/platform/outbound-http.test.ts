import { createServer } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressProblem, postOutbound, urlProblem } from './outbound-http.ts';

describe('addressProblem', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['198.18.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:10.0.0.1', 'private'],
    ['::127.0.0.1', 'ipv4Compatible'],
    ['64:ff9b::7f00:1', 'rfc6052'],
    ['2002:7f00:1::', '6to4'],
    ['fe80::1', 'linkLocal'],
    ['fe90::1', 'linkLocal'],
    ['febf::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['4000::1', 'unallocated'],
  ])('refuses %s (%s)', (ip, range) => {
    expect(addressProblem(ip)).toBe(range);
  });

  it.each(['93.184.216.34', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'lets the public address %s through',
    (ip) => {
      expect(addressProblem(ip)).toBeNull();
    },
  );

  it('judges an IPv4 address and its IPv4-mapped IPv6 spellings alike', () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
        const hex = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
        const verdict = addressProblem(v4);
        expect(addressProblem(`::ffff:${v4}`)).toBe(verdict);
        expect(addressProblem(`::ffff:${hex}`)).toBe(verdict);
        expect(addressProblem(`0:0:0:0:0:ffff:${v4}`)).toBe(verdict);
        // Never public through the compatible or NAT64 forms.
        expect(addressProblem(`::${v4}`)).not.toBeNull();
        expect(addressProblem(`64:ff9b::${hex}`)).not.toBeNull();
      }),
    );
  });
});

describe('urlProblem', () => {
  it('reads the host as the URL parser normalises it', () => {
    // WHATWG URL turns these into 127.0.0.1 or ::ffff:7f00:1 before anyone connects.
    for (const raw of [
      'http://127.1/',
      'http://0x7f.0.0.1/',
      'http://2130706433/',
      'http://[::ffff:127.0.0.1]:8080/',
      'http://[0:0:0:0:0:ffff:127.0.0.1]/',
    ]) {
      expect(urlProblem(new URL(raw), false), raw).toMatch(/loopback/);
    }
    expect(urlProblem(new URL('ftp://example.com/'), false)).toBe('must be http or https');
    expect(urlProblem(new URL('https://u:p@example.com/'), false)).toBe('must not carry credentials');
    expect(urlProblem(new URL('http://127.0.0.1/'), true)).toBeNull();
  });
});

describe('postOutbound', () => {
  it('refuses a host that resolves to loopback at connect time, and reaches it only when allowed', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.end('internal secret');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const send = (allowPrivate: boolean) =>
        postOutbound(`http://localhost:${port}/`, { headers: {}, body: '{}', timeoutMs: 2000, allowPrivate });
      await expect(send(false)).rejects.toMatchObject({ code: 'private_address' });
      expect(hits).toBe(0);
      const ok = await send(true);
      expect(ok).toEqual({ statusCode: 200, body: 'internal secret' });
      expect(hits).toBe(1);
    } finally {
      server.close();
    }
  });

  it('reads at most maxBodyBytes of the answer', async () => {
    const server = createServer((_req, res) => res.end('x'.repeat(100_000)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const r = await postOutbound(`http://127.0.0.1:${port}/`, {
        headers: {},
        body: '{}',
        timeoutMs: 2000,
        allowPrivate: true,
        maxBodyBytes: 300,
      });
      expect(r.body).toHaveLength(300);
    } finally {
      server.close();
    }
  });
});
