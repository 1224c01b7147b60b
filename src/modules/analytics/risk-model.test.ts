import { describe, expect, it } from 'vitest';
import type { SyntheticHistory } from './history-rows.ts';
import {
  buildFeatureMatrix,
  type FeatureSpec,
  featureNames,
  fitLogistic,
  isSizeVariant,
  predict,
  type RiskLine,
  type RiskReturnEvent,
  trainRiskModel,
} from './risk-model.ts';
import { seededRandom } from './stats.ts';
import { generateSyntheticHistory } from './synthetic.ts';

const SPEC: FeatureSpec = {
  categories: ['a', 'b'],
  reasons: ['defective', 'wrong_size'],
  globalRate: 0.1,
  reasonShares: [0.5, 0.5],
};

/** Lines and return events from a generated history, as the service builds them from the tables. */
function fromHistory(h: SyntheticHistory): { lines: RiskLine[]; events: RiskReturnEvent[] } {
  const customers = new Map<string, number>();
  const skus = new Map<string, number>();
  const idx = (m: Map<string, number>, k: string) => {
    let v = m.get(k);
    if (v === undefined) {
      v = m.size;
      m.set(k, v);
    }
    return v;
  };
  const lineKey = (o: string, l: string) => `${o}/${l}`;
  const returned = new Set(h.returns.map((r) => lineKey(r.orderExternalId, r.lineExternalId)));
  const byLine = new Map<string, { customer: number; sku: number }>();
  const lines: RiskLine[] = h.orders
    .map((o) => {
      const line = {
        placedAt: Date.parse(o.placedAt),
        customer: idx(customers, o.customerEmail),
        sku: idx(skus, o.sku),
        category: o.category,
        unitPrice: o.unitPrice,
        quantity: o.quantity,
        discountShare: 0,
        sizeVariant: isSizeVariant(o.sku),
        returned: returned.has(lineKey(o.orderExternalId, o.lineExternalId)),
      };
      byLine.set(lineKey(o.orderExternalId, o.lineExternalId), line);
      return line;
    })
    .sort((a, b) => a.placedAt - b.placedAt);
  const events = h.returns
    .map((r) => {
      const l = byLine.get(lineKey(r.orderExternalId, r.lineExternalId))!;
      return {
        requestedAt: Date.parse(r.requestedAt),
        customer: l.customer,
        sku: l.sku,
        reason: r.reasonCode,
      };
    })
    .sort((a, b) => a.requestedAt - b.requestedAt);
  return { lines, events };
}

describe('features', () => {
  it('recognises size variants', () => {
    expect(isSizeVariant('APP-0001-M')).toBe(true);
    expect(isSizeVariant('SHO-0002-42')).toBe(true);
    expect(isSizeVariant('TEE-XL')).toBe(true);
    expect(isSizeVariant('ELE-0003')).toBe(false);
    expect(isSizeVariant('MUG')).toBe(false);
  });

  it('uses only returns requested before the order, and earlier orders only', () => {
    const line = (placedAt: number, customer: number): RiskLine => ({
      placedAt,
      customer,
      sku: 0,
      category: 'a',
      unitPrice: 1000,
      quantity: 1,
      discountShare: 0,
      sizeVariant: false,
      returned: false,
    });
    const lines = [line(1, 0), line(1, 0), line(5, 0), line(9, 1)];
    const events: RiskReturnEvent[] = [{ requestedAt: 3, customer: 0, sku: 0, reason: 'defective' }];
    const { x, p } = buildFeatureMatrix(lines, events, SPEC);
    const names = featureNames(SPEC);
    const cust = names.indexOf('customer_past_return_rate');
    const isNew = names.indexOf('customer_is_new');
    // Two lines of one order at t=1 do not see each other; nothing has been returned yet.
    expect(x[0 * p + isNew]).toBe(1);
    expect(x[1 * p + isNew]).toBe(1);
    expect(x[0 * p + cust]).toBeCloseTo(0.1, 12);
    // At t=5 the customer has 2 lines and 1 return: (1 + 3·0.1) / (2 + 3).
    expect(x[2 * p + cust]).toBeCloseTo(1.3 / 5, 12);
    // A return requested later changes nothing about earlier rows.
    const later = buildFeatureMatrix(
      lines,
      [...events, { requestedAt: 7, customer: 0, sku: 0, reason: 'defective' }],
      SPEC,
    );
    expect(Array.from(later.x.subarray(0, 3 * p))).toEqual(Array.from(x.subarray(0, 3 * p)));
  });
});

describe('fitLogistic', () => {
  it('recovers the direction and size of known effects, deterministically', () => {
    const random = seededRandom(4);
    const n = 6000;
    const p = featureNames(SPEC).length;
    const x = new Float64Array(n * p);
    const y = new Uint8Array(n);
    const price = featureNames(SPEC).indexOf('log_price');
    const cat = featureNames(SPEC).indexOf('category=a');
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) x[i * p + j] = random();
      x[i * p + cat] = random() < 0.5 ? 1 : 0;
      const eta = -1 + 2 * x[i * p + price]! - 1 * x[i * p + cat]!;
      y[i] = random() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    }
    const m = fitLogistic(x, y, n, SPEC, { l2: 0.01 });
    // Back from standardised weights to raw-scale effects.
    expect(m.weights[price]! / m.std[price]!).toBeCloseTo(2, 0);
    expect(m.weights[cat]! / m.std[cat]!).toBeCloseTo(-1, 0);
    const again = fitLogistic(x, y, n, SPEC, { l2: 0.01 });
    expect(again.weights).toEqual(m.weights);
    const prob = predict(m, x.subarray(0, p));
    expect(prob).toBeGreaterThan(0);
    expect(prob).toBeLessThan(1);
  });
});

describe('trainRiskModel', () => {
  for (const seed of [1, 2]) {
    it(`seed ${seed}: on a generated history the holdout AUC is above chance and calibration is sane`, () => {
      const h = generateSyntheticHistory({ orders: 6000, seed, planted: 3 });
      const { lines, events } = fromHistory(h);
      // Leave out the last 30 days: those lines have not had time to come back.
      const end = Math.max(...lines.map((l) => l.placedAt)) - 30 * 86_400_000;
      const mature = lines.filter((l) => l.placedAt <= end);
      const r = trainRiskModel(mature, events);
      expect(r.testCount).toBeGreaterThan(1000);
      expect(r.evaluation.auc).toBeGreaterThan(0.6);
      expect(r.evaluation.brier).toBeLessThan(r.evaluation.baselineBrier);
      // Calibration: where there are enough lines, predicted and observed rates are close.
      for (const bin of r.evaluation.calibration.filter((b) => b.count >= 200)) {
        expect(Math.abs(bin.predicted - bin.observed)).toBeLessThan(0.08);
      }
      // Serial returners and pricier items are the story the weights tell.
      const w = (name: string) => r.model.weights[r.model.features.indexOf(name)]!;
      expect(w('customer_past_return_rate')).toBeGreaterThan(0);
    });
  }

  it('on pure noise the holdout AUC is about one half', () => {
    const h = generateSyntheticHistory({ orders: 6000, seed: 3, planted: 0 });
    const { lines, events } = fromHistory(h);
    const random = seededRandom(99);
    // Labels drawn independently of everything: no feature can predict them.
    const noisy = lines.map((l) => ({ ...l, returned: random() < 0.15 }));
    const r = trainRiskModel(noisy, events);
    expect(r.evaluation.auc).toBeGreaterThan(0.45);
    expect(r.evaluation.auc).toBeLessThan(0.55);
  });
});
