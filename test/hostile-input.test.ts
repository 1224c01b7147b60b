import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, returnNeedingReview } from './helpers/fixtures.ts';
import { createStaff, staffSignIn, startTestApp, type TestApp } from './helpers/test-app.ts';

/**
 * Every operation of /api/openapi.json, called with what an attacker or a broken client sends:
 * wrong types, huge and deeply nested bodies, NUL and lone surrogates, SQL-looking and
 * path-traversal strings, duplicate keys, extreme numbers. Nothing may answer 5xx, the server
 * must stay up, and a refused request must change nothing. Seeded (FUZZ_SEED) so a failure
 * reproduces; bounded to a few thousand requests.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);

/** mulberry32: small, seedable, good enough to pick variations. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_STRINGS = [
  '',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  "' OR '1'='1",
  '1; DROP TABLE returns; --',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '<script>alert(1)</script>',
  '{{constructor.constructor("return process")()}}',
  '__proto__',
  'x'.repeat(20_000),
  '𝕏'.repeat(300),
  '2026-13-45',
  '2026-02-30T25:61:00Z',
];
const HOSTILE_VALUES: unknown[] = [
  ...HOSTILE_STRINGS,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53,
  2 ** 63,
  true,
  null,
  [],
  {},
  [null, 'x', 1],
  { __proto__: { polluted: true } },
  { a: { b: { c: 'd' } } },
];
/** Path segments as sent on the wire: already percent-encoded (a lone surrogate cannot be encoded). */
const HOSTILE_SEGMENTS = [
  'x',
  '%00',
  'a%00b',
  '%ED%A0%80',
  '..%2F..%2Fetc%2Fpasswd',
  '%27%20OR%20%271%27%3D%271',
  '%3Cscript%3E',
  'x'.repeat(300),
  '-1',
  '99999999999999999999',
];

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  format?: string;
  minimum?: number;
  minLength?: number;
  minItems?: number;
};

/** A plausible value for a schema: enough to get past validation to the code behind it. */
function sample(s: Schema | undefined, depth = 0): unknown {
  if (!s || depth > 6) return 'x';
  if (s.enum) return s.enum[0];
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return sample(alt.find((a) => a.type !== 'null') ?? alt[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) out[k] = sample(v, depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sample(s.items, depth + 1));
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return true;
    default:
      if (s.format === 'email') return 'fuzz@example.com';
      if (s.format === 'date-time') return '2026-11-20T10:00:00Z';
      if (s.format === 'date') return '2026-11-20';
      if (s.format === 'uri') return 'https://example.com/hook';
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
  }
}

function deep(depth: number): string {
  return `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;
}

type Probe = { method: string; path: string; query?: string; body?: string; contentType?: string };

let t: TestApp;
let ids: Record<string, string> = {};
let adminHeaders: Record<string, string> = {};
let customerCookie = '';

beforeAll(async () => {
  t = await startTestApp();
  const order = (await t.api.post('/api/v1/orders', orderBody())).body;
  const ret = await returnNeedingReview(t.api);
  const hook = (await t.api.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['*'] })).body;
  const staff = await createStaff(t, 'agent');
  const users = await t.services.identity.listUsers(t.tenant.tenantId);
  const admin = await createStaff(t, 'admin');
  const session = await staffSignIn(t, admin.email);
  adminHeaders = { cookie: session.cookie, 'x-csrf-token': session.csrf };
  ids = {
    returns: ret.id,
    orders: order.id,
    customers: order.customer.id,
    webhooks: hook.id,
    users: users.find((u) => u.email === staff.email)!.id,
    lineId: order.lines[0].id,
    token: ret.token,
  };
  // A customer's portal session, so the portal routes reach their handlers too.
  const probe = await fetch(`${t.baseUrl}/api/v1/portal/lookup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      shop: t.tenant.handle,
      orderNumber: order.orderNumber,
      email: order.customer.email,
    }),
  });
  customerCookie = (probe.headers.get('set-cookie') ?? '').split(';')[0]!;
  // Background deliveries write rows of their own; with the worker still, every change seen
  // during a request is that request's.
  await t.services.worker.stop();
});
afterAll(async () => {
  await t?.close();
});

let tableNames: string[] | null = null;

/** Row counts of every table but the ones a refused request legitimately touches. */
async function counts(): Promise<Record<string, number>> {
  tableNames ??= [
    ...new Set(
      (await t.handle.db.introspection.getTables())
        .map((x) => x.name)
        .filter(
          (n) =>
            !n.startsWith('kysely_') &&
            !['login_throttle', 'idempotency_keys', 'customer_sessions', 'sessions'].includes(n),
        ),
    ),
  ];
  const names = tableNames;
  const q = sql.join(
    names.map((n) => sql`select ${n} as t, count(*) as n from ${sql.table(n)}`),
    sql` union all `,
  );
  const rows = await sql<{ t: string; n: number | string }>`${q}`.execute(t.handle.db);
  return Object.fromEntries(rows.rows.map((r) => [r.t, Number(r.n)]));
}

