import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaffLogin, setupBrowser, signInAt } from '../helpers/browser.ts';
import { orderBody } from '../helpers/fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { axe } from './axe.ts';

let t: TestApp;
const browser = setupBrowser();
const PASSWORD = 'correct horse battery staple';

const COATS_RULE = {
  id: 'coats-review',
  when: { field: 'line.category', op: 'eq', value: 'outerwear' },
  action: 'review',
  message: 'Coats are checked by a person.',
};

beforeAll(async () => {
  t = await startTestApp({ web: true });
});
afterAll(async () => {
  await t?.close();
});

/** A return of the order's coat (outerwear) that the default policy approves by itself. */
async function coatReturn() {
  const order = await t.api.post('/api/v1/orders', orderBody());
  expect(order.status).toBe(201);
  const coat = (order.body.lines as { id: string; category: string }[]).find(
    (l) => l.category === 'outerwear',
  );
  expect(coat).toBeDefined();
  const ret = await t.api.post('/api/v1/returns', {
    orderId: order.body.id,
    resolution: 'refund',
    lines: [{ orderLineId: coat!.id, quantity: 1, reasonCode: 'wrong_size' }],
  });
  expect(ret.status).toBe(201);
  expect(ret.body.status).not.toBe('needs_review');
}

/** Signed out, /admin goes to the staff sign-in, which comes back to /admin. */
const signInToAdmin = (page: Page, who: StaffLogin) => signInAt(page, t.baseUrl, '/admin', who, 'admin');

const admin = () => ({ email: t.tenant.adminEmail, password: t.tenant.adminPassword });

async function editPolicy(page: Page, change: (p: Record<string, unknown>) => void) {
  await page.getByRole('tab', { name: 'JSON' }).click();
  const box = page.getByLabel('Policy (JSON)');
  const policy = JSON.parse(await box.inputValue()) as Record<string, unknown>;
  change(policy);
  await box.fill(JSON.stringify(policy, null, 2));
}

describe('admin: policy editor', () => {
  it('adds a rule, previews approved → needs review, publishes after confirming: version 2', async () => {
    for (let i = 0; i < 3; i++) await coatReturn();
    const page = await browser.newPage();
    await signInToAdmin(page, admin());
    await page.getByRole('heading', { level: 1, name: 'Return policy' }).waitFor();
    expect(await page.getByTestId('policy-version').textContent()).toBe('Version 1');
    expect(await page.getByTestId('publish').isDisabled()).toBe(true);

    await editPolicy(page, (p) => {
      (p.rules as unknown[]).push(COATS_RULE);
    });
    // The form and the JSON stay in step.
    await page.getByRole('tab', { name: 'Form' }).click();
    await page.getByLabel('Return window (days)').fill('45');
    await page.getByRole('tab', { name: 'JSON' }).click();
    expect(JSON.parse(await page.getByLabel('Policy (JSON)').inputValue()).returnWindowDays).toBe(45);
    expect(JSON.parse(await page.getByLabel('Policy (JSON)').inputValue()).rules).toContainEqual(COATS_RULE);

    await page.getByRole('button', { name: 'Preview changes' }).click();
    const row = page.locator('[data-testid="transition"][data-from="approved"][data-to="needs_review"]');
    await row.waitFor();
    expect(Number(await row.locator('td').nth(2).textContent())).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('preview-summary').textContent()).toMatch(
      /\d+ returns .* [1-9]\d* would change/,
    );
    expect(await page.getByTestId('refunds').textContent()).toContain('$');
    await browser.screenshot(page, 'admin-policy-preview');

    // Publish is offered for the previewed text only.
    expect(await page.getByTestId('publish').isEnabled()).toBe(true);
    await page.getByTestId('publish').click();
    await page.getByRole('dialog').waitFor();
    await browser.screenshot(page, 'admin-policy-confirm');
    await page.getByRole('button', { name: 'Publish version 2' }).click();
    await page.getByTestId('published').waitFor();
    expect(await page.getByTestId('published').textContent()).toContain('version 2');
    await expect.poll(() => page.getByTestId('policy-version').textContent()).toBe('Version 2');
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(2);
    await browser.screenshot(page, 'admin-policy-published');

    const current = await t.api.get('/api/v1/policy');
    expect(current.body.version).toBe(2);
    expect(current.body.policy.returnWindowDays).toBe(45);
    expect(current.body.policy.rules).toContainEqual(COATS_RULE);
    // The signed-out check of /auth/me answers 401 by design; nothing else may fail.
    expect(browser.pageErrors.filter((e) => !e.includes('status of 401'))).toEqual([]);
  });

  it('shows the server’s problems in words, naming where they are, and keeps Publish disabled', async () => {
    const page = await browser.newPage();
    await signInToAdmin(page, admin());
    await page.getByTestId('policy-page').waitFor();
    await editPolicy(page, (p) => {
      (p.rules as unknown[]).push({
        id: 'by-colour',
        when: { field: 'line.colour', op: 'eq', value: 'red' },
        action: 'review',
        message: 'Red items are checked by a person.',
      });
      const reasons = p.reasons as unknown[];
      reasons.push(reasons[0]);
    });
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const problems = page.getByTestId('policy-problems');
    await problems.waitFor();
    const text = await problems.textContent();
    expect(text).toContain('Rules › by-colour › Condition › Field: Unknown field "line.colour"');
    expect(text).toMatch(
      /Reasons › changed_mind › Code: Reason code "changed_mind" is used more than once\./,
    );
    expect(await page.getByTestId('publish').isDisabled()).toBe(true);
    await browser.screenshot(page, 'admin-policy-problems');

    // Text that is not JSON is caught before it is sent.
    await page.getByLabel('Policy (JSON)').fill('{ "rules": [');
    expect(await problems.textContent()).toContain('The JSON cannot be read');
    expect(await page.getByRole('button', { name: 'Preview changes' }).isDisabled()).toBe(true);
    expect(await page.getByTestId('publish').isDisabled()).toBe(true);
  });

  it('tells an agent the page is for admins only', async () => {
    const email = 'agent-admin-page@shop.example';
    await t.services.identity.createUser(t.tenant.tenantId, {
      email,
      name: 'Ana',
      role: 'agent',
      password: PASSWORD,
    });
    const page = await browser.newPage();
    await signInToAdmin(page, { email, password: PASSWORD });
    await page.getByTestId('admins-only').waitFor();
    expect(await page.getByTestId('admins-only').textContent()).toContain('Admins only');
    expect(await page.getByTestId('policy-page').count()).toBe(0);
    await browser.screenshot(page, 'admin-agent-refused');
  });

  it('passes axe (WCAG 2 AA) on the policy page with a preview, and on the users and keys pages', async () => {
    // axe is injected as a script: the page's CSP (script-src 'self') would refuse it.
    const page = await browser.newPage({ bypassCSP: true });
    await signInToAdmin(page, admin());
    await page.getByTestId('policy-page').waitFor();
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await page.getByTestId('preview').waitFor();
    expect(await page.locator('h1').count()).toBe(1);
    expect(await axe(page)).toEqual([]);
    for (const [path, id] of [
      ['/admin/users', 'users-page'],
      ['/admin/api-keys', 'api-keys-page'],
    ]) {
      await page.goto(`${t.baseUrl}${path}`);
      await page.getByTestId(id!).waitFor();
      await page.locator('table').first().waitFor();
      expect(await page.locator('h1').count()).toBe(1);
      expect(await axe(page)).toEqual([]);
    }
  });
});

