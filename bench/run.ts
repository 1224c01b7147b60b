/**
 * Returnflow benchmark: the issue's performance targets, each beside a floor measured in the same
 * run, on SQLite and (when BENCH_DATABASE_URL / TEST_DATABASE_URL is a postgres:// URL)
 * PostgreSQL, then the outbox, SSE, analytics and detection benchmarks.
 * `BENCH_ONLY=api` stops after the targets (about 2 minutes per engine).
 * See docs/BENCHMARKS.md and bench/README.md. Run with `npm run bench`.
 */
import { cpus, platform, release, totalmem } from 'node:os';
import { runAnalyticsBench } from './analytics.ts';
import { runDetectionBench } from './detection.ts';
import { type Floor, startEmpty, startFloor } from './floor.ts';
import { type LoadGenerator, type LoadJob, type LoadResult, startLoadGenerator } from './load.ts';
import { outboxTable, runOutboxBench } from './outbox-throughput.ts';
import { createQueryTimer } from './query-timer.ts';
import { runSseFanoutBench } from './sse-fanout.ts';
import { buildWeb, measureStartup, type StartupResult } from './startup.ts';
import {
  createStatementCounter,
  type PerRequest,
  perRequest,
  type StatementCounter,
  type StatementCounts,
} from './statement-counter.ts';
import { benchDatabase, startTarget } from './target.ts';
import { startTargetProcess, type TargetProcess } from './target-process.ts';
import { absoluteRow, fmt, ratioRow, type TargetRow, targetsTable } from './targets.ts';