function probesFor(method: string, path: string, op: Record<string, any>, random: () => number): Probe[] {
  const pick = <T>(xs: T[], k: number) =>
    Array.from({ length: k }, () => xs[Math.floor(random() * xs.length)]!);
  const real = (p: string) =>
    p.replace(/\{(\w+)\}/g, (_m, name: string) => {
      if (name === 'token') return ids.token!;
      if (name === 'lineId') return ids.lineId!;
      const collection = /\/api\/v1\/([\w-]+)\/\{/.exec(p)?.[1] ?? '';
      return ids[collection] ?? 'x';
    });
  const params = (op.parameters ?? []) as { in: string; name: string; schema?: Schema }[];
  const query = params.filter((p) => p.in === 'query');
  const bodySchema = op.requestBody?.content?.['application/json']?.schema as Schema | undefined;
  const base = bodySchema ? sample(bodySchema) : undefined;
  const json = (v: unknown) => JSON.stringify(v);
  const out: Probe[] = [];
  // Destructive calls get made-up ids only, so the rest of the run keeps its data and key.
  const target = method === 'DELETE' ? path.replace(/\{\w+\}/g, 'x') : real(path);
  const withBody = (body: string | undefined) => ({
    method,
    path: target,
    ...(body !== undefined ? { body, contentType: 'application/json' } : {}),
  });

  // Path parameters.
  if (/\{\w+\}/.test(path)) {
    for (const seg of pick(HOSTILE_SEGMENTS, 6)) {
      out.push({
        method,
        path: path.replace(/\{\w+\}/g, seg),
        body: base === undefined ? undefined : json(base),
        contentType: 'application/json',
      });
    }
  }
  // Query parameters: each with a few hostile texts, and one unknown.
  for (const p of query) {
    for (const v of pick(HOSTILE_SEGMENTS, 3)) out.push({ method, path: target, query: `${p.name}=${v}` });
  }
  out.push({ method, path: target, query: 'unexpected=1&limit=-5&cursor=%00' });
  if (method === 'GET' || method === 'DELETE') return out;

  // Bodies: the whole body wrong, then each property wrong in turn.
  for (const body of [
    '{}',
    '[]',
    '"text"',
    '123',
    'null',
    '{',
    '{"a":1,"a":2}',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    deep(10_000),
    json(Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i]))),
  ]) {
    out.push(withBody(body));
  }
  if (base && typeof base === 'object' && !Array.isArray(base)) {
    out.push(withBody(json(base)));
    for (const key of Object.keys(base)) {
      for (const v of pick(HOSTILE_VALUES, 5)) out.push(withBody(json({ ...base, [key]: v })));
    }
    const [first] = Object.keys(base);
    if (first) out.push(withBody(json({ ...base, [first]: JSON.parse(deep(200)) })));
  }
  return out;
}

describe('hostile input', () => {
  it(`gets no 5xx from any operation, and a refused request changes nothing (seed ${SEED})`, async () => {
    const doc = (await t.anon.get('/api/openapi.json')).body as {
      paths: Record<string, Record<string, any>>;
    };
    const random = rng(SEED);
    const failures: string[] = [];
    let sent = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const method = m.toUpperCase();
        // Streams never end by themselves; their inputs are the same as their siblings'.
        if (path.endsWith('/stream')) continue;
        for (const probe of probesFor(method, path, op, random)) {
          // Admin session and API key alternate, so both authentications meet every input.
          // (Not for sign-out, which would end the session for the rest of the run.)
          const asAdmin = random() < 0.5 && !probe.path.startsWith('/api/v1/auth/logout');
          // A GET changes nothing by contract; counting around it would only cost time.
          const before = probe.method === 'GET' ? null : await counts();
          const res = await fetch(`${t.baseUrl}${probe.path}${probe.query ? `?${probe.query}` : ''}`, {
            method: probe.method,
            headers: {
              ...(asAdmin ? adminHeaders : { authorization: `Bearer ${t.tenant.apiKey}` }),
              ...(customerCookie && !asAdmin ? { cookie: customerCookie } : {}),
              ...(probe.contentType ? { 'content-type': probe.contentType } : {}),
            },
            body: probe.body,
          });
          const text = await res.text();
          sent++;
          const label = `${probe.method} ${probe.path.slice(0, 120)}${probe.query ? `?${probe.query.slice(0, 80)}` : ''} ${probe.body?.slice(0, 100) ?? ''}`;
          if (process.env.FUZZ_LOG) console.log(res.status, label.slice(0, 160));
          if (res.status >= 500) failures.push(`${res.status} ${label} -> ${text.slice(0, 200)}`);
          else if (res.status >= 400) {
            if (!/^\{"error":\{"code":"[a-z_0-9]+","message":/.test(text) && res.status !== 404) {
              failures.push(`${res.status} without the error shape: ${label} -> ${text.slice(0, 200)}`);
            }
            if (before) {
              const after = await counts();
              const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
              if (changed.length) failures.push(`${res.status} but changed ${changed.join(', ')}: ${label}`);
            }
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
    expect((await t.anon.get('/api/health')).status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
