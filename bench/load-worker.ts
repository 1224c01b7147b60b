/**
 * The load generator, run in a child process (forked by load.ts) so that autocannon's own CPU
 * use does not share an event loop with the server under test. It takes one job at a time over
 * IPC and answers a compact result.
 */
import autocannon, { type Options, type Result } from 'autocannon';
import type { LoadJob, LoadResult } from './load.ts';

function once(opts: Options, onTick?: (n: number) => void): Promise<Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
    if (onTick) instance.on('tick', (t: { counter: number }) => onTick(t.counter));
  });
}

async function runJob(job: LoadJob): Promise<LoadResult> {
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
