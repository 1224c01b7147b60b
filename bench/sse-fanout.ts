/**
 * SSE fan-out benchmark: how long after a status change do N connected browsers all have it?
 *
 *   node bin/run-ts.js bench/sse-fanout.ts [clients=5000]
 *
 * Runs, in one process and one run: a floor (bare node:http writing the same bytes to N open
 * responses: no Fastify, no hub), streamSse over createLocalRealtime, and — when
 * BENCH_DATABASE_URL is a postgres:// URL — streamSse over createPgRealtime with the publisher in
 * the same process (publish → NOTIFY → back through LISTEN → N writes). The clients live in child
 * processes (BENCH_SSE_WORKERS, default 2) so their parsing does not share the server's event loop;
 * latencies compare process.hrtime across processes, which is one monotonic clock per machine.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, platform, release } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { createLocalRealtime, createPgRealtime, type Realtime } from '../src/modules/realtime/hub.ts';
import { sseFrame, streamSse } from '../src/modules/realtime/sse.ts';
import { openSse, type SseClient } from '../test/helpers/sse-client.ts';

export type SseFanoutOptions = {
  clients?: number;
  /** Status changes measured, published one at a time. */
  messages?: number;
  /** Unmeasured messages first, so JIT and socket buffers settle. */
  warmup?: number;
  /** Child processes holding the clients. */
  workers?: number;
  /** A postgres:// URL adds the LISTEN/NOTIFY run. */
  pgUrl?: string | null;
  /** How long one message may take to reach every client before it counts the rest as missed. */
  messageTimeoutMs?: number;
  log?: (line: string) => void;
};

export type FanoutRow = {
  run: string;
  clients: number;
  connected: number;
  connectMs: number;
  /** Per message: publish → the last client has it. */
  allP50: number;
  allP99: number;
  allMax: number;
  /** Per client and message: publish → that client has it. */
  clientP50: number;
  clientP99: number;
  /** publish() → the server starts writing: 0 in-process, the NOTIFY round trip through PostgreSQL. */
  toHubP50: number;
  /**
   * The server's share: first write → the event loop is free again (setImmediate), which includes
   * the writev syscalls Node defers to process.nextTick. The rest of "all-have" is the clients.
   */
  fanoutP50: number;
  /** Deliveries that did not arrive within messageTimeoutMs. */
  missed: number;
};

export type SseFanoutResult = { header: string; rows: FanoutRow[]; table: string };

const CHANNEL = 'return:ret_bench';
const STATUSES = ['approved', 'awaiting_shipment', 'in_transit', 'received', 'inspected', 'refund_pending'];
const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};
const WORKER_FLAG = '--sse-fanout-worker';
/** Fds a process needs besides its sockets: stdio, IPC, the loader, the pg connections. */
const FD_MARGIN = 200;

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** The same status change in every run, so every run writes the same bytes. */
function statusChange(seq: number) {
  return {
    channel: CHANNEL,
    event: 'return.updated',
    id: String(seq),
    data: {
      returnId: 'ret_bench',
      rma: 'RMA-000123',
      status: STATUSES[seq % STATUSES.length],
      seq,
      updatedAt: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
    },
  };
}

// ---------------------------------------------------------------- the client side (child processes)

type ToWorker =
  | { type: 'connect'; url: string; count: number }
  | { type: 'flush'; seq: number }
  | { type: 'disconnect' }
  | { type: 'exit' };
type FromWorker =
  | { type: 'connected'; ok: number; failed: number; errors: string[] }
  | { type: 'got'; seq: number; times: number[]; missing: number }
  | { type: 'disconnected' };