function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be a whole number ${min}..${max}`);
  return n;
}

/** `api`: the targets only (no outbox → SMTP, SSE fan-out, analytics or detection benchmarks). */
function onlyEnv(): 'all' | 'api' {
  const raw = process.env.BENCH_ONLY?.trim() || 'all';
  if (raw !== 'all' && raw !== 'api') throw new Error('BENCH_ONLY must be api (or all, the default)');
  return raw;
}

const SECONDS = intEnv('BENCH_SECONDS', 8, 1, 120);
const WARMUP = intEnv('BENCH_WARMUP', 2, 0, 30);
const CONNECTIONS = intEnv('BENCH_CONNECTIONS', 10, 1, 1000);
const ORDERS = intEnv('BENCH_ORDERS', 16, 1, 1000);
const TRACKED = intEnv('BENCH_TRACKED', 200, 1, 10_000);
const SEQ_RUNS = intEnv('BENCH_SEQ_RUNS', 200, 1, 100_000);
const SEQ_WARMUP = intEnv('BENCH_SEQ_WARMUP', 20, 0, 100_000);
const ONLY = onlyEnv();
const PROFILE = process.env.BENCH_PROFILE === '1';
const OUTBOX_MESSAGES = intEnv('BENCH_OUTBOX_MESSAGES', 300, 1, 100_000);
const SSE_CLIENTS = intEnv('BENCH_SSE_CLIENTS', 5_000, 1, 50_000);
const PROFILE_REQUESTS = 2_000;
/** The outbox target: drained within this long after the create-return run ends. */
const DRAIN_GOAL_S = 5;
/** How long to wait for a drain before calling it failed and going on. */
const DRAIN_TIMEOUT_MS = 120_000;

function pgUrl(): string | null {
  const url = process.env.BENCH_DATABASE_URL?.trim() || process.env.TEST_DATABASE_URL?.trim();
  return url && /^postgres(ql)?:\/\//.test(url) ? url : null;
}

type DbReport = { label: string; rows: TargetRow[]; notes: string[]; profile: string[] };

function describe(name: string, r: LoadResult): string {
  const codes = Object.entries(r.statusCodes)
    .map(([c, n]) => `${c}×${n}`)
    .join(' ');
  return (
    `  ${name.padEnd(70)} ${fmt.rps(r.reqPerSec).padStart(7)} req/s  p50 ${fmt.ms(r.p50)} ms  p90 ${fmt.ms(r.p90)} ms` +
    `  p99 ${fmt.ms(r.p99)} ms  max ${fmt.ms(r.max)} ms  n=${r.total}  non-2xx=${r.non2xx + r.warmupNon2xx}` +
    `  errors=${r.errors + r.warmupErrors}  [${codes}]`
  );
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

/** Where a scenario's requests go and what they carry. */
type Endpoint = Pick<LoadJob, 'url' | 'method' | 'headers' | 'variants'>;
/** How a scenario loads it: `common` (autocannon, N connections) or `sequential`. */
type Shape = Pick<LoadJob, 'connections' | 'warmupSeconds' | 'seconds' | 'sequential'>;
/** `endedAt`: the performance.now() instant the load generator reported the run done. */
type Measured = { load: LoadResult; per: PerRequest; endedAt: number };

/** The pieces one engine's scenarios share: the load generator, the app, the floor and their counters. */
type Bench = {
  load: LoadGenerator;
  target: TargetProcess;
  floor: Floor;
  floorCounter: StatementCounter;
  pg: boolean;
};

/** One load run with the server's statement counters read before and after it. */
async function measure(
  b: Bench,
  name: string,
  endpoint: Endpoint,
  shape: Shape,
  counts: () => Promise<StatementCounts>,
): Promise<Measured> {
  const before = await counts();
  const load = await b.load.run({ ...endpoint, ...shape });
  const endedAt = performance.now();
  const per = perRequest(before, await counts());
  console.log(describe(name, load));
  check(name, load);
  return { load, per, endedAt };
}

const oursCounts = (b: Bench) => () => b.target.counts();
const floorCounts = (b: Bench) => () => b.floorCounter.settled();

/** "22 · 3" statements per request, and on PostgreSQL "24 · 5" round trips (BEGIN/COMMIT included). */
function countCells(b: Bench, ours: Measured, floor: Measured): Pick<TargetRow, 'statements' | 'roundTrips'> {
  return {
    statements: `${fmt.count(ours.per.statements)} · ${fmt.count(floor.per.statements)}`,
    ...(b.pg ? { roundTrips: `${fmt.count(ours.per.roundTrips)} · ${fmt.count(floor.per.roundTrips)}` } : {}),
  };
}

/**
 * Waits until the server's worker has no due outbox row; answers the seconds from `since`
 * (a performance.now() instant), or null when it was still busy after DRAIN_TIMEOUT_MS.
 */
async function drained(b: Bench, since: number): Promise<number | null> {
  const ok = await b.target.waitForOutbox(DRAIN_TIMEOUT_MS);
  return ok ? (performance.now() - since) / 1000 : null;
}

/** Target 1: file a return, one client, one request after another, against the 3-row transaction. */
async function fileSequential(b: Bench, notes: string[]): Promise<TargetRow[]> {
  const shape: Shape = {
    connections: 1,
    warmupSeconds: 0,
    seconds: 0,
    sequential: { warmup: SEQ_WARMUP, runs: SEQ_RUNS },
  };
  const bodies = b.target.returnBodies.map((body) => ({ body }));
  const json = { 'content-type': 'application/json' };
  const floor = await measure(
    b,
    'floor: POST /floor/file (1 conn, sequential)',
    {
      url: b.floor.baseUrl,
      method: 'POST',
      headers: json,
      variants: bodies.map((v) => ({ ...v, path: '/floor/file' })),
    },
    shape,
    floorCounts(b),
  );
  const before = await b.target.counts();
  const ours = await measure(
    b,
    'file a return: POST /returns (1 conn, sequential)',
    {
      url: b.target.baseUrl,
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${b.target.apiKey}` },
      variants: bodies.map((v) => ({ ...v, path: '/api/v1/returns' })),
    },
    shape,
    oursCounts(b),
  );
  const secs = await drained(b, ours.endedAt);
  const worker = perRequest(before, await b.target.counts()).background / ours.per.requests;
  notes.push(
    `file a return (sequential): the worker ran ${fmt.count(worker)} statements per return dispatching its notifications ` +
      `(not in the request's count); outbox drained ${secs === null ? `NOT within ${DRAIN_TIMEOUT_MS / 1000} s` : `${secs.toFixed(2)} s`} after the run`,
  );
  return [
    {
      ...ratioRow('file a return, sequential, p50', ours.load.p50, floor.load.p50, 'ms', 2),
      ...countCells(b, ours, floor),
    },
    {
      ...ratioRow('file a return, sequential, p99', ours.load.p99, floor.load.p99, 'ms', 3),
      ...countCells(b, ours, floor),
    },
  ];
}

