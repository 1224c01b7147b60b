/**
 * The load generator, run in a child process (forked by load.ts) so that autocannon's own CPU
 * use does not share an event loop with the server under test. It takes one job at a time over
 * IPC and answers a compact result.
 */
import { Agent, request } from 'node:http';
import autocannon, { type Options, type Result } from 'autocannon';
import type { LoadJob, LoadResult } from './load.ts';

/** One HTTP request on `agent`, answering its status once the whole body has arrived. */
function send(agent: Agent, url: URL, job: LoadJob, v: LoadJob['variants'][number]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: job.method,
        path: v.path,
        headers: v.body
          ? { ...job.headers, 'content-length': Buffer.byteLength(v.body).toString() }
          : job.headers,
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(v.body);
  });
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * One client, one request after another on one keep-alive socket (node:http, the lightest
 * client here), each timed from just before it is written to its last body byte.
 */
async function runSequential(job: LoadJob & { sequential: { warmup: number; runs: number } }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(job.url);
  const statusCodes: Record<string, number> = {};
  const latencies: number[] = [];
  let warmupNon2xx = 0;
  let warmupErrors = 0;
  let non2xx = 0;
  let errors = 0;
  const { warmup, runs } = job.sequential;
  let t0 = 0;
  for (let i = 0; i < warmup + runs; i++) {
    const measured = i >= warmup;
    if (i === warmup) t0 = performance.now();
    const v = job.variants[i % job.variants.length]!;
    const start = performance.now();
    try {
      const status = await send(agent, url, job, v);
      const ms = performance.now() - start;
      const ok = status >= 200 && status < 300;
      if (!measured) {
        if (!ok) warmupNon2xx += 1;
        continue;
      }
      latencies.push(ms);
      statusCodes[status] = (statusCodes[status] ?? 0) + 1;
      if (!ok) non2xx += 1;
    } catch {
      if (measured) errors += 1;
      else warmupErrors += 1;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    id: job.id,
    reqPerSec: latencies.length / seconds,
    total: latencies.length,
    seconds,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? 0,
    mean: sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1),
    non2xx,
    errors,
    timeouts: 0,
    statusCodes,
    perSecond: [],
    warmupNon2xx,
    warmupErrors,
  } satisfies LoadResult;
}

function once(opts: Options, onTick?: (n: number) => void): Promise<Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
    if (onTick) instance.on('tick', (t: { counter: number }) => onTick(t.counter));
  });
}

async function runJob(job: LoadJob): Promise<LoadResult> {
  if (job.sequential) return runSequential({ ...job, sequential: job.sequential });
  const requests = job.variants.map((v) => ({
    method: job.method,
    path: v.path,
    ...(v.body ? { body: v.body } : {}),
  }));
  const base: Options = {
    url: job.url,
    connections: job.connections,
    method: job.method,
    headers: job.headers,
    requests,
    timeout: 10,
  };
  let warmupNon2xx = 0;
  let warmupErrors = 0;
  if (job.warmupSeconds > 0) {
    const w = await once({ ...base, duration: job.warmupSeconds });
    warmupNon2xx = w.non2xx;
    warmupErrors = w.errors;
  }
  const perSecond: number[] = [];
  const r = await once(
    job.amount ? { ...base, amount: job.amount } : { ...base, duration: job.seconds },
    (n) => perSecond.push(n),
  );
  const statusCodes: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats)) statusCodes[code] = s.count;
  return {
    id: job.id,
    reqPerSec: r.requests.average,
    total: r.requests.total,
    seconds: r.duration,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    mean: r.latency.mean,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    perSecond,
    warmupNon2xx,
    warmupErrors,
  };
}

process.on('message', (msg: { type: 'job'; job: LoadJob } | { type: 'exit' }) => {
  if (msg.type === 'exit') {
    process.disconnect();
    return;
  }
  runJob(msg.job).then(
    (result) => process.send?.({ type: 'result', result }),
    (e: Error) => process.send?.({ type: 'error', id: msg.job.id, message: e.message }),
  );
});
process.send?.({ type: 'ready' });
