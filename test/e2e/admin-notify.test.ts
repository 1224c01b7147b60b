import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/modules/notify/webhook-signing.ts';
import { PHONE, setupBrowser, signInAt } from '../helpers/browser.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';
import { axe } from './axe.ts';

let t: TestApp;
const browser = setupBrowser();

beforeAll(async () => {
  t = await startTestApp({ web: true });
});
afterAll(async () => {
  await t?.close();
});

/** Signed out, the admin page asks for the sign-in and comes back to it. */
const openAdmin = (page: Page, path: string) =>
  signInAt(page, t.baseUrl, path, { email: t.tenant.adminEmail, password: t.tenant.adminPassword });

const subject = (page: Page) => page.getByTestId('preview-subject');

type TemplateText = { subject: string; text: string; html: string; sms: string };
type TemplateListRow = {
  event: string;
  locale: string;
  overridden: boolean;
  override: unknown;
  builtIn: TemplateText;
};

/** What a screen reader hears after a field's label: its source badge and hint. */
async function fieldDescription(page: Page, label: string): Promise<string> {
  const ids = (await page.getByLabel(label).getAttribute('aria-describedby')) ?? '';
  const parts = await Promise.all(
    ids
      .split(' ')
      .filter(Boolean)
      .map(async (id) => (await page.locator(`[id="${id}"]`).textContent()) ?? ''),
  );
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

const pairOf = (rows: TemplateListRow[], event: string, locale: string) =>
  rows.find((r) => r.event === event && r.locale === locale)!;

describe('admin: notification templates', () => {
  it('lists every notification × language, starts from the built-in text, previews live while typing and per language, saves, refuses a bad placeholder, resets', async () => {
    const page = await browser.newPage();
    // The sender's name, or the shop's own when none is set (the default).
    const shop =
      ((await t.api.get('/api/v1/notification-settings')).body.senderName as string) || t.tenant.name;
    await openAdmin(page, '/admin/templates');
    await page.getByRole('heading', { level: 1, name: 'Notification templates' }).waitFor();
    const list = await t.api.get<{ data: TemplateListRow[] }>('/api/v1/notification-templates');
    const builtIn = (event: string, locale: string) => pairOf(list.body.data, event, locale).builtIn;
    await expect.poll(() => page.getByTestId('template-row').count()).toBe(list.body.data.length);
    for (const locale of ['en', 'zh-CN', 'es']) {
      await expect
        .poll(() => page.locator(`[data-testid="template-row"][data-locale="${locale}"]`).count())
        .toBe(list.body.data.length / 3);
    }

    await page.getByRole('button', { name: 'Edit Return approved (English)' }).click();
    const editor = page.getByTestId('template-editor');
    await editor.waitFor();
    // Focus moves to the editor it opened.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('template-editor-title');
    await subject(page).waitFor();
    const english = (await subject(page).textContent()) ?? '';
    expect(english).toContain('RMA-000123');

    // Nothing rewritten yet: every field starts from the built-in text, and says so.
    const approvedEn = builtIn('return_approved', 'en');
    expect(await page.getByLabel('Email subject').inputValue()).toBe(approvedEn.subject);
    expect(await page.getByLabel('Email text').inputValue()).toBe(approvedEn.text);
    expect(await page.getByLabel('Email HTML').inputValue()).toBe(approvedEn.html);
    expect(await page.getByLabel('SMS text').inputValue()).toBe(approvedEn.sms);
    expect(await page.getByTestId('template-source').getAttribute('data-source')).toBe('built-in');
    expect(await page.getByTestId('template-source').textContent()).toBe('Built-in text');
    expect(await fieldDescription(page, 'Email subject')).toBe('Built-in text One line.');
    // Unchanged built-in text: nothing to save.
    expect(await page.getByTestId('template-save').isDisabled()).toBe(true);

    // Typing: the preview follows, with the sample values filled in.
    await page.getByLabel('Email subject').fill('Good news about {{rmaNumber}} from {{shopName}}');
    await expect.poll(() => subject(page).textContent()).toBe(`Good news about RMA-000123 from ${shop}`);
    expect(await fieldDescription(page, 'Email subject')).toBe('Changed, not saved One line.');
    // Key by key, the preview is asked for once the typing pauses, not on every key.
    await page.getByLabel('Email text').fill('');
    const previews: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/preview')) previews.push(r.url());
    });
    await page.getByLabel('Email text').pressSequentially('Hello {{customerName}}', { delay: 20 });
    await expect.poll(() => page.getByTestId('preview-text').textContent()).toContain('Hello Alex Example');
    expect(previews.length).toBeGreaterThanOrEqual(1);
    expect(previews.length).toBeLessThanOrEqual(3);
    await page.getByLabel('Email text').fill('');
    await page.getByLabel('SMS text').fill('{{rmaNumber}}: approved!');
    await page.getByRole('tab', { name: 'SMS' }).click();
    await expect.poll(() => page.getByTestId('preview-sms').textContent()).toBe('RMA-000123: approved!');
    await page.getByRole('tab', { name: 'Email (HTML)' }).click();
    // The HTML is shown in a frame that can run nothing.
    const frame = page.getByTestId('preview-html');
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await frame.getAttribute('srcdoc')).toContain('Good news about RMA-000123');
    await browser.screenshot(page, 'admin-templates-preview');

    // Another language: its own (built-in) text, and the English draft is kept.
    await page.getByRole('tab', { name: /^Spanish/ }).click();
    await expect.poll(() => subject(page).textContent()).not.toBe(`Good news about RMA-000123 from ${shop}`);
    const spanish = (await subject(page).textContent()) ?? '';
    expect(spanish).not.toBe(english);
    expect(spanish).toContain('RMA-000123');
    expect(await page.getByLabel('Email subject').inputValue()).toBe(
      builtIn('return_approved', 'es').subject,
    );
    await page.getByLabel('Email subject').fill('Tu devolución {{rmaNumber}}');
    await expect.poll(() => subject(page).textContent()).toBe('Tu devolución RMA-000123');
    await page.getByRole('tab', { name: /^Chinese/ }).click();
    await expect.poll(() => subject(page).textContent()).not.toBe('Tu devolución RMA-000123');
    expect(await subject(page).textContent()).toMatch(/[\u4e00-\u9fff]/);
    // An emptied field is the built-in text: saving it stores nothing.
    const approvedZh = builtIn('return_approved', 'zh-CN');
    expect(await page.getByLabel('Email subject').inputValue()).toBe(approvedZh.subject);
    await page.getByLabel('Email subject').fill('');
    await page.getByTestId('template-save').click();
    await page
      .getByTestId('template-unchanged')
      .getByText('Nothing to save: this is the built-in text.')
      .waitFor();
    expect(await page.getByLabel('Email subject').inputValue()).toBe(approvedZh.subject);
    expect(
      pairOf((await t.api.get('/api/v1/notification-templates')).body.data, 'return_approved', 'zh-CN')
        .overridden,
    ).toBe(false);
    await page.getByRole('tab', { name: /^English/ }).click();
    expect(await page.getByLabel('Email subject').inputValue()).toBe(
      'Good news about {{rmaNumber}} from {{shopName}}',
    );
    await expect.poll(() => subject(page).textContent()).toBe(`Good news about RMA-000123 from ${shop}`);

    // An unknown placeholder: the server's message appears under the field, nothing is saved.
    await page.getByLabel('Email subject').fill('Hello {{firstName}}');
    await page.getByTestId('template-save').click();
    await page.getByText('Unknown variable {{firstName}}.').waitFor();
    expect(
      (await t.api.get('/api/v1/notification-templates')).body.data.find(
        (r: { event: string; locale: string }) => r.event === 'return_approved' && r.locale === 'en',
      ).overridden,
    ).toBe(false);
    await browser.screenshot(page, 'admin-templates-error');

    await page.getByLabel('Email subject').fill('Good news about {{rmaNumber}}');
    await page.getByTestId('template-save').click();
    await page.getByTestId('template-saved').waitFor();
    const row = page.locator('[data-testid="template-row"][data-event="return_approved"][data-locale="en"]');
    await expect.poll(() => row.getAttribute('data-overridden')).toBe('true');
    const saved = (await t.api.get('/api/v1/notification-templates')).body.data.find(
      (r: { event: string; locale: string }) => r.event === 'return_approved' && r.locale === 'en',
    );
    // Only what differs from the built-in text is stored: the emptied text and the untouched HTML
    // keep following the built-in copy.
    expect(saved.override).toEqual({
      subject: 'Good news about {{rmaNumber}}',
      sms: '{{rmaNumber}}: approved!',
    });
    expect(await page.getByTestId('template-source').textContent()).toBe('Rewritten by your shop');
    expect(await page.getByLabel('Email subject').inputValue()).toBe('Good news about {{rmaNumber}}');
    expect(await page.getByLabel('Email text').inputValue()).toBe(approvedEn.text);
    expect(await page.getByLabel('SMS text').inputValue()).toBe('{{rmaNumber}}: approved!');

    // Reset, after confirming: the fields show the built-in text again.
    await page.getByRole('button', { name: 'Reset to built-in text' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reset to built-in text' }).click();
    await expect.poll(() => row.getAttribute('data-overridden')).toBe('false');
    await expect.poll(() => subject(page).textContent()).toBe(english);
    expect(await page.getByLabel('Email subject').inputValue()).toBe(approvedEn.subject);
    expect(await page.getByLabel('SMS text').inputValue()).toBe(approvedEn.sms);
    expect(await page.getByTestId('template-source').getAttribute('data-source')).toBe('built-in');

    // Closing the editor gives the focus back to the button that opened it.
    await page.getByRole('button', { name: 'Close editor' }).click();
    await editor.waitFor({ state: 'detached' });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Edit Return approved (English)');
  });

  it('passes axe (WCAG 2 AA) with the editor open', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    await openAdmin(page, '/admin/templates');
    await page.getByRole('button', { name: 'Edit Refund succeeded (Spanish)' }).click();
    await subject(page).waitFor();
    await page.waitForLoadState('networkidle').catch(() => {});
    expect(await page.locator('h1').count()).toBe(1);
    expect(await axe(page)).toEqual([]);
  });
});

