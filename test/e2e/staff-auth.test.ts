import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillSignIn, setupBrowser } from '../helpers/browser.ts';
import { type SmtpTestServer, startSmtpTestServer } from '../helpers/smtp-test-server.ts';
import { createStaff, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { axe } from './axe.ts';

let t: TestApp;
let smtp: SmtpTestServer;
const browser = setupBrowser();
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  t = await startTestApp({ web: true, smtpUrl: smtp.url });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const staff = (role: 'admin' | 'agent', password = PASSWORD) => createStaff(t, role, { password });

describe('staff sign-in: next', () => {
  it('comes back to the protected page that asked for the sign-in', async () => {
    const admin = await staff('admin');
    const page = await browser.newPage();
    await page.goto(`${t.baseUrl}/admin/users`);
    await page.waitForURL('**/console/login?next=/admin/users');
    await fillSignIn(page, admin);
    await page.waitForURL(`${t.baseUrl}/admin/users`);
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();

    // Signed in already: the sign-in page sends straight on to next.
    await page.goto(`${t.baseUrl}/console/login?next=/admin/webhooks`);
    await page.waitForURL(`${t.baseUrl}/admin/webhooks`);
    await page.getByTestId('webhooks-page').waitFor();
  });

  it('keeps a console case address through the sign-in', async () => {
    const agent = await staff('agent');
    const page = await browser.newPage();
    await page.goto(`${t.baseUrl}/console/returns/ret_missing`);
    await page.waitForURL('**/console/login?next=/console/returns/ret_missing');
    await fillSignIn(page, agent);
    await page.waitForURL(`${t.baseUrl}/console/returns/ret_missing`);
  });

  for (const next of [
    '//evil.example/admin',
    'https://evil.example/',
    '/\\evil.example',
    'javascript:alert(1)',
  ]) {
    it(`refuses next=${next} and goes to the console instead`, async () => {
      const agent = await staff('agent');
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`${t.baseUrl}/console/login?next=${encodeURIComponent(next)}`);
      await fillSignIn(page, agent);
      await page.getByTestId('queue-page').waitFor();
      expect(new URL(page.url()).origin).toBe(t.baseUrl);
      expect(new URL(page.url()).pathname).toBe('/console');
      expect(requests.filter((u) => u.includes('evil.example') && !u.startsWith(t.baseUrl))).toEqual([]);
    });
  }
});

describe('forgot password', () => {
  it('emails a link; the link sets a new password; the new password signs in', async () => {
    const agent = await staff('agent', 'the old password 1');
    const page = await browser.newPage();
    await page.goto(`${t.baseUrl}/console/login`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL('**/console/forgot-password');
    await page.getByTestId('forgot-form').waitFor();
    await browser.screenshot(page, 'staff-forgot-password');

    // An unknown address gets exactly the same answer as a known one, and no mail.
    const before = smtp.messages.length;
    await page.getByLabel('Email').fill('nobody-here@shop.example');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    const neutral = (await page.getByTestId('forgot-sent').textContent()) ?? '';
    expect(neutral).toContain('If the address belongs to an account');

    await page.goto(`${t.baseUrl}/console/forgot-password`);
    await page.getByLabel('Email').fill(agent.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    expect(await page.getByTestId('forgot-sent').textContent()).toBe(neutral);
    await browser.screenshot(page, 'staff-forgot-password-sent');

    const mails = await smtp.waitFor(before + 1);
    const mail = mails.find((m) => m.to.includes(agent.email));
    expect(mail).toBeDefined();
    expect(smtp.messages.filter((m) => m.to.includes('nobody-here'))).toEqual([]);
    const emailed = mail!.text.match(/https?:\/\/\S+\/console\/reset-password\?token=\S+/)?.[0];
    expect(emailed).toBeDefined();
    // The test app fixes its public URL before it knows its port: keep the path and the token.
    const url = new URL(emailed!);
    const link = `${t.baseUrl}${url.pathname}${url.search}`;

    await page.goto(link);
    await page.getByTestId('reset-form').waitFor();
    const save = page.getByRole('button', { name: 'Save the new password' });
    // Too short, then two that differ: the button stays off and the field says why.
    await page.getByLabel(/^New password/).fill('short');
    expect(await page.getByTestId('password-strength').getAttribute('data-strength')).toBe('too_short');
    expect(await save.isDisabled()).toBe(true);
    const fresh = 'A brand new passphrase 42';
    await page.getByLabel(/^New password/).fill(fresh);
    expect(await page.getByTestId('password-strength').getAttribute('data-strength')).toBe('strong');
    await page.getByLabel(/^Repeat the new password/).fill(`${fresh}!`);
    await page.getByText('The two passwords differ.').waitFor();
    expect(await save.isDisabled()).toBe(true);
    await page.getByLabel(/^Repeat the new password/).fill(fresh);
    await browser.screenshot(page, 'staff-reset-password');
    await save.click();

    await page.waitForURL('**/console/login');
    await page.getByTestId('password-changed').waitFor();
    await browser.screenshot(page, 'staff-reset-password-done');
    // The old password is refused, the new one works.
    await fillSignIn(page, agent);
    await page.getByTestId('login-error').waitFor();
    await fillSignIn(page, { email: agent.email, password: fresh });
    await page.getByTestId('queue-page').waitFor();

    // The link works once: opened again, the server's refusal is shown with a way out.
    const again = await browser.newPage();
    await again.goto(link);
    await again.getByLabel(/^New password/).fill('Another passphrase 99');
    await again.getByLabel(/^Repeat the new password/).fill('Another passphrase 99');
    await again.getByRole('button', { name: 'Save the new password' }).click();
    await again.getByTestId('reset-error').waitFor();
    expect(await again.getByTestId('reset-error').textContent()).toMatch(/not valid|already used/);
    expect(await again.getByRole('link', { name: 'Ask for a new link' }).count()).toBe(1);
  });

  it('passes axe (WCAG 2 AA) on the forgot-password and reset pages', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${t.baseUrl}/console/forgot-password`);
    await page.getByTestId('forgot-form').waitFor();
    expect(await page.locator('h1').count()).toBe(1);
    expect({ page: 'forgot', violations: await axe(page) }).toEqual({ page: 'forgot', violations: [] });
    await page.goto(`${t.baseUrl}/console/reset-password?token=${'x'.repeat(43)}`);
    await page.getByTestId('reset-form').waitFor();
    await page.getByLabel(/^New password/).fill('abc');
    expect({ page: 'reset', violations: await axe(page) }).toEqual({ page: 'reset', violations: [] });
    // A link without its token says so instead of showing a form that cannot work.
    await page.goto(`${t.baseUrl}/console/reset-password`);
    await page.getByText('This link is incomplete').waitFor();
  });
});