function runWorker(): void {
  const send = (m: FromWorker) => process.send!(m);
  let clients: SseClient[] = [];
  // seq → receive times (µs); reported once every live client has the message, or on flush.
  const received = new Map<number, number[]>();
  const reported = new Set<number>();
  let live = 0;
  // Clients of an earlier run close asynchronously; they must not count against the current one.
  let generation = 0;

  const report = (seq: number) => {
    if (reported.has(seq)) return;
    reported.add(seq);
    const times = received.get(seq) ?? [];
    received.delete(seq);
    send({ type: 'got', seq, times, missing: Math.max(0, clients.length - times.length) });
  };

  process.on('message', async (m: ToWorker) => {
    if (m.type === 'connect') {
      const mine = generation;
      const errors = new Map<string, number>();
      let failed = 0;
      // Batches keep the listen backlog (511 by default) from overflowing into SYN retries.
      for (let start = 0; start < m.count; start += 100) {
        const batch = Array.from({ length: Math.min(100, m.count - start) }, () =>
          openSse(
            m.url,
            {},
            {
              keepEvents: false,
              onEvent: (e) => {
                const t = nowUs();
                const seq = (e.json as { seq?: number } | undefined)?.seq;
                if (typeof seq !== 'number' || reported.has(seq)) return;
                let times = received.get(seq);
                if (!times) {
                  times = [];
                  received.set(seq, times);
                }
                times.push(t);
                if (times.length >= live) report(seq);
              },
            },
          ).then((c) => {
            if (c.status !== 200)
              throw Object.assign(new Error(`HTTP ${c.status}`), { code: `HTTP_${c.status}` });
            return c;
          }),
        );
        for (const r of await Promise.allSettled(batch)) {
          if (r.status === 'fulfilled') {
            clients.push(r.value);
            live++;
            r.value.closed.then(() => {
              if (generation === mine) live--;
            });
          } else {
            failed++;
            const code = (r.reason as { code?: string }).code ?? String(r.reason);
            errors.set(code, (errors.get(code) ?? 0) + 1);
          }
        }
      }
      send({
        type: 'connected',
        ok: clients.length,
        failed,
        errors: [...errors].map(([c, n]) => `${c}×${n}`),
      });
    } else if (m.type === 'flush') {
      report(m.seq);
    } else if (m.type === 'disconnect') {
      generation++;
      for (const c of clients) c.close();
      clients = [];
      live = 0;
      received.clear();
      reported.clear();
      send({ type: 'disconnected' });
    } else if (m.type === 'exit') {
      for (const c of clients) c.close();
      process.exit(0);
    }
  });
}

// ---------------------------------------------------------------- the server side

type Fanout = { startUs: number; endUs: number };

type Target = {
  url: string;
  /** Called once per message with when the server began writing it and when it was done. */
  onFanout: (listener: (f: Fanout) => void) => void;
  /** Streams the server holds right now. */
  connected: () => number;
  publish: (seq: number) => Promise<void>;
  close: () => Promise<void>;
};

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => r()));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('no address');
  return `http://127.0.0.1:${address.port}/events`;
}

