/**
 * Returnflow HTTP benchmark: the real app against a bare Fastify + one-query floor, on SQLite and
 * (when BENCH_DATABASE_URL / TEST_DATABASE_URL is a postgres:// URL) PostgreSQL, in one run.
 * See docs/BENCHMARKS.md. Run with `npm run bench`.
 */
import { cpus, platform, release, totalmem } from 'node:os';
import { runAnalyticsBench } from './analytics.ts';
import { runDetectionBench } from './detection.ts';
import { startEmpty, startFloor } from './floor.ts';
import { type LoadGenerator, type LoadResult, startLoadGenerator } from './load.ts';
import { outboxTable, runOutboxBench } from './outbox-throughput.ts';
import { createQueryTimer } from './query-timer.ts';
import { runSseFanoutBench } from './sse-fanout.ts';
import { benchDatabase, startTarget } from './target.ts';

function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be a whole number ${min}..${max}`);
  return n;
}

const SECONDS = intEnv('BENCH_SECONDS', 8, 1, 120);
const WARMUP = intEnv('BENCH_WARMUP', 2, 0, 30);
const CONNECTIONS = intEnv('BENCH_CONNECTIONS', 10, 1, 1000);
const ORDERS = intEnv('BENCH_ORDERS', 16, 1, 1000);
const TRACKED = intEnv('BENCH_TRACKED', 200, 1, 10_000);
const PROFILE = process.env.BENCH_PROFILE === '1';
const OUTBOX_MESSAGES = intEnv('BENCH_OUTBOX_MESSAGES', 300, 1, 100_000);
const SSE_CLIENTS = intEnv('BENCH_SSE_CLIENTS', 5_000, 1, 50_000);
const PROFILE_REQUESTS = 2_000;

function pgUrl(): string | null {
  const url = process.env.BENCH_DATABASE_URL?.trim() || process.env.TEST_DATABASE_URL?.trim();
  return url && /^postgres(ql)?:\/\//.test(url) ? url : null;
}

type Row = { scenario: string; ours: LoadResult; floor: LoadResult };
type DbReport = { label: string; rows: Row[]; growth: string; profile: string[] };

const fmt = {
  rps: (n: number) => Math.round(n).toLocaleString('en-US'),
  ms: (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1)),
  ratio: (n: number) => n.toFixed(2),
};

function describe(name: string, r: LoadResult): string {
  const codes = Object.entries(r.statusCodes)
    .map(([c, n]) => `${c}×${n}`)
    .join(' ');
  return (
    `  ${name.padEnd(30)} ${fmt.rps(r.reqPerSec).padStart(7)} req/s  p50 ${fmt.ms(r.p50)} ms  p90 ${fmt.ms(r.p90)} ms` +
    `  p99 ${fmt.ms(r.p99)} ms  max ${fmt.ms(r.max)} ms  n=${r.total}  non-2xx=${r.non2xx + r.warmupNon2xx}` +
    `  errors=${r.errors + r.warmupErrors}  [${codes}]`
  );
}

function table(rows: Row[]): string {
  const head = [
    'scenario',
    'ours req/s',
    'ours p50',
    'ours p99',
    'floor req/s',
    'floor p99',
    'ours/floor',
    'target ≥0.5',
  ];
  const body = rows.map((r) => {
    const ratio = r.ours.reqPerSec / r.floor.reqPerSec;
    return [
      r.scenario,
      fmt.rps(r.ours.reqPerSec),
      `${fmt.ms(r.ours.p50)} ms`,
      `${fmt.ms(r.ours.p99)} ms`,
      fmt.rps(r.floor.reqPerSec),
      `${fmt.ms(r.floor.p99)} ms`,
      fmt.ratio(ratio),
      ratio >= 0.5 ? 'met' : 'NOT met',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), sep, ...body.map(line)].join('\n');
}

let failures = 0;
function check(name: string, r: LoadResult) {
  const bad = r.non2xx + r.warmupNon2xx + r.errors + r.warmupErrors;
  if (bad > 0) {
    failures += 1;
    console.log(
      `  !! ${name}: ${r.non2xx + r.warmupNon2xx} non-2xx responses, ${r.errors + r.warmupErrors} errors`,
    );
  }
}

async function benchDatabaseEngine(load: LoadGenerator, url: string | null): Promise<DbReport> {
  const { label, config, dispose } = benchDatabase(url);
  console.log(
    `\n== ${label} (${config.dialect === 'sqlite' ? config.file : config.url.replace(/:[^:@/]*@/, ':***@')})`,
  );
  const target = await startTarget(config, { orderCount: ORDERS, trackedReturns: TRACKED });
  const floor = await startFloor(config, TRACKED);
  const rows: Row[] = [];
  const profile: string[] = [];
  let growth = '';
  try {
    const common = { connections: CONNECTIONS, warmupSeconds: WARMUP, seconds: SECONDS };
    const run = async (name: string, job: Parameters<LoadGenerator['run']>[0]) => {
      const r = await load.run(job);
      console.log(describe(name, r));
      check(name, r);
      return r;
    };
    const json = { 'content-type': 'application/json' };
    const bodies = target.returnBodies.map((body) => ({ body }));

    const floorInsert = await run('floor: POST /floor (1 INSERT)', {
      ...common,
      url: floor.baseUrl,
      method: 'POST',
      headers: json,
      variants: bodies.map((b) => ({ ...b, path: '/floor' })),
    });
    const before = await target.countReturns();
    const createReturn = await run('create-return: POST /returns', {
      ...common,
      url: target.baseUrl,
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${target.apiKey}` },
      variants: bodies.map((b) => ({ ...b, path: '/api/v1/returns' })),
    });
    const after = await target.countReturns();
    // The last tick can be a partial second.
    const ps = createReturn.perSecond.filter((n, i, a) => n > 0 || i < a.length - 1);
    growth =
      `create-return: returns in the tenant ${before} → ${after}; completed per second during the measured run: ` +
      `${ps.join(', ')}`;
    console.log(`  ${growth}`);
    const floorSelect = await run('floor: GET /floor/:id (1 SELECT)', {
      ...common,
      url: floor.baseUrl,
      method: 'GET',
      headers: {},
      variants: floor.seededIds.map((id) => ({ path: `/floor/${id}` })),
    });
    const tracking = await run('tracking-read: GET /track/:token', {
      ...common,
      url: target.baseUrl,
      method: 'GET',
      headers: {},
      variants: target.trackingPaths.map((path) => ({ path })),
    });
    rows.push({ scenario: 'create-return vs INSERT', ours: createReturn, floor: floorInsert });
    rows.push({ scenario: 'tracking-read vs SELECT', ours: tracking, floor: floorSelect });
  } finally {
    await target.close();
    await floor.close();
  }

  try {
    if (PROFILE) profile.push(...(await profileCreateReturn(load, config)));
  } finally {
    await dispose(target.handle).catch((e: Error) => console.log(`  (cleanup failed: ${e.message})`));
    await target.handle.close();
  }
  return { label, rows, growth, profile };
}

