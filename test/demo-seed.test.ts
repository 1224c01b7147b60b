import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PA_TRY_ORDER } from '../src/seed/demo-purchasing-agent.ts';
import { type DemoCredentials, FRESH_ORDERS, seedDemo } from '../src/seed/demo-seed.ts';
import { customerSession, staffSignIn, startTestApp, type TestApp } from './helpers/test-app.ts';

/** The demo leads somewhere: the orders the README and `npm start` name can be returned. */
let t: TestApp;
let demo: DemoCredentials;
beforeAll(async () => {
  t = await startTestApp();
  demo = await seedDemo(t.services);
});
afterAll(async () => {
  await t?.close();
});

async function portalView(shop: string, orderNumber: string, email: string) {
  const call = customerSession(t.baseUrl);
  const found = await call('POST', '/api/v1/portal/lookup', { shop, orderNumber, email });
  expect(found.status, JSON.stringify(found.body)).toBe(200);
  return found.body as {
    order: { lines: { eligible: boolean; returnableQuantity: number; title: string }[] };
  };
}

describe('the demo', () => {
  it("offers the shop's named order for a return in its portal", async () => {
    const order = FRESH_ORDERS[0];
    expect(demo.handle).toBe('demo-outfitters');
    const view = await portalView(demo.handle, order.number, order.email);
    const open = view.order.lines.filter((l) => l.eligible && l.returnableQuantity > 0);
    expect(open.length).toBe(view.order.lines.length);
  });

  it("offers the purchasing agent's named order, and gives it agent and supervisor logins", async () => {
    const pa = demo.purchasingAgent!;
    const view = await portalView(pa.handle, PA_TRY_ORDER.number, PA_TRY_ORDER.email);
    expect(view.order.lines.some((l) => l.eligible && l.returnableQuantity > 0)).toBe(true);
    const roles = pa.users.map((u) => u.role).sort();
    expect(roles).toEqual(['admin', 'agent', 'supervisor', 'warehouse']);
    for (const u of pa.users) {
      const s = await staffSignIn(t, u.email, u.password);
      expect((await s.get('/api/v1/auth/me')).body.tenant.handle).toBe(pa.handle);
    }
  });
});
