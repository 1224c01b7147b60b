import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import type { Db } from '../src/platform/db/database.ts';
import { takePreparedSql, tracePreparedSql } from '../src/platform/db/prepared.ts';

type Stat = { count: number; totalMs: number };

/**
 * A Kysely plugin that times every statement from compilation to result (compile, wait for the
 * connection, driver round trip, result mapping), grouped by its SQL text. BEGIN/COMMIT are
 * issued by the driver and are not seen; statements prepared once are counted but not timed.
 * Only used by the profiling pass (BENCH_PROFILE=1).
 */
export function createQueryTimer() {
  const started = new Map<unknown, { label: string; t0: number }>();
  const stats = new Map<string, Stat>();
  let compile: ((node: RootOperationNode, queryId: unknown) => string) | null = null;
  let enabled = false;

  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      if (enabled && compile) {
        const label = compile(args.node, args.queryId).replace(/\s+/g, ' ');
        started.set(args.queryId, { label, t0: performance.now() });
      }
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const s = started.get(args.queryId);
      if (s) {
        started.delete(args.queryId);
        const st = stats.get(s.label) ?? { count: 0, totalMs: 0 };
        st.count += 1;
        st.totalMs += performance.now() - s.t0;
        stats.set(s.label, st);
        return args.result;
      }
      // A statement prepared once (src/platform/db/prepared.ts) skips transformQuery, so its
      // start is not seen: it is counted, not timed.
      const prepared = enabled ? takePreparedSql(args.queryId) : undefined;
      if (prepared !== undefined) {
        const label = `(prepared, not timed) ${prepared.replace(/\s+/g, ' ')}`;
        const st = stats.get(label) ?? { count: 0, totalMs: 0 };
        st.count += 1;
        stats.set(label, st);
      }
      return args.result;
    },
  };

  return {
    /** `db` with the timer installed (shares the driver, pool and connection of `db`). */
    wrap(db: Db): Db {
      const executor = db.getExecutor();
      compile = (node, queryId) => executor.compileQuery(node, queryId as never).sql;
      return db.withPlugin(plugin);
    },
    start() {
      stats.clear();
      tracePreparedSql(true);
      enabled = true;
    },
    stop() {
      enabled = false;
      tracePreparedSql(false);
      return [...stats.entries()].map(([sql, s]) => ({ sql, ...s })).sort((a, b) => b.totalMs - a.totalMs);
    },
  };
}

export type QueryTimer = ReturnType<typeof createQueryTimer>;
