import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildApp } from './app.ts';
import { connectDatabase, migrations } from './database.ts';
import { createRealtime, createServices } from './main.ts';
import { importCommand, syntheticSeedCommand } from './modules/analytics/cli-commands.ts';
import { type BackupResult, createBackup } from './platform/backup/create-backup.ts';
import { countsDiffer, FILES_DIR, formatBytes } from './platform/backup/manifest.ts';
import { type RestoreResult, restoreBackup } from './platform/backup/restore-backup.ts';
import { type CliIo, processIo } from './platform/cli-io.ts';
import { systemClock } from './platform/clock.ts';
import { type Config, loadConfig } from './platform/config.ts';
import { AppError, ConfigError } from './platform/errors.ts';
import { createProgress } from './platform/progress.ts';
import { PA_TRY_ORDER } from './seed/demo-purchasing-agent.ts';
import { type DemoCredentials, FRESH_ORDERS, seedDemo } from './seed/demo-seed.ts';

const USAGE = `returnflow — returns, refunds and after-sales

Usage:
  returnflow serve                      start the server (migrates; seeds demo data on an empty database)
  returnflow migrate                    bring the database schema up to date
  returnflow tenants create --name NAME --kind merchant|purchasing_agent [--handle HANDLE] [--json]
                                        (HANDLE names the portal, /s/HANDLE/returns; default from NAME)
  returnflow tenants list [--json]
  returnflow seed --demo                add the demo tenant with orders and returns
  returnflow analytics detect --tenant ID [--as-of YYYY-MM-DD] [--json]
                                        run early-warning detection and update the stored alerts
  returnflow analytics train --tenant ID [--as-of YYYY-MM-DD] [--json]
                                        retrain the return-risk model and print its quality
  returnflow seed --synthetic --orders N [--seed S] [--tenant ID] [--planted K]
                   [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--days N]
                                        generate and import a realistic history with planted issues,
                                        ending today by default (365 days), and run early warning on it
  returnflow import --tenant ID --orders orders.csv --returns returns.csv
                                        import order and return history (idempotent, all or nothing)
  returnflow backup --out DIR           back up the database, uploaded files and secret.key into a new
                                        folder (safe while the server runs; see docs/backup.md)
  returnflow restore --from DIR [--force]
                                        check a backup and restore it (stop the server first; --force
                                        replaces a database that already holds data)
  returnflow bench                      run the benchmarks (npm run bench; see docs/BENCHMARKS.md)

Configuration (environment): PORT, HOST, DATABASE_URL (file:PATH or postgres://…), DATA_DIR,
PUBLIC_URL, SEED_DEMO, LOG_LEVEL, LOG_FORMAT, PUBLIC_RATE_LIMIT, LOOKUP_RATE_LIMIT, SMTP_URL, S3_BUCKET (and S3_*). See README.md.`;