/** The floor: node:http keeping N responses open and writing one pre-encoded Buffer to each. */
async function startFloor(): Promise<Target> {
  const open = new Set<http.ServerResponse>();
  let fanout: (f: Fanout) => void = () => {};
  const server = http.createServer((_req, res) => {
    res.writeHead(200, SSE_HEADERS);
    res.write('retry: 2000\n\n');
    open.add(res);
    res.on('close', () => open.delete(res));
  });
  const url = await listen(server);
  return {
    url,
    connected: () => open.size,
    onFanout: (listener) => {
      fanout = listener;
    },
    async publish(seq) {
      const startUs = nowUs();
      const bytes = sseFrame(statusChange(seq));
      for (const res of open) res.write(bytes);
      setImmediate(() => fanout({ startUs, endUs: nowUs() }));
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** The product path: Fastify, a route with streamSse, the given hub. */
async function startOurs(realtime: Realtime): Promise<Target> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.get('/events', async (request, reply) => {
    // Every client of the benchmark comes from loopback: no per-address cap here.
    streamSse(request, reply, { realtime, channels: [CHANNEL], maxPerIp: Number.POSITIVE_INFINITY });
  });
  await app.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
  const address = app.server.address();
  if (!address || typeof address !== 'object') throw new Error('no address');
  // Subscribed before any client, so the hub calls it first: it marks where the fan-out starts.
  let fanout: (f: Fanout) => void = () => {};
  realtime.subscribe(CHANNEL, () => {
    const startUs = nowUs();
    setImmediate(() => fanout({ startUs, endUs: nowUs() }));
  });
  return {
    url: `http://127.0.0.1:${address.port}/events`,
    onFanout: (listener) => {
      fanout = listener;
    },
    // Less the probe above.
    connected: () => realtime.subscriberCount(CHANNEL) - 1,
    publish: (seq) => realtime.publish(statusChange(seq)),
    async close() {
      await app.close();
      await realtime.close();
    },
  };
}

// ---------------------------------------------------------------- the run

function softFdLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft && /^\d+$/.test(soft) ? Number(soft) : null;
  } catch {
    return null; // not Linux: EMFILE, if it comes, is reported by the workers
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

class Workers {
  private readonly waiting = new Map<ChildProcess, Array<(m: FromWorker) => void>>();
  private readonly gotHandlers = new Set<(m: FromWorker & { type: 'got' }) => void>();
  constructor(readonly children: ChildProcess[]) {
    for (const child of children) {
      this.waiting.set(child, []);
      child.on('message', (m: FromWorker) => {
        if (m.type === 'got') for (const h of this.gotHandlers) h(m);
        else this.waiting.get(child)!.shift()?.(m);
      });
    }
  }
  static start(count: number): Workers {
    const file = fileURLToPath(import.meta.url);
    const children = Array.from({ length: count }, () =>
      fork(file, [WORKER_FLAG], { execArgv: ['--import', import.meta.resolve('tsx')], stdio: 'inherit' }),
    );
    return new Workers(children);
  }
  /** Sends one command to every worker and waits for each one's reply. */
  all<T extends FromWorker>(command: (i: number) => ToWorker): Promise<T[]> {
    return Promise.all(
      this.children.map(
        (child, i) =>
          new Promise<T>((res, rej) => {
            this.waiting.get(child)!.push((m) => res(m as T));
            child.once('exit', (code) => rej(new Error(`worker exited with ${code}`)));
            child.send(command(i));
          }),
      ),
    );
  }
  onGot(handler: (m: FromWorker & { type: 'got' }) => void): () => void {
    this.gotHandlers.add(handler);
    return () => this.gotHandlers.delete(handler);
  }
  broadcast(m: ToWorker): void {
    for (const child of this.children) child.send(m);
  }
  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((r) => {
            if (child.exitCode !== null) return r();
            const timer = setTimeout(() => child.kill(), 5_000);
            child.once('exit', () => {
              clearTimeout(timer);
              r();
            });
            child.send({ type: 'exit' } satisfies ToWorker);
          }),
      ),
    );
  }
}

