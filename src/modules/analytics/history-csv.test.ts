import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../platform/errors.ts';
import { missingColumns, orderRowOf, readHistoryCsv, returnRowOf } from './history-csv.ts';
import { importedStatus, orderRowProblems, returnRowProblems, toIso } from './history-validate.ts';

const orderRecord = {
  order_external_id: 'SO-1',
  order_number: '#1',
  placed_at: '2025-03-01',
  delivered_at: '',
  currency: 'usd',
  customer_email: 'a@example.com',
  line_external_id: '1',
  sku: 'TEE-M',
  title: 'Tee',
  category: 'apparel',
  quantity: '2',
  unit_price: '1999',
};

describe('CSV rows', () => {
  it('maps an order record to a row: numbers parsed, empty optional fields null, currency upper-cased', () => {
    const r = orderRowOf(orderRecord);
    expect(r).toMatchObject({ quantity: 2, unitPrice: 1999, deliveredAt: null, currency: 'USD' });
    expect(orderRowProblems(r)).toEqual([]);
  });

  it('reports every bad field of a row', () => {
    const r = orderRowOf({
      ...orderRecord,
      quantity: '1.5',
      unit_price: '19.99',
      placed_at: 'yesterday',
      customer_email: 'nope',
      currency: 'XXX',
    });
    expect(
      orderRowProblems(r)
        .map((p) => p.field)
        .sort(),
    ).toEqual(['currency', 'customer_email', 'placed_at', 'quantity', 'unit_price']);
  });

  it('checks returns: statuses, resolved_at for final states, refunds only when refunded', () => {
    const base = {
      return_external_id: 'R1',
      order_external_id: 'SO-1',
      line_external_id: '1',
      quantity: '1',
      reason_code: 'zipper_broke',
      note: '拉链坏了',
      requested_at: '2025-03-10T10:00:00Z',
      resolved_at: '2025-03-12T10:00:00Z',
      status: 'refunded',
      refunded_amount: '1999',
    };
    expect(returnRowProblems(returnRowOf(base))).toEqual([]);
    expect(returnRowProblems(returnRowOf({ ...base, status: 'lost_in_space' }))[0]).toMatchObject({
      field: 'status',
    });
    expect(returnRowProblems(returnRowOf({ ...base, resolved_at: '' }))[0]).toMatchObject({
      field: 'resolved_at',
    });
    expect(returnRowProblems(returnRowOf({ ...base, resolved_at: '2025-03-01' }))[0]).toMatchObject({
      field: 'resolved_at',
      message: 'is before requested_at',
    });
    expect(returnRowProblems(returnRowOf({ ...base, status: 'rejected' }))[0]).toMatchObject({
      field: 'refunded_amount',
    });
    expect(importedStatus('Canceled')).toBe('cancelled');
    expect(importedStatus('in_transit')).toBe('in_transit');
  });

  it('reads times as UTC', () => {
    expect(toIso('2025-03-01')).toBe('2025-03-01T00:00:00.000Z');
    expect(toIso('2025-03-01 10:30')).toBe('2025-03-01T10:30:00.000Z');
    expect(toIso('2025-03-01T10:30:00+02:00')).toBe('2025-03-01T08:30:00.000Z');
  });

  it('names the missing required columns', () => {
    expect(missingColumns(['sku', 'Order_External_Id '], 'orders')).toContain('unit_price');
    expect(missingColumns(['sku', 'Order_External_Id '], 'orders')).not.toContain('order_external_id');
    expect(missingColumns(['sku'], 'orders')).not.toContain('delivered_at');
  });
});

describe('readHistoryCsv', () => {
  it('streams rows in any column order, with a BOM, quoted fields and extra columns', async () => {
    const csv =
      '\uFEFFunit_price,quantity,sku,title,category,extra,order_external_id,order_number,placed_at,currency,customer_email,line_external_id\n' +
      '1999,1,TEE-M,"Tee, ""classic""",apparel,x,SO-1,#1,2025-03-01,USD,a@example.com,1\n' +
      '500,2,MUG,"Mug\nwith a line break",home,y,SO-1,#1,2025-03-01,USD,a@example.com,2\n';
    const rows = [];
    for await (const r of readHistoryCsv(Readable.from([csv]), 'orders')) rows.push(r);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ title: 'Tee, "classic"', unitPrice: 1999, deliveredAt: null });
    expect(rows[1]).toMatchObject({ title: 'Mug\nwith a line break', quantity: 2 });
  });

  it('refuses a header without a required column, as row 1', async () => {
    const read = async () => {
      for await (const _ of readHistoryCsv(Readable.from(['sku,title\nA,B\n']), 'orders')) {
        // drain
      }
    };
    const e = (await read().catch((x) => x)) as AppError;
    expect(e.code).toBe('import_invalid');
    expect(e.details).toEqual(
      expect.arrayContaining([
        { file: 'orders', row: 1, field: 'unit_price', message: 'column is missing from the header row' },
      ]),
    );
  });
});
