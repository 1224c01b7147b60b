import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * Where uploaded files live. The local implementation writes under DATA_DIR; an S3-compatible
 * one can implement the same three calls for deployments with several machines.
 */
export interface FileStorage {
  put(key: string, data: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  remove(key: string): Promise<void>;
}

/**
 * A key (or prefix) without empty, `.` or `..` segments, backslashes or control characters. Our
 * keys are built by us, but path-style URLs are normalised by some proxies and stores, so a `..`
 * could reach another prefix, as it would escape DATA_DIR on disk.
 */
export function isSafeKey(key: string): boolean {
  return !key.split('/').some((s) => s === '' || s === '.' || s === '..') && !/[\\\p{Cc}]/u.test(key);
}

export function createLocalStorage(root: string): FileStorage {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const p = resolve(join(base, key));
    // Keys are built by us, but a path that escapes the root is refused all the same.
    if (!p.startsWith(base + sep)) throw new Error(`storage key outside the root: ${key}`);
    return p;
  };
  return {
    async put(key, data) {
      const p = pathOf(key);
      await mkdir(dirname(p), { recursive: true });
      // Written next to the target and renamed, so a reader never sees half a file.
      const tmp = `${p}.${process.pid}.tmp`;
      await writeFile(tmp, data, { mode: 0o600 });
      await rename(tmp, p);
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