/** One connection, a fixed number of create-return requests, every statement timed (see query-timer.ts). */
async function profileCreateReturn(load: LoadGenerator, config: Parameters<typeof startTarget>[0]) {
  const timer = createQueryTimer();
  const target = await startTarget(config, { orderCount: ORDERS, trackedReturns: 1, timer });
  try {
    timer.start();
    const r = await load.run({
      url: target.baseUrl,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${target.apiKey}` },
      variants: target.returnBodies.map((body) => ({ path: '/api/v1/returns', body })),
      connections: 1,
      warmupSeconds: 0,
      seconds: 0,
      amount: PROFILE_REQUESTS,
    });
    const stats = timer.stop();
    const n = r.total;
    const inQueries = stats.reduce((s, q) => s + q.totalMs, 0) / n;
    const out = [
      `profile: create-return, 1 connection, ${n} requests: mean latency ${fmt.ms(r.mean)} ms, of which ` +
        `${fmt.ms(inQueries)} ms in ${fmt.ratio(stats.reduce((s, q) => s + q.count, 0) / n)} timed statements per request`,
      ...stats.map(
        (q) =>
          `  ${((q.totalMs / n) * 1000).toFixed(0).padStart(6)} µs/req  ×${(q.count / n).toFixed(2)}  ${q.sql.slice(0, 150)}`,
      ),
    ];
    for (const l of out) console.log(`  ${l}`);
    return out;
  } finally {
    await target.close();
    await target.handle.close();
  }
}

async function main() {
  const cpu = cpus();
  console.log('Returnflow benchmark');
  console.log(`date:  ${new Date().toISOString()}`);
  console.log(`node:  ${process.version} (${platform()} ${release()})`);
  console.log(
    `cpu:   ${cpu[0]?.model ?? 'unknown'} × ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
  );
  console.log(
    `load:  autocannon, ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${SECONDS} s measured per scenario, ` +
      `${ORDERS} orders rotated, ${TRACKED} tracking tokens rotated; client in its own process`,
  );

  const load = await startLoadGenerator();
  const reports: DbReport[] = [];
  let ceiling: LoadResult | null = null;
  try {
    const empty = await startEmpty();
    try {
      ceiling = await load.run({
        url: empty.baseUrl,
        method: 'GET',
        headers: {},
        variants: [{ path: '/' }],
        connections: CONNECTIONS,
        warmupSeconds: WARMUP,
        seconds: SECONDS,
      });
      console.log(`\n== ceiling\n${describe('empty route: GET / → {}', ceiling)}`);
      check('empty route', ceiling);
    } finally {
      await empty.close();
    }
    reports.push(await benchDatabaseEngine(load, null));
    const url = pgUrl();
    if (url) reports.push(await benchDatabaseEngine(load, url));
    else console.log('\n(PostgreSQL skipped: set BENCH_DATABASE_URL=postgres://… to include it)');
  } finally {
    await load.close();
  }

  console.log(`\n== outbox throughput (${OUTBOX_MESSAGES} notifications to a loopback SMTP server)`);
  const outbox = await runOutboxBench({ messages: OUTBOX_MESSAGES, pgUrl: pgUrl() });
  console.log(`\n== SSE fan-out (${SSE_CLIENTS} clients)`);
  const fanout = await runSseFanoutBench({
    clients: SSE_CLIENTS,
    pgUrl: pgUrl(),
    log: (l) => console.log(`  ${l}`),
  });

  const analyticsLines = intEnv('BENCH_ANALYTICS_LINES', 1_000_000, 1_000, 10_000_000);
  console.log(`\n== analytics dashboard queries (${analyticsLines} order lines)`);
  const analytics = await runAnalyticsBench({
    lines: analyticsLines,
    pgUrl: pgUrl(),
    log: (l) => console.log(`  ${l}`),
  });

  const detectionOrders = intEnv('BENCH_DETECTION_ORDERS', 100_000, 1_000, 2_000_000);
  console.log(`\n== early warning: score all SKUs (${detectionOrders} synthetic orders)`);
  const detection = await runDetectionBench({
    orders: detectionOrders,
    pgUrl: pgUrl(),
    log: (l) => console.log(`  ${l}`),
  });

  console.log('\n== results');
  for (const r of reports) {
    console.log(`\n${r.label}\n${table(r.rows)}`);
  }
  console.log(`\nOutbox → SMTP\n${outboxTable(outbox)}`);
  console.log(`\nSSE fan-out\n${fanout.table}`);
  console.log(`\nEarly warning: score all SKUs\n${detection.table}`);
  console.log(`\nAnalytics: history import and dashboard queries\n${analytics.table}`);
  if (ceiling) {
    console.log(
      `\nceiling (bare Fastify, empty route): ${fmt.rps(ceiling.reqPerSec)} req/s, p99 ${fmt.ms(ceiling.p99)} ms`,
    );
  }
  console.log(
    failures === 0
      ? 'non-2xx responses: 0 in every scenario'
      : `!! ${failures} scenario(s) had non-2xx responses or errors`,
  );
  if (failures > 0) process.exitCode = 1;
}

await main();
