import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { parseDatabaseUrl } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db/database.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export type StartupResult = {
  /** Spawn → first 200 from /api/health, on a fresh data dir and database (migrations + demo seed). */
  firstStartMs: number;
  /** When "Returnflow is running at" was printed, for comparison. */
  printedMs: number | null;
  /** Resident memory of the server after the seed and `idleMs` without requests. */
  idleRssBytes: number;
  idleMs: number;
  /** Spawn → first 200 again, stopped and started on the same data (no migration, no seed). */
  restartMs: number;
};

/** Builds the web app if its sources are newer than the build (a no-op otherwise), as `npm start` does. */
export function buildWeb(): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'bin', 'build-web.js')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`bin/build-web.js exited with ${r.status}`);
  return performance.now() - t0;
}

/** A TCP port nobody listens on right now, so the first health probe can be sent right after spawning. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function healthStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/api/health', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
  });
}

/** Resident set size of a process: /proc on Linux, `ps` elsewhere. */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

type Serve = { child: ChildProcess; startMs: number; printedMs: number | null; output: () => string };

/**
 * Spawns `node bin/returnflow.js serve` with only the settings named here (so the caller's
 * SMTP_URL, S3_BUCKET… do not leak in) and probes /api/health every few ms until it answers 200.
 */
async function serve(env: Record<string, string>, timeoutMs: number): Promise<Serve> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(root, 'bin', 'returnflow.js'), 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let printedMs: number | null = null;
  const onData = (b: Buffer) => {
    out += b.toString();
    if (printedMs === null && out.includes('Returnflow is running at')) printedMs = performance.now() - t0;
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  for (;;) {
    if ((await healthStatus(port)) === 200) break;
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}:\n${out.slice(-2000)}`);
    if (performance.now() - t0 > timeoutMs) {
      child.kill();
      throw new Error(`serve did not answer /api/health within ${timeoutMs} ms:\n${out.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { child, startMs: performance.now() - t0, printedMs, output: () => out };
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Start-up and idle memory of `returnflow serve` as an operator starts it: a fresh DATA_DIR and
 * database (SQLite file, or a new PostgreSQL schema), the demo seeded on first start, the worker
 * on. Then stopped and started again on the same data, to see the start without seeding.
 */
export async function measureStartup(opts: {
  pgUrl: string | null;
  idleMs?: number;
}): Promise<StartupResult> {
  const idleMs = opts.idleMs ?? 3_000;
  const dir = mkdtempSync(join(tmpdir(), 'returnflow-start-'));
  const schema = `bench_start_${randomBytes(6).toString('hex')}`;
  const databaseUrl = opts.pgUrl
    ? `${opts.pgUrl}${opts.pgUrl.includes('?') ? '&' : '?'}schema=${schema}`
    : `file:${join(dir, 'x.db')}`;
  const env = { DATA_DIR: dir, DATABASE_URL: databaseUrl, LOG_FORMAT: 'json' };
  try {
    const first = await serve(env, 60_000);
    let idleRssBytes: number;
    try {
      await new Promise((r) => setTimeout(r, idleMs));
      idleRssBytes = rssOf(first.child.pid!);
    } finally {
      await stop(first.child);
    }
    const again = await serve(env, 60_000);
    await stop(again.child);
    return {
      firstStartMs: first.startMs,
      printedMs: first.printedMs,
      idleRssBytes,
      idleMs,
      restartMs: again.startMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (opts.pgUrl) {
      const h = openDatabase(parseDatabaseUrl(opts.pgUrl));
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(h.db).catch(() => {});
      await h.close();
    }
  }
}
