import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * Once per test run, before any test file: build the web app when dist/web is missing or older
 * than web/ (a no-op in milliseconds otherwise), so the browser tests see the current pages; and
 * name this run, so that on PostgreSQL its test schemas are dropped together at the end (see
 * `testDatabaseConfig`).
 */
export default function setup(): () => Promise<void> {
  const run = randomBytes(4).toString('hex');
  process.env.RETURNFLOW_TEST_RUN = run;
  // For backend-only runs while web/ is mid-edit; CI never sets it.
  if (process.env.RETURNFLOW_SKIP_WEB_BUILD !== '1') {
    const script = fileURLToPath(new URL('../bin/build-web.js', import.meta.url));
    execFileSync(process.execPath, [script], { stdio: 'inherit' });
  }
  return async () => {
    const url = process.env.TEST_DATABASE_URL;
    if (!url || !/^postgres(ql)?:\/\//.test(url)) return;
    const client = new pg.Client({ connectionString: url.replace(/[?&]schema=[^&]*/, '') });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(
        'select nspname as name from pg_namespace where nspname like $1',
        [`t\\_${run}\\_%`],
      );
      for (const { name } of rows) await client.query(`drop schema if exists "${name}" cascade`);
    } finally {
      await client.end();
    }
  };
}
