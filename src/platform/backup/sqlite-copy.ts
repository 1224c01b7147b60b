import { existsSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { ConfigError } from '../errors.ts';
import { MIGRATION_TABLES } from './manifest.ts';

export type DatabaseState = { tables: Record<string, number>; migrations: string[] };

/**
 * An online, consistent copy through SQLite's backup API: it reads page by page under a read
 * transaction, so the server keeps writing meanwhile (WAL), and a write by another process
 * makes it start over rather than mix two states. The copy is left in rollback-journal mode,
 * one self-contained file, and its rows are counted there — in the snapshot that was copied.
 */
export async function copySqlite(
  source: string,
  dest: string,
  onPages?: (done: number, total: number) => void,
): Promise<DatabaseState> {
  if (!existsSync(source)) {
    throw new ConfigError(`no database at ${source} (check DATABASE_URL and DATA_DIR)`);
  }
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const done = await db.backup(dest, {
      // After the first step, copy everything left in one step: a busy server restarts the
      // backup on every write between steps, and a single step cannot be interrupted that way.
      progress: ({ totalPages, remainingPages }) => {
        onPages?.(totalPages - remainingPages, totalPages);
        return totalPages;
      },
    });
    // The last step is not reported to `progress`.
    onPages?.(done.totalPages, done.totalPages);
  } finally {
    db.close();
  }
  const copy = new SQLite(dest, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new ConfigError(`the database copy failed its integrity check: ${check}`);
    return readState(copy);
  } finally {
    copy.close();
  }
}

/** Row counts and applied migrations of a SQLite file. */
export function readSqliteState(file: string): DatabaseState {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return readState(db);
  } finally {
    db.close();
  }
}

function readState(db: SQLite.Database): DatabaseState {
  const tables: Record<string, number> = {};
  for (const name of tableNames(db)) {
    tables[name] = (db.prepare(`select count(*) as n from ${quote(name)}`).get() as { n: number }).n;
  }
  const migrations =
    'kysely_migration' in tables
      ? (db.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map(
          (r) => r.name,
        )
      : [];
  return { tables, migrations };
}

function tableNames(db: SQLite.Database): string[] {
  return (
    db
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
      )
      .all() as { name: string }[]
  ).map((r) => r.name);
}

/** Table names come from the catalogue, never from input; quoting still covers odd ones. */
function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** True when the file holds any row beyond the migration bookkeeping. */
export function sqliteHasData(file: string): boolean {
  if (!existsSync(file)) return false;
  const db = new SQLite(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return tableNames(db)
      .filter((t) => !MIGRATION_TABLES.includes(t))
      .some((t) => db.prepare(`select 1 from ${quote(t)} limit 1`).get() !== undefined);
  } finally {
    db.close();
  }
}

/**
 * Folds the WAL back into the database file and leaves it in rollback-journal mode, so that no
 * -wal file of the old database survives to be replayed onto the restored one. SQLite only
 * allows leaving WAL mode with no other connection open, which tells us the server is stopped.
 */
export function closeForReplace(file: string): void {
  if (!existsSync(file)) return;
  const db = new SQLite(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    db.pragma('journal_mode = DELETE');
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_BUSY') {
      throw new ConfigError(`the database ${file} is in use; stop the Returnflow server before restoring`);
    }
    throw e;
  } finally {
    db.close();
  }
}
