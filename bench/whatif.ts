import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, type SqliteDatabase, SqliteDialect, sql } from 'kysely';
import type { DatabaseConfig } from '../src/platform/config.ts';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../src/platform/db/database.ts';
import type { Database } from '../src/platform/db/schema.ts';

/**
 * What-if experiments, off by default (BENCH_WHATIF=index,stmt-cache). They change only the
 * bench's own database or connection, never src/, to put a number on a proposed change:
 *  - index: adds the index `returns (tenant_id, customer_id)` that countCustomerReturns lacks;
 *  - stmt-cache (SQLite): the connection reuses prepared statements by SQL text instead of
 *    preparing every statement anew (Kysely's SqliteDriver calls `prepare` per query). The
 *    floor gets the same connection, so the comparison stays like for like.
 */
export type WhatIf = { index: boolean; stmtCache: boolean };

export function parseWhatIf(raw: string | undefined): WhatIf {
  const items = new Set(
    (raw ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  for (const i of items)
    if (i !== 'index' && i !== 'stmt-cache') throw new Error(`BENCH_WHATIF: unknown "${i}"`);
  return { index: items.has('index'), stmtCache: items.has('stmt-cache') };
}

/** better-sqlite3 with a prepared-statement cache (bounded; statements are reused by SQL text). */
function cachedStatements(db: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => db.close(),
    prepare(text: string) {
      let stmt = cache.get(text);
      if (!stmt) {
        stmt = db.prepare(text);
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}

/** `openDatabase` (same pragmas, same plugins) with the what-if applied to SQLite connections. */
export function openWithWhatIf(config: DatabaseConfig, w: WhatIf): DatabaseHandle {
  if (config.dialect !== 'sqlite' || !w.stmtCache) return openDatabase(config);
  const sqlite = new SQLite(config.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachedStatements(sqlite) }),
    plugins: [new CamelCasePlugin()],
  });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/** `connect` with the what-ifs: opens, migrates, then adds the proposed index when asked. */
export async function connectWithWhatIf(config: DatabaseConfig, w: WhatIf): Promise<DatabaseHandle> {
  const handle = openWithWhatIf(config, w);
  await migrateToLatest(handle, config.dialect === 'postgres' ? config.schema : undefined);
  if (w.index) {
    await sql`create index if not exists returns_customer_ix on returns (tenant_id, customer_id)`.execute(
      handle.db,
    );
  }
  return handle;
}
