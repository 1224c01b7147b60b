import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CamelCasePlugin,
  Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
  sql,
} from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { toSafeInteger } from '../money.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export type DatabaseHandle = {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  close: () => Promise<void>;
};

/** Opens the configured database; nothing is migrated here (see `migrateToLatest`). */
export function openDatabase(config: DatabaseConfig, options: { poolSize?: number } = {}): DatabaseHandle {
  // JSON documents keep their keys as written (jsonb would otherwise come back camel-cased on
  // PostgreSQL only, e.g. a policy's `feeRefunds.domestic_shipping`).
  const plugins = [new CamelCasePlugin({ maintainNestedObjectKeys: true })];
  if (config.dialect === 'sqlite') {
    if (config.file !== ':memory:') mkdirSync(dirname(config.file), { recursive: true });
    const sqlite = new SQLite(config.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // A second process (the CLI while the server runs) waits instead of failing at once.
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: cachedStatements(sqlite) }),
      plugins,
    });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: config.url.replace(/[?&]schema=[^&]*/, ''),
    max: options.poolSize ?? 10,
    options: config.schema ? `-c search_path=${config.schema}` : undefined,
    types: { getTypeParser: pgTypeParser as never },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/**
 * Kysely's SQLite driver prepares every statement anew; preparing was 12-20% of server CPU in
 * the create-return benchmark. Statements are reused by their SQL text (parameters are bound
 * per call), with a bound on how many are kept.
 */
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

// pg hands int8 (bigint columns, count(*)) back as strings and timestamptz as Date: one
// mapping for both engines keeps the repos free of per-dialect code.
const INT8 = 20;
const TIMESTAMPTZ = 1184;
function pgTypeParser(oid: number, format?: string) {
  if (oid === INT8) return (v: string) => toSafeInteger(v);
  if (oid === TIMESTAMPTZ) return (v: string) => new Date(v).toISOString();
  return pg.types.getTypeParser(oid, format as 'text');
}

/**
 * The application's migrations for one engine, by name (applied in name order). The composition
 * root (src/database.ts) lists them: the platform's and each module's own.
 */
export type MigrationSet = (dialect: 'sqlite' | 'postgres') => Record<string, Migration>;

/** Brings the schema up to date; safe to run from several processes at once (Kysely's migration lock). */
export async function migrateToLatest(
  handle: DatabaseHandle,
  migrations: MigrationSet,
  schema?: string,
): Promise<string[]> {
  if (handle.dialect === 'postgres' && schema) {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(handle.db);
  }
  const provider: MigrationProvider = { getMigrations: async () => migrations(handle.dialect) };
  const migrator = new Migrator({
    db: handle.db,
    provider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  let { error, results } = await migrator.migrateToLatest();
  // Before it runs anything, Kysely's migrator lists the tables of every schema in the database;
  // a schema dropped by someone else between its two catalogue queries fails that listing. Nothing
  // has been applied then (no results), so asking again is safe.
  for (
    let attempt = 1;
    attempt < 4 && error && !results && /does not exist/.test(String((error as Error).message));
    attempt++
  ) {
    ({ error, results } = await migrator.migrateToLatest());
  }
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Opens and migrates; turns "cannot connect" into one clear line. */
export async function connect(
  config: DatabaseConfig,
  options: { poolSize?: number; migrations: MigrationSet },
): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  try {
    handle = openDatabase(config, options);
  } catch (e) {
    throw new ConfigError(`cannot open database ${config.url}: ${(e as Error).message}`);
  }
  try {
    await migrateToLatest(
      handle,
      options.migrations,
      config.dialect === 'postgres' ? config.schema : undefined,
    );
  } catch (e) {
    await handle.close().catch(() => {});
    const msg = (e as Error).message;
    if (/ECONNREFUSED|ENOTFOUND|password authentication|does not exist|timeout/i.test(msg)) {
      throw new ConfigError(`cannot connect to the database (${redact(config.url)}): ${msg}`);
    }
    throw e;
  }
  return handle;
}

function redact(url: string): string {
  return url.replace(/:[^:@/]*@/, ':***@');
}

/** True when a driver error is a unique-constraint violation (both engines). */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return (
    err?.code === '23505' ||
    err?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** True when a CHECK constraint refused a write (both engines). */
export function isCheckViolation(e: unknown): boolean {
  const err = e as { code?: string };
  return err?.code === '23514' || err?.code === 'SQLITE_CONSTRAINT_CHECK';
}

/** True when a foreign key refused a write or delete (both engines). */
export function isForeignKeyViolation(e: unknown): boolean {
  const err = e as { code?: string };
  return err?.code === '23503' || err?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