async function measure(
  run: string,
  target: Target,
  workers: Workers,
  o: Required<Omit<SseFanoutOptions, 'pgUrl' | 'log'>> & { log: (l: string) => void },
): Promise<FanoutRow> {
  const share = (i: number) => Math.floor(o.clients / o.workers) + (i < o.clients % o.workers ? 1 : 0);
  const t0 = Date.now();
  const replies = await workers.all<FromWorker & { type: 'connected' }>((i) => ({
    type: 'connect',
    url: target.url,
    count: share(i),
  }));
  const connected = replies.reduce((n, r) => n + r.ok, 0);
  const errors = replies.flatMap((r) => r.errors);
  if (errors.length) {
    o.log(`  ${run}: ${o.clients - connected} clients failed to connect: ${errors.join(', ')}`);
    if (errors.some((e) => e.startsWith('EMFILE')))
      o.log(
        `  EMFILE: too many open files; raise the limit (ulimit -n, now ${softFdLimit() ?? '?'}) or add workers`,
      );
  }
  // The server may still be wiring the last subscriptions when the clients have their headers.
  for (let i = 0; i < 500 && target.connected() < connected; i++) await new Promise((r) => setTimeout(r, 10));
  const connectMs = Date.now() - t0;
  o.log(`  ${run}: ${connected} clients connected in ${connectMs} ms (server holds ${target.connected()})`);

  const allHave: number[] = [];
  const perClient: number[] = [];
  const toHub: number[] = [];
  const fanouts: number[] = [];
  let lastFanout: Fanout | null = null;
  target.onFanout((f) => {
    lastFanout = f;
  });
  let missed = 0;
  for (let seq = 0; seq < o.warmup + o.messages; seq++) {
    const reports: Array<FromWorker & { type: 'got' }> = [];
    const done = new Promise<void>((res) => {
      const off = workers.onGot((m) => {
        if (m.seq !== seq) return;
        reports.push(m);
        if (reports.length === o.workers) {
          off();
          clearTimeout(timer);
          res();
        }
      });
      // A message that has not reached everyone in time: collect what did arrive.
      const timer = setTimeout(() => workers.broadcast({ type: 'flush', seq }), o.messageTimeoutMs);
    });
    lastFanout = null;
    const publishedAt = nowUs();
    await target.publish(seq);
    await done;
    // The clients can have it all before the server's setImmediate runs; wait for that too.
    for (let i = 0; i < 100 && !lastFanout; i++) await new Promise((r) => setTimeout(r, 5));
    if (seq < o.warmup) continue;
    const f = lastFanout as Fanout | null;
    if (f) {
      toHub.push((f.startUs - publishedAt) / 1000);
      fanouts.push((f.endUs - f.startUs) / 1000);
    }
    let last = 0;
    for (const r of reports) {
      missed += r.missing;
      for (const t of r.times) {
        const ms = (t - publishedAt) / 1000;
        perClient.push(ms);
        if (ms > last) last = ms;
      }
    }
    allHave.push(last);
    // Let the write queues drain so each message is measured on its own.
    await new Promise((r) => setTimeout(r, 20));
  }
  await workers.all((): ToWorker => ({ type: 'disconnect' }));
  allHave.sort((a, b) => a - b);
  perClient.sort((a, b) => a - b);
  toHub.sort((a, b) => a - b);
  fanouts.sort((a, b) => a - b);
  return {
    run,
    clients: o.clients,
    connected,
    connectMs,
    allP50: percentile(allHave, 50),
    allP99: percentile(allHave, 99),
    allMax: allHave.at(-1) ?? Number.NaN,
    clientP50: percentile(perClient, 50),
    clientP99: percentile(perClient, 99),
    toHubP50: percentile(toHub, 50),
    fanoutP50: percentile(fanouts, 50),
    missed,
  };
}

