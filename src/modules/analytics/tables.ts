import type { Database } from '../../platform/db/schema.ts';
// The detection tables (listed in TABLES below) join Database there.
import type {} from './detection-tables.ts';

/** Tables of the analytics-rollup part (snake_case in SQL, camelCase here). */

/** Sales per tenant × day (of `placed_at`, UTC) × SKU × currency. */
export interface AnalyticsSalesDailyTable {
  tenantId: string;
  day: string;
  sku: string;
  currency: string;
  /** Latest title and category seen for the SKU on that day (not part of the key). */
  title: string;
  category: string;
  units: number;
  lines: number;
  revenue: number;
}

/** Returns per tenant × day (of the request, UTC) × SKU × reason × resolution × currency. */
export interface AnalyticsReturnsDailyTable {
  tenantId: string;
  day: string;
  sku: string;
  reasonCode: string;
  resolution: string;
  currency: string;
  category: string;
  /** Return lines in the cell (a return with two SKUs counts once in each). */
  lines: number;
  unitsRequested: number;
  /** Units asked for and not rejected or cancelled: the numerator of the return rate. */
  unitsReturned: number;
  refundAmount: number;
  feeAmount: number;
  autoDecided: number;
  peopleDecided: number;
  decisionSecs: number;
  decisionCount: number;
  receivedSecs: number;
  receivedCount: number;
  refundedSecs: number;
  refundedCount: number;
  slaReviewMet: number;
  slaReviewTotal: number;
  slaInspectionMet: number;
  slaInspectionTotal: number;
}

/**
 * One row per return line: what that line currently contributes to the rollups. Changing a return
 * subtracts its old rows and adds its new ones, so the rollups move by deltas; the percentiles of
 * cycle times are read from here too.
 */
export interface AnalyticsReturnFactsTable {
  tenantId: string;
  returnLineId: string;
  returnId: string;
  day: string;
  requestedAt: string;
  sku: string;
  category: string;
  reasonCode: string;
  resolution: string;
  currency: string;
  status: string;
  unitsRequested: number;
  unitsReturned: number;
  refundAmount: number;
  feeAmount: number;
  /** 'policy', 'people', 'import' (history without a decision record) or null (not decided yet). */
  decidedBy: string | null;
  decisionSecs: number | null;
  receivedSecs: number | null;
  refundedSecs: number | null;
  /** 1 met, 0 missed, null when the SLA does not apply. */
  slaReview: number | null;
  slaInspection: number | null;
  /**
   * 1 on one line of each return (its least id), 0 on the others: cycle times count returns, and
   * summing the lead lines counts each once.
   */
  lead: number;
  /** The log-spaced buckets of the three cycle times (cycle-buckets.ts), null where the time is. */
  decisionBucket: number | null;
  receivedBucket: number | null;
  refundedBucket: number | null;
}

/**
 * The same sums per calendar month (`month` is YYYY-MM): a year of a long-tail catalogue has
 * nearly one daily cell per sale, so dashboards read whole months here and only the partial
 * months at the edges of a range from the daily tables.
 */
export type AnalyticsSalesMonthlyTable = Omit<AnalyticsSalesDailyTable, 'day'> & { month: string };
export type AnalyticsReturnsMonthlyTable = Omit<AnalyticsReturnsDailyTable, 'day'> & { month: string };

/** Returns created by `importHistory`, by their external id (the returns table has none). */
export interface AnalyticsImportedReturnsTable {
  tenantId: string;
  externalId: string;
  returnId: string;
  orderExternalId: string;
}

export type AnalyticsTables = {
  analyticsSalesDaily: AnalyticsSalesDailyTable;
  analyticsReturnsDaily: AnalyticsReturnsDailyTable;
  analyticsSalesMonthly: AnalyticsSalesMonthlyTable;
  analyticsReturnsMonthly: AnalyticsReturnsMonthlyTable;
  analyticsReturnFacts: AnalyticsReturnFactsTable;
  analyticsImportedReturns: AnalyticsImportedReturnsTable;
};

/** The tables this module owns, by the names queries use: the rollups, facts and imported returns, and detection's. */
export const TABLES = [
  'analyticsSalesDaily',
  'analyticsReturnsDaily',
  'analyticsSalesMonthly',
  'analyticsReturnsMonthly',
  'analyticsReturnFacts',
  'analyticsImportedReturns',
  'detectionAlerts',
  'detectionModelRuns',
] as const satisfies readonly (keyof Database)[];

// The analytics rollup tables join the application's database type.
declare module '../../platform/db/schema.ts' {
  interface Database extends AnalyticsTables {}
}
