import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { FORMAT, MANIFEST_FILE, SECRET_FILE } from './manifest.ts';

/** Size and sha256 of a file, read as a stream so a large dump is not held in memory. */
export async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/**
 * Files under DATA_DIR that belong in a backup, as paths relative to it. Left out: the
 * database and its journals (copied through the SQLite backup API instead), temp files of
 * writes in progress, `secret.key` (kept apart in the backup), symlinks (they could point
 * anywhere), the backup being written, and earlier backups kept under DATA_DIR (each backup
 * would otherwise hold all the ones before it).
 */
export function listDataFiles(dataDir: string, skip: { databaseFile?: string; outDir: string }): string[] {
  const root = resolve(dataDir);
  if (!existsSync(root)) return [];
  const db = skip.databaseFile ? resolve(skip.databaseFile) : null;
  const dbFiles = db ? new Set(['', '-wal', '-shm', '-journal'].map((s) => db + s)) : new Set<string>();
  const out = resolve(skip.outDir);
  const found: string[] = [];
  const walk = (dir: string) => {
    if (dir === out || (dir !== root && isBackupFolder(dir))) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !dbFiles.has(path) && !isScratch(path, db)) {
        const rel = relative(root, path);
        if (rel !== SECRET_FILE) found.push(rel.split(sep).join('/'));
      }
    }
  };
  walk(root);
  return found.sort();
}

/** Temp files of writes in progress, and databases a restore kept aside (copies of the old one). */
function isScratch(path: string, db: string | null): boolean {
  return path.endsWith('.tmp') || (db !== null && path.startsWith(`${db}.before-restore-`));
}

function isBackupFolder(dir: string): boolean {
  const manifest = join(dir, MANIFEST_FILE);
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { format?: string }).format === FORMAT;
  } catch {
    return false;
  }
}

/**
 * Copies a file into place the way storage writes uploads: next to the target, then renamed,
 * so a reader (or a crash) never sees half a file. Owner-only, like the files it restores.
 */
export async function copyIntoPlace(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  const tmp = `${to}.${process.pid}.restore.tmp`;
  try {
    await copyFile(from, tmp);
    await chmod(tmp, 0o600);
    await rename(tmp, to);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Total size of the given files. */
export async function totalBytes(files: string[]): Promise<number> {
  let n = 0;
  for (const f of files) n += (await stat(f)).size;
  return n;
}
