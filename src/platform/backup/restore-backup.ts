import { existsSync, linkSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config.ts';
import { connect, type MigrationSet } from '../db/database.ts';
import { ConfigError } from '../errors.ts';
import type { OnProgress } from './create-backup.ts';
import { copyIntoPlace, hashFile } from './files.ts';
import {
  type CountRow,
  compareCounts,
  FILES_DIR,
  type FoundFile,
  findBadFile,
  MANIFEST_FILE,
  type Manifest,
  parseManifest,
  SECRET_FILE,
} from './manifest.ts';
import { postgresHasData, readPostgresState, restorePostgres } from './pg-copy.ts';
import { closeForReplace, readSqliteState, sqliteHasData } from './sqlite-copy.ts';

export type RestoreResult = {
  manifest: Manifest;
  counts: CountRow[];
  /** Migrations this release applied on top of the backup's schema. */
  migrated: string[];
  /** Files restore moved aside rather than lose (the replaced database, a different secret.key). */
  keptAside: string[];
  dataFiles: number;
};

/**
 * Restores a backup folder over the configured database and DATA_DIR. Everything that can be
 * checked is checked before anything is touched: the manifest, every checksum, the engine, and
 * (unless `force`) that the target database is empty.
 */
export async function restoreBackup(
  config: Config,
  from: string,
  opts: { migrations: MigrationSet; force?: boolean; onProgress?: OnProgress; now?: () => Date },
): Promise<RestoreResult> {
  const progress = opts.onProgress ?? (() => {});
  const dir = resolve(from);
  const manifest = readManifest(dir);
  checkEngine(config, manifest);
  await verifyFiles(dir, manifest, progress);
  if (!opts.force && (await targetHasData(config))) {
    throw new ConfigError('the target database is not empty; add --force to replace it with the backup');
  }

  const stamp = (opts.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const keptAside: string[] = [];
  progress('database', 0, 1);
  const db = join(dir, manifest.database);
  if (config.database.dialect === 'sqlite') {
    const aside = await replaceSqlite(config.database.file, db, stamp);
    if (aside) keptAside.push(aside);
  } else {
    await restorePostgres(config.database, db);
  }
  progress('database', 1, 1);

  const dataFiles = manifest.files.filter((f) => f.path.startsWith(`${FILES_DIR}/`));
  progress('files', 0, dataFiles.length);
  for (const [i, f] of dataFiles.entries()) {
    await copyIntoPlace(join(dir, f.path), join(config.dataDir, f.path.slice(FILES_DIR.length + 1)));
    progress('files', i + 1, dataFiles.length);
  }
  if (manifest.secretKey) {
    const aside = await restoreSecret(join(dir, SECRET_FILE), join(config.dataDir, SECRET_FILE), stamp);
    if (aside) keptAside.push(aside);
  }

  // Brings an older backup up to this release's schema.
  progress('migrations', 0, 1);
  const handle = await connect(config.database, { migrations: opts.migrations });
  await handle.close();
  progress('migrations', 1, 1);
  const now = await readState(config);
  const migrated = now.migrations.filter((m) => !manifest.migrations.includes(m));
  const counts = compareCounts(manifest.tables, now.tables);
  return { manifest, counts, migrated, keptAside, dataFiles: dataFiles.length };
}

function readManifest(dir: string): Manifest {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ConfigError(`no backup folder at ${dir}`);
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) {
    throw new ConfigError(`${dir} has no ${MANIFEST_FILE}: not a Returnflow backup, or an unfinished one`);
  }
  return parseManifest(readFileSync(file, 'utf8'));
}

function checkEngine(config: Config, manifest: Manifest): void {
  const target = config.database;
  if (manifest.dialect !== target.dialect) {
    throw new ConfigError(
      `the backup is of a ${manifest.dialect} database but DATABASE_URL is ${target.dialect}; restore it into the same engine`,
    );
  }
  // pg_restore recreates objects in the schema they were dumped from; it cannot rename it.
  if (target.dialect === 'postgres' && manifest.schema !== (target.schema ?? 'public')) {
    throw new ConfigError(
      `the backup holds schema "${manifest.schema}" but DATABASE_URL names "${target.schema ?? 'public'}"; restore with ?schema=${manifest.schema}`,
    );
  }
  if (target.dialect === 'sqlite' && target.file === ':memory:') {
    throw new ConfigError('DATABASE_URL is an in-memory database; give a file to restore into');
  }
}

/** Every file the manifest lists, with its size and sha256, before anything is touched. */
async function verifyFiles(dir: string, manifest: Manifest, progress: OnProgress): Promise<void> {
  const found = new Map<string, FoundFile>();
  progress('verifying', 0, manifest.files.length);
  for (const [i, f] of manifest.files.entries()) {
    const path = join(dir, f.path);
    found.set(f.path, existsSync(path) && statSync(path).isFile() ? await hashFile(path) : null);
    progress('verifying', i + 1, manifest.files.length);
  }
  const bad = findBadFile(manifest, (p) => found.get(p) ?? null);
  if (bad) throw new ConfigError(`the backup is damaged: ${bad}; nothing was restored`);
}

function targetHasData(config: Config): Promise<boolean> {
  const target = config.database;
  return target.dialect === 'sqlite' ? Promise.resolve(sqliteHasData(target.file)) : postgresHasData(target);
}

function readState(config: Config) {
  const target = config.database;
  return target.dialect === 'sqlite'
    ? Promise.resolve(readSqliteState(target.file))
    : readPostgresState(target);
}

/**
 * Puts the backup's database in place with one rename, so the path always holds a whole
 * database. The replaced one stays reachable under a second name (a hard link made before the
 * rename) until the operator has checked the restore.
 */
async function replaceSqlite(target: string, copy: string, stamp: string): Promise<string | null> {
  closeForReplace(target);
  let aside: string | null = null;
  if (existsSync(target)) {
    aside = `${target}.before-restore-${stamp}`;
    linkSync(target, aside);
  }
  await copyIntoPlace(copy, target);
  return aside;
}

/** A different secret.key is kept aside: without it, credentials sealed with it are lost for good. */
async function restoreSecret(from: string, to: string, stamp: string): Promise<string | null> {
  let aside: string | null = null;
  if (existsSync(to) && !readFileSync(to).equals(readFileSync(from))) {
    aside = `${to}.before-restore-${stamp}`;
    linkSync(to, aside);
  }
  await copyIntoPlace(from, to);
  return aside;
}