describe('admin: webhooks', () => {
  it('creates an endpoint, shows its secret once, sends a signed test, rotates, pauses and deletes after confirming', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const page = await browser.newPage();
      await openAdmin(page, '/admin/webhooks');
      await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
      await page.getByTestId('no-webhooks').waitFor();
      await page.getByTestId('no-deliveries').waitFor();
      await browser.screenshot(page, 'admin-webhooks-empty');

      // A URL that is not one: the server's message next to the field.
      await page.getByLabel(/^Endpoint URL/).fill('not a url');
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await page.getByText(/The webhook URL/).waitFor();

      await page.getByLabel(/^Endpoint URL/).fill(receiver.url);
      await page.getByLabel('Description (optional)').fill('ERP');
      await page.getByLabel('All events, including ones added later').uncheck();
      await page.getByLabel('return.approved').check();
      await page.getByLabel('refund.succeeded').check();
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await page.getByTestId('webhook-secret').waitFor();
      const secret = ((await page.getByTestId('webhook-secret-value').textContent()) ?? '').trim();
      expect(secret).toMatch(/^whsec_/);
      expect(await page.getByTestId('webhook-secret').textContent()).toContain('shown only once');
      // The focus goes to it: it appears far from the form's button.
      expect(
        await page.evaluate(() => !!document.activeElement?.closest('[data-testid="webhook-secret"]')),
      ).toBe(true);
      const row = page.locator(`[data-testid="webhook-row"][data-url="${receiver.url}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain('return.approved, refund.succeeded');
      await browser.screenshot(page, 'admin-webhooks-created');

      // Once: the list never shows it again, not after a reload either.
      const listed = await t.api.get('/api/v1/webhooks');
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      await page.getByRole('button', { name: 'I have stored it' }).click();
      await page.reload();
      await row.waitFor();
      expect(await page.getByTestId('webhook-secret').count()).toBe(0);
      expect(await page.content()).not.toContain(secret);

      // Test: the receiver gets a ping signed with that secret; the page shows its answer.
      await row.getByRole('button', { name: `Send a test to ${receiver.url}` }).click();
      await page.locator('[data-testid="webhook-test-result"][data-ok="true"]').waitFor();
      expect(await page.getByTestId('webhook-test-result').textContent()).toMatch(/HTTP 200 in \d+ ms/);
      expect(receiver.received).toHaveLength(1);
      const ping = receiver.received[0]!;
      expect(JSON.parse(ping.body).type).toBe('ping');
      const header = String(ping.headers['returnflow-signature']);
      expect(verifySignature(secret, ping.body, header, Math.floor(Date.now() / 1000))).toBe(true);
      await browser.screenshot(page, 'admin-webhooks-test');

      // A failing endpoint: the status is shown as a failure.
      receiver.answer(500);
      await row.getByRole('button', { name: `Send a test to ${receiver.url}` }).click();
      await page.locator('[data-testid="webhook-test-result"][data-ok="false"]').waitFor();
      expect(await page.getByTestId('webhook-test-result').textContent()).toContain('HTTP 500');

      // Rotate (confirmed): a new secret, shown once; the old one still signs for a while.
      await row.getByRole('button', { name: `Rotate the secret of ${receiver.url}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
      await page.getByTestId('webhook-secret').waitFor();
      const rotated = ((await page.getByTestId('webhook-secret-value').textContent()) ?? '').trim();
      expect(rotated).toMatch(/^whsec_/);
      expect(rotated).not.toBe(secret);
      await row.getByText(/Old secret signs until/).waitFor();

      // Pause and resume.
      await row.getByRole('button', { name: `Pause ${receiver.url}` }).click();
      await page.locator(`[data-testid="webhook-row"][data-active="false"]`).waitFor();
      await page.getByRole('button', { name: `Resume ${receiver.url}` }).click();
      await page.locator(`[data-testid="webhook-row"][data-active="true"]`).waitFor();

      // Delete: Cancel keeps it; confirming removes it.
      await row.getByRole('button', { name: `Delete ${receiver.url}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      expect(await row.count()).toBe(1);
      await row.getByRole('button', { name: `Delete ${receiver.url}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete endpoint' }).click();
      await page.getByTestId('no-webhooks').waitFor();
      expect((await t.api.get('/api/v1/webhooks')).body.data).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('lists recent deliveries with their endpoint, and passes axe (WCAG 2 AA)', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const hook = await t.api.post('/api/v1/webhooks', { url: receiver.url, events: ['*'] });
      expect(hook.status).toBe(201);
      const order = await t.api.post('/api/v1/orders', (await import('../helpers/fixtures.ts')).orderBody());
      const ret = await t.api.post('/api/v1/returns', {
        orderId: order.body.id,
        resolution: 'refund',
        lines: [{ orderLineId: order.body.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
      });
      expect(ret.status).toBe(201);
      // This endpoint's delivery, not the test send of the endpoint the test before deleted.
      await t.eventually(
        () => t.api.get('/api/v1/notifications?channel=webhook'),
        (r) =>
          r.body.data.some(
            (d: { status: string; recipient: string }) =>
              d.status === 'delivered' && d.recipient === hook.body.id,
          ),
      );

      const page = await browser.newPage({ bypassCSP: true });
      await openAdmin(page, '/admin/webhooks');
      const delivered = page.locator('[data-testid="delivery-row"][data-status="delivered"]').first();
      await delivered.waitFor();
      expect(await delivered.textContent()).toContain(receiver.url);
      expect(await page.locator('h1').count()).toBe(1);
      expect(await axe(page)).toEqual([]);
      await browser.screenshot(page, 'admin-webhooks');
    } finally {
      await receiver.close();
    }
  });
});

describe('admin: templates and webhooks on a phone', () => {
  it('fit 360 px without sideways scrolling of the page', async () => {
    const page = await browser.newPage({ ...PHONE });
    await openAdmin(page, '/admin/webhooks');
    await page.getByTestId('webhooks-page').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await browser.screenshot(page, 'admin-webhooks-phone');
    await page
      .getByRole('navigation', { name: 'Admin sections' })
      .getByRole('link', { name: 'Notification templates' })
      .click();
    await page.getByRole('button', { name: 'Edit Return received (Chinese (Simplified))' }).click();
    await subject(page).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await browser.screenshot(page, 'admin-templates-phone', { fullPage: false });
  });
});
