import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, setupBrowser, signInAt } from '../helpers/browser.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { axe } from './axe.ts';

let t: TestApp;
const browser = setupBrowser();

beforeAll(async () => {
  t = await startTestApp({ web: true });
});
afterAll(async () => {
  await t?.close();
});

const admin = () => ({ email: t.tenant.adminEmail, password: t.tenant.adminPassword });

const jsonTab = (page: Page) => page.getByRole('tab', { name: 'JSON' });
const formTab = (page: Page) => page.getByRole('tab', { name: 'Form' });

/** The policy the JSON tab shows (and switches back to the form). */
async function policyInJson(page: Page): Promise<Record<string, any>> {
  await jsonTab(page).click();
  const policy = JSON.parse(await page.getByLabel('Policy (JSON)').inputValue());
  await formTab(page).click();
  await page.getByTestId('policy-form').waitFor();
  return policy;
}

async function preview(page: Page) {
  await page.getByRole('button', { name: 'Preview changes' }).click();
}

describe('admin: the policy form', () => {
  it('edits in a form that round-trips with JSON, shows field errors as sentences, publishes, diffs and rolls back', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    await signInAt(page, t.baseUrl, '/admin', admin(), 'policy-form');
    expect(await page.getByTestId('policy-guide').getAttribute('href')).toBe('/api/v1/policy/guide');

    // A form field, seen in JSON.
    await page.getByLabel('Return window (days)').fill('45');
    expect((await policyInJson(page)).returnWindowDays).toBe(45);

    // What the form cannot edit (a nested condition) survives a trip through it.
    await jsonTab(page).click();
    const nested = { any: [{ not: { field: 'line.sku', op: 'starts_with', value: 'KEEP-' } }] };
    const edited = JSON.parse(await page.getByLabel('Policy (JSON)').inputValue());
    edited.rules.push({
      id: 'nested-review',
      when: nested,
      action: 'review',
      message: 'Checked by a person.',
    });
    await page.getByLabel('Policy (JSON)').fill(JSON.stringify(edited, null, 2));
    await formTab(page).click();
    const nestedRow = page.locator('[data-testid="rule-row"][data-rule-id="nested-review"]');
    await nestedRow.waitFor();
    expect(await nestedRow.textContent()).toContain('the form does not edit');
    await nestedRow.getByLabel('Message to the customer').fill('Our team checks these.');
    const after = await policyInJson(page);
    expect(after.rules.at(-1)).toEqual({
      id: 'nested-review',
      when: nested,
      action: 'review',
      message: 'Our team checks these.',
    });
    expect(after.returnWindowDays).toBe(45);

    // A schema error (an empty message) and a policy error (a repeated code), each at its field.
    await nestedRow.getByLabel('Message to the customer').fill('');
    await preview(page);
    await nestedRow.getByText('This cannot be empty.').waitFor();
    const problems = page.getByTestId('policy-problems');
    expect(await problems.textContent()).toContain('Rules › nested-review › Message to the customer');
    expect(await problems.textContent()).not.toMatch(/body\/|\/rules\/|must NOT/);
    await nestedRow.getByLabel('Message to the customer').fill('Our team checks these.');
    const secondReason = page.getByTestId('reason-row').nth(1);
    await secondReason.getByLabel('Code').fill('changed_mind');
    await preview(page);
    await secondReason.getByText('Reason code "changed_mind" is used more than once.').waitFor();
    expect(await page.getByTestId('publish').isDisabled()).toBe(true);
    await browser.screenshot(page, 'admin-policy-form-error');

    // Fixed, previewed, published.
    await secondReason.getByLabel('Code').fill('wrong_size');
    await preview(page);
    await page.getByTestId('preview').waitFor();
    await page.getByTestId('publish').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Publish version 2' }).click();
    await page.getByTestId('published').waitFor();
    await expect.poll(() => page.getByTestId('policy-version').textContent()).toBe('Version 2');

    // Who published what, by name.
    const row = (v: number) => page.locator(`[data-testid="version-row"][data-version="${v}"]`);
    await row(2).waitFor();
    expect(await row(2).getByTestId('version-by').textContent()).toBe('Administrator');
    expect(await row(1).getByTestId('version-by').textContent()).toBe('Returnflow (the starting policy)');

    // The diff between 1 and 2, field by field.
    await page.getByRole('button', { name: 'Compare version 1 with the current version' }).click();
    const windowRow = page.locator('[data-testid="diff-row"][data-path="returnWindowDays"]');
    await windowRow.waitFor();
    expect(await windowRow.locator('td').allTextContents()).toEqual(['Return window', 'Changed', '30', '45']);
    const addedRule = page.locator('[data-testid="diff-row"][data-path="rules.nested-review"]');
    expect(await addedRule.locator('td').nth(1).textContent()).toBe('Added');
    await page.getByTestId('diff-rows').scrollIntoViewIfNeeded();
    await browser.screenshot(page, 'admin-policy-diff');
    expect(await axe(page)).toEqual([]);

    // Rolling back previews first, then publishes version 1's text as version 3.
    await page.getByRole('button', { name: 'Roll back to version 1' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('preview').waitFor();
    await browser.screenshot(page, 'admin-policy-rollback');
    await dialog.getByRole('button', { name: 'Publish version 1 as version 3' }).click();
    await page.getByTestId('rolled-back').waitFor();
    await expect.poll(() => page.getByTestId('policy-version').textContent()).toBe('Version 3');
    expect(await row(3).textContent()).toContain('same as version 1');
    expect(await page.getByLabel('Return window (days)').inputValue()).toBe('30');

    const versions = (await t.api.get('/api/v1/policy/versions')).body.data;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect(versions[0].policy).toEqual(versions[2].policy);
    expect(versions[1].policy.returnWindowDays).toBe(45);
    // The signed-out check answers 401 by design; the 400 and 422 are the two previews refused above.
    expect(browser.pageErrors.filter((e) => !/status of (401|400|422)\b/.test(e))).toEqual([]);
    expect(browser.pageErrors.filter((e) => /status of (400|422)\b/.test(e))).toHaveLength(2);
  });

  it('adds a rule as rows of conditions with a fee, and reorders it; passes axe on desktop and phone', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    await signInAt(page, t.baseUrl, '/admin', admin(), 'policy-form');
    const rules = page.getByTestId('rule-row');
    const before = await rules.count();
    await page.getByRole('button', { name: 'Add a rule' }).click();
    const rule = rules.nth(before);
    await rule.getByLabel('Rule id').fill('bulky-fee');
    await rule.getByLabel('Value 1').fill('furniture');
    await rule.getByRole('button', { name: 'Add a condition' }).click();
    await rule.getByLabel('Field 2').selectOption('line.merchantFault');
    await rule.getByLabel('Value 2').selectOption('false');
    await rule.getByLabel('Action').selectOption('fee');
    await rule.getByLabel('Fee (% of the matched lines)').fill('5');
    await rule.getByLabel('Message to the customer').fill('Bulky items carry a 5% handling charge.');
    await page.getByRole('button', { name: 'Move bulky-fee up' }).click();
    const policy = await policyInJson(page);
    expect(policy.rules[before - 1]).toEqual({
      id: 'bulky-fee',
      when: {
        all: [
          { field: 'line.category', op: 'eq', value: 'furniture' },
          { field: 'line.merchantFault', op: 'eq', value: false },
        ],
      },
      action: 'fee',
      feePercent: 5,
      message: 'Bulky items carry a 5% handling charge.',
    });
    await preview(page);
    await page.getByTestId('preview').waitFor();
    expect(await page.getByTestId('publish').isEnabled()).toBe(true);
    await browser.screenshot(page, 'admin-policy-form');
    expect(await axe(page)).toEqual([]);

    const phone = await browser.newPage({ ...PHONE, bypassCSP: true });
    await signInAt(phone, t.baseUrl, '/admin', admin(), 'policy-form');
    // Nothing wider than the screen but the tables that scroll in their own region.
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await browser.screenshot(phone, 'admin-policy-form-phone');
    expect(await axe(phone)).toEqual([]);
  });
});
