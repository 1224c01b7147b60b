import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody } from './helpers/fixtures.ts';
import { createStaff, staffSignIn, startTestApp, type TestApp } from './helpers/test-app.ts';

/**
 * Who may call what, for every registered route: the matrix of docs/security.md as a table. A
 * route added without an entry here fails the first test; each route is then called as every kind
 * of caller, and the answer must be a refusal (401, 403, or 404 where the route only exists for
 * its own session) exactly where the table says so.
 *
 * Calls carry made-up ids and empty bodies, so an allowed caller gets past authorization and is
 * stopped by validation or lookup (400, 404, 422), and nothing of the fixtures is changed.
 */
type Access =
  | 'public' // anyone
  | 'tracking' // whoever holds the tracking link (the token is the path)
  | 'portal' // a customer with a portal session (order number + email)
  | 'session' // any signed-in staff member, by session only
  | 'integrations' // API keys only
  | 'staff' // every staff role, and API keys
  | 'warehouse' // admin, supervisor, warehouse, and API keys
  | 'desk' // admin, supervisor, agent, and API keys
  | 'leads' // admin, supervisor, and API keys
  | 'admin'; // admin, and API keys

const MATRIX: Record<string, Access> = {
  'GET /api/v1/analytics/alerts': 'leads',
  'GET /api/v1/analytics/alerts/:id': 'leads',
  'GET /api/v1/analytics/automation': 'leads',
  'GET /api/v1/analytics/cycle-times': 'leads',
  'GET /api/v1/analytics/reasons': 'leads',
  'GET /api/v1/analytics/refund-cost': 'leads',
  'GET /api/v1/analytics/return-rate': 'leads',
  'GET /api/v1/analytics/returns': 'leads',
  'GET /api/v1/analytics/risk': 'leads',
  'GET /api/v1/analytics/risk-model': 'leads',
  'GET /api/v1/analytics/sla': 'leads',
  'GET /api/v1/analytics/themes': 'leads',
  'GET /api/v1/api-keys': 'admin',
  'GET /api/v1/auth/me': 'session',
  'GET /api/v1/console/queues': 'staff',
  'GET /api/v1/console/returns': 'staff',
  'GET /api/v1/console/returns.csv': 'leads',
  'GET /api/v1/console/returns/:id': 'staff',
  'GET /api/v1/console/returns/:id/stream': 'staff',
  'GET /api/v1/customers/:id/credit': 'desk',
  'GET /api/v1/customers/:id/preferences': 'desk',
  'PUT /api/v1/customers/:id/preferences': 'desk',
  'GET /api/v1/customers/:id/wallet': 'desk',
  'GET /api/v1/evidence/:id': 'staff',
  'PUT /api/v1/fx-rates': 'leads',
  'GET /api/v1/fx-rates': 'desk',
  'GET /api/v1/macros': 'desk',
  'PUT /api/v1/macros/:id': 'leads',
  'GET /api/v1/me/inbox': 'session',
  'GET /api/v1/me/stream': 'session',
  'GET /api/v1/notification-settings': 'admin',
  'PUT /api/v1/notification-settings': 'admin',
  'GET /api/v1/notification-templates': 'admin',
  'PUT /api/v1/notification-templates/:event/:locale': 'admin',
  'GET /api/v1/notifications': 'leads',
  'GET /api/v1/notifications/:id': 'leads',
  'GET /api/v1/orders': 'staff',
  'GET /api/v1/orders/:id': 'staff',
  'GET /api/v1/orders/:id/events': 'staff',
  'GET /api/v1/orders/:id/stages': 'staff',
  'GET /api/v1/orders/by-number/:orderNumber': 'staff',
  'GET /api/v1/payment-providers': 'admin',
  'PUT /api/v1/payment-providers/stripe': 'admin',
  'GET /api/v1/policy': 'staff',
  'PUT /api/v1/policy': 'admin',
  'GET /api/v1/policy/guide': 'staff',
  'GET /api/v1/policy/versions': 'staff',
  'GET /api/v1/portal/order': 'portal',
  'GET /api/v1/portal/shops/:handle': 'public',
  'GET /api/v1/returns': 'staff',
  'GET /api/v1/returns/:id': 'staff',
  'GET /api/v1/returns/:id/events': 'staff',
  'GET /api/v1/returns/:id/position': 'leads',
  'GET /api/v1/seller-claims': 'desk',
  'GET /api/v1/seller-claims/:id': 'desk',
  'GET /api/v1/seller-claims/:id/evidence-pack': 'desk',
  'GET /api/v1/sellers/claim-stats': 'leads',
  'GET /api/v1/stream': 'staff',
  'GET /api/v1/track/:token': 'tracking',
  'GET /api/v1/track/:token/inbox': 'tracking',
  'GET /api/v1/track/:token/preferences': 'tracking',
  'PUT /api/v1/track/:token/preferences': 'tracking',
  'GET /api/v1/track/:token/stream': 'tracking',
  'GET /api/v1/track/:token/wallet': 'tracking',
  'POST /api/v1/track/:token/wallet/withdrawals': 'tracking',
  'GET /api/v1/users': 'admin',
  'PUT /api/v1/users/:id': 'admin',
  'GET /api/v1/webhooks': 'admin',
  'GET /api/v1/webhooks/:id': 'admin',
  'PUT /api/v1/webhooks/:id': 'admin',
  'POST /api/v1/analytics/alerts/detect': 'admin',
  'POST /api/v1/analytics/import': 'admin',
  'POST /api/v1/analytics/risk-model/train': 'admin',
  'POST /api/v1/analytics/rollups/recompute': 'admin',
  'POST /api/v1/api-keys': 'admin',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': 'staff',
  'POST /api/v1/auth/password-reset': 'public',
  'POST /api/v1/auth/password-reset/confirm': 'public',
  'POST /api/v1/customers/:id/credit/spend': 'leads',
  'POST /api/v1/customers/:id/wallet/withdrawals': 'leads',
  'POST /api/v1/macros': 'leads',
  'POST /api/v1/me/inbox/read': 'session',
  'POST /api/v1/notification-templates/:event/:locale/preview': 'admin',
  'POST /api/v1/notifications/:id/replay': 'admin',
  'POST /api/v1/orders': 'integrations',
  'POST /api/v1/orders/:id/evidence': 'desk',
  'POST /api/v1/orders/:id/lines/:lineId/qc-photos': 'warehouse',
  'POST /api/v1/orders/:id/lines/:lineId/stage': 'warehouse',
  'POST /api/v1/policy/preview': 'admin',
  'POST /api/v1/policy/versions/:version/rollback': 'admin',
  'POST /api/v1/portal/evidence': 'portal',
  'POST /api/v1/portal/logout': 'public',
  'POST /api/v1/portal/lookup': 'public',
  'POST /api/v1/portal/quote': 'portal',
  'POST /api/v1/portal/returns': 'portal',
  'POST /api/v1/refunds/:id/retry': 'leads',
  'POST /api/v1/returns': 'desk',
  'POST /api/v1/returns/:id/actions/:action': 'staff',
  'POST /api/v1/returns/:id/apply-macro': 'desk',
  'POST /api/v1/returns/:id/macro-preview': 'desk',
  'POST /api/v1/returns/:id/messages': 'desk',
  'POST /api/v1/returns/:id/notes': 'desk',
  'POST /api/v1/returns/:id/presence': 'staff',
  'POST /api/v1/returns/bulk': 'desk',
  'POST /api/v1/returns/quote': 'desk',
  'POST /api/v1/seller-claims/:id/:action': 'desk',
  'POST /api/v1/track/:token/inbox/read': 'tracking',
  'POST /api/v1/users': 'admin',
  'POST /api/v1/wallet-withdrawals/:id/paid': 'leads',
  'POST /api/v1/webhooks': 'admin',
  'POST /api/v1/webhooks/:id/rotate-secret': 'admin',
  'POST /api/v1/webhooks/:id/test': 'admin',
  'POST /api/v1/webhooks/payments/:provider/:token': 'public',
  'POST /api/v1/webhooks/sms/twilio/:tenantId/:token': 'public',
  'DELETE /api/v1/api-keys/:id': 'admin',
  'DELETE /api/v1/macros/:id': 'leads',
  'DELETE /api/v1/notification-templates/:event/:locale': 'admin',
  'DELETE /api/v1/users/:id': 'admin',
  'DELETE /api/v1/webhooks/:id': 'admin',
};

