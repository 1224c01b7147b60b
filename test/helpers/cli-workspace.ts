import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { connectDatabase } from '../../src/database.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import { testDatabaseConfig } from './test-app.ts';

/** The `returnflow` command, as `npx returnflow` runs it. */
export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'returnflow.js');

export type CliResult = { status: number | null; stdout: string; stderr: string };

/**
 * A database and a DATA_DIR of its own for a test file that runs the `returnflow` command:
 * created before the file's tests and removed after them. `env` is what the command gets.
 * `run` runs the command's own function in this process (what the bin calls, with the same
 * arguments, environment and output, minus about a second of tsx start-up per call on a busy
 * machine); `spawn` runs the real `returnflow` process, for what only a process shows.
 */
export function cliWorkspace(prefix: string) {
  let dbConfig: ReturnType<typeof testDatabaseConfig>['config'];
  let dispose: (h: DatabaseHandle) => Promise<void>;
  const w = {
    dataDir: '',
    databaseUrl: '',
    env(extra: Record<string, string> = {}) {
      return {
        ...process.env,
        DATABASE_URL: w.databaseUrl,
        DATA_DIR: w.dataDir,
        LOG_LEVEL: 'silent',
        ...extra,
      };
    },
    async run(args: string[], extra: Record<string, string> = {}): Promise<CliResult> {
      let stdout = '';
      let stderr = '';
      const status = await runCli(args, {
        env: w.env(extra),
        out: (line) => {
          stdout += `${line}\n`;
        },
        err: (line) => {
          stderr += `${line}\n`;
        },
        progress: {
          isTTY: false,
          write: (s) => {
            stderr += s;
          },
        },
      });
      return { status, stdout, stderr };
    },
    spawn(args: string[], extra: Record<string, string> = {}, timeout = 60_000): CliResult {
      return spawnSync(process.execPath, [BIN, ...args], { env: w.env(extra), encoding: 'utf8', timeout });
    },
  };
  beforeAll(() => {
    const db = testDatabaseConfig();
    dbConfig = db.config;
    dispose = db.dispose;
    w.databaseUrl = db.config.dialect === 'sqlite' ? `file:${db.config.file}` : db.config.url;
    w.dataDir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    const h = await connectDatabase(dbConfig);
    await dispose(h);
    await h.close();
    rmSync(w.dataDir, { recursive: true, force: true });
  });
  return w;
}
