import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One autocannon run: every connection loops over `variants` (pre-built requests, no per-request setup). */
export type LoadJob = {
  id: number;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  variants: { path: string; body?: string }[];
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** A fixed number of requests instead of a duration (profiling). */
  amount?: number;
  /**
   * One request after another on one keep-alive connection, timed with `performance.now()` in
   * this process (autocannon reports whole milliseconds): `warmup` requests, then `runs` measured.
   * `connections`, `warmupSeconds`, `seconds` and `amount` are ignored.
   */
  sequential?: { warmup: number; runs: number };
};

export type LoadResult = {
  id: number;
  reqPerSec: number;
  total: number;
  seconds: number;
  /** Latencies in milliseconds (whole ms from autocannon; 0.01 ms precision when sequential). */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Completed requests in each second of the measured run. */
  perSecond: number[];
  warmupNon2xx: number;
  warmupErrors: number;
};

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; id: number; message: string };

const here = dirname(fileURLToPath(import.meta.url));

/** The load generator in its own process; one job at a time. */
export async function startLoadGenerator() {
  // execArgv [] so that flags given to the bench (e.g. --cpu-prof) profile the server, not the client.
  const child: ChildProcess = fork(join(here, '..', 'bin', 'run-ts.js'), [join(here, 'load-worker.ts')], {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (m: WorkerMessage) => {
      if (m.type === 'ready') {
        child.off('message', onMessage);
        resolve();
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`load generator exited early (${code})`)));
  });
  let nextId = 1;
  return {
    run(job: Omit<LoadJob, 'id'>): Promise<LoadResult> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const onMessage = (m: WorkerMessage) => {
          if (m.type === 'result' && m.result.id === id) {
            child.off('message', onMessage);
            resolve(m.result);
          } else if (m.type === 'error' && m.id === id) {
            child.off('message', onMessage);
            reject(new Error(`load generator: ${m.message}`));
          }
        };
        child.on('message', onMessage);
        child.send({ type: 'job', job: { ...job, id } });
      });
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'exit' });
      const timer = setTimeout(() => child.kill(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export type LoadGenerator = Awaited<ReturnType<typeof startLoadGenerator>>;
