import type { Selectable } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { parseJson } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { HandlerResult, OutboxMessage } from '../../platform/outbox.ts';
import { DAY_MS, type Dialect, endOf, loadLag } from './detection-queries.ts';
import { checkAsOf } from './detection-service.ts';
import type { DetectionModelRunsTable } from './detection-tables.ts';
import {
  emptyHistory,
  featuresOf,
  isSizeVariant,
  type LogisticModel,
  predict,
  type RiskEvaluation,
  type RiskLine,
  type RiskReturnEvent,
  trainRiskModel,
} from './risk-model.ts';

/**
 * Training holds at most this many of the latest order lines: the model has about twenty
 * weights, and a few hundred thousand examples pin them down; more only costs memory.
 */
const MAX_TRAINING_LINES = 200_000;
const MIN_TRAINING_LINES = 200;
/** Open orders scored per request at most. */
const MAX_SCORED_ORDERS = 500;

/** Lines younger than this many days are left out of training: they have not had time to come back. */
function maturityDays(lag: Float64Array): number {
  let acc = 0;
  for (let k = 0; k < lag.length; k++) {
    acc += lag[k]!;
    if (acc >= 0.95) return Math.min(60, Math.max(14, k));
  }
  return 60;
}

function runView(r: Selectable<DetectionModelRunsTable>) {
  const metrics = parseJson<RiskEvaluation & { splitAt: string; maturityDays: number }>(r.metrics);
  const model = parseJson<LogisticModel>(r.model);
  return {
    id: r.id,
    trainedAt: r.trainedAt,
    asOf: r.asOf,
    trainCount: r.trainCount,
    testCount: r.testCount,
    auc: r.auc,
    brier: r.brier,
    baselineBrier: metrics.baselineBrier,
    positives: metrics.positives,
    holdoutFrom: metrics.splitAt,
    maturityDays: metrics.maturityDays,
    calibration: metrics.calibration,
    intercept: model.intercept,
    featureWeights: model.features
      .map((feature, j) => ({ feature, weight: model.weights[j]! }))
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)),
  };
}

/** The return-risk model: training from the tenant's history, its quality, and scores of open orders. */
export function createRiskService(deps: { db: Db; dialect: Dialect; clock: Clock }) {
  const { db, dialect, clock } = deps;

  async function latestRun(tenantId: string) {
    return db
      .selectFrom('detectionModelRuns')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

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
    const run = await latestRun(tenantId);
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
    /** Fits the model on the tenant's history up to `asOf` (default today) and stores the run. */
    async train(tenantId: string, asOfInput?: string) {
      const asOf = checkAsOf(asOfInput, clock);
      const t = await db.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst();
      if (!t) throw notFound('Tenant');
      const end = endOf(asOf);
      const lag = await loadLag(db, dialect, tenantId, asOf);
      const maturity = maturityDays(lag);
      const matureBefore = Date.parse(end) - maturity * DAY_MS;
      const latest = await db
        .selectFrom('orderLines as ol')
        .innerJoin('orders as o', (j) =>
          j.onRef('o.tenantId', '=', 'ol.tenantId').onRef('o.id', '=', 'ol.orderId'),
        )
        .select([
          'ol.id',
          'o.placedAt',
          'o.customerId',
          'ol.sku',
          'ol.category',
          'ol.unitPrice',
          'ol.quantity',
          'ol.discountAmount',
        ])
        .where('o.tenantId', '=', tenantId)
        .where('o.placedAt', '<', new Date(matureBefore).toISOString())
        .orderBy('o.placedAt', 'desc')
        .orderBy('ol.id', 'desc')
        .limit(MAX_TRAINING_LINES)
        .execute();
      if (latest.length < MIN_TRAINING_LINES) {
        throw new AppError(
          422,
          'not_enough_history',
          `Training needs at least ${MIN_TRAINING_LINES} order lines older than ${maturity} days; there are ${latest.length}.`,
        );
      }
      latest.reverse();
      const firstPlaced = latest[0]!.placedAt;
      const events = await db
        .selectFrom('returnLines as rl')
        .innerJoin('returns as r', (j) =>
          j.onRef('r.tenantId', '=', 'rl.tenantId').onRef('r.id', '=', 'rl.returnId'),
        )
        .innerJoin('orderLines as ol', (j) =>
          j.onRef('ol.tenantId', '=', 'rl.tenantId').onRef('ol.id', '=', 'rl.orderLineId'),
        )
        .select(['rl.orderLineId', 'r.customerId', 'r.createdAt', 'rl.reasonCode', 'ol.sku'])
        .where('r.tenantId', '=', tenantId)
        .where('r.createdAt', '>=', firstPlaced)
        .where('r.createdAt', '<', end)
        .orderBy('r.createdAt')
        .execute();
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
      const returnedLines = new Set(events.map((e) => e.orderLineId));
      const lines: RiskLine[] = latest.map((r) => ({
        placedAt: Date.parse(r.placedAt),
        customer: idx(customers, r.customerId),
        sku: idx(skus, r.sku),
        category: r.category,
        unitPrice: Number(r.unitPrice),
        quantity: r.quantity,
        discountShare: Number(r.discountAmount) / Math.max(1, Number(r.unitPrice) * r.quantity),
        sizeVariant: isSizeVariant(r.sku),
        returned: returnedLines.has(r.id),
      }));
      const riskEvents: RiskReturnEvent[] = events.map((e) => ({
        requestedAt: Date.parse(e.createdAt),
        customer: idx(customers, e.customerId),
        sku: idx(skus, e.sku),
        reason: e.reasonCode,
      }));
      const result = trainRiskModel(lines, riskEvents);
      if (!Number.isFinite(result.evaluation.auc)) {
        throw new AppError(
          422,
          'not_enough_history',
          'The holdout has no returned (or no kept) lines to test on.',
        );
      }
      const id = newId('mdl');
      await db
        .insertInto('detectionModelRuns')
        .values({
          tenantId,
          id,
          trainedAt: clock.now().toISOString(),
          asOf,
          trainCount: result.trainCount,
          testCount: result.testCount,
          auc: result.evaluation.auc,
          brier: result.evaluation.brier,
          metrics: JSON.stringify({
            ...result.evaluation,
            splitAt: new Date(result.splitAt).toISOString(),
            maturityDays: maturity,
          }),
          model: JSON.stringify(result.model),
        })
        .execute();
      const stored = await db
        .selectFrom('detectionModelRuns')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return runView(stored);
    },

    /** The latest training: quality on the holdout and the weights. */
    async latestModel(tenantId: string) {
      const r = await latestRun(tenantId);
      if (!r) throw notFound('Risk model');
      return runView(r);
    },

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

    /** Outbox handler: weekly retraining; a tenant without enough history is skipped quietly. */
    async handleTrain(m: OutboxMessage): Promise<HandlerResult> {
      try {
        await this.train(m.tenantId);
      } catch (e) {
        if (e instanceof AppError && e.code === 'not_enough_history') return { outcome: 'done' };
        throw e;
      }
      return { outcome: 'done' };
    },
  };
}

export type RiskService = ReturnType<typeof createRiskService>;