function formatTable(rows: FanoutRow[]): string {
  const ms = (n: number) => (Number.isNaN(n) ? '–' : n < 10 ? n.toFixed(2) : n.toFixed(1));
  const floor = rows.find((r) => r.run === 'floor (node:http)');
  const head = [
    'run',
    'clients',
    'all-have p50',
    'all-have p99',
    'per-client p50',
    'per-client p99',
    'to hub p50',
    'server fan-out p50',
    'missed',
    'all-have p50 / floor',
  ];
  const body = rows.map((r) => [
    r.run,
    `${r.connected}/${r.clients}`,
    `${ms(r.allP50)} ms`,
    `${ms(r.allP99)} ms`,
    `${ms(r.clientP50)} ms`,
    `${ms(r.clientP99)} ms`,
    `${ms(r.toHubP50)} ms`,
    `${ms(r.fanoutP50)} ms`,
    String(r.missed),
    floor ? (r.allP50 / floor.allP50).toFixed(2) : '–',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [
    line(head),
    `|${widths.map((w, i) => `${i === 0 ? '-' : '-'}${'-'.repeat(w)}${i === 0 ? '-' : ':'}`).join('|')}|`,
    ...body.map(line),
  ].join('\n');
}

/** Runs floor, local hub and (with pgUrl) the PostgreSQL hub against the same clients; returns the table. */
export async function runSseFanoutBench(options: SseFanoutOptions = {}): Promise<SseFanoutResult> {
  const log = options.log ?? ((l: string) => console.log(l));
  const clients = options.clients ?? 5_000;
  if (!Number.isInteger(clients) || clients < 1 || clients > 100_000)
    throw new Error('clients must be 1..100000');
  const limit = softFdLimit();
  // The server holds one socket per client; it cannot be split, so it must fit the limit.
  if (limit !== null && clients + FD_MARGIN > limit) {
    throw new Error(
      `${clients} clients need about ${clients + FD_MARGIN} open files in the server process, but the limit ` +
        `(ulimit -n) is ${limit}: raise it (ulimit -n ${clients * 2 + FD_MARGIN}) or use fewer clients`,
    );
  }
  // Clients can be spread: enough workers that each stays under the limit.
  const minWorkers = limit === null ? 1 : Math.ceil(clients / Math.max(1, limit - FD_MARGIN));
  const workerCount = Math.max(minWorkers, options.workers ?? 2);
  const o = {
    clients,
    messages: options.messages ?? 20,
    warmup: options.warmup ?? 3,
    workers: workerCount,
    messageTimeoutMs: options.messageTimeoutMs ?? 10_000,
    log,
  };
  const cpu = cpus();
  const header =
    `SSE fan-out — ${new Date().toISOString()} — Node ${process.version} — ${cpu[0]?.model.trim() ?? 'unknown CPU'} ` +
    `×${cpu.length} — ${platform()} ${release()}\n` +
    `${clients} clients over loopback in ${workerCount} worker process(es); ${o.messages} status changes ` +
    `published one at a time (+${o.warmup} warm-up); fd limit ${limit ?? 'unknown'}; p99 of ${o.messages} ` +
    `messages is their maximum. "to hub": publish() → the server starts writing (the NOTIFY round trip ` +
    `on pg); "server fan-out": writing to every client until the event loop is free again`;
  log(header);

  const workers = Workers.start(workerCount);
  const rows: FanoutRow[] = [];
  try {
    const runs: Array<[string, () => Promise<Target>]> = [
      ['floor (node:http)', startFloor],
      ['streamSse + local hub', () => startOurs(createLocalRealtime())],
    ];
    if (options.pgUrl) {
      const pgUrl = options.pgUrl;
      runs.push([
        'streamSse + pg LISTEN/NOTIFY',
        async () =>
          startOurs(
            await createPgRealtime({
              connectionString: pgUrl,
              // Its own NOTIFY channel, so a concurrent test run or bench hears none of this.
              schema: `bench_${process.pid}`,
              onError: (e) => log(`  realtime error: ${(e as Error).message}`),
            }),
          ),
      ]);
    }
    // Whatever runs first pays for cold JIT in the server and the workers (measured: the floor
    // came out 20-40% slower first than last), so a discarded pass warms everything up.
    const warm = await startFloor();
    try {
      await measure('warm-up (discarded)', warm, workers, { ...o, messages: 10, warmup: 0 });
    } finally {
      await warm.close();
    }
    for (const [name, start] of runs) {
      const target = await start();
      try {
        rows.push(await measure(name, target, workers, o));
      } finally {
        await target.close();
      }
    }
  } finally {
    await workers.stop();
  }
  const table = formatTable(rows);
  return { header, rows, table };
}

function pgUrlFromEnv(): string | null {
  const url = process.env.BENCH_DATABASE_URL?.trim();
  return url && /^postgres(ql)?:\/\//.test(url) ? url : null;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain && process.argv[2] === WORKER_FLAG) {
  runWorker();
} else if (isMain) {
  const clients = process.argv[2] ? Number(process.argv[2]) : 5_000;
  const workers = process.env.BENCH_SSE_WORKERS ? Number(process.env.BENCH_SSE_WORKERS) : undefined;
  runSseFanoutBench({ clients, workers, pgUrl: pgUrlFromEnv() }).then(
    (result) => {
      console.log(`\n${result.header}\n\n${result.table}`);
      process.exit(0);
    },
    (e: unknown) => {
      console.error(`sse-fanout: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