describe('admin: users', () => {
  it('adds a user, changes their role, removes them, and refuses to demote the last admin', async () => {
    const page = await browser.newPage();
    await signInToAdmin(page, admin());
    await page
      .getByRole('navigation', { name: 'Admin sections' })
      .getByRole('link', { name: 'Users' })
      .click();
    await page.waitForURL('**/admin/users');
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();

    const email = 'new-supervisor@shop.example';
    await page.getByLabel(/^Email/).fill(email);
    await page.getByLabel(/^Name/).fill('Sam');
    await page.getByLabel('Role', { exact: true }).selectOption('agent');
    await page.getByLabel(/^Password/).fill('short');
    expect(await page.getByRole('button', { name: 'Add user' }).isDisabled()).toBe(true);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Add user' }).click();
    const row = page.locator(`[data-testid="user-row"][data-email="${email}"]`);
    await row.waitFor();

    await page.getByLabel('Role of Sam').selectOption('supervisor');
    await expect
      .poll(
        async () =>
          (await t.api.get('/api/v1/users')).body.data.find((u: { email: string }) => u.email === email)
            ?.role,
      )
      .toBe('supervisor');

    // The only admin cannot demote themselves: the server's last_admin message is shown.
    await page.getByLabel('Role of Administrator').selectOption('agent');
    await page.getByTestId('users-error').waitFor();
    expect(await page.getByTestId('users-error').textContent()).toMatch(/admin/i);
    await expect.poll(() => page.getByLabel('Role of Administrator').inputValue()).toBe('admin');
    await browser.screenshot(page, 'admin-users-last-admin');

    await page.getByRole('button', { name: 'Remove Sam' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove Sam' }).click();
    await expect.poll(() => row.count()).toBe(0);
    await browser.screenshot(page, 'admin-users');
  });
});

describe('admin: API keys', () => {
  it('creates a key shown once, then revokes it after confirming; the key stops working', async () => {
    const page = await browser.newPage();
    await signInToAdmin(page, admin());
    await page
      .getByRole('navigation', { name: 'Admin sections' })
      .getByRole('link', { name: 'API keys' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
    await page.getByLabel(/^Key name/).fill('ERP sync');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByTestId('new-key').waitFor();
    const key = (await page.getByTestId('new-key-value').textContent())?.trim() ?? '';
    expect(key.length).toBeGreaterThan(20);
    expect(await page.getByTestId('new-key').textContent()).toContain('shown only once');
    await page.locator('[data-testid="key-row"][data-name="ERP sync"][data-revoked="false"]').waitFor();
    await browser.screenshot(page, 'admin-api-keys-created');
    const works = await fetch(`${t.baseUrl}/api/v1/policy`, { headers: { authorization: `Bearer ${key}` } });
    expect(works.status).toBe(200);

    await page.getByRole('button', { name: 'Revoke ERP sync' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke ERP sync' }).click();
    await page.locator('[data-testid="key-row"][data-name="ERP sync"][data-revoked="true"]').waitFor();
    const refused = await fetch(`${t.baseUrl}/api/v1/policy`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(refused.status).toBe(401);
    await browser.screenshot(page, 'admin-api-keys');
  });
});
