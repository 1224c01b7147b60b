/**
 * Analytics benchmark: import a synthetic history of BENCH_ANALYTICS_LINES order lines (default
 * 1,000,000) with about 15% as many returns, then time each dashboard query beside a bare
 * `select sku, count(*), sum(quantity) from order_lines group by sku` over the same data, on
 * SQLite and (BENCH_DATABASE_URL=postgres://…) PostgreSQL.
 *
 *   node bin/run-ts.js bench/analytics.ts               # or as part of `npm run bench`
 *   BENCH_ANALYTICS_LINES=50000 node bin/run-ts.js bench/analytics.ts   # a quick check
 */
import { sql } from 'kysely';
import { connectDatabase } from '../src/database.ts';
import { createServices } from '../src/main.ts';
import type { SyntheticHistory } from '../src/modules/analytics/history-rows.ts';
import type { AnalyticsService } from '../src/modules/analytics/service.ts';
import { generateSyntheticHistory, mulberry32 } from '../src/modules/analytics/synthetic.ts';
import { systemClock } from '../src/platform/clock.ts';
import { benchDatabase } from './target.ts';

export type AnalyticsBenchOptions = {
  lines?: number;
  /** Returns per order line (default 0.15: 150,000 returns for 1,000,000 lines). */
  returnRatio?: number;
  /** Timed runs per query (the median is reported). */
  runs?: number;
  pgUrl?: string | null;
  log?: (line: string) => void;
};

type QueryRow = { engine: string; query: string; medianMs: number; rows: number; vsBare: number };
type ImportRow = { engine: string; lines: number; returns: number; seconds: number; rowsPerSec: number };

/** About 1.87 lines per synthetic order; the history is cut to exactly `lines` lines. */
export function benchHistory(lines: number, returnRatio: number): SyntheticHistory {
  const h = generateSyntheticHistory({ orders: Math.ceil(lines / 1.8), seed: 2026, planted: 5 });
  const orders = h.orders.slice(0, lines);
  const kept = new Set(orders.map((o) => `${o.orderExternalId}\u0000${o.lineExternalId}`));
  // Keep the right share of returns, chosen at random (a fixed seed) so every month keeps some.
  const candidates = h.returns.filter((r) => kept.has(`${r.orderExternalId}\u0000${r.lineExternalId}`));
  const want = Math.min(candidates.length, Math.round(lines * returnRatio));
  const rnd = mulberry32(7);
  const returns = candidates.filter(() => rnd() < want / candidates.length);
  return { orders, returns, planted: h.planted };
}

