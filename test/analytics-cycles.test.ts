import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillFactBuckets } from '../src/modules/analytics/cycle-rollups.ts';
import { createHistoryImport } from '../src/modules/analytics/import.ts';
import { createMetricQueries } from '../src/modules/analytics/metric-queries.ts';
import { createOverviewMetrics } from '../src/modules/analytics/overview-metrics.ts';
import { generateSyntheticHistory } from '../src/modules/analytics/synthetic.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

/**
 * Cycle-time percentiles from the facts' buckets against the exact ones from their seconds, on an
 * imported history (its refunds and rejections have their historical times).
 */
const clock = fixedClock('2025-12-01T12:00:00Z');
let t: TestApp;
let tenantId: string;

const facts = () =>
  t.services.db
    .selectFrom('analyticsReturnFacts')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .orderBy('returnLineId')
    .execute();

beforeAll(async () => {
  t = await startTestApp({ clock });
  tenantId = t.tenant.tenantId;
  const history = generateSyntheticHistory({
    orders: 3000,
    seed: 5,
    planted: 1,
    start: '2025-01-01',
    days: 300,
  });
  await createHistoryImport({ db: t.handle.db, clock }).importHistory(tenantId, history);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('cycle-time histograms', () => {
  it('answer within 1.1 % (+ ½ s) of the exact percentiles, whole months and ragged ends alike', async () => {
    const queries = createMetricQueries({ db: t.services.db, clock });
    const exact = createOverviewMetrics(t.services.db, queries);
    const bucketed = createOverviewMetrics(t.services.db, queries, { exactCycleReturns: 0 });
    for (const range of [
      { from: '2025-01-01', to: '2025-10-31' },
      { from: '2025-02-10', to: '2025-09-20' },
      { from: '2025-03-01', to: '2025-03-31' },
    ]) {
      const e = await exact.cycleTimes(tenantId, range);
      const b = await bucketed.cycleTimes(tenantId, range);
      expect(b.data.map((r) => [r.stage, r.count])).toEqual(e.data.map((r) => [r.stage, r.count]));
      expect(e.data.find((r) => r.stage === 'request_to_refunded')!.count).toBeGreaterThan(20);
      e.data.forEach((r, i) => {
        for (const k of ['p50Hours', 'p90Hours'] as const) {
          const x = r[k];
          const y = b.data[i]![k];
          if (x === null) expect(y).toBeNull();
          // Hours are rounded to 0.01 in the answer.
          else expect(Math.abs(y! - x)).toBeLessThanOrEqual(0.011 * x + 0.5 / 3600 + 0.01);
        }
      });
    }
    // A filter reads the facts: exact whatever the size.
    const filtered = { from: '2025-01-01', to: '2025-10-31', reason: 'defective' };
    expect(await bucketed.cycleTimes(tenantId, filtered)).toEqual(await exact.cycleTimes(tenantId, filtered));
  });

  it('are what a recomputation and the migration backfill give the facts', async () => {
    const imported = await facts();
    // One lead line per return.
    const leads = new Map<string, number>();
    for (const f of imported) leads.set(f.returnId, (leads.get(f.returnId) ?? 0) + Number(f.lead));
    expect([...new Set(leads.values())]).toEqual([1]);
    await t.services.analytics.recomputeRollups(tenantId);
    expect(await facts()).toEqual(imported);
    await t.services.db
      .updateTable('analyticsReturnFacts')
      .set({ lead: 0, decisionBucket: null, receivedBucket: null, refundedBucket: null })
      .where('tenantId', '=', tenantId)
      .execute();
    await backfillFactBuckets(t.services.db);
    expect(await facts()).toEqual(imported);
  });
});