async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, sub] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  const config = loadConfig(io.env);
  switch (command) {
    case 'serve':
      return serve(config, io);
    case 'migrate': {
      const handle = await connectDatabase(config.database);
      await handle.close();
      io.out(`database is up to date (${config.database.dialect})`);
      return 0;
    }
    case 'tenants': {
      const { values } = parseArgs({
        args: argv.slice(2),
        options: {
          name: { type: 'string' },
          kind: { type: 'string' },
          handle: { type: 'string' },
          json: { type: 'boolean', default: false },
        },
      });
      const handle = await connectDatabase(config.database);
      try {
        const services = createServices(handle, systemClock, config);
        if (sub === 'create') {
          if (!values.name?.trim()) throw new ConfigError('tenants create needs --name NAME');
          if (values.kind !== 'merchant' && values.kind !== 'purchasing_agent') {
            throw new ConfigError('tenants create needs --kind merchant or --kind purchasing_agent');
          }
          const t = await services.identity
            .createTenant({
              name: values.name.trim(),
              kind: values.kind,
              ...(values.handle ? { handle: values.handle } : {}),
            })
            .catch((e: unknown) => {
              throw e instanceof AppError ? new ConfigError(e.message) : e;
            });
          const out = {
            tenantId: t.tenantId,
            handle: t.handle,
            portalUrl: `${config.publicUrl}/s/${t.handle}/returns`,
            apiKey: t.apiKey,
            adminEmail: t.adminEmail,
            adminPassword: t.adminPassword,
          };
          io.out(values.json ? JSON.stringify(out) : formatCredentials(t.name, out));
          return 0;
        }
        if (sub === 'list') {
          const list = await services.identity.listTenants();
          if (values.json) io.out(JSON.stringify(list));
          else
            for (const t of list) io.out(`${t.id}  ${t.kind.padEnd(16)}  ${t.handle.padEnd(24)}  ${t.name}`);
          return 0;
        }
        throw new ConfigError(`unknown tenants command "${sub ?? ''}" (create, list)`);
      } finally {
        await handle.close();
      }
    }
    case 'import':
    case 'seed-synthetic': {
      const handle = await connectDatabase(config.database);
      try {
        const services = createServices(handle, systemClock, config);
        return command === 'import'
          ? await importCommand(services, argv.slice(1), io)
          : await syntheticSeedCommand(services, argv.slice(1), io, { publicUrl: config.publicUrl });
      } finally {
        await handle.close();
      }
    }
    case 'analytics': {
      const { values } = parseArgs({
        args: argv.slice(2),
        options: {
          tenant: { type: 'string' },
          'as-of': { type: 'string' },
          json: { type: 'boolean', default: false },
        },
      });
      if (sub !== 'detect' && sub !== 'train')
        throw new ConfigError(`unknown analytics command "${sub ?? ''}" (detect, train)`);
      if (!values.tenant) throw new ConfigError(`analytics ${sub} needs --tenant ID`);
      const handle = await connectDatabase(config.database);
      try {
        const services = createServices(handle, systemClock, config);
        const run = () =>
          sub === 'detect'
            ? services.detection.runDetection(values.tenant!, values['as-of'])
            : services.risk.train(values.tenant!, values['as-of']);
        // A wrong tenant, date or too little history is one line, not a stack trace.
        const out = await run().catch((e: unknown) => {
          throw e instanceof AppError ? new ConfigError(e.message) : e;
        });
        if (values.json) io.out(JSON.stringify(out));
        else if ('opened' in out)
          io.out(
            `detection as of ${out.asOf}: ${out.opened.length} new alert(s), ${out.updated} still open, ${out.resolved} resolved, ${out.notified} notified`,
          );
        else
          io.out(
            `risk model ${out.id}: AUC ${out.auc?.toFixed(3)} on ${out.testCount} held-out lines (from ${out.holdoutFrom.slice(0, 10)}), Brier ${out.brier?.toFixed(4)} (always-the-average ${out.baselineBrier.toFixed(4)}); trained on ${out.trainCount}`,
          );
        // Alerts are told to staff by the worker of a running server (the outbox keeps them until then).
        return 0;
      } finally {
        await handle.close();
      }
    }
    case 'seed': {
      if (argv.includes('--synthetic')) return main(['seed-synthetic', ...argv.slice(1)], io);
      const { values } = parseArgs({
        args: argv.slice(1),
        options: { demo: { type: 'boolean', default: false } },
      });
      if (!values.demo) throw new ConfigError('seed needs --demo');
      const handle = await connectDatabase(config.database);
      try {
        const creds = await seedDemo(createServices(handle, systemClock, config));
        saveDemoCredentials(config, creds);
        printDemo(io, config, creds);
        return 0;
      } finally {
        await handle.close();
      }
    }
    case 'bench': {
      // The benchmarks are TypeScript outside src/, run the way `npm run bench` runs them.
      const root = fileURLToPath(new URL('..', import.meta.url));
      const r = spawnSync(process.execPath, [join(root, 'bin/run-ts.js'), join(root, 'bench/run.ts')], {
        stdio: 'inherit',
      });
      return r.status ?? 1;
    }
    case 'backup':
    case 'restore':
      return backupCommand(config, command, argv.slice(1), io);
    default:
      throw new ConfigError(`unknown command "${command}"; run "returnflow help"`);
  }
}