export async function runAnalyticsBench(options: AnalyticsBenchOptions = {}) {
  const log = options.log ?? ((l: string) => console.log(l));
  const lines = options.lines ?? 1_000_000;
  const runs = options.runs ?? 5;
  const t0 = performance.now();
  const history = benchHistory(lines, options.returnRatio ?? 0.15);
  log(
    `generated ${history.orders.length} order lines and ${history.returns.length} returns in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const imports: ImportRow[] = [];
  const queries: QueryRow[] = [];
  for (const url of [null, ...(options.pgUrl ? [options.pgUrl] : [])]) {
    const { label, config, dispose } = benchDatabase(url);
    const handle = await connectDatabase(config);
    try {
      const services = createServices(handle, systemClock, {
        publicUrl: 'http://127.0.0.1',
        dataDir: `${process.env.TMPDIR ?? '/tmp'}/returnflow-bench-analytics`,
        secretKey: 'bench-secret-key',
        worker: { enabled: false, pollMs: 1000, leaseMs: 30_000, maxAttempts: 3, baseDelayMs: 1000 },
        providerTimeoutMs: 1000,
        allowProviderBaseUrl: false,
        smtpUrl: undefined,
        allowPrivateWebhookUrls: false,
      });
      const tenant = await services.identity.createTenant({ name: 'Bench Store', kind: 'merchant' });
      const started = performance.now();
      const result = await services.analytics.importHistory(tenant.tenantId, history);
      const seconds = (performance.now() - started) / 1000;
      const row = {
        engine: label,
        lines: result.lines,
        returns: result.returns,
        seconds,
        rowsPerSec: (result.lines + result.returns) / seconds,
      };
      imports.push(row);
      log(
        `${label}: imported ${row.lines} lines + ${row.returns} returns in ${seconds.toFixed(1)} s (${Math.round(row.rowsPerSec)} rows/s)`,
      );
      // Fresh statistics on both engines, as a database that has been running a while would have.
      await sql`analyze`.execute(handle.db);

      const bare = await time(runs, async () => {
        const r = await sql`select sku, count(*), sum(quantity) from order_lines group by sku`.execute(
          handle.db,
        );
        return r.rows.length;
      });
      queries.push({ engine: label, query: 'bare: order_lines group by sku', ...bare, vsBare: 1 });
      for (const [name, q] of dashboardQueries(services.analytics, tenant.tenantId)) {
        const r = await time(runs, q);
        queries.push({ engine: label, query: name, ...r, vsBare: r.medianMs / bare.medianMs });
        log(`${label}: ${name.padEnd(34)} ${r.medianMs.toFixed(1).padStart(8)} ms  (${r.rows} rows)`);
      }
      log(
        `${label}: ${'bare: order_lines group by sku'.padEnd(34)} ${bare.medianMs.toFixed(1).padStart(8)} ms`,
      );
      await services.shutdown();
    } finally {
      await dispose(handle).catch((e: Error) => log(`(cleanup failed: ${e.message})`));
      await handle.close();
    }
  }
  return { imports, queries, table: tables(imports, queries) };
}

/** The queries behind the dashboard, over the whole year of the synthetic history. */
export function dashboardQueries(a: AnalyticsService, tenantId: string): [string, () => Promise<number>][] {
  const year = { from: '2025-01-01', to: '2025-12-31' };
  return [
    [
      'return rate by SKU',
      async () => (await a.returnRate(tenantId, { ...year, groupBy: 'sku' })).data.length,
    ],
    [
      'return rate by category',
      async () => (await a.returnRate(tenantId, { ...year, groupBy: 'category' })).data.length,
    ],
    [
      'return rate by week',
      async () => (await a.returnRate(tenantId, { ...year, groupBy: 'week' })).data.length,
    ],
    [
      'return rate by SKU, one category',
      async () =>
        (await a.returnRate(tenantId, { ...year, groupBy: 'sku', category: 'apparel' })).data.length,
    ],
    ['reason mix', async () => (await a.reasonMix(tenantId, year)).data.length],
    ['refund cost and fees', async () => (await a.refundCost(tenantId, year)).data.length],
    ['automation rate', async () => (await a.automation(tenantId, year)).data.length],
    ['cycle times p50/p90', async () => (await a.cycleTimes(tenantId, year)).data.length],
    ['SLA compliance', async () => (await a.slaCompliance(tenantId, year)).data.length],
    ['drill-down: first page', async () => (await a.drillDown(tenantId, { ...year, limit: 50 })).data.length],
  ];
}

export async function time(runs: number, fn: () => Promise<number>) {
  let rows = await fn(); // warm-up: caches and statement preparation
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    rows = await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((x, y) => x - y);
  return { medianMs: ms[Math.floor(ms.length / 2)]!, rows };
}

function tables(imports: ImportRow[], queries: QueryRow[]): string {
  const fmt = (cells: string[][]) => {
    const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
    const line = (c: string[]) =>
      `| ${c.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join(' | ')} |`;
    const sep = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 2)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
    return [line(cells[0]!), sep, ...cells.slice(1).map(line)].join('\n');
  };
  const importTable = fmt([
    ['engine', 'order lines', 'returns', 'import s', 'rows/s'],
    ...imports.map((r) => [
      r.engine,
      r.lines.toLocaleString('en-US'),
      r.returns.toLocaleString('en-US'),
      r.seconds.toFixed(1),
      Math.round(r.rowsPerSec).toLocaleString('en-US'),
    ]),
  ]);
  const engines = [...new Set(queries.map((q) => q.engine))];
  const names = [...new Set(queries.map((q) => q.query))];
  const queryTable = fmt([
    ['query', ...engines.flatMap((e) => [`${e} ms`, `${e} ÷ bare`])],
    ...names.map((n) => [
      n,
      ...engines.flatMap((e) => {
        const q = queries.find((x) => x.engine === e && x.query === n);
        return q ? [q.medianMs.toFixed(1), q.vsBare.toFixed(2)] : ['', ''];
      }),
    ]),
  ]);
  return `${importTable}\n\n${queryTable}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lines = Number(process.env.BENCH_ANALYTICS_LINES ?? 1_000_000);
  const url = process.env.BENCH_DATABASE_URL?.trim() || process.env.TEST_DATABASE_URL?.trim() || null;
  const r = await runAnalyticsBench({ lines, pgUrl: url && /^postgres(ql)?:\/\//.test(url) ? url : null });
  console.log(`\n${r.table}`);
}