/** Target 2: create-return throughput at N connections against the same floor, then the outbox drain. */
async function fileThroughput(b: Bench, shape: Shape, notes: string[]): Promise<TargetRow[]> {
  const bodies = b.target.returnBodies.map((body) => ({ body }));
  const json = { 'content-type': 'application/json' };
  const floor = await measure(
    b,
    `floor: POST /floor/file (${CONNECTIONS} conn)`,
    {
      url: b.floor.baseUrl,
      method: 'POST',
      headers: json,
      variants: bodies.map((v) => ({ ...v, path: '/floor/file' })),
    },
    shape,
    floorCounts(b),
  );
  const returnsBefore = await b.target.countReturns();
  const before = await b.target.counts();
  const ours = await measure(
    b,
    `create-return: POST /returns (${CONNECTIONS} conn)`,
    {
      url: b.target.baseUrl,
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${b.target.apiKey}` },
      variants: bodies.map((v) => ({ ...v, path: '/api/v1/returns' })),
    },
    shape,
    oursCounts(b),
  );
  const backlog = await b.target.outboxState();
  const secs = await drained(b, ours.endedAt);
  const after = await b.target.outboxState();
  const returnsAfter = await b.target.countReturns();
  const worker = perRequest(before, await b.target.counts()).background / ours.per.requests;
  console.log(
    `  outbox at the end of the run: ${backlog.due} due; drained ${secs === null ? `NOT within ${DRAIN_TIMEOUT_MS / 1000} s` : `in ${secs.toFixed(2)} s`}` +
      ` (then ${after.done} done, ${after.later} pending for later, ${after.dead} dead)`,
  );
  // The last tick can be a partial second.
  const ps = ours.load.perSecond.filter((n, i, a) => n > 0 || i < a.length - 1);
  notes.push(
    `create-return: returns in the tenant ${returnsBefore} → ${returnsAfter}; completed per second: ${ps.join(', ')}; ` +
      `${backlog.due} outbox messages due when the load stopped; the worker ran ${fmt.count(worker)} statements per return ` +
      `(not in the request's count); outbox afterwards: ${after.later} pending for later, ${after.dead} dead`,
  );
  return [
    {
      ...ratioRow(
        `create-return throughput (${CONNECTIONS} conn)`,
        ours.load.reqPerSec,
        floor.load.reqPerSec,
        'req/s',
        0.3,
      ),
      ...countCells(b, ours, floor),
    },
    secs === null
      ? {
          ...absoluteRow('… outbox drained after the run', 0, DRAIN_GOAL_S, String, `≤ ${DRAIN_GOAL_S} s`),
          ours: `> ${DRAIN_TIMEOUT_MS / 1000} s`,
          met: false,
        }
      : absoluteRow(
          '… outbox drained after the run',
          secs,
          DRAIN_GOAL_S,
          (n) => `${n.toFixed(2)} s`,
          `≤ ${DRAIN_GOAL_S} s`,
        ),
  ];
}

/** Target 3: a read at N connections against the same rows selected by key. */
async function read(
  b: Bench,
  shape: Shape,
  label: string,
  ours: Endpoint,
  floorPaths: string[],
): Promise<TargetRow> {
  const floor = await measure(
    b,
    `floor: ${label} by key (${CONNECTIONS} conn)`,
    { url: b.floor.baseUrl, method: 'GET', headers: {}, variants: floorPaths.map((path) => ({ path })) },
    shape,
    floorCounts(b),
  );
  const o = await measure(b, `${label} (${CONNECTIONS} conn)`, ours, shape, oursCounts(b));
  return {
    ...ratioRow(`${label} (${CONNECTIONS} conn)`, o.load.reqPerSec, floor.load.reqPerSec, 'req/s', 0.5),
    ...countCells(b, o, floor),
  };
}

/** Target 6: start-up time and idle memory of `returnflow serve`, then the bench server's own memory. */
function memoryRows(s: StartupResult | null, end: { rss: number; peakRss: number }): TargetRow[] {
  const rows: TargetRow[] = [];
  if (s) {
    rows.push(
      absoluteRow(
        'start-up to first 200 (fresh data: migrate + demo seed)',
        s.firstStartMs,
        1000,
        (n) => `${Math.round(n)} ms`,
      ),
    );
    rows.push(
      absoluteRow(
        `idle RSS of serve (${s.idleMs / 1000} s after the seed)`,
        s.idleRssBytes,
        150 * 2 ** 20,
        fmt.mb,
      ),
    );
  }
  rows.push(absoluteRow('RSS of the bench server after all scenarios', end.rss, 300 * 2 ** 20, fmt.mb));
  return rows;
}

async function benchDatabaseEngine(load: LoadGenerator, url: string | null): Promise<DbReport> {
  const { label, config, dispose } = benchDatabase(url);
  console.log(
    `\n== ${label} (${config.dialect === 'sqlite' ? config.file : config.url.replace(/:[^:@/]*@/, ':***@')})`,
  );
  const notes: string[] = [];
  let startup: StartupResult | null = null;
  try {
    startup = await measureStartup({ pgUrl: url });
    console.log(
      `  returnflow serve: first 200 after ${Math.round(startup.firstStartMs)} ms (fresh data, demo seeded; ` +
        `"running at" printed at ${startup.printedMs === null ? '?' : Math.round(startup.printedMs)} ms), ` +
        `idle RSS ${fmt.mb(startup.idleRssBytes)}; restarted on the same data: first 200 after ${Math.round(startup.restartMs)} ms`,
    );
    notes.push(
      `restart of serve on the same data (no migration, no seed): first 200 after ${Math.round(startup.restartMs)} ms`,
    );
  } catch (e) {
    failures += 1;
    console.log(`  !! start-up: ${(e as Error).message}`);
  }

  const target = await startTargetProcess(config, { orderCount: ORDERS, trackedReturns: TRACKED });
  const floorCounter = createStatementCounter();
  let floor: Floor | null = null;
  const rows: TargetRow[] = [];
  const profile: string[] = [];
  try {
    // The set-up's returns have notifications of their own: let the worker finish them first.
    if (!(await target.waitForOutbox(DRAIN_TIMEOUT_MS))) console.log('  (outbox of the set-up not drained)');
    floor = await startFloor(config, { tenantId: target.tenantId, counter: floorCounter });
    const b: Bench = { load, target, floor, floorCounter, pg: config.dialect === 'postgres' };
    const shape: Shape = { connections: CONNECTIONS, warmupSeconds: WARMUP, seconds: SECONDS };

    rows.push(...(await fileSequential(b, notes)));
    rows.push(...(await fileThroughput(b, shape, notes)));
    rows.push(
      await read(
        b,
        shape,
        'tracking read: GET /track/:token',
        {
          url: target.baseUrl,
          method: 'GET',
          headers: {},
          variants: target.trackingPaths.map((path) => ({ path })),
        },
        target.trackingTokens.map((t) => `/floor/track/${t}`),
      ),
    );
    rows.push(
      await read(
        b,
        shape,
        'console case read: GET /console/returns/:id',
        {
          url: target.baseUrl,
          method: 'GET',
          headers: { cookie: target.sessionCookie },
          variants: target.caseIds.map((id) => ({ path: `/api/v1/console/returns/${id}` })),
        },
        target.caseIds.map((id) => `/floor/case/${id}`),
      ),
    );
    const end = await target.memory();
    console.log(
      `  bench server (pid ${target.pid}): RSS ${fmt.mb(end.rss)} at the end, peak ${fmt.mb(end.peakRss)}; ` +
        `request log ${fmt.mb(target.requestLogBytes())} written`,
    );
    notes.push(
      `bench server: peak RSS ${fmt.mb(end.peakRss)}; request log ${fmt.mb(target.requestLogBytes())} of JSON lines`,
    );
    rows.push(...memoryRows(startup, end));
  } finally {
    await target.close();
    if (floor) {
      await dispose({ db: floor.db, dialect: config.dialect, close: async () => {} }).catch((e: Error) =>
        console.log(`  (cleanup failed: ${e.message})`),
      );
      await floor.close();
    }
  }
  if (PROFILE) profile.push(...(await profileCreateReturn(load, url)));
  return { label, rows, notes, profile };
}

/** One connection, a fixed number of create-return requests, every statement timed (see query-timer.ts). */
async function profileCreateReturn(load: LoadGenerator, url: string | null) {
  // A database of its own: the targets' one is gone by now.
  const { config: own, dispose } = benchDatabase(url);
  const timer = createQueryTimer();
  const target = await startTarget(own, { orderCount: ORDERS, trackedReturns: 1, timer });
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
    await dispose(target.handle).catch(() => {});
    await target.handle.close();
  }
}

/** The machine's HTTP ceiling for this client: an empty route, no database. */
async function ceiling(load: LoadGenerator): Promise<LoadResult> {
  const empty = await startEmpty();
  try {
    const r = await load.run({
      url: empty.baseUrl,
      method: 'GET',
      headers: {},
      variants: [{ path: '/' }],
      connections: CONNECTIONS,
      warmupSeconds: WARMUP,
      seconds: SECONDS,
    });
    console.log(`\n== ceiling\n${describe('empty route: GET / → {}', r)}`);
    check('empty route', r);
    return r;
  } finally {
    await empty.close();
  }
}

/** The slower benchmarks after the targets (skipped with BENCH_ONLY=api). */
async function communicationAndAnalytics(): Promise<string[]> {
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
  return [
    `Outbox → SMTP\n${outboxTable(outbox)}`,
    `SSE fan-out\n${fanout.table}`,
    `Early warning: score all SKUs\n${detection.table}`,
    `Analytics: history import and dashboard queries\n${analytics.table}`,
  ];
}

function header() {
  const cpu = cpus();
  console.log('Returnflow benchmark');
  console.log(`date:  ${new Date().toISOString()}`);
  console.log(`node:  ${process.version} (${platform()} ${release()})`);
  console.log(
    `cpu:   ${cpu[0]?.model ?? 'unknown'} × ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
  );
  console.log(
    `load:  autocannon, ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${SECONDS} s measured per scenario; ` +
      `sequential: ${SEQ_WARMUP} warm-up + ${SEQ_RUNS} measured requests on one connection; ` +
      `${ORDERS} orders rotated, ${TRACKED} returns read back; client in its own process` +
      (ONLY === 'api' ? '; BENCH_ONLY=api (targets only)' : ''),
  );
}

const LEGEND = [
  'ours: the real app (createServices + buildApp, worker on, request log on as pino JSON lines to a file,',
  '  rate-limit plugin on; its public ceiling raised so one client IP is not answered 429), in its own process.',
  'floor: bare Fastify on the same engine, opened with openDatabase in the same database: POST /floor/file is a',
  '  JSON-schema-validated transaction of 3 single-row INSERTs; the reads select the rows the app reads, by key.',
  'statements/req: counted by a Kysely plugin per HTTP request, BEGIN/COMMIT not counted, worker not included',
  '  (its statements per return are in the notes). Round trips (PostgreSQL): pg queries per request, BEGIN/COMMIT included.',
  'start-up and idle RSS: `node bin/returnflow.js serve` spawned on a fresh DATA_DIR and database of this engine.',
  'The exit code depends on non-2xx responses and errors only, never on timings.',
];

async function main() {
  header();
  const webMs = buildWeb();
  console.log(`web:   bin/build-web.js took ${Math.round(webMs)} ms (a no-op when the build is current)`);
  const load = await startLoadGenerator();
  const reports: DbReport[] = [];
  let top: LoadResult | null = null;
  try {
    top = await ceiling(load);
    reports.push(await benchDatabaseEngine(load, null));
    const url = pgUrl();
    if (url) reports.push(await benchDatabaseEngine(load, url));
    else console.log('\n(PostgreSQL skipped: set BENCH_DATABASE_URL=postgres://… to include it)');
  } finally {
    await load.close();
  }
  const more = ONLY === 'api' ? [] : await communicationAndAnalytics();

  console.log('\n== results');
  for (const r of reports) {
    console.log(`\n${r.label}: targets\n${targetsTable(r.rows)}`);
    for (const n of r.notes) console.log(`- ${n}`);
  }
  console.log(`\n${LEGEND.join('\n')}`);
  for (const m of more) console.log(`\n${m}`);
  if (top)
    console.log(
      `\nceiling (bare Fastify, empty route): ${fmt.rps(top.reqPerSec)} req/s, p99 ${fmt.ms(top.p99)} ms`,
    );
  console.log(
    failures === 0
      ? 'non-2xx responses: 0 in every scenario'
      : `!! ${failures} scenario(s) had non-2xx responses or errors`,
  );
  if (failures > 0) process.exitCode = 1;
}

await main();
