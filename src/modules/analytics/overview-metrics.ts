import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { CYCLE_STAGES, type CycleStage, percentileOfBuckets, secsOf } from './cycle-buckets.ts';
import {
  each,
  type MetricFilters,
  type MetricQueries,
  type RateBasis,
  type RateGroup,
  sumBy,
} from './metric-queries.ts';
import { percentile, periodOf } from './metrics-math.ts';
import { RANK_PRIOR_UNITS, rankRates } from './rate-ranking.ts';

/**
 * Up to this many returns in a range (in any stage), cycle-time percentiles are exact, from the
 * facts (tens of milliseconds); beyond it from the bucket counts.
 */
export const EXACT_CYCLE_RETURNS = 20_000;

/**
 * The numbers of the analytics overview: return rates, reason mix, refund cost, automation, cycle
 * times and SLA compliance, each summed over the rollup queries of a range (metric-queries.ts).
 */
export function createOverviewMetrics(
  db: Db,
  queries: MetricQueries,
  opts: { exactCycleReturns?: number } = {},
) {
  const exactCycleReturns = opts.exactCycleReturns ?? EXACT_CYCLE_RETURNS;
  const { range, returnsCells, salesCells, returnsByOrderDay } = queries;

  /** Each stage's seconds of the returns requested in [from, to] (one value per return) from the facts. */
  async function cycleValues(tenantId: string, f: MetricFilters & { from: string; to: string }) {
    let q = db
      .selectFrom('analyticsReturnFacts')
      .select(['returnId', 'decisionSecs', 'receivedSecs', 'refundedSecs'])
      .where('tenantId', '=', tenantId)
      .where('day', '>=', f.from)
      .where('day', '<=', f.to);
    if (f.sku) q = q.where('sku', '=', f.sku);
    if (f.category) q = q.where('category', '=', f.category);
    if (f.reason) q = q.where('reasonCode', '=', f.reason);
    if (f.resolution) q = q.where('resolution', '=', f.resolution);
    const rows = await q.execute();
    // One value per return, not per line.
    const seen = new Set<string>();
    const stages: Record<CycleStage, number[]> = { decision: [], received: [], refunded: [] };
    for (const r of rows) {
      if (seen.has(r.returnId)) continue;
      seen.add(r.returnId);
      for (const stage of CYCLE_STAGES) {
        const v = secsOf(r, stage);
        if (v !== null) stages[stage].push(v);
      }
    }
    return stages;
  }

  return {
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

    /**
     * p50 and p90 hours from the request to the decision, the parcel's receipt and the refund.
     * Exact (from the facts, one value per return) for a filtered range or one of at most
     * `exactCycleReturns` returns; beyond that from the bucket counts of the return's lead lines,
     * summed in SQL, within 1.1 % (+ ½ s) of the exact percentile (cycle-buckets.ts).
     */
    async cycleTimes(tenantId: string, f: MetricFilters) {
      const { from, to } = range(f);
      const hours = (s: number | null) => (s === null ? null : Math.round((s / 3600) * 100) / 100);
      const answer = (
        stat: (stage: CycleStage) => { count: number; p50: number | null; p90: number | null },
      ) => ({
        from,
        to,
        data: CYCLE_STAGES.map((stage) => {
          const r = stat(stage);
          return {
            stage: `request_to_${stage}`,
            count: r.count,
            p50Hours: hours(r.p50),
            p90Hours: hours(r.p90),
          };
        }),
      });
      if (!(f.sku || f.category || f.reason || f.resolution)) {
        const buckets = await Promise.all(
          CYCLE_STAGES.map(async (stage) => {
            const column = `${stage}Bucket` as const;
            const rows = await db
              .selectFrom('analyticsReturnFacts')
              .select((eb) => [sql.ref<number>(column).as('bucket'), eb.fn.countAll<number>().as('n')])
              .where('tenantId', '=', tenantId)
              .where('day', '>=', from)
              .where('day', '<=', to)
              .where('lead', '=', 1)
              .where(column, 'is not', null)
              .groupBy(column)
              .execute();
            return new Map(rows.map((r) => [Number(r.bucket), Number(r.n)]));
          }),
        );
        const counts = buckets.map((m) => [...m.values()].reduce((a, n) => a + n, 0));
        if (Math.max(...counts) > exactCycleReturns) {
          return answer((stage) => {
            const m = buckets[CYCLE_STAGES.indexOf(stage)]!;
            return {
              count: counts[CYCLE_STAGES.indexOf(stage)]!,
              p50: percentileOfBuckets(m, 0.5),
              p90: percentileOfBuckets(m, 0.9),
            };
          });
        }
      }
      const stages = await cycleValues(tenantId, { ...f, from, to });
      return answer((stage) => {
        const xs = stages[stage].sort((a, b) => a - b);
        return { count: xs.length, p50: percentile(xs, 0.5), p90: percentile(xs, 0.9) };
      });
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
  };
}
