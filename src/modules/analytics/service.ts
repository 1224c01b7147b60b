import { type Kysely, sql } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import { decodeCursor, pageOf } from '../../platform/cursor.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { ReturnChange } from '../returns/service.ts';
import { createHistoryImport } from './import.ts';
import { percentile, periodOf, splitRange } from './metrics-math.ts';
import { RANK_PRIOR_UNITS, rankRates } from './rate-ranking.ts';
import { applySalesCells, dayOf, netSales, orderSalesCells, recomputeIn, refreshReturns } from './rollups.ts';

type Executor = Kysely<Database>;

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

/**
 * Analytics over the daily rollups: return rates, reason mix, refund cost, automation, cycle
 * times and SLA compliance, plus the drill-down to the returns behind a number. The rollups move
 * with every change of a return (`onReturnChange`, called inside the change's transaction).
 */
export function createAnalyticsService(deps: { db: Db; clock: Clock }) {
  const { db } = deps;
  const history = createHistoryImport(deps);

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

  return {
    importHistory: history.importHistory,

    /** Inside a return's transaction: its rollup cells move by the change's delta. */
    async onReturnChange(trx: Executor, change: Pick<ReturnChange, 'tenantId' | 'returnId'>): Promise<void> {
      await refreshReturns(trx, change.tenantId, [change.returnId]);
    },

    /**
     * For the orders module, inside an order's upsert transaction: `before` the lines change
     * (takes the order's current sales away; nothing for a new order) and `after` (adds them).
     */
    async onOrderChange(trx: Executor, tenantId: string, orderId: string, phase: 'before' | 'after') {
      const cells = await orderSalesCells(trx, tenantId, orderId, phase === 'before' ? -1 : 1);
      await applySalesCells(trx, tenantId, netSales(cells));
    },

    /** Builds a tenant's rollups again from its orders and returns. */
    async recomputeRollups(tenantId: string): Promise<void> {
      await db.transaction().execute((trx) => recomputeIn(trx, tenantId));
    },

    /**
     * Units returned / units sold, grouped by SKU, product, category or period. `basis: 'request'`
     * counts returns on the day they were requested; `'order'` against the day their order was
     * placed, the same day as its sales, so a period's rate is the share of its own sales that came
     * back. `rank: 'shrunk'` ranks by the rate shrunk toward the SKU's category (see rate-ranking.ts).
     */
    async returnRate(
      tenantId: string,
      f: MetricFilters & { groupBy?: RateGroup; basis?: RateBasis; rank?: 'rate' | 'shrunk' },
    ) {
      const groupBy = f.groupBy ?? 'sku';
      const byPeriod = groupBy === 'day' || groupBy === 'week' || groupBy === 'month';
      if (f.rank === 'shrunk' && byPeriod)
        throw new AppError(
          400,
          'invalid_rank',
          'Periods are listed in order of time; `rank=shrunk` ranks SKUs, products, categories or sellers.',
        );
      const daysOnly = groupBy === 'day' || groupBy === 'week';
      const all = async <R>(qs: { period: string }[], run: (i: number) => Promise<R[]>) =>
        (await Promise.all(qs.map((_, i) => run(i)))).flat();
      const salesParts = salesCells(tenantId, f, daysOnly);
      const returnParts = returnsCells(tenantId, f, daysOnly);
      const sold: { key: string; title?: string; category?: string; units: number }[] = await all(
        salesParts,
        (i) => {
          const { q, period } = salesParts[i]!;
          return byPeriod
            ? q
                .select((eb) => [
                  sql<string>`${sql.ref(period)}`.as('key'),
                  eb.fn.sum<number>('units').as('units'),
                ])
                .groupBy(sql.ref(period))
                .execute()
            : q
                .select((eb) => [
                  'sku as key',
                  eb.fn.max('title').as('title'),
                  eb.fn.max('category').as('category'),
                  eb.fn.sum<number>('units').as('units'),
                ])
                .groupBy('sku')
                .execute();
        },
      );
      const back: { key: string; category?: string; units: number; lines: number }[] =
        f.basis === 'order'
          ? await returnsByOrderDay(tenantId, f, byPeriod)
          : await all(returnParts, (i) => {
              const { q, period } = returnParts[i]!;
              return byPeriod
                ? q
                    .select((eb) => [
                      sql<string>`${sql.ref(period)}`.as('key'),
                      eb.fn.sum<number>('unitsReturned').as('units'),
                      eb.fn.sum<number>('lines').as('lines'),
                    ])
                    .groupBy(sql.ref(period))
                    .execute()
                : q
                    .select((eb) => [
                      'sku as key',
                      eb.fn.max('category').as('category'),
                      eb.fn.sum<number>('unitsReturned').as('units'),
                      eb.fn.sum<number>('lines').as('lines'),
                    ])
                    .groupBy('sku')
                    .execute();
            });
      const skuInfo = new Map<string, { title: string; category: string }>();
      for (const s of sold) skuInfo.set(s.key, { title: s.title ?? s.key, category: s.category ?? '' });
      // Sellers are on the order lines (purchasing agents' upstream shops); a SKU reads as its seller.
      const sellerOf = new Map<string, string>();
      if (groupBy === 'seller') {
        const rows = await db
          .selectFrom('orderLines')
          .select((eb) => ['sku', eb.fn.max('seller').as('seller')])
          .where('tenantId', '=', tenantId)
          .where('seller', 'is not', null)
          .groupBy('sku')
          .execute();
        for (const r of rows) if (r.seller) sellerOf.set(r.sku, r.seller);
      }
      const label = (key: string, category?: string): string => {
        if (groupBy === 'sku') return key;
        if (groupBy === 'product') return skuInfo.get(key)?.title ?? key;
        if (groupBy === 'seller') return sellerOf.get(key) ?? '(no seller)';
        if (groupBy === 'category') return skuInfo.get(key)?.category ?? category ?? '';
        return periodOf(key, groupBy);
      };
      const rows = new Map<
        string,
        { key: string; unitsSold: number; unitsReturned: number; returnLines: number }
      >();
      const row = (k: string) => {
        let r = rows.get(k);
        if (!r) {
          r = { key: k, unitsSold: 0, unitsReturned: 0, returnLines: 0 };
          rows.set(k, r);
        }
        return r;
      };
      for (const s of sold) row(label(s.key)).unitsSold += Number(s.units);
      for (const b of back) {
        const r = row(label(b.key, b.category));
        r.unitsReturned += Number(b.units);
        r.returnLines += Number(b.lines);
      }
      const data = [...rows.values()].map((r) => ({
        ...r,
        returnRate: r.unitsSold > 0 ? r.unitsReturned / r.unitsSold : null,
      }));
      const basis = f.basis ?? 'request';
      if (f.rank === 'shrunk') {
        // A SKU is shrunk toward its category; a category, product or seller toward the whole shop.
        const ranked = rankRates(data, (r) =>
          groupBy === 'sku' ? (skuInfo.get(r.key)?.category ?? '') : '',
        );
        return {
          groupBy,
          basis,
          rank: 'shrunk' as const,
          priorUnits: RANK_PRIOR_UNITS,
          ...range(f),
          data: ranked.map(({ group, ...r }) => ({ ...r, category: group })),
        };
      }
      data.sort(
        byPeriod
          ? (a, b) => (a.key < b.key ? -1 : 1)
          : (a, b) => (b.returnRate ?? -1) - (a.returnRate ?? -1) || b.unitsSold - a.unitsSold,
      );
      return { groupBy, basis, ...range(f), data };
    },

    /** Why things come back: lines and units per reason, with each reason's share of the units. */
    async reasonMix(tenantId: string, f: MetricFilters) {
      const rows = sumBy(
        await each(returnsCells(tenantId, f), (q) =>
          q
            .select((eb) => [
              'reasonCode',
              eb.fn.sum<number>('lines').as('lines'),
              eb.fn.sum<number>('unitsRequested').as('units'),
            ])
            .groupBy('reasonCode')
            .execute(),
        ),
        (r) => r.reasonCode,
        ['lines', 'units'],
      );
      const total = rows.reduce((a, r) => a + Number(r.units), 0);
      const data = rows
        .map((r) => ({
          reasonCode: r.reasonCode,
          returnLines: Number(r.lines),
          units: Number(r.units),
          share: total > 0 ? Number(r.units) / total : 0,
        }))
        .sort((a, b) => b.units - a.units || (a.reasonCode < b.reasonCode ? -1 : 1));
      return { ...range(f), data };
    },

    /** Money paid back and fees kept, per currency (never summed across currencies). */
    async refundCost(tenantId: string, f: MetricFilters) {
      const rows = sumBy(
        await each(returnsCells(tenantId, f), (q) =>
          q
            .select((eb) => [
              'currency',
              eb.fn.sum<number>('refundAmount').as('refunded'),
              eb.fn.sum<number>('feeAmount').as('fees'),
              eb.fn.sum<number>('lines').as('lines'),
            ])
            .groupBy('currency')
            .execute(),
        ),
        (r) => r.currency,
        ['refunded', 'fees', 'lines'],
      ).sort((a, b) => (a.currency < b.currency ? -1 : 1));
      return {
        ...range(f),
        data: rows.map((r) => ({
          currency: r.currency,
          refundAmount: Number(r.refunded),
          feesRecovered: Number(r.fees),
          returnLines: Number(r.lines),
        })),
      };
    },

    /** Decided by the policy vs by people; imported history has no decision record and is left out. */
    async automation(tenantId: string, f: MetricFilters) {
      const [r] = sumBy(
        await each(returnsCells(tenantId, f), (q) =>
          q
            .select((eb) => [
              eb.fn.sum<number>('autoDecided').as('auto'),
              eb.fn.sum<number>('peopleDecided').as('people'),
            ])
            .execute(),
        ),
        () => '',
        ['auto', 'people'],
      );
      const auto = Number(r?.auto ?? 0);
      const people = Number(r?.people ?? 0);
      return {
        ...range(f),
        data: [
          {
            autoDecided: auto,
            peopleDecided: people,
            automationRate: auto + people > 0 ? auto / (auto + people) : null,
          },
        ],
      };
    },

    /** p50 and p90 hours from the request to the decision, the parcel's receipt and the refund. */
    async cycleTimes(tenantId: string, f: MetricFilters) {
      const { from, to } = range(f);
      let q = db
        .selectFrom('analyticsReturnFacts')
        .select(['returnId', 'decisionSecs', 'receivedSecs', 'refundedSecs'])
        .where('tenantId', '=', tenantId)
        .where('day', '>=', from)
        .where('day', '<=', to);
      if (f.sku) q = q.where('sku', '=', f.sku);
      if (f.category) q = q.where('category', '=', f.category);
      if (f.reason) q = q.where('reasonCode', '=', f.reason);
      if (f.resolution) q = q.where('resolution', '=', f.resolution);
      const rows = await q.execute();
      // One value per return, not per line.
      const seen = new Set<string>();
      const stages: Record<'decision' | 'received' | 'refunded', number[]> = {
        decision: [],
        received: [],
        refunded: [],
      };
      for (const r of rows) {
        if (seen.has(r.returnId)) continue;
        seen.add(r.returnId);
        if (r.decisionSecs !== null) stages.decision.push(Number(r.decisionSecs));
        if (r.receivedSecs !== null) stages.received.push(Number(r.receivedSecs));
        if (r.refundedSecs !== null) stages.refunded.push(Number(r.refundedSecs));
      }
      const hours = (s: number | null) => (s === null ? null : Math.round((s / 3600) * 100) / 100);
      return {
        from,
        to,
        data: (['decision', 'received', 'refunded'] as const).map((stage) => {
          const xs = stages[stage].sort((a, b) => a - b);
          return {
            stage: `request_to_${stage}`,
            count: xs.length,
            p50Hours: hours(percentile(xs, 0.5)),
            p90Hours: hours(percentile(xs, 0.9)),
          };
        }),
      };
    },

    /** Reviews decided within 24 h, inspections done within 48 h of receipt (the console's SLA). */
    async slaCompliance(tenantId: string, f: MetricFilters) {
      const [r] = sumBy(
        await each(returnsCells(tenantId, f), (q) =>
          q
            .select((eb) => [
              eb.fn.sum<number>('slaReviewMet').as('reviewMet'),
              eb.fn.sum<number>('slaReviewTotal').as('reviewTotal'),
              eb.fn.sum<number>('slaInspectionMet').as('inspectionMet'),
              eb.fn.sum<number>('slaInspectionTotal').as('inspectionTotal'),
            ])
            .execute(),
        ),
        () => '',
        ['reviewMet', 'reviewTotal', 'inspectionMet', 'inspectionTotal'],
      );
      const row = (sla: string, hours: number, met: unknown, total: unknown) => ({
        sla,
        targetHours: hours,
        met: Number(met ?? 0),
        total: Number(total ?? 0),
        compliance: Number(total ?? 0) > 0 ? Number(met ?? 0) / Number(total) : null,
      });
      return {
        ...range(f),
        data: [
          row('review', 24, r?.reviewMet, r?.reviewTotal),
          row('inspection', 48, r?.inspectionMet, r?.inspectionTotal),
        ],
      };
    },

    /**
     * The returns behind a number: newest first, by cursor. `basis: 'order'` lists the returns of
     * the orders placed in the range (the units of a return rate by order day), whenever requested.
     */
    async drillDown(
      tenantId: string,
      f: MetricFilters & { status?: string; limit?: number; cursor?: string; basis?: RateBasis },
    ) {
      const { from, to } = range(f);
      const limit = f.limit ?? 50;
      let q = db
        .selectFrom('analyticsReturnFacts as f')
        .innerJoin('returns as r', (j) =>
          j.onRef('r.tenantId', '=', 'f.tenantId').onRef('r.id', '=', 'f.returnId'),
        )
        .select([
          'f.returnLineId',
          'f.returnId',
          'r.rmaNumber',
          'f.requestedAt',
          'f.sku',
          'f.category',
          'f.reasonCode',
          'f.resolution',
          'f.status',
          'f.unitsRequested',
          'f.currency',
          'f.refundAmount',
        ])
        .where('f.tenantId', '=', tenantId)
        // The same days as `day`, as a time range, so the (tenant, requested_at) index serves both
        // the filter and the newest-first order.
        .where('f.requestedAt', '>=', `${from}T00:00:00.000Z`);
      q =
        f.basis === 'order'
          ? q
              .innerJoin('orders as o', (j) =>
                j.onRef('o.tenantId', '=', 'r.tenantId').onRef('o.id', '=', 'r.orderId'),
              )
              .where('o.placedAt', '>=', `${from}T00:00:00.000Z`)
              .where('o.placedAt', '<', nextDay(to))
          : q.where('f.requestedAt', '<', nextDay(to));
      if (f.sku) q = q.where('f.sku', '=', f.sku);
      if (f.category) q = q.where('f.category', '=', f.category);
      if (f.reason) q = q.where('f.reasonCode', '=', f.reason);
      if (f.resolution) q = q.where('f.resolution', '=', f.resolution);
      if (f.status) q = q.where('f.status', '=', f.status);
      if (f.cursor) {
        const { at, id } = decodeCursor(f.cursor);
        q = q.where((eb) =>
          eb.or([
            eb('f.requestedAt', '<', at),
            eb.and([eb('f.requestedAt', '=', at), eb('f.returnLineId', '<', id)]),
          ]),
        );
      }
      const rows = await q
        .orderBy('f.requestedAt', 'desc')
        .orderBy('f.returnLineId', 'desc')
        .limit(limit + 1)
        .execute();
      const { page, nextCursor } = pageOf(rows, limit, (r) => [r.requestedAt, r.returnLineId]);
      return {
        data: page.map((r) => ({
          ...r,
          unitsRequested: Number(r.unitsRequested),
          refundAmount: Number(r.refundAmount),
        })),
        nextCursor,
      };
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;

/** Runs one query per part of a range and puts the rows together. */
async function each<Q, R>(parts: { q: Q }[], run: (q: Q) => Promise<R[]>): Promise<R[]> {
  return (await Promise.all(parts.map((p) => run(p.q)))).flat();
}

/** Rows with the same key summed (pg answers sums as strings: they become numbers here). */
function sumBy<R extends Record<string, unknown>, F extends keyof R & string>(
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

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString();
}