async function serve(config: Config, io: CliIo): Promise<number> {
  const handle = await connectDatabase(config.database);
  const realtime = await createRealtime(config.database);
  const services = createServices(handle, systemClock, config, realtime);
  const startWorker = async () => {
    if (!config.worker.enabled) return;
    services.worker.start();
    // Daily detection and weekly retraining run as outbox messages (one per day, whichever process).
    await services.detection.scheduleDaily();
  };
  // On an empty database the demo (about a second, most of it hashing passwords) is seeded while
  // the server starts and listens: until it is complete, requests but the health check wait for it.
  const seeding =
    config.seedDemo && (await services.identity.listTenants()).length === 0
      ? seedDemo(services).then((creds) => saveDemoCredentials(config, creds))
      : null;
  // Its failure is thrown below, not reported as an unhandled rejection meanwhile.
  seeding?.catch(() => {});
  if (!seeding) await startWorker();
  const app = await buildApp(services, { ...config, holdRequestsUntil: seeding ?? undefined });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await seeding?.catch(() => {});
    await handle.close();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE')
      throw new ConfigError(`port ${config.port} is already in use; set PORT to another one`);
    throw e;
  }
  if (seeding) {
    try {
      await seeding;
    } catch (e) {
      await app.close();
      await handle.close();
      throw e;
    }
    await startWorker();
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicUrl.replace(/:\d+$/, `:${port}`);
  const files =
    config.storage.kind === 's3'
      ? `s3://${config.storage.bucket}/${config.storage.prefix ?? ''}`
      : config.storage.dir;
  io.out(`\nReturnflow is running at ${url}  (database: ${config.database.dialect}; files: ${files})`);
  io.out(`  Agent console:    ${url}/console`);
  io.out(`  API docs:         ${url}/api/docs`);
  const creds = loadDemoCredentials(config);
  if (creds) printDemo(io, config, creds, url);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    io.out(`\n${signal}: shutting down`);
    await services.shutdown();
    await app.close();
    await realtime.close();
    await handle.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return -1;
}

async function backupCommand(
  config: Config,
  command: 'backup' | 'restore',
  args: string[],
  io: CliIo,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      out: { type: 'string' },
      from: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  // Progress lines only on a terminal: cron mails and logs get the summary alone.
  const bar = io.progress.isTTY ? createProgress(io.progress) : null;
  const onProgress = bar
    ? (label: string, done: number, total: number) => bar.update(label, done, total)
    : undefined;
  try {
    if (command === 'backup') {
      if (!values.out) throw new ConfigError('backup needs --out DIR (a new folder)');
      printBackup(io, config, await createBackup(config, values.out, { onProgress }));
    } else {
      if (!values.from)
        throw new ConfigError('restore needs --from DIR (a folder written by "returnflow backup")');
      printRestore(
        io,
        await restoreBackup(config, values.from, { migrations, force: values.force, onProgress }),
      );
    }
    return 0;
  } finally {
    bar?.done();
  }
}

/**
 * An operator's mistake or the machine's state (a bad option, an unreadable path, a full disk,
 * a file that is not a database) is one line; anything else is a bug and keeps its stack.
 */
function operatorError(e: unknown): unknown {
  if (e instanceof ConfigError) return e;
  const err = e as { code?: string; message?: string; name?: string };
  if (typeof err?.code === 'string' && /^(ERR_PARSE_ARGS_|E[A-Z]+$|SQLITE_)/.test(err.code)) {
    return new ConfigError(String(err.message).split('\n')[0]!);
  }
  return e;
}

function printBackup(io: CliIo, config: Config, r: BackupResult) {
  const m = r.manifest;
  const rows = Object.values(m.tables).reduce((a, b) => a + b, 0);
  const uploads = m.files.filter((f) => f.path.startsWith(`${FILES_DIR}/`)).reduce((a, f) => a + f.bytes, 0);
  io.out(`backup written to ${r.dir} (${formatBytes(r.bytes)})`);
  io.out(
    `  database:  ${m.dialect}${m.schema ? ` schema ${m.schema}` : ''}, ${rows} rows in ${Object.keys(m.tables).length} tables, ${m.migrations.length} migrations`,
  );
  io.out(`  files:     ${r.dataFiles} from ${config.dataDir} (${formatBytes(uploads)})`);
  if (config.storage.kind === 's3') {
    io.out(
      `  uploads:   in S3 bucket ${config.storage.bucket}, not in this backup: keep the bucket versioned or backed up`,
    );
  }
  if (m.secretKey) {
    io.out('  secret.key: included. This backup can unseal the stored provider credentials:');
    io.out('             keep it as safe as the database itself (owner-only, encrypted off-site).');
  } else if (config.secretKey) {
    io.out('  secret.key: not included; the key is SECRET_KEY in the environment: keep it with the backup.');
  }
}

