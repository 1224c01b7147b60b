import { isAbsolute, normalize, sep } from 'node:path';
import { ConfigError } from '../errors.ts';

/**
 * What a backup holds, written last as `manifest.json`: restore trusts nothing in the folder
 * that this list does not name with its size and sha256.
 */
export type Manifest = {
  format: typeof FORMAT;
  formatVersion: number;
  appVersion: string;
  dialect: 'sqlite' | 'postgres';
  /** The PostgreSQL schema that was dumped (pg_restore cannot rename it); null on SQLite. */
  schema: string | null;
  createdAt: string;
  /** Names of the schema migrations applied in the backed-up database, oldest first. */
  migrations: string[];
  /** Rows per table, counted in the same snapshot the copy was taken from. */
  tables: Record<string, number>;
  /** The database copy: `database.sqlite` or `database.dump`. */
  database: string;
  secretKey: boolean;
  files: ManifestFile[];
};

export type ManifestFile = { path: string; bytes: number; sha256: string };

export const FORMAT = 'returnflow-backup';
export const FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
/** Uploaded files sit under this folder of the backup, with their paths under DATA_DIR. */
export const FILES_DIR = 'files';
export const SECRET_FILE = 'secret.key';
/** Kysely's own bookkeeping: present in a migrated but otherwise empty database. */
export const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'];

/** Assembles the manifest; files are listed in a stable order so two backups diff cleanly. */
export function buildManifest(input: Omit<Manifest, 'format' | 'formatVersion'>): Manifest {
  const tables = Object.fromEntries(Object.entries(input.tables).sort(([a], [b]) => a.localeCompare(b)));
  const files = [...input.files].sort((a, b) => a.path.localeCompare(b.path));
  return { format: FORMAT, formatVersion: FORMAT_VERSION, ...input, tables, files };
}

/**
 * Reads manifest.json text; anything that is not a manifest this version can restore is a
 * ConfigError. Paths are checked here because a crafted backup could otherwise name
 * `../../etc/…` and have restore write outside DATA_DIR.
 */
export function parseManifest(text: string): Manifest {
  let m: Partial<Manifest>;
  try {
    m = JSON.parse(text) as Partial<Manifest>;
  } catch {
    throw new ConfigError('manifest.json is not valid JSON (the backup is damaged)');
  }
  if (m?.format !== FORMAT) throw new ConfigError('manifest.json is not a Returnflow backup manifest');
  if (m.formatVersion !== FORMAT_VERSION) {
    throw new ConfigError(
      `backup format version ${m.formatVersion} is not supported (this Returnflow reads version ${FORMAT_VERSION})`,
    );
  }
  if (m.dialect !== 'sqlite' && m.dialect !== 'postgres') {
    throw new ConfigError('manifest.json has no valid dialect');
  }
  if (!Array.isArray(m.files) || !Array.isArray(m.migrations) || typeof m.tables !== 'object' || !m.tables) {
    throw new ConfigError('manifest.json is incomplete (files, migrations or tables missing)');
  }
  for (const f of m.files) {
    if (typeof f?.path !== 'string' || !isSafeRelativePath(f.path)) {
      throw new ConfigError(`manifest.json names an unsafe path "${String(f?.path)}"`);
    }
    if (!Number.isSafeInteger(f.bytes) || !/^[0-9a-f]{64}$/.test(String(f.sha256))) {
      throw new ConfigError(`manifest.json has no valid size or sha256 for ${f.path}`);
    }
  }
  if (typeof m.database !== 'string' || !m.files.some((f) => f.path === m.database)) {
    throw new ConfigError('manifest.json does not list the database copy');
  }
  return m as Manifest;
}

/** A relative path that stays inside the folder it is joined to. */
export function isSafeRelativePath(p: string): boolean {
  if (!p || isAbsolute(p) || p.includes('\0') || p.includes('\\')) return false;
  const n = normalize(p);
  return n === p && n !== '..' && !n.startsWith(`..${sep}`) && !n.split(sep).includes('..');
}

/** What one file in the backup turned out to be: missing, or its size and sha256. */
export type FoundFile = { bytes: number; sha256: string } | null;

/**
 * The first file that does not match the manifest, as a sentence naming it; null when all match.
 * Size is checked before the hash so a truncated copy says "incomplete", not just "changed".
 */
export function findBadFile(manifest: Manifest, found: (path: string) => FoundFile): string | null {
  for (const f of manifest.files) {
    const got = found(f.path);
    if (!got) return `${f.path} is missing from the backup`;
    if (got.bytes !== f.bytes) return `${f.path} has ${got.bytes} bytes, the manifest says ${f.bytes}`;
    if (got.sha256 !== f.sha256) return `${f.path} does not match its sha256 in the manifest`;
  }
  return null;
}

export type CountRow = { table: string; backup: number | null; now: number | null };

/** Row counts of the backup beside the restored database; tables from either side are listed. */
export function compareCounts(backup: Record<string, number>, now: Record<string, number>): CountRow[] {
  const names = [...new Set([...Object.keys(backup), ...Object.keys(now)])].sort((a, b) =>
    a.localeCompare(b),
  );
  return names.map((table) => ({ table, backup: backup[table] ?? null, now: now[table] ?? null }));
}

/** True when the table rows differ in a way an operator should look at (a table only in the
 * restored database is one a newer migration created, which is expected). */
export function countsDiffer(row: CountRow): boolean {
  return row.backup !== null && row.backup !== row.now && !MIGRATION_TABLES.includes(row.table);
}

/** "12.3 MB" */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
