import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ConfigError } from '../errors.ts';

/**
 * The DATABASE_URL as pg_dump and pg_restore take it: without `?schema=` (our own parameter,
 * which libpq refuses) and without the password, which goes in PGPASSWORD so that it shows
 * neither in `ps` nor in an error message.
 */
export function pgToolConnection(url: string): { url: string; password: string | undefined } {
  const u = new URL(url);
  u.searchParams.delete('schema');
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  u.password = '';
  return { url: u.toString(), password };
}

/** The full path of a PostgreSQL client program, or a one-line ConfigError saying what to install. */
export function findPgTool(name: 'pg_dump' | 'pg_restore', path = process.env.PATH ?? ''): string {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this folder
    }
  }
  throw new ConfigError(
    `${name} was not found on PATH; install the PostgreSQL client tools (e.g. apt-get install postgresql-client)`,
  );
}

/**
 * Runs a pg tool to the end. Its stderr is kept to explain a failure in one line (the first
 * error it printed); the password is never in its arguments.
 */
export function runPgTool(
  tool: string,
  args: string[],
  connection: { password: string | undefined },
): Promise<void> {
  const env = { ...process.env, ...(connection.password ? { PGPASSWORD: connection.password } : {}) };
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (e) => reject(new ConfigError(`cannot run ${tool}: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const name = tool.split('/').pop();
      reject(new ConfigError(`${name} failed: ${firstError(stderr) || `exit code ${code}`}`));
    });
  });
}

/** The most telling line of a pg tool's stderr: its first "error:" line, else its first line. */
export function firstError(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.find((l) => /error:/i.test(l)) ?? lines[0] ?? '';
  // Strip the "pg_restore: error:" prefix and any password a libpq message might echo.
  return line.replace(/^pg_\w+:\s*(error:\s*)?/i, '').replace(/:[^:@/\s]*@/g, ':***@');
}
