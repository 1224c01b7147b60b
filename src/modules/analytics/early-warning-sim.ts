import type { DetectorInput, SkuHistory } from './early-warning.ts';
import type { OrderRow, ReturnRow } from './history-rows.ts';
import { poissonSample, seededRandom } from './stats.ts';
import { phrasesOf } from './themes.ts';

/**
 * Generated daily count series for testing the detector's statistical claims quickly, without a
 * database: many SKUs, known planted changes. Test support only.
 */

/** Lag of a return request after the sale: 3–7 days to deliver, then a few days to decide. */
export const LAG = (() => {
  const w = Array.from({ length: 40 }, (_, k) => (k < 4 ? 0 : Math.exp(-(k - 4) / 5)));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / s);
})();

export type Plant = { sku: number; onset: number; reason: number; factor: number };
export type SimOptions = {
  seed: number;
  skus: number;
  days: number;
  plants?: Plant[];
  /** Multiplies every SKU's rate in one category from this day on (a seasonal swing). */
  categoryShift?: { category: number; from: number; factor: number };
  /** Sales per day of the planted SKUs (others are drawn log-uniformly 0.1–12). */
  plantedVolume?: number;
};

export const REASONS = ['wrong_size', 'changed_mind', 'defective', 'damaged'];
const CATEGORY_RATES = [0.2, 0.1, 0.05, 0.12];
const REASON_MIX = [
  [0.5, 0.3, 0.1, 0.1],
  [0.1, 0.4, 0.3, 0.2],
  [0.1, 0.4, 0.2, 0.3],
  [0.3, 0.3, 0.2, 0.2],
];

/**
 * Daily sales and return requests for many SKUs: volumes from a trickle to a best seller, a
 * weekly rhythm, SKU rates scattered around their category's, day-to-day overdispersion (a gamma
 * multiplier), returns spread over the lag; planted SKUs have one reason's rate multiplied from onset.
 */
export function simulate(o: SimOptions): DetectorInput {
  const random = seededRandom(o.seed);
  const gamma10 = () => {
    // Sum of 10 exponentials / 10: mean 1, sd ≈ 0.32.
    let s = 0;
    for (let i = 0; i < 10; i++) s -= Math.log(1 - random());
    return s / 10;
  };
  const skus: SkuHistory[] = [];
  for (let i = 0; i < o.skus; i++) {
    const cat = i % CATEGORY_RATES.length;
    const plant = o.plants?.find((p) => p.sku === i);
    const volume = plant && o.plantedVolume ? o.plantedVolume : 0.1 * 120 ** random();
    const rate = CATEGORY_RATES[cat]! * Math.exp(0.3 * (random() + random() + random() - 1.5));
    const sold = new Float64Array(o.days);
    const byReason = REASONS.map(() => new Float64Array(o.days));
    for (let d = 0; d < o.days; d++) {
      const weekly = d % 7 >= 5 ? 1.3 : 0.9;
      const s = poissonSample(volume * weekly, random);
      sold[d] = s;
      let r = rate * gamma10();
      if (o.categoryShift && o.categoryShift.category === cat && d >= o.categoryShift.from)
        r *= o.categoryShift.factor;
      for (let reason = 0; reason < REASONS.length; reason++) {
        let rr = r * REASON_MIX[cat]![reason]!;
        if (plant && plant.reason === reason && d >= plant.onset) rr *= plant.factor;
        const n = poissonSample(s * rr, random);
        for (let j = 0; j < n; j++) {
          let u = random();
          let k = 0;
          while (k < LAG.length - 1 && u > LAG[k]!) u -= LAG[k++]!;
          if (d + k < o.days) byReason[reason]![d + k]! += 1;
        }
      }
    }
    const total = new Float64Array(o.days);
    const kinds = new Map<string, ArrayLike<number>>();
    byReason.forEach((series, reason) => {
      series.forEach((v, d) => {
        total[d]! += v;
      });
      kinds.set(`reason:${REASONS[reason]}`, series);
    });
    kinds.set('return_rate', total);
    skus.push({ sku: `SKU-${String(i).padStart(4, '0')}`, category: `cat-${cat}`, sold, kinds });
  }
  return { start: '2025-01-01', days: o.days, lag: LAG, skus };
}

/**
 * The detector's input from a generated history held in memory, as `loadDetectorInput` builds it
 * from the tables: order lines per SKU and day, return lines per SKU × reason and request day, and
 * the lag of the last year's requests — only what happened by the end of `asOf`.
 */
export function inputFromHistory(
  h: { orders: OrderRow[]; returns: ReturnRow[] },
  asOf: string,
  days: number,
): DetectorInput {
  const DAY = 86_400_000;
  const end = Date.parse(`${asOf}T00:00:00Z`) + DAY;
  const start = end - days * DAY;
  const index = (iso: string) => Math.floor((Date.parse(iso) - start) / DAY);
  const skus = new Map<string, SkuHistory>();
  const lines = new Map<string, { sku: string; placed: number }>();
  const lag = new Float64Array(61);
  let lagTotal = 0;
  const notes: NonNullable<DetectorInput['notes']> = [];
  for (const o of h.orders) {
    const placed = Date.parse(o.placedAt);
    if (placed >= end) continue;
    lines.set(`${o.orderExternalId}/${o.lineExternalId}`, { sku: o.sku, placed });
    const i = index(o.placedAt);
    if (i < 0) continue;
    let s = skus.get(o.sku);
    if (!s) {
      s = { sku: o.sku, category: o.category, sold: new Float64Array(days), kinds: new Map() };
      skus.set(o.sku, s);
    }
    (s.sold as Float64Array)[i]! += 1;
  }
  for (const r of h.returns) {
    const t = Date.parse(r.requestedAt);
    if (t >= end) continue;
    const l = lines.get(`${r.orderExternalId}/${r.lineExternalId}`);
    if (!l) continue;
    if (t >= end - 365 * DAY) {
      lag[Math.min(60, Math.max(0, Math.floor((t - l.placed) / DAY)))]! += 1;
      lagTotal++;
    }
    const i = index(r.requestedAt);
    const s = skus.get(l.sku);
    if (i < 0 || !s) continue;
    if (r.note?.trim()) notes.push({ sku: l.sku, day: i, phrases: phrasesOf(r.note) });
    for (const k of ['return_rate', `reason:${r.reasonCode}`]) {
      let a = s.kinds.get(k) as Float64Array | undefined;
      if (!a) {
        a = new Float64Array(days);
        s.kinds.set(k, a);
      }
      a[i]! += 1;
    }
  }
  return {
    start: new Date(start).toISOString().slice(0, 10),
    days,
    lag: lag.map((x) => x / Math.max(1, lagTotal)),
    skus: [...skus.values()].sort((a, b) => (a.sku < b.sku ? -1 : 1)),
    notes,
  };
}
