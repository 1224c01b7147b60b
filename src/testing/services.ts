import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { connectDatabase } from '../database.ts';
import { createServices, type Services } from '../main.ts';
import { fixedClock } from '../platform/clock.ts';
import { parseDatabaseUrl } from '../platform/config.ts';
import { takePreparedSql, tracePreparedSql } from '../platform/db/prepared.ts';

/**
 * The whole application's services over an in-memory SQLite database and a fixed clock, for
 * service tests beside the code: no HTTP, no worker loop (a test drains the outbox itself with
 * `drain`), no files outside a temporary data directory. HTTP tests in test/ cover the edges.
 * Only tests import this (.dependency-cruiser.cjs, "only-tests-assemble-the-app").
 */
export async function serviceHarness(start = '2027-03-01T09:00:00.000Z', opts: { smtpUrl?: string } = {}) {
  const handle = await connectDatabase(parseDatabaseUrl('file::memory:'));
  // Every statement the services run passes here: a test can list what a use case costs. A
  // statement is counted when its result comes back, so a subquery (compiled into the statement
  // that holds it, but transformed on its own) is not counted twice.
  const statements = { log: null as string[] | null, pending: new Map<unknown, string>() };
  const counter: KyselyPlugin = {
    transformQuery: (args) => {
      if (statements.log)
        statements.pending.set(
          args.queryId,
          handle.db.getExecutor().compileQuery(args.node, args.queryId).sql,
        );
      return args.node;
    },
    transformResult: async (args) => {
      const sql = statements.pending.get(args.queryId) ?? takePreparedSql(args.queryId);
      statements.pending.delete(args.queryId);
      if (sql !== undefined) statements.log?.push(sql);
      return args.result;
    },
  };
  const db = handle.db.withPlugin(counter);
  const clock = fixedClock(start);
  const dataDir = mkdtempSync(join(tmpdir(), 'returnflow-svc-'));
  const services: Services = createServices({ ...handle, db }, clock, {
    publicUrl: 'http://shop.test',
    dataDir,
    secretKey: 'service-test-secret-key-not-for-production',
    worker: { enabled: false, pollMs: 25, leaseMs: 5_000, maxAttempts: 4, baseDelayMs: 20 },
    providerTimeoutMs: 1_000,
    allowProviderBaseUrl: true,
    smtpUrl: opts.smtpUrl,
    allowPrivateWebhookUrls: true,
  });
  return {
    services,
    db: handle.db,
    clock,
    /** The SQL text of every statement `fn` ran through the services, in order (BEGIN and COMMIT not seen). */
    async sqlOf(fn: () => Promise<unknown>): Promise<string[]> {
      statements.log = [];
      tracePreparedSql(true);
      try {
        await fn();
        return statements.log;
      } finally {
        statements.log = null;
        statements.pending.clear();
        tracePreparedSql(false);
      }
    },
    /** Runs outbox messages that are due until none is left (notifications, refunds). */
    async drain(max = 100) {
      for (let i = 0; i < max; i++) {
        if (!(await services.worker.runOnce())) return;
      }
    },
    async close() {
      await services.worker.stop();
      await handle.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type ServiceHarness = Awaited<ReturnType<typeof serviceHarness>>;
