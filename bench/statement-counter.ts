import { AsyncLocalStorage } from 'node:async_hooks';
import type { Server, ServerResponse } from 'node:http';
import type { KyselyPlugin } from 'kysely';
import pg from 'pg';
import type { Db } from '../src/platform/db/database.ts';

/** What a server's database did, split by who asked: an HTTP request, or background work (the outbox worker). */
export type StatementCounts = {
  /** HTTP requests that reached the server. */
  requests: number;
  /** Statements run on behalf of a request (BEGIN/COMMIT not included: the driver issues them). */
  statements: number;
  /** PostgreSQL only: every query sent on a pg client for a request, BEGIN and COMMIT included. */
  roundTrips: number;
  /** Statements run outside any request: the outbox worker dispatching what the requests enqueued. */
  background: number;
};

/**
 * The counts of the request being served. One store for the whole process, so that the pg
 * round-trip patch (a prototype, shared by every pool) can find whichever counter's request it
 * runs in.
 */
const current = new AsyncLocalStorage<StatementCounts>();
let pgPatched = false;

/**
 * Counts every query a pg client sends while a counted request is being served. Kysely sends
 * BEGIN and COMMIT through the same `client.query`, so this is the number of round trips to the
 * database (Kysely's plugins never see BEGIN/COMMIT). Patched once per process, on the prototype,
 * because the pool is created inside `openDatabase` and is not reachable from outside.
 */
function patchPgRoundTrips() {
  if (pgPatched) return;
  pgPatched = true;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function query(this: unknown, ...args: unknown[]) {
    const c = current.getStore();
    if (c) c.roundTrips += 1;
    return original.apply(this, args);
  };
}

/**
 * Counts the SQL statements a server runs per request, the way `src/testing/services.ts` counts
 * a use case's: a Kysely plugin on the services' db (a statement that fails is not counted). Requests are told apart from background work
 * with AsyncLocalStorage entered in the HTTP server's `request` listener, so the outbox worker
 * (which runs in the same process) is counted separately.
 */
export function createStatementCounter() {
  const counts: StatementCounts = { requests: 0, statements: 0, roundTrips: 0, background: 0 };
  // Counted when a result comes back, like src/testing/services.ts: statements prepared once
  // (src/platform/db/prepared.ts) skip transformQuery but not transformResult, and a subquery,
  // transformed on its own, is not counted twice.
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    async transformResult(args) {
      if (current.getStore() === counts) counts.statements += 1;
      else counts.background += 1;
      return args.result;
    },
  };
  patchPgRoundTrips();
  // Requests still being served: a load run that stops leaves some, whose statements would
  // otherwise fall into the next scenario's count.
  let inFlight = 0;
  let idle: (() => void)[] = [];
  const finished = () => {
    inFlight -= 1;
    if (inFlight > 0) return;
    const waiting = idle;
    idle = [];
    for (const resolve of waiting) resolve();
  };
  return {
    /** `db` with the counter installed (same driver, pool and connection). */
    wrap: (db: Db): Db => db.withPlugin(plugin),
    /**
     * Runs every request of `server` inside the counter's context. Fastify handles requests in a
     * `request` listener of its node:http server; wrapping it after `listen` changes nothing else.
     */
    attach(server: Server) {
      const listeners = server.listeners('request') as ((...a: unknown[]) => void)[];
      server.removeAllListeners('request');
      for (const listener of listeners) {
        server.on('request', (...a: unknown[]) => {
          counts.requests += 1;
          inFlight += 1;
          (a[1] as ServerResponse).once('close', finished);
          current.run(counts, () => listener.apply(server, a));
        });
      }
    },
    /**
     * Runs `fn` outside any request: the worker is woken (`kick`) from inside a request after its
     * commit, and what it then does is the dispatch's work, not the request's.
     */
    outside: <T>(fn: () => T): T => current.exit(fn),
    snapshot: (): StatementCounts => ({ ...counts }),
    /**
     * The counts once no request is in flight (or after `timeoutMs`), then one more turn of the
     * event loop for what a handler runs after its answer has gone.
     */
    async settled(timeoutMs = 10_000): Promise<StatementCounts> {
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeoutMs);
          idle.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      await new Promise((resolve) => setImmediate(resolve));
      return { ...counts };
    },
  };
}

export type StatementCounter = ReturnType<typeof createStatementCounter>;

/** Per-request figures between two snapshots. */
export function perRequest(before: StatementCounts, after: StatementCounts) {
  const requests = after.requests - before.requests;
  const per = (n: number) => (requests > 0 ? n / requests : 0);
  return {
    requests,
    statements: per(after.statements - before.statements),
    roundTrips: per(after.roundTrips - before.roundTrips),
    background: after.background - before.background,
  };
}

export type PerRequest = ReturnType<typeof perRequest>;