type Principal =
  | 'anonymous'
  | 'customerA'
  | 'customerB'
  | 'trackingHolder'
  | 'agent'
  | 'supervisor'
  | 'warehouse'
  | 'admin'
  | 'keyX'
  | 'keyY';
const PRINCIPALS: Principal[] = [
  'anonymous',
  'customerA',
  'customerB',
  'trackingHolder',
  'agent',
  'supervisor',
  'warehouse',
  'admin',
  'keyX',
  'keyY',
];
const ROLES = {
  admin: ['admin'],
  leads: ['admin', 'supervisor'],
  desk: ['admin', 'supervisor', 'agent'],
  warehouse: ['admin', 'supervisor', 'warehouse'],
  staff: ['admin', 'supervisor', 'agent', 'warehouse'],
} as const;

/** Whether `who` may call a route of this access (may reach its handler). */
function allowed(access: Access, who: Principal): boolean {
  const isKey = who === 'keyX' || who === 'keyY';
  const role = ['agent', 'supervisor', 'warehouse', 'admin'].includes(who) ? who : null;
  switch (access) {
    case 'public':
    case 'tracking':
      return true;
    case 'portal':
      return who === 'customerA' || who === 'customerB';
    case 'session':
      return role !== null;
    case 'integrations':
      return isKey;
    default:
      return isKey || (role !== null && (ROLES[access] as readonly string[]).includes(role));
  }
}