function printRestore(io: CliIo, r: RestoreResult) {
  const m = r.manifest;
  io.out(`restored the backup of ${m.createdAt} (Returnflow ${m.appVersion}, ${m.dialect})`);
  io.out(`  files:     ${r.dataFiles} restored${m.secretKey ? ', and secret.key' : ''}`);
  if (r.migrated.length) io.out(`  migrated:  ${r.migrated.join(', ')}`);
  for (const aside of r.keptAside) io.out(`  kept the replaced ${aside} (delete it once you are satisfied)`);
  const width = Math.max(...r.counts.map((c) => c.table.length));
  io.out(`  ${'table'.padEnd(width)}  ${'backup'.padStart(8)}  ${'restored'.padStart(8)}`);
  for (const c of r.counts) {
    const mark = countsDiffer(c) ? '  <- differs' : '';
    io.out(
      `  ${c.table.padEnd(width)}  ${String(c.backup ?? '-').padStart(8)}  ${String(c.now ?? '-').padStart(8)}${mark}`,
    );
  }
  const differ = r.counts.filter(countsDiffer);
  io.out(
    differ.length
      ? `WARNING: ${differ.length} table(s) differ from the backup's counts; check them before starting the server`
      : `all ${r.counts.filter((c) => c.backup !== null).length} tables match the backup's row counts`,
  );
}

function demoFile(config: Config) {
  return join(config.dataDir, 'demo-credentials.json');
}

function saveDemoCredentials(config: Config, creds: DemoCredentials) {
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(demoFile(config), JSON.stringify(creds, null, 2));
  // Demo secrets only, but still not world-readable.
  chmodSync(demoFile(config), 0o600);
}

function loadDemoCredentials(config: Config): DemoCredentials | null {
  if (!existsSync(demoFile(config))) return null;
  try {
    return JSON.parse(readFileSync(demoFile(config), 'utf8')) as DemoCredentials;
  } catch {
    return null;
  }
}

function printDemo(io: CliIo, config: Config, c: DemoCredentials, url = config.publicUrl) {
  io.out(`\n  Demo tenant "${c.name}" (${c.tenantId})`);
  if (c.handle) {
    io.out(`    returns:   ${url}/s/${c.handle}/returns   (the shop's customer portal)`);
    io.out(`    try:       order ${FRESH_ORDERS[0].number}, email ${FRESH_ORDERS[0].email}`);
  }
  io.out(`    API key:   ${c.apiKey}`);
  io.out(`    API:       curl -H "Authorization: Bearer ${c.apiKey}" ${url}/api/v1/returns`);
  io.out('    logins:');
  for (const u of c.users) io.out(`      ${u.role.padEnd(10)} ${u.email}  /  ${u.password}`);
  const pa = c.purchasingAgent;
  if (pa) {
    io.out(`\n  Demo purchasing agent "${pa.name}" (${pa.tenantId})`);
    if (pa.handle) {
      io.out(`    returns:   ${url}/s/${pa.handle}/returns`);
      io.out(`    try:       order ${PA_TRY_ORDER.number}, email ${PA_TRY_ORDER.email}`);
    }
    io.out(`    API key:   ${pa.apiKey}`);
    for (const u of pa.users) io.out(`      ${u.role.padEnd(10)} ${u.email}  /  ${u.password}`);
  }
  io.out('');
}

function formatCredentials(name: string, o: Record<string, string>) {
  return [`Tenant "${name}" created.`, ...Object.entries(o).map(([k, v]) => `  ${k.padEnd(14)} ${v}`)].join(
    '\n',
  );
}

/**
 * Runs one `returnflow` command and answers its exit code (-1: `serve`, still running). An
 * operator's mistake is one line on `err`; anything else is a bug and keeps its stack.
 */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    return await main(argv, io);
  } catch (e) {
    const err = operatorError(e);
    io.err(err instanceof ConfigError ? `returnflow: ${err.message}` : String((err as Error)?.stack ?? err));
    return 1;
  }
}
