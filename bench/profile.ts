/**
 * CPU profile of the server while one scenario runs (default create-return, SQLite):
 *   node bin/run-ts.js bench/profile.ts [create-return|tracking-read] [seconds]
 * With BENCH_DATABASE_URL=postgres://… it profiles against PostgreSQL instead. The profile is
 * taken in-process with node:inspector (the load generator runs in its own process and is not
 * profiled), summarised by package / source file and by function, and written to
 * $TMPDIR/returnflow-bench-<scenario>.cpuprofile for a closer look (Chrome DevTools, speedscope).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LoadJob, startLoadGenerator } from './load.ts';
import { benchDatabase, startTarget } from './target.ts';

type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
};
type Profile = { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

const scenario = process.argv[2] ?? 'create-return';
const seconds = Number(process.argv[3] ?? 8);
if (!['create-return', 'tracking-read'].includes(scenario) || !(seconds > 0 && seconds <= 60)) {
  console.error('usage: node bin/run-ts.js bench/profile.ts [create-return|tracking-read] [seconds ≤ 60]');
  process.exit(2);
}

function bucket(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : `(native) ${fn || 'anonymous'}`;
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1);
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url;
}

function summarise(p: Profile, top: number) {
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byBucket = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const n of p.nodes) {
    const us = selfUs.get(n.id) ?? 0;
    if (!us) continue;
    const b = bucket(n.callFrame.url, n.callFrame.functionName);
    byBucket.set(b, (byBucket.get(b) ?? 0) + us);
    const fn = `${n.callFrame.functionName || '(anonymous)'}  ${b}:${n.callFrame.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
  }
  const show = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return `self time by package / file (total ${(total / 1e6).toFixed(1)} s sampled):\n${show(byBucket)}\n\ntop functions (self time):\n${show(byFn)}`;
}

const url = process.env.BENCH_DATABASE_URL?.trim();
const { label, config, dispose } = benchDatabase(url && /^postgres(ql)?:\/\//.test(url) ? url : null);
const load = await startLoadGenerator();
const target = await startTarget(config, { orderCount: 16, trackedReturns: 200 });
const session = new Session();
try {
  const job: Pick<LoadJob, 'method' | 'headers' | 'variants'> =
    scenario === 'create-return'
      ? {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${target.apiKey}` },
          variants: target.returnBodies.map((body) => ({ path: '/api/v1/returns', body })),
        }
      : { method: 'GET', headers: {}, variants: target.trackingPaths.map((path) => ({ path })) };
  // Warm up unprofiled, then profile the measured run.
  await load.run({ ...job, url: target.baseUrl, connections: 10, warmupSeconds: 0, seconds: 2 });
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const r = await load.run({ ...job, url: target.baseUrl, connections: 10, warmupSeconds: 0, seconds });
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  const file = join(tmpdir(), `returnflow-bench-${scenario}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  console.log(
    `${label} ${scenario}: ${Math.round(r.reqPerSec)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}`,
  );
  console.log(`profile written to ${file}\n`);
  console.log(summarise(profile, 25));
} finally {
  session.disconnect();
  await target.close();
  await load.close();
  await dispose(target.handle).catch(() => {});
  await target.handle.close();
}
