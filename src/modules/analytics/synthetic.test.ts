import { describe, expect, it } from 'vitest';
import { orderRowProblems, returnRowProblems } from './history-validate.ts';
import { generateSyntheticHistory, mulberry32 } from './synthetic.ts';

describe('generateSyntheticHistory', () => {
  const h = generateSyntheticHistory({ orders: 6000, seed: 11 });

  it('gives the same rows for the same seed, and other rows for another seed', () => {
    const again = generateSyntheticHistory({ orders: 6000, seed: 11 });
    expect(again).toEqual(h);
    const other = generateSyntheticHistory({ orders: 6000, seed: 12 });
    expect(other.orders.slice(0, 50)).not.toEqual(h.orders.slice(0, 50));
  });

  it('makes exactly the orders asked for, all valid, within the period, in time order', () => {
    expect(new Set(h.orders.map((o) => o.orderExternalId)).size).toBe(6000);
    for (const o of h.orders) expect(orderRowProblems(o)).toEqual([]);
    expect(h.orders[0]!.placedAt >= '2025-01-01').toBe(true);
    expect(h.orders[h.orders.length - 1]!.placedAt < '2026-01-01').toBe(true);
    for (let i = 1; i < h.orders.length; i++)
      expect(h.orders[i]!.placedAt.slice(0, 10) >= h.orders[i - 1]!.placedAt.slice(0, 10)).toBe(true);
  });

  it('makes valid returns of bought lines, requested after delivery, never more than bought', () => {
    const lines = new Map(h.orders.map((o) => [`${o.orderExternalId}/${o.lineExternalId}`, o]));
    for (const r of h.returns) {
      expect(returnRowProblems(r)).toEqual([]);
      const line = lines.get(`${r.orderExternalId}/${r.lineExternalId}`)!;
      expect(line).toBeDefined();
      expect(r.quantity).toBeLessThanOrEqual(line.quantity);
      expect(r.requestedAt > line.deliveredAt!).toBe(true);
    }
    const statuses = new Set(h.returns.map((r) => r.status));
    for (const s of ['refunded', 'closed', 'rejected']) expect(statuses).toContain(s);
  });

  it('has category base rates in the expected order: apparel > electronics > home', () => {
    const rate = (cat: string) => {
      const keys = new Set(
        h.orders.filter((o) => o.category === cat).map((o) => `${o.orderExternalId}/${o.lineExternalId}`),
      );
      const sold = h.orders.filter((o) => o.category === cat).reduce((a, o) => a + o.quantity, 0);
      const back = h.returns
        .filter((r) => keys.has(`${r.orderExternalId}/${r.lineExternalId}`))
        .reduce((a, r) => a + r.quantity, 0);
      return back / sold;
    };
    expect(rate('apparel')).toBeGreaterThan(rate('electronics'));
    expect(rate('electronics')).toBeGreaterThan(rate('home'));
  });

  it('has size variants for apparel, serial returners, and notes in English and Chinese', () => {
    expect(h.orders.some((o) => o.category === 'apparel' && /-(XS|S|M|L|XL)$/.test(o.sku))).toBe(true);
    const perCustomer = new Map<string, number>();
    const email = new Map(h.orders.map((o) => [o.orderExternalId, o.customerEmail]));
    for (const r of h.returns) {
      const e = email.get(r.orderExternalId)!;
      perCustomer.set(e, (perCustomer.get(e) ?? 0) + 1);
    }
    expect(Math.max(...perCustomer.values())).toBeGreaterThanOrEqual(5);
    expect(h.returns.some((r) => r.note && /[\u4e00-\u9fff]/.test(r.note))).toBe(true);
    expect(h.returns.some((r) => r.note && /^[\x20-\x7e]+$/.test(r.note))).toBe(true);
  });

  it('plants issues on real SKUs in the second half, with more of the reason after onset and its phrases in the notes', () => {
    expect(h.planted).toHaveLength(3);
    const byKey = new Map(h.orders.map((o) => [`${o.orderExternalId}/${o.lineExternalId}`, o]));
    for (const p of h.planted) {
      expect(h.orders.some((o) => o.sku === p.sku)).toBe(true);
      expect(p.onset > '2025-07-01').toBe(true);
      const sold = (after: boolean) =>
        h.orders
          .filter((o) => o.sku === p.sku && o.placedAt >= p.onset === after)
          .reduce((a, o) => a + o.quantity, 0);
      const back = (after: boolean) =>
        h.returns.filter((r) => {
          const o = byKey.get(`${r.orderExternalId}/${r.lineExternalId}`)!;
          return o.sku === p.sku && r.reasonCode === p.reasonCode && o.placedAt >= p.onset === after;
        }).length;
      expect(back(true) / sold(true)).toBeGreaterThan((2 * back(false)) / sold(false));
      const notes = h.returns.filter(
        (r) => r.note && p.phrases.some((ph) => r.note!.toLowerCase().includes(ph)),
      );
      expect(notes.length).toBeGreaterThan(0);
    }
  });

  it('plants nothing when asked for a clean history', () => {
    const clean = generateSyntheticHistory({ orders: 500, seed: 3, planted: 0 });
    expect(clean.planted).toEqual([]);
    expect(clean.returns.some((r) => r.note?.includes('zipper broke'))).toBe(false);
  });

  it('reports progress up to the total', () => {
    const seen: number[] = [];
    generateSyntheticHistory({ orders: 12_000, seed: 1, onProgress: (d, t) => seen.push(d / t) });
    expect(seen.at(-1)).toBe(1);
  });
});

describe('mulberry32', () => {
  it('is deterministic and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});
