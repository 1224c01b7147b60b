import { allocate } from '../../platform/money.ts';
import { bucketOf } from './cycle-buckets.ts';
import type { AnalyticsReturnFactsTable, AnalyticsReturnsDailyTable } from './tables.ts';

/**
 * What one return contributes to the analytics, as pure functions: its facts (one per line) from
 * the return, its lines and its timeline, and the rollup cells those facts add to. The service
 * subtracts a return's old facts and adds its new ones, so the rollups move by deltas.
 */
export type Fact = Omit<AnalyticsReturnFactsTable, 'tenantId'>;

export type ReturnSnapshot = {
  id: string;
  createdAt: string;
  status: string;
  resolution: string;
  currency: string;
  refundTotal: number;
  /** Fees kept from the refund (restocking, return shipping), from the quote. */
  feeTotal: number;
  lines: {
    id: string;
    sku: string;
    category: string;
    reasonCode: string;
    quantity: number;
    refundAmount: number;
  }[];
  /** In timeline order. */
  events: {
    action: string;
    fromStatus: string | null;
    toStatus: string;
    actorType: string;
    actorId: string | null;
    createdAt: string;
  }[];
};

/** The SLA of the console (returns/console-queries.ts): review in 24 h, inspection 48 h after receipt. */
export const SLA_REVIEW_SECS = 24 * 3600;
export const SLA_INSPECTION_SECS = 48 * 3600;

const NOT_RETURNED = new Set(['rejected', 'cancelled']);
const REFUNDED = new Set(['refunded', 'closed']);

export function factsOf(r: ReturnSnapshot): Fact[] {
  const requested = Date.parse(r.createdAt);
  const secs = (at: string | undefined) =>
    at === undefined ? null : Math.max(0, Math.round((Date.parse(at) - requested) / 1000));
  const decision = r.events.find(
    (e) =>
      (e.action === 'approve' || e.action === 'reject') &&
      (e.fromStatus === 'submitted' || e.fromStatus === 'needs_review'),
  );
  const decidedBy = !decision
    ? null
    : decision.actorId === 'import'
      ? 'import'
      : decision.actorType === 'system' && decision.actorId === 'policy'
        ? 'policy'
        : 'people';
  const received = r.events.find((e) => e.action === 'receive');
  const inspected = r.events.find((e) => e.action === 'inspect');
  const refunded = r.events.find((e) => e.toStatus === 'refunded');
  const reviewed = r.events.some((e) => e.toStatus === 'needs_review');
  const decisionSecs = secs(decision?.createdAt);
  const slaReview =
    reviewed && decidedBy === 'people' && decisionSecs !== null
      ? decisionSecs <= SLA_REVIEW_SECS
        ? 1
        : 0
      : null;
  const slaInspection =
    received && inspected
      ? (Date.parse(inspected.createdAt) - Date.parse(received.createdAt)) / 1000 <= SLA_INSPECTION_SECS
        ? 1
        : 0
      : null;
  const isRefunded = REFUNDED.has(r.status);
  const refunds = allocate(
    isRefunded ? r.refundTotal : 0,
    r.lines.map((l) => Math.max(0, l.refundAmount)),
  );
  const fees = allocate(
    isRefunded ? r.feeTotal : 0,
    r.lines.map((l) => Math.max(0, l.quantity)),
  );
  const receivedSecs = secs(received?.createdAt);
  const refundedSecs = secs(refunded?.createdAt);
  const bucket = (v: number | null) => (v === null ? null : bucketOf(v));
  // The line with the least id leads: cycle times count the return once, on it.
  const lead = [...r.lines.map((l) => l.id)].sort()[0];
  return r.lines.map((l, i) => ({
    returnLineId: l.id,
    returnId: r.id,
    day: r.createdAt.slice(0, 10),
    requestedAt: r.createdAt,
    sku: l.sku,
    category: l.category,
    reasonCode: l.reasonCode,
    resolution: r.resolution,
    currency: r.currency,
    status: r.status,
    unitsRequested: l.quantity,
    unitsReturned: NOT_RETURNED.has(r.status) ? 0 : l.quantity,
    refundAmount: refunds[i]!,
    feeAmount: fees[i]!,
    decidedBy,
    decisionSecs,
    receivedSecs,
    refundedSecs,
    slaReview,
    slaInspection,
    lead: l.id === lead ? 1 : 0,
    decisionBucket: bucket(decisionSecs),
    receivedBucket: bucket(receivedSecs),
    refundedBucket: bucket(refundedSecs),
  }));
}

export type ReturnsCell = Omit<AnalyticsReturnsDailyTable, 'tenantId'>;
export const CELL_KEY = ['day', 'sku', 'reasonCode', 'resolution', 'currency'] as const;
export const CELL_SUMS = [
  'lines',
  'unitsRequested',
  'unitsReturned',
  'refundAmount',
  'feeAmount',
  'autoDecided',
  'peopleDecided',
  'decisionSecs',
  'decisionCount',
  'receivedSecs',
  'receivedCount',
  'refundedSecs',
  'refundedCount',
  'slaReviewMet',
  'slaReviewTotal',
  'slaInspectionMet',
  'slaInspectionTotal',
] as const;

/** The rollup cell one fact adds to (times `sign`: +1 to add, −1 to take away). */
export function cellOf(f: Fact, sign: 1 | -1): ReturnsCell {
  const n = (x: number | null | undefined) => sign * (x ?? 0);
  const flag = (x: boolean) => (x ? sign : 0);
  return {
    day: f.day,
    sku: f.sku,
    reasonCode: f.reasonCode,
    resolution: f.resolution,
    currency: f.currency,
    category: f.category,
    lines: sign,
    unitsRequested: n(f.unitsRequested),
    unitsReturned: n(f.unitsReturned),
    refundAmount: n(f.refundAmount),
    feeAmount: n(f.feeAmount),
    autoDecided: flag(f.decidedBy === 'policy'),
    peopleDecided: flag(f.decidedBy === 'people'),
    decisionSecs: n(f.decisionSecs),
    decisionCount: flag(f.decisionSecs !== null),
    receivedSecs: n(f.receivedSecs),
    receivedCount: flag(f.receivedSecs !== null),
    refundedSecs: n(f.refundedSecs),
    refundedCount: flag(f.refundedSecs !== null),
    slaReviewMet: flag(f.slaReview === 1),
    slaReviewTotal: flag(f.slaReview !== null),
    slaInspectionMet: flag(f.slaInspection === 1),
    slaInspectionTotal: flag(f.slaInspection !== null),
  };
}

/** Sums cells by key; cells that net to nothing (same facts before and after) are dropped. */
export function netCells(cells: ReturnsCell[]): ReturnsCell[] {
  const byKey = new Map<string, ReturnsCell>();
  for (const c of cells) {
    const key = CELL_KEY.map((k) => c[k]).join('\u0000');
    const acc = byKey.get(key);
    if (!acc) {
      byKey.set(key, { ...c });
      continue;
    }
    for (const s of CELL_SUMS) acc[s] += c[s];
    if (c.lines > 0) acc.category = c.category;
  }
  return [...byKey.values()].filter((c) => CELL_SUMS.some((s) => c[s] !== 0));
}
