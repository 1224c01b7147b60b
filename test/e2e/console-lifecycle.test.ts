import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupBrowser, signInAt } from '../helpers/browser.ts';
import { returnNeedingReview } from '../helpers/fixtures.ts';
import { createStaff, startTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
const browser = setupBrowser();
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  t = await startTestApp({ web: true });
});
afterAll(async () => {
  await t?.close();
});

async function agentPage() {
  const agent = await createStaff(t, 'agent', { name: 'Agent', password: PASSWORD });
  const page = await browser.newPage();
  await signInAt(page, t.baseUrl, '/console', agent, 'queue-page');
  return page;
}

const fileForReview = () => returnNeedingReview(t.api);

/** Clicks an action on the case page, checks its confirmation dialog, confirms, waits for the new status. */
async function act(
  page: Page,
  label: string,
  dialog: string,
  status: string,
  fill?: (d: ReturnType<Page['getByTestId']>) => Promise<void>,
) {
  await page.getByTestId('case-actions').getByRole('button', { name: label, exact: true }).click();
  const d = page.getByTestId(`dialog-${dialog}`);
  await d.waitFor();
  if (fill) await fill(d);
  await d.getByTestId('confirm-action').click();
  await page.locator(`[data-testid="case-page"][data-status="${status}"]`).waitFor();
}

const headline = async (page: Page) => (await page.getByTestId('status-headline').textContent())?.trim();

async function customerSees(page: Page, status: string, text: string) {
  await page.locator(`[data-testid="tracking-page"][data-status="${status}"]`).waitFor();
  expect(await headline(page)).toBe(text);
}