let t: TestApp;
const headersOf = {} as Record<Principal, Record<string, string>>;
let token = '';
/** Tenant X's own records, which tenant Y's key must find nowhere. */
let xPaths: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const other = await t.otherTenant();
  const portalCookie = async () => {
    const o = (await t.api.post('/api/v1/orders', orderBody())).body;
    const res = await fetch(`${t.baseUrl}/api/v1/portal/lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ shop: t.tenant.handle, orderNumber: o.orderNumber, email: o.customer.email }),
    });
    return { order: o, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]! };
  };
  const a = await portalCookie();
  const b = await portalCookie();
  const ret = await t.api.post('/api/v1/returns', {
    orderId: a.order.id,
    resolution: 'refund',
    lines: [{ orderLineId: a.order.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
  });
  token = ret.body.trackingToken;
  const hook = await t.api.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/h', events: ['*'] });
  xPaths = [
    `/api/v1/returns/${ret.body.id}`,
    `/api/v1/returns/${ret.body.id}/events`,
    `/api/v1/console/returns/${ret.body.id}`,
    `/api/v1/orders/${a.order.id}`,
    `/api/v1/orders/${a.order.id}/events`,
    `/api/v1/orders/by-number/${encodeURIComponent(a.order.orderNumber)}`,
    `/api/v1/customers/${a.order.customer.id}/credit`,
    `/api/v1/customers/${a.order.customer.id}/preferences`,
    `/api/v1/webhooks/${hook.body.id}`,
  ];
  headersOf.anonymous = {};
  headersOf.trackingHolder = {};
  headersOf.customerA = { cookie: a.cookie };
  headersOf.customerB = { cookie: b.cookie };
  headersOf.keyX = { authorization: `Bearer ${t.tenant.apiKey}` };
  headersOf.keyY = { authorization: `Bearer ${other.tenant.apiKey}` };
  for (const role of ['agent', 'supervisor', 'warehouse', 'admin'] as const) {
    const s = await staffSignIn(t, (await createStaff(t, role)).email);
    headersOf[role] = { cookie: s.cookie, 'x-csrf-token': s.csrf };
  }
});
afterAll(async () => {
  await t?.close();
});

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

/** Bodies that pass validation where the session is checked only in the handler. */
const PORTAL_REQUEST = JSON.stringify({
  resolution: 'refund',
  lines: [{ orderLineId: 'oli_x', quantity: 1, reasonCode: 'wrong_size' }],
});
const BODIES: Record<string, string> = {
  'POST /api/v1/portal/quote': PORTAL_REQUEST,
  'POST /api/v1/portal/returns': PORTAL_REQUEST,
};

describe('authorization matrix', () => {
  it('has an entry for every registered route, and no entry for a route that is gone', () => {
    const routes = t.app.routeList.filter((r) => r.url.startsWith('/api/v1/')).map(key);
    expect(routes.filter((r) => !(r in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('answers every route as the table says, for every kind of caller', async () => {
    const wrong: string[] = [];
    // Sign-outs last: they end the sessions the other calls use.
    const routes = [...t.app.routeList.filter((r) => r.url.startsWith('/api/v1/'))].sort(
      (x, y) => Number(x.url.endsWith('/logout')) - Number(y.url.endsWith('/logout')),
    );
    for (const route of routes) {
      const access = MATRIX[key(route)]!;
      const path = route.url
        .replace(':token', token)
        .replace(/:(\w+)/g, (_m, name: string) => (name === 'handle' ? t.tenant.handle : `x${name}`));
      for (const who of PRINCIPALS) {
        if (route.url.endsWith('/stream') && allowed(access, who)) continue; // would stay open
        const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
        const res = await fetch(`${t.baseUrl}${path}`, {
          method: route.method,
          headers: { ...headersOf[who], ...(hasBody ? { 'content-type': 'application/json' } : {}) },
          body: hasBody ? (BODIES[key(route)] ?? '{}') : undefined,
        });
        await res.arrayBuffer();
        const refused =
          res.status === 401 || res.status === 403 || (access === 'portal' && res.status === 404);
        if (allowed(access, who) === refused) {
          wrong.push(`${key(route)} as ${who}: ${res.status} (${access})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("answers another tenant's ids with 404, as if they did not exist", async () => {
    for (const path of xPaths) {
      expect((await fetch(`${t.baseUrl}${path}`, { headers: headersOf.keyX })).status, path).toBe(200);
      expect((await fetch(`${t.baseUrl}${path}`, { headers: headersOf.keyY })).status, path).toBe(404);
    }
  });
});
