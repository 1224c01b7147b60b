import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Requests to addresses a tenant chose (webhook endpoints), which must not reach into our own
 * network: loopback, RFC 1918, link-local and cloud metadata (169.254.169.254), and every other
 * IANA special-purpose range. The address is checked where the connection is made, so a host
 * whose DNS answer changes after the URL was saved (DNS rebinding) is caught too.
 */

// 2000::/3 is the only IPv6 space IANA allocates for global unicast; ipaddr.js calls anything
// outside its special list "unicast", including unallocated space.
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/** Why a call to this IP address is refused (the IANA range it falls in), or null when it is public. */
export function addressProblem(ip: string): string | null {
  if (!ipaddr.isValid(ip)) return 'not an IP address';
  // ipaddr.js reads ::a.b.c.d as ::ffff:a.b.c.d; the WHATWG URL parser writes the dotted tail as hex
  // correctly (::7f00:1), as it does for every URL we are given.
  if (ip.includes(':') && ip.includes('.')) ip = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  let addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv6') {
    const v6 = addr as ipaddr.IPv6;
    // ::ffff:a.b.c.d is the IPv4 host a.b.c.d on a dual-stack socket: judge it as IPv4.
    if (v6.isIPv4MappedAddress()) addr = v6.toIPv4Address();
    else {
      const range = v6.range();
      if (range !== 'unicast') return range;
      // ::a.b.c.d (IPv4-compatible, deprecated by RFC 4291) and the rest of ::/96 route nowhere public.
      if (v6.parts.slice(0, 6).every((p) => p === 0)) return 'ipv4Compatible';
      return v6.match(GLOBAL_UNICAST_V6) ? null : 'unallocated';
    }
  }
  const range = addr.range();
  return range === 'unicast' ? null : range;
}

export class OutboundRefused extends Error {
  readonly code = 'private_address';
}

/**
 * dns.lookup that refuses a host if any of its addresses is not public, and otherwise hands net
 * the addresses it checked: the socket connects to exactly what was judged, with no second lookup.
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const bad = addresses.find((a) => addressProblem(a.address));
    if (bad || addresses.length === 0) {
      const what = bad ? `${bad.address}, a ${addressProblem(bad.address)} address` : 'no address';
      return callback(new OutboundRefused(`${hostname} resolves to ${what}`), '', 0);
    }
    if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/** Why this URL may not be called (scheme, credentials, an IP literal in a special range), or null. */
export function urlProblem(url: URL, allowPrivate: boolean): string | null {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be http or https';
  if (url.username || url.password) return 'must not carry credentials';
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const problem = isIP(host) ? addressProblem(host) : null;
  return problem ? `points to a ${problem} address (${host})` : null;
}

/** Resolves the host now and says whether any address is private (for a clear answer when saving). */
export async function resolveProblem(url: URL): Promise<string | null> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return null;
  return new Promise((resolve) => {
    publicOnlyLookup(host, { all: true }, (err) => {
      if (!err) resolve(null);
      else if (err instanceof OutboundRefused)
        resolve(`points to a private or reserved address (${err.message})`);
      else resolve(`host ${host} does not resolve`);
    });
  });
}

export type OutboundResponse = { statusCode: number; body: string };

/**
 * POSTs `body` to `url`, connecting only to public addresses unless `allowPrivate`. Redirects are
 * not followed (a 3xx could bounce the request inward); at most `maxBodyBytes` of the answer is
 * read. Rejects with OutboundRefused, a TimeoutError, or the socket's error.
 */
export function postOutbound(
  rawUrl: string,
  opts: {
    headers: Record<string, string>;
    body: string;
    timeoutMs: number;
    allowPrivate: boolean;
    maxBodyBytes?: number;
  },
): Promise<OutboundResponse> {
  const url = new URL(rawUrl);
  const problem = urlProblem(url, opts.allowPrivate);
  if (problem) return Promise.reject(new OutboundRefused(`the URL ${problem}`));
  const max = opts.maxBodyBytes ?? 4096;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...opts.headers, 'content-length': Buffer.byteLength(opts.body) },
        signal: AbortSignal.timeout(opts.timeoutMs),
        ...(opts.allowPrivate ? {} : { lookup: publicOnlyLookup }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < max) chunks.push(c.subarray(0, max - size));
          size += c.length;
          // Enough read: the rest of a large answer is not waited for.
          if (size >= max) res.destroy();
        });
        const done = () =>
          resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    req.on('error', (e) => {
      // An abort by the timeout signal surfaces as AbortError with the TimeoutError as its cause.
      const cause = (e as { cause?: Error }).cause;
      reject(cause?.name === 'TimeoutError' ? cause : e);
    });
    req.end(opts.body);
  });
}
