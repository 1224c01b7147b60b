import pg from 'pg';
import type { DatabaseConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { MIGRATION_TABLES } from './manifest.ts';
import { findPgTool, pgToolConnection, runPgTool } from './pg-tools.ts';
import type { DatabaseState } from './sqlite-copy.ts';

type PgConfig = Extract<DatabaseConfig, { dialect: 'postgres' }>;

/**
 * pg_dump of the configured schema, in the custom format pg_restore reads. The rows are counted
 * in a transaction whose snapshot pg_dump is told to use (`--snapshot`), so the manifest's
 * counts describe exactly the rows in the dump, however busy the server is.
 */
export async function dumpPostgres(config: PgConfig, dest: string): Promise<DatabaseState> {
  const tool = findPgTool('pg_dump');
  const schema = config.schema ?? 'public';
  const conn = pgToolConnection(config.url);
  return withClient(config, async (client) => {
    await client.query('begin isolation level repeatable read read only');
    try {
      const { rows } = await client.query<{ id: string }>('select pg_export_snapshot() as id');
      const state = await readState(client, schema);
      const args = ['--format=custom', '--no-password', `--snapshot=${rows[0]!.id}`];
      await runPgTool(tool, [...args, '-n', schema, '-f', dest, '-d', conn.url], conn);
      return state;
    } finally {
      await client.query('commit');
    }
  });
}

/**
 * pg_restore into the configured schema, as one transaction: a dump that fails halfway leaves
 * the database as it was. `--clean --if-exists` drops the backed-up objects before creating
 * them again; ownership and grants are left to the restoring user.
 */
export async function restorePostgres(config: PgConfig, dump: string): Promise<void> {
  const tool = findPgTool('pg_restore');
  const conn = pgToolConnection(config.url);
  await withClient(config, (client) =>
    client.query(`create schema if not exists ${client.escapeIdentifier(config.schema ?? 'public')}`),
  );
  const args = ['--clean', '--if-exists', '--single-transaction', '--no-owner', '--no-privileges'];
  try {
    await runPgTool(tool, [...args, '--no-password', '-d', conn.url, dump], conn);
  } catch (e) {
    // Typically tables a newer release added, which the backup's schema drop does not cover.
    const hint = /other objects depend on it/.test(String(e))
      ? ' (the schema holds tables the backup does not; restore into an empty schema)'
      : '';
    throw new ConfigError(`${(e as Error).message}${hint}; nothing was changed`);
  }
}

/** Row counts and applied migrations of the configured schema. */
export function readPostgresState(config: PgConfig): Promise<DatabaseState> {
  return withClient(config, (client) => readState(client, config.schema ?? 'public'));
}

/** True when the configured schema holds any row beyond the migration bookkeeping. */
export function postgresHasData(config: PgConfig): Promise<boolean> {
  return withClient(config, async (client) => {
    const schema = config.schema ?? 'public';
    for (const t of await tableNames(client, schema)) {
      if (MIGRATION_TABLES.includes(t)) continue;
      const r = await client.query(`select 1 from ${qualified(client, schema, t)} limit 1`);
      if (r.rowCount) return true;
    }
    return false;
  });
}

async function readState(client: pg.Client, schema: string): Promise<DatabaseState> {
  const tables: Record<string, number> = {};
  for (const t of await tableNames(client, schema)) {
    const r = await client.query<{ n: string }>(`select count(*) as n from ${qualified(client, schema, t)}`);
    tables[t] = Number(r.rows[0]!.n);
  }
  const migrations =
    'kysely_migration' in tables
      ? (
          await client.query<{ name: string }>(
            `select name from ${qualified(client, schema, 'kysely_migration')} order by name`,
          )
        ).rows.map((r) => r.name)
      : [];
  return { tables, migrations };
}

async function tableNames(client: pg.Client, schema: string): Promise<string[]> {
  const r = await client.query<{ name: string }>(
    `select table_name as name from information_schema.tables
     where table_schema = $1 and table_type = 'BASE TABLE' order by table_name`,
    [schema],
  );
  return r.rows.map((row) => row.name);
}

function qualified(client: pg.Client, schema: string, table: string): string {
  return `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(table)}`;
}

async function withClient<T>(config: PgConfig, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: config.url.replace(/[?&]schema=[^&]*/, '') });
  try {
    await client.connect();
  } catch (e) {
    throw new ConfigError(
      `cannot connect to the database (${config.url.replace(/:[^:@/]*@/, ':***@')}): ${(e as Error).message}`,
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
