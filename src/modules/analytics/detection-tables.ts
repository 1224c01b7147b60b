import type { Json } from '../../platform/db/schema.ts';

/** Tables of the early-warning part (snake_case in SQL, camelCase here). */

/**
 * One row per tenant × SKU × kind of issue. At most one is `open` at a time (a partial unique
 * index): a re-detection updates it, and it is `resolved` once the rate falls back.
 */
export interface DetectionAlertsTable {
  tenantId: string;
  id: string;
  sku: string;
  category: string;
  /** `return_rate`, `reason:<code>` or `complaints`. */
  kind: string;
  status: 'open' | 'resolved';
  /** YYYY-MM-DD: the first day of the excess (change-point estimate). */
  since: string;
  confidence: number;
  pValue: number;
  qValue: number;
  /** `{ before, now, lift }`: the rate before and now. */
  change: Json;
  evidence: Json;
  /** Top complaint phrases of the SKU at detection. */
  phrases: Json;
  /** YYYY-MM-DD of the data the latest detection used. */
  asOf: string;
  firstDetectedAt: string;
  lastDetectedAt: string;
  resolvedAt: string | null;
  /** 1 when this alert told staff; 0 when another open alert of the same SKU already had. */
  notified: number;
}

/** One training of the return-risk model: its quality on the holdout and the fitted weights. */
export interface DetectionModelRunsTable {
  tenantId: string;
  id: string;
  trainedAt: string;
  /** YYYY-MM-DD: the history used ended here. */
  asOf: string;
  trainCount: number;
  testCount: number;
  auc: number | null;
  brier: number | null;
  /** Calibration bins, baseline Brier, positives, split time. */
  metrics: Json;
  /** The model: feature names, standardisation, weights, feature spec. */
  model: Json;
}

export type DetectionTables = {
  detectionAlerts: DetectionAlertsTable;
  detectionModelRuns: DetectionModelRunsTable;
};

// The early-warning tables join the application's database type.
declare module '../../platform/db/schema.ts' {
  interface Database extends DetectionTables {}
}
