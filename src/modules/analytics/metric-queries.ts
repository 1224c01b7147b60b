import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { splitRange } from './metrics-math.ts';
import { dayOf } from './rollup-grains.ts';

export type MetricFilters = {
  from?: string;
  to?: string;
  sku?: string;
  category?: string;
  reason?: string;
  resolution?: string;
};
export type RateGroup = 'sku' | 'product' | 'category' | 'seller' | 'day' | 'week' | 'month';
/** Which day a return counts on: its request's, or its order's (the day of the sales it divides). */
export type RateBasis = 'request' | 'order';

/** The range of a request and the rollup queries behind it, shared by the metrics and the drill-down. */
export function createMetricQueries(deps: { db: Db; clock: Clock }) {
  const { db } = deps;

  function range(f: MetricFilters) {
    const to = f.to ?? deps.clock.now().toISOString().slice(0, 10);
    const from =
      f.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);
    if (from > to) throw new AppError(400, 'invalid_range', '`from` is after `to`.');
    return { from, to };
  }

  /**
   * The rollup queries behind a range: whole months from the monthly table, the days at the
   * edges from the daily one (or days only, for per-day and per-week answers). Each part is
   * grouped on its own; callers sum the parts.
   */
  function returnsCells(tenantId: string, f: MetricFilters, daysOnly = false) {
    const base = (table: 'analyticsReturnsDaily' | 'analyticsReturnsMonthly') => {
      // The monthly table has the daily one's columns, with `month` for `day`.
      let q = db.selectFrom(table as 'analyticsReturnsDaily').where('tenantId', '=', tenantId);
      if (f.sku) q = q.where('sku', '=', f.sku);
      if (f.category) q = q.where('category', '=', f.category);
      if (f.reason) q = q.where('reasonCode', '=', f.reason);
      if (f.resolution) q = q.where('resolution', '=', f.resolution);
      return q;
    };
    return parts(f, daysOnly).map((p) => ({
      period: p.period,
      q: base(p.period === 'day' ? 'analyticsReturnsDaily' : 'analyticsReturnsMonthly')
        .where(sql.ref(p.period), '>=', p.from)
        .where(sql.ref(p.period), '<=', p.to),
    }));
  }

  function salesCells(tenantId: string, f: MetricFilters, daysOnly = false) {
    const base = (table: 'analyticsSalesDaily' | 'analyticsSalesMonthly') => {
      let q = db.selectFrom(table as 'analyticsSalesDaily').where('tenantId', '=', tenantId);
      if (f.sku) q = q.where('sku', '=', f.sku);
      if (f.category) q = q.where('category', '=', f.category);
      return q;
    };
    return parts(f, daysOnly).map((p) => ({
      period: p.period,
      q: base(p.period === 'day' ? 'analyticsSalesDaily' : 'analyticsSalesMonthly')
        .where(sql.ref(p.period), '>=', p.from)
        .where(sql.ref(p.period), '<=', p.to),
    }));
  }

  /**
   * Return lines (not rejected or cancelled count as units returned) of the orders placed in the
   * range, whenever they were requested: by SKU, or by the order's day. Read from the facts, as a
   * return can only be requested after its order the range's first day bounds the scan.
   */
  async function returnsByOrderDay(tenantId: string, f: MetricFilters, byPeriod: boolean) {
    const { from, to } = range(f);
    const placedDay = dayOf(db, 'o.placedAt');
    let q = db
      .selectFrom('analyticsReturnFacts as f')
      .innerJoin('returns as r', (j) =>
        j.onRef('r.tenantId', '=', 'f.tenantId').onRef('r.id', '=', 'f.returnId'),
      )
      .innerJoin('orders as o', (j) =>
        j.onRef('o.tenantId', '=', 'r.tenantId').onRef('o.id', '=', 'r.orderId'),
      )
      .where('f.tenantId', '=', tenantId)
      .where('f.requestedAt', '>=', `${from}T00:00:00.000Z`)
      .where('o.placedAt', '>=', `${from}T00:00:00.000Z`)
      .where('o.placedAt', '<', nextDay(to));
    if (f.sku) q = q.where('f.sku', '=', f.sku);
    if (f.category) q = q.where('f.category', '=', f.category);
    if (f.reason) q = q.where('f.reasonCode', '=', f.reason);
    if (f.resolution) q = q.where('f.resolution', '=', f.resolution);
    const rows = byPeriod
      ? await q
          .select((eb) => [
            placedDay.as('key'),
            eb.fn.sum<number>('f.unitsReturned').as('units'),
            eb.fn.countAll<number>().as('lines'),
          ])
          .groupBy(placedDay)
          .execute()
      : await q
          .select((eb) => [
            'f.sku as key',
            eb.fn.max('f.category').as('category'),
            eb.fn.sum<number>('f.unitsReturned').as('units'),
            eb.fn.countAll<number>().as('lines'),
          ])
          .groupBy('f.sku')
          .execute();
    return rows as { key: string; category?: string; units: number; lines: number }[];
  }

  function parts(f: MetricFilters, daysOnly: boolean) {
    const { from, to } = range(f);
    const split = daysOnly ? { months: null, days: [{ from, to }] } : splitRange(from, to);
    return [
      ...split.days.map((d) => ({ period: 'day' as const, ...d })),
      ...(split.months ? [{ period: 'month' as const, ...split.months }] : []),
    ];
  }

  return { range, returnsCells, salesCells, returnsByOrderDay };
}

export type MetricQueries = ReturnType<typeof createMetricQueries>;

/** Runs one query per part of a range and puts the rows together. */
export async function each<Q, R>(parts: { q: Q }[], run: (q: Q) => Promise<R[]>): Promise<R[]> {
  return (await Promise.all(parts.map((p) => run(p.q)))).flat();
}

/** Rows with the same key summed (pg answers sums as strings: they become numbers here). */
export function sumBy<R extends Record<string, unknown>, F extends keyof R & string>(
  rows: R[],
  key: (r: R) => string,
  fields: F[],
): (Omit<R, F> & Record<F, number>)[] {
  const by = new Map<string, Omit<R, F> & Record<F, number>>();
  for (const r of rows) {
    const k = key(r);
    const acc = by.get(k);
    if (!acc) {
      const first = { ...r } as Record<string, unknown>;
      for (const f of fields) first[f] = Number(r[f] ?? 0);
      by.set(k, first as Omit<R, F> & Record<F, number>);
    } else {
      const sums = acc as Record<string, number>;
      for (const f of fields) sums[f] = (sums[f] ?? 0) + Number(r[f] ?? 0);
    }
  }
  return [...by.values()];
}

export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString();
}
