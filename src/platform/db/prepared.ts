import { type Compilable, createQueryId, type Kysely, type QueryId, type RootOperationNode } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Queries of the hot paths, built and compiled once per database engine and then run with new
 * parameters. Kysely otherwise builds the query tree, runs it through CamelCasePlugin and
 * compiles it anew on every call: a quarter of the CPU of filing a return in the profile
 * (docs/BENCHMARKS.md), more than running the statements.
 *
 * `build` gets named placeholders: each value passed through one becomes a bound parameter;
 * every other value is part of the shape, fixed at the first call. So a prepared query must not
 * change shape with its parameters (no optional filters, no `in` lists of varying length).
 * Results still pass through the plugins (snake_case columns come back camelCased), and on
 * SQLite the statement itself is prepared once too (the connection's cache keys on the SQL).
 */
export type Prepared<P, R> = {
  /** Every row. */
  execute(ex: Kysely<Database>, params: P): Promise<R[]>;
  /** The first row, or undefined. */
  takeFirst(ex: Kysely<Database>, params: P): Promise<R | undefined>;
  /** For a write: how many rows it changed. */
  run(ex: Kysely<Database>, params: P): Promise<bigint>;
};

const MARK = '\u0000returnflow-param:';

type Shape = { sql: string; query: RootOperationNode; slots: ({ name: string } | { value: unknown })[] };

/** The SQL text of a prepared statement run under `queryId`, for tests that list what ran. */
const sqlOfRun = new Map<QueryId, string>();
let tracing = false;

export function prepared<P extends Record<string, unknown>, R>(
  build: (db: Kysely<Database>, p: P) => Compilable<R>,
): Prepared<P, R> {
  // Keyed by the dialect's adapter: a transaction and a plugin-wrapped instance share it, and
  // their compiled SQL is the same.
  const shapes = new WeakMap<object, Shape>();
  const placeholders = new Proxy({} as P, { get: (_t, name) => `${MARK}${String(name)}` });

  function shapeFor(ex: Kysely<Database>): Shape {
    const adapter = ex.getExecutor().adapter;
    let shape = shapes.get(adapter);
    if (!shape) {
      const compiled = build(ex, placeholders).compile();
      shape = {
        sql: compiled.sql,
        query: compiled.query,
        slots: compiled.parameters.map((v) =>
          typeof v === 'string' && v.startsWith(MARK) ? { name: v.slice(MARK.length) } : { value: v },
        ),
      };
      shapes.set(adapter, shape);
    }
    return shape;
  }

  async function send(ex: Kysely<Database>, params: P) {
    const shape = shapeFor(ex);
    const parameters = shape.slots.map((s) => {
      if (!('name' in s)) return s.value;
      const v = params[s.name];
      if (v === undefined) throw new Error(`prepared query: no value for ${s.name}`);
      return v;
    });
    const queryId = createQueryId();
    if (tracing) sqlOfRun.set(queryId, shape.sql);
    return ex.executeQuery<R>({ sql: shape.sql, query: shape.query, parameters, queryId });
  }

  return {
    execute: async (ex, params) => (await send(ex, params)).rows,
    takeFirst: async (ex, params) => (await send(ex, params)).rows[0],
    run: async (ex, params) => (await send(ex, params)).numAffectedRows ?? 0n,
  };
}

/**
 * For tests that list the statements a use case runs (src/testing/services.ts): while on, the
 * SQL of each prepared run is kept under its query id until `takePreparedSql` reads it.
 */
export function tracePreparedSql(on: boolean): void {
  tracing = on;
  if (!on) sqlOfRun.clear();
}

export function takePreparedSql(queryId: QueryId): string | undefined {
  const sql = sqlOfRun.get(queryId);
  sqlOfRun.delete(queryId);
  return sql;
}
