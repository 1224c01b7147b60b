import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../src/database.ts';
import { createServices } from '../src/main.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loadConfig, parseDatabaseUrl } from '../src/platform/config.ts';
import { createLocalStorage } from '../src/platform/storage.ts';
import { BIN, cliWorkspace } from './helpers/cli-workspace.ts';
import { orderBody } from './helpers/fixtures.ts';

/**
 * `returnflow backup` and `returnflow restore` through the real command, on the suite's engine
 * (SQLite, or PostgreSQL when TEST_DATABASE_URL says so).
 */
const cli = cliWorkspace('returnflow-backup-');
// The key comes from DATA_DIR/secret.key here, as on a single machine, so the backup holds it.
const KEY_FROM_FILE = { SECRET_KEY: '' };
const run = (args: string[], extra: Record<string, string> = {}) =>
  cli.run(args, { ...KEY_FROM_FILE, ...extra });
const spawnRun = (args: string[], extra: Record<string, string> = {}) =>
  cli.spawn(args, { ...KEY_FROM_FILE, ...extra });
const EVIDENCE = 'evidence/t-backup/e1.jpg';
const backups = mkdtempSync(join(tmpdir(), 'returnflow-backups-'));
afterAll(() => rmSync(backups, { recursive: true, force: true }));

function ok(r: { status: number | null; stdout: string; stderr: string }) {
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

/** One clear line on stderr, exit 1, no stack trace. */
function refused(r: { status: number | null; stderr: string }, text: string | RegExp) {
  expect(r.status).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(text);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

async function withDb<T>(fn: (h: Awaited<ReturnType<typeof connectDatabase>>) => Promise<T>): Promise<T> {
  const h = await connectDatabase(parseDatabaseUrl(cli.databaseUrl));
  try {
    return await fn(h);
  } finally {
    await h.close();
  }
}

/** Every table's row count and the returns themselves: what a restore must bring back. */
function snapshot() {
  return withDb(async (h) => {
    const counts: Record<string, number> = {};
    const config = parseDatabaseUrl(cli.databaseUrl);
    // Kysely lists the tables of every schema on PostgreSQL; other test files have theirs.
    const schema = config.dialect === 'postgres' ? (config.schema ?? 'public') : undefined;
    for (const t of await h.db.introspection.getTables()) {
      if (t.name.startsWith('kysely_') || (schema && t.schema !== schema)) continue;
      const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(t.name)}`.execute(
        h.db,
      );
      counts[t.name] = Number(r.rows[0]!.n);
    }
    const returns = await h.db
      .selectFrom('returns')
      .select(['id', 'status', 'version'])
      .orderBy('id')
      .execute();
    return { counts, returns };
  });
}

const evidencePath = () => join(cli.dataDir, EVIDENCE);
const secretPath = () => join(cli.dataDir, 'secret.key');
let backupSeq = 0;
const newBackupDir = () => join(backups, `b${++backupSeq}`);

/** The command in the background, so the test process can keep writing while it runs. */
function runInBackground(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: cli.env(KEY_FROM_FILE),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

describe('returnflow backup and restore', () => {
  let evidence: Buffer;
  let secret: Buffer;

  it('brings back the returns, the uploaded files and the secret after data was changed', async () => {
    ok(await run(['seed', '--demo']));
    evidence = randomBytes(50_000);
    await createLocalStorage(cli.dataDir).put(EVIDENCE, evidence);
    secret = readFileSync(secretPath());
    const before = await snapshot();
    expect(before.returns.length).toBeGreaterThan(0);

    const out = newBackupDir();
    const summary = ok(await run(['backup', '--out', out]));
    expect(summary).toContain(`backup written to ${out}`);
    expect(summary).toMatch(/secret\.key: included.*keep it as safe as the database/s);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining([`files/${EVIDENCE}`, 'secret.key', manifest.database]),
    );
    expect(manifest.tables.returns).toBe(before.returns.length);
    expect(manifest.migrations).toContain('0001-core');

    // Lose some of everything: a new tenant, changed returns, a deleted file, another key.
    ok(await run(['tenants', 'create', '--name', 'After Backup', '--kind', 'merchant']));
    await withDb((h) => h.db.updateTable('returns').set({ version: sql`version + 1` }).execute());
    rmSync(evidencePath());
    writeFileSync(secretPath(), 'a-different-key');

    const restored = ok(await run(['restore', '--from', out, '--force']));
    expect(restored).toMatch(/all \d+ tables match the backup's row counts/);
    expect(await snapshot()).toEqual(before);
    expect(readFileSync(evidencePath()).equals(evidence)).toBe(true);
    expect(readFileSync(secretPath()).equals(secret)).toBe(true);
    // The replaced key is kept: credentials sealed with it would otherwise be lost for good.
    const aside = readdirSync(cli.dataDir).find((f) => f.startsWith('secret.key.before-restore-'));
    expect(aside && readFileSync(join(cli.dataDir, aside), 'utf8')).toBe('a-different-key');
  });

  it('refuses to restore over a database holding data unless --force, and changes nothing', async () => {
    const out = newBackupDir();
    ok(await run(['backup', '--out', out]));
    ok(await run(['tenants', 'create', '--name', 'Kept Without Force', '--kind', 'merchant']));
    const before = await snapshot();
    refused(await run(['restore', '--from', out]), /the target database is not empty; add --force/);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a tampered or incomplete backup by naming the file, before touching anything', async () => {
    const good = newBackupDir();
    ok(await run(['backup', '--out', good]));
    ok(await run(['tenants', 'create', '--name', 'After Good Backup', '--kind', 'merchant']));
    const before = await snapshot();

    const tampered = newBackupDir();
    cpSync(good, tampered, { recursive: true });
    const file = join(tampered, 'files', EVIDENCE);
    const bytes = readFileSync(file);
    bytes[100] = bytes[100]! ^ 0xff;
    writeFileSync(file, bytes);
    refused(
      await run(['restore', '--from', tampered, '--force']),
      `files/${EVIDENCE} does not match its sha256 in the manifest; nothing was restored`,
    );

    const incomplete = newBackupDir();
    cpSync(good, incomplete, { recursive: true });
    rmSync(join(incomplete, 'secret.key'));
    refused(await run(['restore', '--from', incomplete, '--force']), 'secret.key is missing from the backup');

    expect(await snapshot()).toEqual(before);
    expect(readFileSync(evidencePath()).equals(evidence)).toBe(true);
    expect(readFileSync(secretPath()).equals(secret)).toBe(true);
  });

  it('takes a consistent backup while orders are being written, and restores it', async () => {
    const config = loadConfig(cli.env(KEY_FROM_FILE));
    const handle = await connectDatabase(config.database);
    const services = createServices(handle, systemClock, config);
    const { tenantId } = await services.identity.createTenant({ name: 'Busy Shop', kind: 'merchant' });
    let written = 0;
    let writing = true;
    let failed: unknown = null;
    const writer = (async () => {
      while (writing) {
        await services.orders.upsertOrder(tenantId, orderBody() as never);
        written++;
        // better-sqlite3 answers without leaving the microtask queue: let timers and the child run.
        await new Promise((r) => setImmediate(r));
      }
    })().catch((e: unknown) => {
      failed = e;
    });
    /** Waits for the writer to reach `n` orders (or to fail, which the test then reports). */
    const writtenAtLeast = async (n: number) => {
      while (written < n && !failed) await new Promise((r) => setTimeout(r, 10));
      if (failed) throw failed;
    };
    const out = newBackupDir();
    let backup: Awaited<ReturnType<typeof runInBackground>>;
    try {
      await writtenAtLeast(20);
      backup = await runInBackground(['backup', '--out', out]);
      const after = written;
      await writtenAtLeast(after + 5);
      if (config.database.dialect === 'sqlite') {
        // The writer still has the database open: a restore must not pull it from under it.
        // Another process, as an operator would run it beside a live server.
        refused(spawnRun(['restore', '--from', out, '--force']), /is in use; stop the Returnflow server/);
      }
    } finally {
      writing = false;
      await writer;
      await handle.close();
    }
    ok(backup);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const migrations = manifest.migrations as string[];

    ok(await run(['restore', '--from', out, '--force']));
    await withDb(async (h) => {
      if (h.dialect === 'sqlite') {
        const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(h.db);
        expect(check.rows).toEqual([{ integrityCheck: 'ok' }]);
        expect((await sql`pragma foreign_key_check`.execute(h.db)).rows).toEqual([]);
      }
      const names = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        h.db,
      );
      expect(names.rows.map((r) => r.name)).toEqual(migrations);
      // Every order came back whole: each of the writer's orders has both of its lines.
      const orders = await h.db.selectFrom('orders').select('id').where('tenantId', '=', tenantId).execute();
      const lines = await h.db
        .selectFrom('orderLines')
        .innerJoin('orders', 'orders.id', 'orderLines.orderId')
        .select('orderLines.id')
        .where('orders.tenantId', '=', tenantId)
        .execute();
      expect(orders.length).toBeGreaterThanOrEqual(20);
      expect(orders.length).toBeLessThan(written);
      expect(lines.length).toBe(orders.length * 2);
      const total = await h.db
        .selectFrom('orders')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(total.n)).toBe(manifest.tables.orders);
    });
  });

  it('answers operator mistakes with one line and no stack trace', async () => {
    // Once through the real command: exit status 1 and one line on stderr.
    refused(spawnRun(['backup']), 'backup needs --out DIR');
    refused(await run(['restore']), 'restore needs --from DIR');
    refused(await run(['backup', '--out', backups]), /already exists and is not empty/);
    refused(await run(['backup', '--ouut', 'x']), /Unknown option '--ouut'/);
    refused(await run(['restore', '--from', join(backups, 'nowhere')]), /no backup folder at/);
    const empty = join(backups, 'not-a-backup');
    mkdirSync(empty);
    writeFileSync(join(empty, 'notes.txt'), 'hello');
    refused(await run(['restore', '--from', empty]), /has no manifest\.json: not a Returnflow backup/);
    const missing = join(backups, 'no-such-dir', 'returnflow.db');
    refused(
      await run(['backup', '--out', newBackupDir()], { DATABASE_URL: `file:${missing}` }),
      `no database at ${missing}`,
    );
    expect(existsSync(join(backups, 'no-such-dir'))).toBe(false);
  });
});
