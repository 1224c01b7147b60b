import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ReturnChange } from '../returns/service.ts';
import { createDrillDown } from './drill-down.ts';
import { createHistoryImport } from './import.ts';
import { createMetricQueries } from './metric-queries.ts';
import { createOverviewMetrics } from './overview-metrics.ts';
import type { ReturnSnapshot } from './return-facts.ts';
import { feesOf } from './returns-rollups.ts';
import { applySalesCells, netSales, orderSalesCells, recomputeIn, refreshReturns } from './rollups.ts';

export type { MetricFilters, RateBasis, RateGroup } from './metric-queries.ts';

type Executor = Kysely<Database>;

/**
 * Analytics over the daily rollups: return rates, reason mix, refund cost, automation, cycle
 * times and SLA compliance, plus the drill-down to the returns behind a number. The rollups move
 * with every change of a return (`onReturnChange`, called inside the change's transaction).
 */
export function createAnalyticsService(deps: { db: Db; clock: Clock }) {
  const { db } = deps;
  const history = createHistoryImport(deps);
  const queries = createMetricQueries(deps);

  return {
    importHistory: history.importHistory,

    /** Inside a return's transaction: its rollup cells move by the change's delta. */
    async onReturnChange(
      trx: Executor,
      change: Pick<ReturnChange, 'tenantId' | 'returnId' | 'version' | 'created'>,
    ): Promise<void> {
      // Version 1 is the return's creation, in this very transaction; what it wrote is in memory.
      const { created } = change;
      await refreshReturns(trx, change.tenantId, [change.returnId], {
        created: change.version === 1,
        ...(created ? { snapshots: [snapshotOfCreated(created)] } : {}),
      });
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

    ...createOverviewMetrics(db, queries),

    ...createDrillDown(db, queries),
  };
}

/** A return filed in this transaction as analytics sees it, from the rows it wrote. */
function snapshotOfCreated({ row, lines, events }: NonNullable<ReturnChange['created']>): ReturnSnapshot {
  return {
    id: row.id,
    createdAt: row.createdAt,
    status: row.status,
    resolution: row.resolution,
    currency: row.currency,
    refundTotal: row.refundTotal,
    feeTotal: feesOf(row.refundQuote),
    lines: lines.map((l) => ({
      id: l.id,
      sku: l.sku,
      category: l.category,
      reasonCode: l.reasonCode,
      quantity: l.quantity,
      refundAmount: l.refundAmount,
    })),
    events: events.map((e) => ({
      action: e.action,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actorType: e.actorType,
      actorId: e.actorId,
      createdAt: e.createdAt,
    })),
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
