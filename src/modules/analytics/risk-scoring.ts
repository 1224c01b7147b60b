import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { parseJson } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { DAY_MS } from './detection-queries.ts';
import { emptyHistory, featuresOf, isSizeVariant, type LogisticModel, predict } from './risk-model.ts';
import { latestRun } from './risk-training.ts';

/** Open orders scored per request at most. */
const MAX_SCORED_ORDERS = 500;

/** Scores of orders by the latest return-risk model: one order, or the open ones. */
export function createRiskScoring(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  /**
   * History as of `now` for the given customers and SKUs: lines ordered and returns requested
   * before `now`. Open orders are young, so "before the order" and "before now" differ by days.
   */
  async function historyFor(
    tenantId: string,
    customerIds: string[],
    skus: string[],
    now: string,
    reasons: string[],
  ) {
    const h = emptyHistory();
    const cIndex = new Map(customerIds.map((c, i) => [c, i]));
    const sIndex = new Map(skus.map((s, i) => [s, i]));
    if (customerIds.length) {
      const lines = await db
        .selectFrom('orderLines as ol')
        .innerJoin('orders as o', (j) =>
          j.onRef('o.tenantId', '=', 'ol.tenantId').onRef('o.id', '=', 'ol.orderId'),
        )
        .select(['o.customerId', (eb) => eb.fn.countAll<number>().as('n')])
        .where('o.tenantId', '=', tenantId)
        .where('o.customerId', 'in', customerIds)
        .where('o.placedAt', '<', now)
        .groupBy('o.customerId')
        .execute();
      for (const r of lines) h.customerLines.set(cIndex.get(r.customerId)!, Number(r.n));
      const rets = await db
        .selectFrom('returnLines as rl')
        .innerJoin('returns as r', (j) =>
          j.onRef('r.tenantId', '=', 'rl.tenantId').onRef('r.id', '=', 'rl.returnId'),
        )
        .select(['r.customerId', (eb) => eb.fn.countAll<number>().as('n')])
        .where('r.tenantId', '=', tenantId)
        .where('r.customerId', 'in', customerIds)
        .where('r.createdAt', '<', now)
        .groupBy('r.customerId')
        .execute();
      for (const r of rets) h.customerReturns.set(cIndex.get(r.customerId)!, Number(r.n));
    }
    if (skus.length) {
      const lines = await db
        .selectFrom('orderLines as ol')
        .innerJoin('orders as o', (j) =>
          j.onRef('o.tenantId', '=', 'ol.tenantId').onRef('o.id', '=', 'ol.orderId'),
        )
        .select(['ol.sku', (eb) => eb.fn.countAll<number>().as('n')])
        .where('ol.tenantId', '=', tenantId)
        .where('ol.sku', 'in', skus)
        .where('o.placedAt', '<', now)
        .groupBy('ol.sku')
        .execute();
      for (const r of lines) h.skuLines.set(sIndex.get(r.sku)!, Number(r.n));
      const rets = await db
        .selectFrom('returnLines as rl')
        .innerJoin('returns as r', (j) =>
          j.onRef('r.tenantId', '=', 'rl.tenantId').onRef('r.id', '=', 'rl.returnId'),
        )
        .innerJoin('orderLines as ol', (j) =>
          j.onRef('ol.tenantId', '=', 'rl.tenantId').onRef('ol.id', '=', 'rl.orderLineId'),
        )
        .select(['ol.sku', 'rl.reasonCode', (eb) => eb.fn.countAll<number>().as('n')])
        .where('r.tenantId', '=', tenantId)
        .where('ol.sku', 'in', skus)
        .where('r.createdAt', '<', now)
        .groupBy(['ol.sku', 'rl.reasonCode'])
        .execute();
      for (const r of rets) {
        const i = sIndex.get(r.sku)!;
        h.skuReturns.set(i, (h.skuReturns.get(i) ?? 0) + Number(r.n));
        const k = reasons.indexOf(r.reasonCode);
        if (k >= 0) {
          const mix = h.skuReasons.get(i) ?? new Array<number>(reasons.length).fill(0);
          mix[k]! += Number(r.n);
          h.skuReasons.set(i, mix);
        }
      }
    }
    return { h, cIndex, sIndex };
  }

  async function scoreOrderIds(tenantId: string, orderIds: string[]) {
    const run = await latestRun(db, tenantId);
    if (!run) throw new AppError(422, 'no_risk_model', 'No return-risk model has been trained yet.');
    const model = parseJson<LogisticModel>(run.model);
    if (!orderIds.length) return { model: run.id, data: [] };
    const rows = await db
      .selectFrom('orderLines as ol')
      .innerJoin('orders as o', (j) =>
        j.onRef('o.tenantId', '=', 'ol.tenantId').onRef('o.id', '=', 'ol.orderId'),
      )
      .select([
        'o.id as orderId',
        'o.orderNumber',
        'o.placedAt',
        'o.customerId',
        'ol.id as lineId',
        'ol.sku',
        'ol.category',
        'ol.unitPrice',
        'ol.quantity',
        'ol.discountAmount',
        'ol.returnedQuantity',
      ])
      .where('o.tenantId', '=', tenantId)
      .where('o.id', 'in', orderIds)
      .orderBy('o.id')
      .orderBy('ol.position')
      .execute();
    const customers = [...new Set(rows.map((r) => r.customerId))];
    const skus = [...new Set(rows.map((r) => r.sku))];
    const { h, cIndex, sIndex } = await historyFor(
      tenantId,
      customers,
      skus,
      clock.now().toISOString(),
      model.spec.reasons,
    );
    const byOrder = new Map<
      string,
      {
        orderId: string;
        orderNumber: string;
        placedAt: string;
        probability: number;
        lines: { lineId: string; sku: string; probability: number }[];
      }
    >();
    for (const r of rows) {
      const f = featuresOf(
        {
          customer: cIndex.get(r.customerId)!,
          sku: sIndex.get(r.sku)!,
          category: r.category,
          unitPrice: Number(r.unitPrice),
          quantity: r.quantity,
          discountShare: Number(r.discountAmount) / Math.max(1, Number(r.unitPrice) * r.quantity),
          sizeVariant: isSizeVariant(r.sku),
        },
        h,
        model.spec,
      );
      const o = byOrder.get(r.orderId) ?? {
        orderId: r.orderId,
        orderNumber: r.orderNumber,
        placedAt: r.placedAt,
        probability: 0,
        lines: [],
      };
      o.lines.push({ lineId: r.lineId, sku: r.sku, probability: predict(model, f) });
      byOrder.set(r.orderId, o);
    }
    const data = [...byOrder.values()].map((o) => ({
      ...o,
      // The chance that at least one line comes back, taking lines as independent.
      probability: 1 - o.lines.reduce((keep, l) => keep * (1 - l.probability), 1),
    }));
    return { model: run.id, data };
  }

  return {
    async scoreOrder(tenantId: string, orderId: string) {
      const o = await db
        .selectFrom('orders')
        .select('id')
        .where('tenantId', '=', tenantId)
        .where('id', '=', orderId)
        .executeTakeFirst();
      if (!o) throw notFound('Order');
      const r = await scoreOrderIds(tenantId, [orderId]);
      return { model: r.model, ...r.data[0]! };
    },

    /**
     * Open orders — placed within the return window and with nothing returned yet — by
     * probability of a return, highest first.
     */
    async scoreOpenOrders(tenantId: string, q: { limit?: number; windowDays?: number } = {}) {
      const since = new Date(clock.now().getTime() - (q.windowDays ?? 30) * DAY_MS).toISOString();
      const recent = await db
        .selectFrom('orders as o')
        .select('o.id')
        .where('o.tenantId', '=', tenantId)
        .where('o.placedAt', '>=', since)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('returns as r')
                .select('r.id')
                .whereRef('r.tenantId', '=', 'o.tenantId')
                .whereRef('r.orderId', '=', 'o.id'),
            ),
          ),
        )
        .orderBy('o.placedAt', 'desc')
        .limit(MAX_SCORED_ORDERS)
        .execute();
      const r = await scoreOrderIds(
        tenantId,
        recent.map((x) => x.id),
      );
      const data = r.data.sort((a, b) => b.probability - a.probability).slice(0, q.limit ?? 50);
      return { model: r.model, data };
    },
  };
}