describe('a return handled in the console, watched live by the customer', () => {
  it('approve → ship → receive → inspect → refund → close: the Spanish tracking page follows each step without reloading', async () => {
    const r = await fileForReview();
    const customer = await browser.newPage({ locale: 'es-ES' });
    await customer.goto(`${t.baseUrl}/t/${r.token}`);
    await customerSees(
      customer,
      'needs_review',
      'Una persona de nuestro equipo está revisando tu devolución',
    );
    await customer.waitForSelector('[data-testid="live-indicator"][data-state="live"]');
    // A marker on the window survives only if the page never reloads.
    await customer.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });

    // The agent, in a browser context of their own (own cookies), works the case.
    const agent = await agentPage();
    await agent.goto(`${t.baseUrl}/console/returns/${r.id}`);
    await agent.locator('[data-testid="case-page"][data-status="needs_review"]').waitFor();

    await act(agent, 'Approve', 'approve', 'awaiting_shipment');
    await customerSees(customer, 'awaiting_shipment', 'Envíanos los artículos');
    // The ship-by date (14 days, the default) and where to send it, in Spanish.
    expect(await customer.getByTestId('ship-by').textContent()).toMatch(/^Envíalo antes del .+ de \d{4}\.$/);
    expect(await customer.getByTestId('return-address-pending').textContent()).toContain(
      'te enviará la dirección de devolución',
    );

    await act(agent, 'Mark shipped', 'ship', 'in_transit', async (d) => {
      // The ship dialog takes the carrier and the tracking number.
      await d.getByLabel('Carrier (optional)').fill('UPS');
      await d.getByLabel('Tracking number (optional)').fill('1Z999AA1');
    });
    await customerSees(customer, 'in_transit', 'Tu paquete está de camino hacia nosotros');
    expect(await customer.getByTestId('ship-by').count()).toBe(0);

    await act(agent, 'Mark received', 'receive', 'received');
    await customerSees(customer, 'received', 'Hemos recibido tu paquete');

    await act(agent, 'Inspect', 'inspect', 'inspected');
    await customerSees(customer, 'inspected', 'Hemos revisado tus artículos');

    await agent.getByTestId('case-actions').getByRole('button', { name: 'Refund', exact: true }).click();
    await agent.getByTestId('dialog-refund').waitFor();
    await agent.getByTestId('confirm-action').click();
    // The provider settles in the background: pending, then paid.
    await agent.locator('[data-testid="case-page"][data-status="refunded"]').waitFor();
    await customerSees(customer, 'refunded', 'Tu reembolso se ha pagado');
    await browser.screenshot(customer, 'tracking-refunded-live-es');

    // Close: the dialog says what it does; the case and the customer's page end.
    await agent.getByTestId('case-actions').getByRole('button', { name: 'Close', exact: true }).click();
    const close = agent.getByTestId('dialog-close');
    await close.waitFor();
    expect(await close.textContent()).toContain('Closes the case.');
    await browser.screenshot(agent, 'console-close-dialog', { fullPage: false });
    await close.getByTestId('confirm-action').click();
    await agent.locator('[data-testid="case-page"][data-status="closed"]').waitFor();
    expect(await agent.getByTestId('case-status').textContent()).toBe('Closed');
    await customerSees(customer, 'closed', 'Tu devolución se ha completado');

    expect(
      await customer.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);
    const track = await t.anon.get(`/api/v1/track/${r.token}`);
    expect(track.body.status).toBe('closed');
  });

  it('ship dialog: Cancel changes nothing; confirming records the carrier on the case', async () => {
    const r = await fileForReview();
    await t.api.post(`/api/v1/returns/${r.id}/actions/approve`, {});
    const agent = await agentPage();
    await agent.goto(`${t.baseUrl}/console/returns/${r.id}`);
    await agent.locator('[data-testid="case-page"][data-status="awaiting_shipment"]').waitFor();

    await agent.getByTestId('case-actions').getByRole('button', { name: 'Mark shipped' }).click();
    const dialog = agent.getByTestId('dialog-ship');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Records that the customer has sent the parcel.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await t.api.get(`/api/v1/returns/${r.id}`)).body.status).toBe('awaiting_shipment');

    await act(agent, 'Mark shipped', 'ship', 'in_transit', async (d) => {
      await d.getByLabel('Carrier (optional)').fill('DHL');
      await d.getByLabel('Tracking number (optional)').fill('JD0001');
    });
    expect(await agent.getByTestId('case-status').textContent()).toBe('In transit');
    const ret = await t.api.get(`/api/v1/returns/${r.id}`);
    expect(ret.body.status).toBe('in_transit');
    expect(JSON.stringify(ret.body)).toContain('JD0001');
  });

  it('cancel dialog: warns it cannot be undone, then cancels; the customer sees it live', async () => {
    const r = await fileForReview();
    await t.api.post(`/api/v1/returns/${r.id}/actions/approve`, {});
    const customer = await browser.newPage({ locale: 'en-US' });
    await customer.goto(`${t.baseUrl}/t/${r.token}`);
    await customerSees(customer, 'awaiting_shipment', 'Please send your items back');
    await customer.waitForSelector('[data-testid="live-indicator"][data-state="live"]');

    const agent = await agentPage();
    await agent.goto(`${t.baseUrl}/console/returns/${r.id}`);
    await agent.locator('[data-testid="case-page"][data-status="awaiting_shipment"]').waitFor();
    await agent.getByTestId('case-actions').getByRole('button', { name: 'Cancel return' }).click();
    const dialog = agent.getByTestId('dialog-cancel');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('This cannot be undone.');
    await dialog.getByLabel('Note for the timeline (optional)').fill('Customer asked by phone.');
    await browser.screenshot(agent, 'console-cancel-dialog', { fullPage: false });
    await dialog.getByTestId('confirm-action').click();
    await agent.locator('[data-testid="case-page"][data-status="cancelled"]').waitFor();
    expect(await agent.getByTestId('case-status').textContent()).toBe('Cancelled');
    expect(await agent.getByTestId('case-actions').textContent()).toContain('No actions left');
    await customerSees(customer, 'cancelled', 'This return was cancelled');
  });
});
