import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, STAFF_PASSWORD, startTestApp, type TestApp } from './helpers/test-app.ts';

/** Security counters under concurrency: each must hold when requests arrive at once, on both engines. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('sign-in throttle', () => {
  it('evaluates at most five of twenty concurrent wrong passwords, then keeps the address paused', async () => {
    const who = await createStaff(t, 'agent');
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.anon
          .post('/api/v1/auth/login', { email: who.email, password: 'wrong password!' })
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    const right = await t.anon.post('/api/v1/auth/login', { email: who.email, password: STAFF_PASSWORD });
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('too_many_attempts');
  });

  it('lets a right password through after a few wrong ones, and starts the count afresh', async () => {
    const who = await createStaff(t, 'agent');
    for (let i = 0; i < 4; i++) {
      expect(
        (await t.anon.post('/api/v1/auth/login', { email: who.email, password: 'nope nope' })).status,
      ).toBe(401);
    }
    expect(
      (await t.anon.post('/api/v1/auth/login', { email: who.email, password: STAFF_PASSWORD })).status,
    ).toBe(200);
    for (let i = 0; i < 4; i++) {
      expect(
        (await t.anon.post('/api/v1/auth/login', { email: who.email, password: 'nope nope' })).status,
      ).toBe(401);
    }
  });
});

describe('the last admin', () => {
  it.each([1, 2, 3, 4, 5])('survives two concurrent demotions of the last two admins (try %i)', async () => {
    const { tenant } = await t.otherTenant();
    // The tenant's own admin plus one more: two admins, then both demoted at once by each other.
    const second = await createStaff(t, 'admin', { tenantId: tenant.tenantId });
    const users = await t.services.identity.listUsers(tenant.tenantId);
    const admins = users.filter((u) => u.role === 'admin');
    expect(admins).toHaveLength(2);
    const results = await Promise.allSettled(
      admins.map((a) => t.services.identity.updateUser(tenant.tenantId, a.id, { role: 'agent' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason.code).toBe('last_admin');
    const after = await t.services.identity.listUsers(tenant.tenantId);
    expect(after.filter((u) => u.role === 'admin')).toHaveLength(1);
    expect(second.email).toMatch(/@staff\.example$/);
  });
});
