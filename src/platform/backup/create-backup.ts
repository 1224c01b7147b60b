import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { copyIntoPlace, hashFile, listDataFiles } from './files.ts';
import {
  buildManifest,
  FILES_DIR,
  MANIFEST_FILE,
  type Manifest,
  type ManifestFile,
  SECRET_FILE,
} from './manifest.ts';
import { dumpPostgres } from './pg-copy.ts';
import { copySqlite, type DatabaseState } from './sqlite-copy.ts';

/** Reports a step: `done` of `total` units (pages, files). */
export type OnProgress = (label: string, done: number, total: number) => void;

export type BackupResult = {
  dir: string;
  manifest: Manifest;
  bytes: number;
  /** Uploaded files copied (not counting the database and secret.key). */
  dataFiles: number;
};

/**
 * Writes a backup folder: the database (an online copy or pg_dump), the uploaded files under
 * DATA_DIR, secret.key, and last the manifest that makes the folder restorable. A failure
 * removes the half-written folder, so a folder with a manifest is always a whole backup.
 */
export async function createBackup(
  config: Config,
  out: string,
  opts: { onProgress?: OnProgress; now?: () => Date } = {},
): Promise<BackupResult> {
  const dir = resolve(out);
  checkOutDir(dir);
  if (config.database.dialect === 'sqlite' && config.database.file === ':memory:') {
    throw new ConfigError('DATABASE_URL is an in-memory database; there is nothing to back up');
  }
  const existed = existsSync(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    return await writeBackup(config, dir, opts);
  } catch (e) {
    // An empty folder given by the operator (a mount point, say) stays; only what we wrote goes.
    if (existed) for (const f of readdirSync(dir)) await rm(join(dir, f), { recursive: true, force: true });
    else await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

async function writeBackup(
  config: Config,
  dir: string,
  opts: { onProgress?: OnProgress; now?: () => Date },
): Promise<BackupResult> {
  const progress = opts.onProgress ?? (() => {});
  const createdAt = (opts.now?.() ?? new Date()).toISOString();
  const { database, state } = await copyDatabase(config, dir, progress);
  const files: ManifestFile[] = [{ path: database, ...(await hashFile(join(dir, database))) }];

  const dataFiles = listDataFiles(config.dataDir, {
    databaseFile: config.database.dialect === 'sqlite' ? config.database.file : undefined,
    outDir: dir,
  });
  progress('files', 0, dataFiles.length);
  for (const [i, rel] of dataFiles.entries()) {
    const path = `${FILES_DIR}/${rel}`;
    await copyIntoPlace(join(config.dataDir, rel), join(dir, path));
    // The copy is hashed, not the original: the manifest describes what the backup holds.
    files.push({ path, ...(await hashFile(join(dir, path))) });
    progress('files', i + 1, dataFiles.length);
  }

  const secret = join(config.dataDir, SECRET_FILE);
  const secretKey = existsSync(secret);
  if (secretKey) {
    await copyFile(secret, join(dir, SECRET_FILE));
    await chmod(join(dir, SECRET_FILE), 0o600);
    files.push({ path: SECRET_FILE, ...(await hashFile(join(dir, SECRET_FILE))) });
  }

  const manifest = buildManifest({
    appVersion: appVersion(),
    dialect: config.database.dialect,
    schema: config.database.dialect === 'postgres' ? (config.database.schema ?? 'public') : null,
    createdAt,
    migrations: state.migrations,
    tables: state.tables,
    database,
    secretKey,
    files,
  });
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  const bytes = files.reduce((n, f) => n + f.bytes, 0);
  return { dir, manifest, bytes, dataFiles: dataFiles.length };
}

async function copyDatabase(
  config: Config,
  dir: string,
  progress: OnProgress,
): Promise<{ database: string; state: DatabaseState }> {
  if (config.database.dialect === 'sqlite') {
    const database = 'database.sqlite';
    const state = await copySqlite(config.database.file, join(dir, database), (done, total) =>
      progress('database', done, total),
    );
    return { database, state };
  }
  const database = 'database.dump';
  progress('database (pg_dump)', 0, 1);
  const state = await dumpPostgres(config.database, join(dir, database));
  progress('database (pg_dump)', 1, 1);
  return { database, state };
}

/** The folder must be new or empty: writing into an old backup would mix two of them. */
function checkOutDir(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new ConfigError(`--out ${dir} is a file, not a folder`);
  if (readdirSync(dir).length > 0) {
    throw new ConfigError(`--out ${dir} already exists and is not empty; give a new folder`);
  }
}

/** The version in package.json, recorded so an operator knows which release wrote a backup. */
export function appVersion(): string {
  const pkg = join(dirname(dirname(dirname(import.meta.dirname))), 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}
