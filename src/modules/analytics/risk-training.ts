import type { Selectable } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { parseJson } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { HandlerResult, OutboxMessage } from '../../platform/outbox.ts';
import { checkAsOf } from './detection-context.ts';
import { DAY_MS, type Dialect, endOf, loadLag } from './detection-queries.ts';
import type { DetectionModelRunsTable } from './detection-tables.ts';
import {
  isSizeVariant,
  type LogisticModel,
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

/** The latest training run of a tenant, if any. */
export async function latestRun(db: Db, tenantId: string) {
  return db
    .selectFrom('detectionModelRuns')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Training the return-risk model from the tenant's history, and its latest run. */
export function createRiskTraining(deps: { db: Db; dialect: Dialect; clock: Clock }) {
  const { db, dialect, clock } = deps;

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
      const r = await latestRun(db, tenantId);
      if (!r) throw notFound('Risk model');
      return runView(r);
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
