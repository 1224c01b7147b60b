import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import {
  buildManifest,
  compareCounts,
  countsDiffer,
  findBadFile,
  formatBytes,
  isSafeRelativePath,
  type Manifest,
  parseManifest,
} from './manifest.ts';

const sha = (c: string) => c.repeat(64);

function manifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    ...buildManifest({
      appVersion: '0.1.0',
      dialect: 'sqlite',
      schema: null,
      createdAt: '2026-01-02T03:04:05.000Z',
      migrations: ['0001-core'],
      tables: { returns: 3, orders: 2 },
      database: 'database.sqlite',
      secretKey: true,
      files: [
        { path: 'secret.key', bytes: 43, sha256: sha('b') },
        { path: 'database.sqlite', bytes: 4096, sha256: sha('a') },
        { path: 'files/evidence/t1/e1.jpg', bytes: 10, sha256: sha('c') },
      ],
    }),
    ...overrides,
  };
}

describe('buildManifest', () => {
  it('marks the format and orders files and tables by name, so two backups diff cleanly', () => {
    const m = manifest();
    expect(m.format).toBe('returnflow-backup');
    expect(m.formatVersion).toBe(1);
    expect(m.files.map((f) => f.path)).toEqual(['database.sqlite', 'files/evidence/t1/e1.jpg', 'secret.key']);
    expect(Object.keys(m.tables)).toEqual(['orders', 'returns']);
  });
});

describe('parseManifest', () => {
  it('reads back what buildManifest wrote', () => {
    const m = manifest();
    expect(parseManifest(JSON.stringify(m))).toEqual(m);
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['another format', JSON.stringify({ format: 'other' }), /not a Returnflow backup/],
    ['a newer format version', JSON.stringify(manifest({ formatVersion: 2 })), /version 2 is not supported/],
    ['no file list', JSON.stringify({ ...manifest(), files: undefined }), /incomplete/],
    [
      'a path leaving the folder',
      JSON.stringify(manifest({ files: [{ path: '../../etc/passwd', bytes: 1, sha256: sha('a') }] })),
      /unsafe path/,
    ],
    [
      'an absolute path',
      JSON.stringify(manifest({ files: [{ path: '/etc/passwd', bytes: 1, sha256: sha('a') }] })),
      /unsafe path/,
    ],
    [
      'a bad checksum',
      JSON.stringify(manifest({ files: [{ path: 'database.sqlite', bytes: 1, sha256: 'x' }] })),
      /no valid size or sha256/,
    ],
    [
      'no database copy listed',
      JSON.stringify(manifest({ database: 'missing.sqlite' })),
      /does not list the database/,
    ],
  ])('refuses %s with a ConfigError', (_name, text, message) => {
    expect(() => parseManifest(text)).toThrow(ConfigError);
    expect(() => parseManifest(text)).toThrow(message);
  });
});

describe('isSafeRelativePath', () => {
  it('accepts plain relative paths and refuses any that could leave the folder', () => {
    expect(isSafeRelativePath('files/evidence/t/e.jpg')).toBe(true);
    expect(isSafeRelativePath('secret.key')).toBe(true);
    for (const p of ['', '/abs', '../x', 'files/../../x', 'files/./x', 'a\\b', 'a//b', 'a\0b']) {
      expect(isSafeRelativePath(p), p).toBe(false);
    }
  });
});

describe('findBadFile', () => {
  const m = manifest();
  const good = (path: string) => {
    const f = m.files.find((x) => x.path === path)!;
    return { bytes: f.bytes, sha256: f.sha256 };
  };

  it('is null when every file has its size and sha256', () => {
    expect(findBadFile(m, good)).toBeNull();
  });

  it('names a missing file', () => {
    expect(findBadFile(m, (p) => (p === 'secret.key' ? null : good(p)))).toBe(
      'secret.key is missing from the backup',
    );
  });

  it('names a truncated file by its size', () => {
    const bad = findBadFile(m, (p) => (p === 'database.sqlite' ? { ...good(p), bytes: 100 } : good(p)));
    expect(bad).toBe('database.sqlite has 100 bytes, the manifest says 4096');
  });

  it('names a changed file by its checksum', () => {
    const bad = findBadFile(m, (p) => (p.startsWith('files/') ? { ...good(p), sha256: sha('d') } : good(p)));
    expect(bad).toBe('files/evidence/t1/e1.jpg does not match its sha256 in the manifest');
  });
});

describe('compareCounts', () => {
  it('lists tables of both sides and flags only real differences', () => {
    const rows = compareCounts(
      { returns: 3, orders: 2, kysely_migration: 9 },
      { returns: 3, orders: 1, kysely_migration: 10, new_table: 0 },
    );
    expect(rows).toEqual([
      { table: 'kysely_migration', backup: 9, now: 10 },
      { table: 'new_table', backup: null, now: 0 },
      { table: 'orders', backup: 2, now: 1 },
      { table: 'returns', backup: 3, now: 3 },
    ]);
    // Newer migrations add migration rows and tables: expected after restoring an older backup.
    expect(rows.filter(countsDiffer).map((r) => r.table)).toEqual(['orders']);
  });
});

describe('formatBytes', () => {
  it('uses the largest unit below 1024', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
  });
});
