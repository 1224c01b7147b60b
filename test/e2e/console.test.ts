import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupBrowser, signInAt } from '../helpers/browser.ts';
import { WAIT_MS } from '../helpers/budget.ts';
import { orderBody, returnNeedingReview } from '../helpers/fixtures.ts';
import { createStaff, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { axe } from './axe.ts';

let t: TestApp;
const browser = setupBrowser();
const PASSWORD = 'correct horse battery staple';
// The smallest valid PNG (1×1, transparent).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

beforeAll(async () => {
  t = await startTestApp({ web: true });
});
afterAll(async () => {
  await t?.close();
});

const agent = (name: string, role: 'agent' | 'supervisor' = 'agent') =>
  createStaff(t, role, { name, password: PASSWORD });

const fileForReview = (customer?: { email: string; name: string }) => returnNeedingReview(t.api, customer);

const signIn = (page: Page, who: { email: string }) =>
  signInAt(page, t.baseUrl, '/console', { email: who.email, password: PASSWORD }, 'queue-page');

describe('agent console', () => {
  it('signs in, opens a needs-review case with the keyboard, applies a macro that approves and replies', async () => {
    const alex = await agent('Alex');
    const macro = await t.api.post('/api/v1/macros', {
      name: 'Approve damaged item',
      body: 'Hi {{customerName}}, sorry about {{rmaNumber}} — approved, please send it back.',
      action: 'approve',
    });
    expect(macro.status).toBe(201);
    const r = await fileForReview();

    const page = await browser.newPage();
    // Signed out: /console sends you to the sign-in page; a wrong password gets a generic error.
    await page.goto(`${t.baseUrl}/console`);
    await page.waitForURL('**/console/login');
    await page.getByLabel('Email').fill(alex.email);
    await page.locator('input[type="password"]').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByTestId('login-error').textContent()).toContain('do not match');
    await browser.screenshot(page, 'console-login-error');

    await page.locator('input[type="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('queue-page').waitFor();
    expect(await page.getByTestId('console-user').textContent()).toContain('Alex');

    await page.getByTestId('queue-tab-needs_review').click();
    await page.locator(`[data-testid="queue-row"][data-id="${r.id}"]`).waitFor();
    const count = async () =>
      Number((await page.getByTestId('queue-tab-needs_review').textContent())?.match(/(\d+)/)?.[1]);
    const before = await count();
    expect(before).toBeGreaterThan(0);
    // A new return needing review shows up in the count without a reload (the staff stream).
    await fileForReview();
    await expect.poll(count, { timeout: WAIT_MS }).toBe(before + 1);
    await expect.poll(() => page.getByTestId('queue-row').count(), { timeout: WAIT_MS }).toBe(before + 1);

    const ids = await page
      .getByTestId('queue-row')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id')));
    const index = ids.indexOf(r.id);
    expect(index).toBeGreaterThanOrEqual(0);
    // Keyboard only: leave the tab, move down to the row, open it.
    await page.getByRole('heading', { level: 1, name: 'Returns' }).click();
    for (let i = 0; i <= index; i++) await page.keyboard.press('j');
    expect(
      await page.locator(`[data-testid="queue-row"][data-id="${r.id}"]`).getAttribute('aria-current'),
    ).toBe('true');
    await browser.screenshot(page, 'console-queue');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/console/returns/${r.id}`);
    await page.locator('[data-testid="case-page"][data-status="needs_review"]').waitFor();
    expect(await page.getByTestId('case-rma').textContent()).toBe(r.rma);
    expect(await page.getByTestId('decision').textContent()).toContain(
      'The policy sent this return to a person',
    );

    await page.getByLabel('Macro').selectOption({ label: 'Approve damaged item (approves)' });
    await page.getByTestId('macro-preview').waitFor();
    await page.getByRole('button', { name: 'Use macro' }).click();
    // The filled text lands in the reply box to read and edit; nothing is decided yet.
    const box = page.getByTestId('reply-message');
    await expect
      .poll(() => box.inputValue(), { timeout: WAIT_MS })
      .toBe(`Hi Test Buyer, sorry about ${r.rma} — approved, please send it back.`);
    expect(await page.getByTestId('macro-in-use').getAttribute('data-action')).toBe('approve');
    expect((await t.api.get(`/api/v1/returns/${r.id}`)).body.status).toBe('needs_review');
    await box.fill(`${await box.inputValue()} The label is in your email.`);
    await page.getByRole('button', { name: 'Send and approve' }).click();
    // The decision is confirmed with the text the customer gets.
    await page.getByTestId('macro-confirm').waitFor();
    expect(await page.getByTestId('macro-confirm-text').textContent()).toContain(
      'The label is in your email.',
    );
    await browser.screenshot(page, 'console-macro-confirm');
    await page.getByTestId('macro-confirm-send').click();
    await page.locator('[data-testid="case-page"][data-status="awaiting_shipment"]').waitFor();
    expect(await page.getByTestId('case-status').textContent()).toBe('Awaiting shipment');
    await page.locator('[data-testid="timeline-list"] li[data-action="staff_message"]').first().waitFor();
    await browser.screenshot(page, 'console-case-approved');

    // The customer sees the message on their timeline.
    const track = await t.anon.get(`/api/v1/track/${r.token}`);
    expect(track.body.status).toBe('awaiting_shipment');
    const messages = (track.body.timeline as { action: string; note: string | null }[]).filter(
      (e) => e.action === 'staff_message',
    );
    expect(messages.map((m) => m.note)).toEqual([
      `Hi Test Buyer, sorry about ${r.rma} — approved, please send it back. The label is in your email.`,
    ]);

    // Sign out returns to the sign-in page, and the console stays closed.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/console/login');
    await page.goto(`${t.baseUrl}/console/returns/${r.id}`);
    await page.waitForURL(`**/console/login?next=/console/returns/${r.id}`);
    expect(browser.pageErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  it('shows who else is on the case and refuses a stale action with a clear message', async () => {
    const sam = await agent('Sam');
    const kim = await agent('Kim');
    const r = await fileForReview();

    const samPage = await browser.newPage();
    const kimPage = await browser.newPage();
    await signIn(samPage, sam);
    await signIn(kimPage, kim);
    await samPage.goto(`${t.baseUrl}/console/returns/${r.id}`);
    await samPage.getByTestId('case-page').waitFor();
    await kimPage.goto(`${t.baseUrl}/console/returns/${r.id}`);
    await kimPage.getByTestId('case-page').waitFor();

    await kimPage.getByText('Sam is also viewing').waitFor();
    await samPage.getByText('Kim is also viewing').waitFor();

    // Kim opens the reject dialog on what she sees; meanwhile Sam approves.
    await kimPage.getByTestId('case-actions').getByRole('button', { name: 'Reject' }).click();
    await kimPage.getByTestId('dialog-reject').waitFor();
    await samPage.getByTestId('case-actions').getByRole('button', { name: 'Approve' }).click();
    await samPage.getByTestId('confirm-action').click();
    await samPage.locator('[data-testid="case-page"][data-status="awaiting_shipment"]').waitFor();

    await kimPage.getByTestId('confirm-action').click();
    await kimPage.getByTestId('stale-message').waitFor();
    expect(await kimPage.getByTestId('stale-message').textContent()).toContain(
      'This return was changed by someone else — reloaded',
    );
    await kimPage.locator('[data-testid="case-page"][data-status="awaiting_shipment"]').waitFor();
    await browser.screenshot(kimPage, 'console-case-stale');
    const ret = await t.api.get(`/api/v1/returns/${r.id}`);
    expect(ret.body.status).toBe('awaiting_shipment');

    // Sam leaves (back to the queue): Kim no longer sees him.
    await samPage.getByRole('link', { name: '← Back to the queue' }).click();
    await samPage.getByTestId('queue-page').waitFor();
    await kimPage.getByTestId('presence').waitFor({ state: 'detached' });
  });

  it('bulk-approves selected returns from the queue with per-row results', async () => {
    const lee = await agent('Lee');
    const email = `bulk-${Date.now()}@example.com`;
    const a = await fileForReview({ email, name: 'Bulk Buyer' });
    const b = await fileForReview({ email, name: 'Bulk Buyer' });
    // Someone else already decided b: the bulk approval must refuse that row and still do a.
    await t.api.post(`/api/v1/returns/${b.id}/actions/reject`, {});
    const page = await browser.newPage();
    await signIn(page, lee);
    // "/" jumps to the search box.
    await page.getByRole('heading', { level: 1, name: 'Returns' }).click();
    await page.keyboard.press('/');
    await page.keyboard.type(email);
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid="queue-row"][data-id="${b.id}"]`).waitFor();
    await expect.poll(() => page.getByTestId('queue-row').count()).toBe(2);
    await page.getByLabel('Select all shown').check();
    await page.getByRole('button', { name: 'Approve selected' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Approve 2' }).click();
    await page.getByTestId('bulk-summary').waitFor();
    expect(await page.getByTestId('bulk-summary').textContent()).toContain('1 of 2 done');
    const row = (id: string) => page.locator(`[data-testid="queue-row"][data-id="${id}"]`);
    expect(await row(a.id).getByTestId('bulk-ok').count()).toBe(1);
    expect(await row(b.id).getByTestId('bulk-error').textContent()).toBeTruthy();
    await browser.screenshot(page, 'console-bulk-results');
    expect((await t.api.get(`/api/v1/returns/${a.id}`)).body.status).toBe('awaiting_shipment');
    expect((await t.api.get(`/api/v1/returns/${b.id}`)).body.status).toBe('rejected');

    // Rejecting in bulk asks for the reason each customer reads, and sends it.
    const c = await fileForReview({ email, name: 'Bulk Buyer' });
    await page.reload();
    await page.getByLabel('Search', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await row(c.id).waitFor();
    await row(c.id).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Reject selected' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Reject 1' }).click();
    await dialog.getByText('Say why: the customers read it.').waitFor();
    expect((await t.api.get(`/api/v1/returns/${c.id}`)).body.status).toBe('needs_review');
    await dialog.getByLabel('Why they are rejected').fill('Worn items cannot come back.');
    await dialog.getByRole('button', { name: 'Reject 1' }).click();
    await row(c.id).getByTestId('bulk-ok').waitFor();
    const track = await t.anon.get(`/api/v1/track/${c.token}`);
    expect(track.body.status).toBe('rejected');
    expect(JSON.stringify(track.body.timeline)).toContain('Worn items cannot come back.');
  });

  it('lets a supervisor download the search as CSV; agents are not offered it', async () => {
    const email = `csv-${Date.now()}@example.com`;
    const a = await fileForReview({ email, name: 'Zoë Ünal' });
    const b = await fileForReview({ email, name: 'Zoë Ünal' });
    const sup = await agent('Sky', 'supervisor');
    const page = await browser.newPage();
    await signIn(page, sup);
    await page.getByLabel('Search', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByTestId('queue-row').count()).toBe(2);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('queue-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^returns-all-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('rmaNumber,status');
    // Newest first, as the list shows them; names with accents intact.
    expect(lines[1]).toContain(b.rma);
    expect(lines[2]).toContain(a.rma);
    expect(lines[1]).toContain('Zoë Ünal');

    const other = await browser.newPage();
    await signIn(other, await agent('Ari'));
    await other.getByTestId('queue-row').first().waitFor();
    expect(await other.getByTestId('queue-csv').count()).toBe(0);
  });

  it('inspects with a partial refund and a reason, then refunds the amount the dialog shows', async () => {
    const jo = await agent('Jo');
    const r = await fileForReview();
    await t.api.post(`/api/v1/returns/${r.id}/actions/approve`, {});
    await t.api.post(`/api/v1/returns/${r.id}/actions/ship`, { carrier: 'UPS', trackingNumber: '1Z1' });
    const received = await t.api.post(`/api/v1/returns/${r.id}/actions/receive`, {});
    expect(received.body.status).toBe('received');

    const page = await browser.newPage();
    await signIn(page, jo);
    await page.goto(`${t.baseUrl}/console/returns/${r.id}`);
    await page.locator('[data-testid="case-page"][data-status="received"]').waitFor();
    await page.getByTestId('case-actions').getByRole('button', { name: 'Inspect' }).click();
    const dialog = page.getByTestId('dialog-inspect');
    await dialog.getByLabel('Condition of T-shirt').selectOption('used');
    await dialog.getByLabel(/Partial refund in USD/).fill('20.5');
    await dialog.getByTestId('confirm-action').click();
    // A partial amount needs a reason.
    await dialog.getByText('Say why the refund is partial').waitFor();
    await dialog.getByLabel('Reason for the partial refund').fill('Worn, tag removed');
    await browser.screenshot(page, 'console-inspect-dialog', { fullPage: false });
    await dialog.getByTestId('confirm-action').click();
    await page.locator('[data-testid="case-page"][data-status="inspected"]').waitFor();
    expect(await page.getByTestId('case-refund-total').textContent()).toBe('$20.50');

    await page.getByTestId('case-actions').getByRole('button', { name: 'Refund' }).click();
    expect(await page.getByTestId('refund-amount').textContent()).toContain('$20.50');
    await page.getByTestId('confirm-action').click();
    await page.locator('[data-testid="case-page"]:not([data-status="inspected"])').waitFor();
    const ret = await t.api.get(`/api/v1/returns/${r.id}`);
    expect(['refund_pending', 'refunded']).toContain(ret.body.status);
    expect(ret.body.refundTotal).toBe(2050);
    expect(ret.body.lines[0].condition).toBe('used');
  });

  it('shows the photos the customer sent, loaded with the staff cookie, and enlarges one', async () => {
    const max = await agent('Max');
    const o = (await t.api.post('/api/v1/orders', orderBody())).body;
    // The customer's portal session: lookup, photo upload, filing.
    let cookie = '';
    const portal = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${t.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(Buffer.isBuffer(body) ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
      });
      const set = res.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0]!;
      return res.json();
    };
    await portal('/api/v1/portal/lookup', {
      shop: t.tenant.handle,
      orderNumber: o.orderNumber,
      email: o.customer.email,
    });
    const photo = await portal('/api/v1/portal/evidence', PNG, { 'content-type': 'image/png' });
    const filed = await portal('/api/v1/portal/returns', {
      resolution: 'refund',
      lines: [{ orderLineId: o.lines[0].id, quantity: 1, reasonCode: 'damaged', evidenceIds: [photo.id] }],
    });
    expect(filed.id).toBeTruthy();

    const page = await browser.newPage();
    await signIn(page, max);
    await page.goto(`${t.baseUrl}/console/returns/${filed.id}`);
    const thumb = page.getByRole('button', { name: 'Enlarge photo 1 of 1' });
    await thumb.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="evidence"] img');
      return !!img && img.complete && img.naturalWidth === 1;
    });
    await thumb.click();
    await page
      .getByRole('dialog', { name: 'Photo' })
      .getByRole('img', { name: 'Evidence sent by the customer' })
      .waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('says "too many attempts" once sign-in is paused for an address', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.baseUrl}/console/login`);
    await page.getByLabel('Email').fill('someone-else@shop.example');
    await page.locator('input[type="password"]').fill('wrong password');
    let text = '';
    for (let i = 0; i < 8 && !text.includes('Too many attempts'); i++) {
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('login-error').waitFor();
      await page.waitForLoadState('networkidle').catch(() => {});
      text = (await page.getByTestId('login-error').textContent()) ?? '';
    }
    expect(text).toContain('Too many attempts');
  });

  it('staff pages share one bar: the shop in the header, the areas a role may open, sign-out everywhere, no customer footer', async () => {
    const admin = await createStaff(t, 'admin', { name: 'Ada', password: PASSWORD });
    const page = await browser.newPage();
    await signIn(page, admin);
    expect(await page.getByTestId('brand').textContent()).toBe(t.tenant.name);
    // A merchant has no purchasing-agent queue, and no warehouse.
    expect(await page.getByTestId('queue-tab-seller_deadline').count()).toBe(0);
    expect(await page.getByTestId('nav-warehouse').count()).toBe(0);
    const footer = page.locator('footer');
    expect(await footer.textContent()).not.toContain('Staff sign-in');
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin').waitFor();
    expect(await page.getByTestId('admin-user').textContent()).toContain('Ada');
    await page.getByTestId('nav-console').click();
    await page.getByTestId('queue-page').waitFor();
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/console/login');
    await page.goto(`${t.baseUrl}/admin`);
    await page.waitForURL('**/console/login?next=**');
    expect(browser.pageErrors.filter((e) => !e.includes('401'))).toEqual([]);

    // An agent sees only the console.
    const page2 = await browser.newPage();
    await signIn(page2, await agent('Abe'));
    expect(await page2.getByTestId('nav-admin').count()).toBe(0);
    expect(await page2.getByTestId('nav-analytics').count()).toBe(0);
  });

  it('passes axe (WCAG 2 AA) on the sign-in, queue and case pages', async () => {
    const pat = await agent('Pat');
    const r = await fileForReview();
    await t.api.post(`/api/v1/returns/${r.id}/notes`, { note: 'Checked the order history.' });
    // axe is injected as a script: the page's CSP (script-src 'self') would refuse it.
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${t.baseUrl}/console/login`);
    await page.getByTestId('login-form').waitFor();
    expect({ page: 'login', violations: await axe(page) }).toEqual({ page: 'login', violations: [] });

    await page.getByLabel('Email').fill(pat.email);
    await page.locator('input[type="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('queue-table').waitFor();
    await page.keyboard.press('j');
    expect({ page: 'queue', violations: await axe(page) }).toEqual({ page: 'queue', violations: [] });

    await page.goto(`${t.baseUrl}/console/returns/${r.id}`);
    await page.getByTestId('case-page').waitFor();
    await page.waitForLoadState('networkidle').catch(() => {});
    expect({ page: 'case', violations: await axe(page) }).toEqual({ page: 'case', violations: [] });
    await browser.screenshot(page, 'console-case-needs-review');
    // The confirmation dialog too: focus moves into it, Escape closes it.
    await page.getByTestId('case-actions').getByRole('button', { name: 'Approve' }).click();
    await page.getByTestId('dialog-approve').waitFor();
    expect(await page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);
    await page.waitForTimeout(400); // the dialog's fade-in: axe would measure half-transparent text
    expect({ page: 'dialog', violations: await axe(page) }).toEqual({ page: 'dialog', violations: [] });
    await page.keyboard.press('Escape');
    await page.getByTestId('dialog-approve').waitFor({ state: 'detached' });

    // On a 390 px phone nothing on the case page scrolls sideways; the staff bar names the shop.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200); // layout settles after the resize
    const wide = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      culprits: [...document.querySelectorAll('main *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        // A wide table may scroll inside its own region (.table-scroll); the page may not.
        .filter((el) => !el.closest('.table-scroll'))
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`.slice(0, 80)),
    }));
    expect(wide).toEqual({ page: 390, culprits: [] });
    expect(await page.getByTestId('brand').textContent()).toBe(t.tenant.name);
    await browser.screenshot(page, 'console-case-phone');
    // The sign-in page's "who is signed in?" answers 401, as it should; nothing else went wrong.
    expect(browser.pageErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
