/**
 * The analytics and early-warning benches on a database kept between runs: the first run imports
 * the history (minutes at a million lines), later runs bring it up to date with new migrations,
 * rebuild the tenant's rollups if asked, and time the queries again. For iterating on queries;
 * `bench/analytics.ts` and `bench/detection.ts` remain the reference runs on fresh databases.
 *
 *   node bin/run-ts.js bench/analytics-kept.ts dashboard            # SQLite, 1,000,000 lines
 *   node bin/run-ts.js bench/analytics-kept.ts detection            # SQLite, 530,000 orders
 *   BENCH_DATABASE_URL=postgres://… node bin/run-ts.js bench/analytics-kept.ts dashboard
 *
 * Settings: BENCH_KEPT_DIR (SQLite files and tenant ids; default $TMPDIR/returnflow-kept),
 * BENCH_ANALYTICS_LINES (1,000,000), BENCH_DETECTION_ORDERS (530,000), BENCH_KEPT_RECOMPUTE=1
 * (rebuild the rollups first, e.g. after a migration that adds a rollup), BENCH_KEPT_RUNS (5).
 * PostgreSQL keeps schema `kept_<what>_<size>` in the given database; drop it by hand.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { connectDatabase } from '../src/database.ts';
import { createServices } from '../src/main.ts';
import { loadDetectorInput, MAX_LAG_DAYS } from '../src/modules/analytics/detection-queries.ts';
import { DEFAULT_DETECTOR_OPTIONS, detectIssues } from '../src/modules/analytics/early-warning.ts';
import { generateSyntheticHistory } from '../src/modules/analytics/synthetic.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { parseDatabaseUrl } from '../src/platform/config.ts';
import { benchHistory, dashboardQueries, time } from './analytics.ts';

const what = process.argv[2] === 'detection' ? 'detection' : 'dashboard';
const url = process.env.BENCH_DATABASE_URL?.trim() || process.env.TEST_DATABASE_URL?.trim() || '';
const pg = /^postgres(ql)?:\/\//.test(url) ? url : null;
const size =
  what === 'dashboard'
    ? Number(process.env.BENCH_ANALYTICS_LINES ?? 1_000_000)
    : Number(process.env.BENCH_DETECTION_ORDERS ?? 530_000);
const runs = Number(process.env.BENCH_KEPT_RUNS ?? 5);
const dir = process.env.BENCH_KEPT_DIR ?? join(tmpdir(), 'returnflow-kept');
mkdirSync(dir, { recursive: true });
const name = `${what}_${size}`;
const config = pg
  ? parseDatabaseUrl(`${pg}${pg.includes('?') ? '&' : '?'}schema=kept_${name}`)
  : parseDatabaseUrl(`file:${join(dir, `${name}.db`)}`);
const label = pg ? 'PostgreSQL' : 'SQLite';
const metaFile = join(dir, `${name}.${pg ? 'pg' : 'sqlite'}.json`);
const clock = fixedClock('2026-01-01T06:00:00Z');

const handle = await connectDatabase(config);
const services = createServices(handle, clock, {
  publicUrl: 'http://127.0.0.1',
  dataDir: join(dir, 'data'),
  secretKey: 'bench-secret-key-not-for-production',
  worker: { enabled: false, pollMs: 1000, leaseMs: 30_000, maxAttempts: 3, baseDelayMs: 1000 },
  providerTimeoutMs: 1000,
  allowProviderBaseUrl: false,
  smtpUrl: undefined,
  allowPrivateWebhookUrls: false,
});
try {
  let tenantId: string;
  if (existsSync(metaFile)) {
    tenantId = (JSON.parse(readFileSync(metaFile, 'utf8')) as { tenantId: string }).tenantId;
  } else {
    const history =
      what === 'dashboard'
        ? benchHistory(size, 0.15)
        : generateSyntheticHistory({ orders: size, seed: 7, planted: 5 });
    const tenant = await services.identity.createTenant({ name: 'Kept Bench', kind: 'merchant' });
    const t0 = performance.now();
    const r = await services.analytics.importHistory(tenant.tenantId, history);
    console.log(
      `${label}: imported ${r.lines} lines + ${r.returns} returns in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    tenantId = tenant.tenantId;
    await sql`analyze`.execute(handle.db);
    writeFileSync(metaFile, JSON.stringify({ tenantId }));
  }
  if (process.env.BENCH_KEPT_RECOMPUTE === '1') {
    const t0 = performance.now();
    await services.analytics.recomputeRollups(tenantId);
    await sql`analyze`.execute(handle.db);
    console.log(`${label}: rollups rebuilt in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const only = process.env.BENCH_KEPT_ONLY;
  if (what === 'dashboard') {
    const bare = await time(runs, async () => {
      const r = await sql`select sku, count(*), sum(quantity) from order_lines group by sku`.execute(
        handle.db,
      );
      return r.rows.length;
    });
    console.log(
      `${label}: ${'bare: order_lines group by sku'.padEnd(34)} ${bare.medianMs.toFixed(1).padStart(8)} ms`,
    );
    for (const [q, fn] of dashboardQueries(services.analytics, tenantId)) {
      if (only && !q.includes(only)) continue;
      const r = await time(runs, fn);
      console.log(`${label}: ${q.padEnd(34)} ${r.medianMs.toFixed(1).padStart(8)} ms  (${r.rows} rows)`);
    }
  } else {
    const asOf = '2025-12-31';
    const o = DEFAULT_DETECTOR_OPTIONS;
    const days = Math.max(...o.windows) + o.baselineDays + MAX_LAG_DAYS + 1;
    const noteDays = o.phraseWindow + o.baselineDays;
    const step = async (s: string, fn: () => Promise<unknown>) => {
      if (only && !s.includes(only)) return;
      const r = await time(runs, async () => {
        await fn();
        return 0;
      });
      console.log(`${label}: ${s.padEnd(40)} ${r.medianMs.toFixed(0).padStart(7)} ms`);
    };
    const input = await loadDetectorInput(handle.db, handle.dialect, tenantId, asOf, days, noteDays);
    console.log(`${label}: ${input.skus.length} SKUs, ${input.notes?.length ?? 0} notes`);
    await step('floor: order lines per SKU', () =>
      handle.db
        .selectFrom('orderLines')
        .select(['sku', sql<number>`count(*)`.as('n')])
        .where('tenantId', '=', tenantId)
        .groupBy('sku')
        .execute(),
    );
    await step('SQL: sales, returns, lag', () =>
      loadDetectorInput(handle.db, handle.dialect, tenantId, asOf, days),
    );
    await step('SQL + notes as phrases', () =>
      loadDetectorInput(handle.db, handle.dialect, tenantId, asOf, days, noteDays),
    );
    await step('statistics', async () => detectIssues(input));
    let found = 0;
    await step('all: alertsAsOf', async () => {
      found = (await services.detection.alertsAsOf(tenantId, asOf)).data.length;
    });
    console.log(`${label}: ${found} alerts as of ${asOf}`);
  }
} finally {
  await services.shutdown();
  await handle.close();
}
