import { createReadStream, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CliIo } from '../../platform/cli-io.ts';
import { AppError, ConfigError } from '../../platform/errors.ts';
import { createProgress } from '../../platform/progress.ts';
import type { IdentityService } from '../identity/service.ts';
import type { DetectionService } from './detection-service.ts';
import { readHistoryCsv } from './history-csv.ts';
import type { ImportResult } from './import.ts';
import type { AnalyticsService } from './service.ts';
import { generateSyntheticHistory } from './synthetic.ts';

/** What the history commands use of the assembled services (src/main.ts). */
type Services = { identity: IdentityService; analytics: AnalyticsService; detection: DetectionService };

/** `returnflow import --tenant ID --orders orders.csv --returns returns.csv` */
export async function importCommand(services: Services, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { tenant: { type: 'string' }, orders: { type: 'string' }, returns: { type: 'string' } },
  });
  if (!values.tenant) throw new ConfigError('import needs --tenant ID');
  if (!values.orders && !values.returns)
    throw new ConfigError('import needs --orders FILE and/or --returns FILE');
  for (const f of [values.orders, values.returns]) {
    if (f && !existsSync(f)) throw new ConfigError(`no such file: ${f}`);
  }
  if (!(await services.identity.getTenant(values.tenant)))
    throw new ConfigError(`no tenant ${values.tenant}; see "returnflow tenants list"`);
  const progress = createProgress(io.progress);
  const started = Date.now();
  const result = await reportProblems(io, () =>
    services.analytics.importHistory(
      values.tenant!,
      {
        orders: values.orders ? readHistoryCsv(createReadStream(values.orders), 'orders') : [],
        returns: values.returns ? readHistoryCsv(createReadStream(values.returns), 'returns') : [],
      },
      {
        firstRow: 2,
        onProgress: (p) =>
          progress.update(p.total ? `writing ${p.phase}` : `reading ${p.phase}`, p.done, p.total),
      },
    ),
  );
  progress.done();
  if (!result) return 1;
  printResult(io, result, Date.now() - started);
  return 0;
}

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day as YYYY-MM-DD, or a one-line error naming the option. */
function dayOption(name: string, value: string): number {
  const t = Date.parse(`${value}T00:00:00Z`);
  if (!DAY_PATTERN.test(value) || !Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== value) {
    throw new ConfigError(`--${name} must be a date as YYYY-MM-DD, got "${value}"`);
  }
  return t;
}

/**
 * `returnflow seed --synthetic --orders N [--seed S] [--tenant ID] [--planted K] [--start D] [--end D]`
 *
 * The history ends today unless told otherwise (a dashboard's default "last 90 days" shows it),
 * and early-warning detection runs as of its last day, so the planted issues are open alerts.
 */
export async function syntheticSeedCommand(
  services: Services,
  args: string[],
  io: CliIo,
  opts: { publicUrl: string; now?: Date } = { publicUrl: 'http://127.0.0.1:3000' },
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      synthetic: { type: 'boolean', default: false },
      orders: { type: 'string' },
      seed: { type: 'string', default: '1' },
      tenant: { type: 'string' },
      planted: { type: 'string', default: '3' },
      start: { type: 'string' },
      end: { type: 'string' },
      days: { type: 'string' },
    },
  });
  const orders = Number(values.orders);
  if (!Number.isSafeInteger(orders) || orders < 1)
    throw new ConfigError('seed --synthetic needs --orders N (N ≥ 1)');
  const seed = Number(values.seed);
  const planted = Number(values.planted);
  if (!Number.isSafeInteger(seed)) throw new ConfigError('--seed must be a whole number');
  if (!Number.isSafeInteger(planted) || planted < 0) throw new ConfigError('--planted must be 0 or more');
  const today = Date.parse(`${(opts.now ?? new Date()).toISOString().slice(0, 10)}T00:00:00Z`);
  const end = values.end ? dayOption('end', values.end) : today;
  let days = values.days ? Number(values.days) : undefined;
  if (days !== undefined && (!Number.isSafeInteger(days) || days < 14 || days > 3650))
    throw new ConfigError('--days must be a whole number from 14 to 3650');
  let start: number;
  if (values.start) {
    start = dayOption('start', values.start);
    if (values.end || days === undefined) days = Math.round((end - start) / DAY_MS) + 1;
  } else {
    days ??= 365;
    start = end - (days - 1) * DAY_MS;
  }
  if (days! < 14) throw new ConfigError('--start must be at least 14 days before --end');
  if (end > today) throw new ConfigError('--end cannot be after today');
  const startDay = new Date(start).toISOString().slice(0, 10);
  const endDay = new Date(start + (days! - 1) * DAY_MS).toISOString().slice(0, 10);

  let tenantId = values.tenant;
  let signIn: string | null = null;
  if (tenantId) {
    if (!(await services.identity.getTenant(tenantId))) throw new ConfigError(`no tenant ${tenantId}`);
  } else {
    const t = await services.identity.createTenant({ name: 'Synthetic Store', kind: 'merchant' });
    tenantId = t.tenantId;
    io.out(`Tenant "Synthetic Store" created: ${t.tenantId}`);
    io.out(`  apiKey         ${t.apiKey}`);
    io.out(`  adminEmail     ${t.adminEmail}`);
    io.out(`  adminPassword  ${t.adminPassword}`);
    signIn = `Sign in at ${opts.publicUrl}/console/login as ${t.adminEmail} with the password above (shown only now); the analytics are at ${opts.publicUrl}/admin/analytics. Add --tenant ID to fill an existing shop instead.`;
  }
  const progress = createProgress(io.progress);
  const history = generateSyntheticHistory({
    orders,
    seed,
    planted,
    start: startDay,
    days: days!,
    // Ending today, the planted issues begin a few weeks ago: detection now sees them as new.
    onset: endDay === new Date(today).toISOString().slice(0, 10) ? 'recent' : 'second-half',
    onProgress: (done, total) => progress.update('generating', done, total),
  });
  progress.done();
  const started = Date.now();
  const result = await reportProblems(io, () =>
    services.analytics.importHistory(tenantId!, history, {
      onProgress: (p) =>
        progress.update(p.total ? `writing ${p.phase}` : `reading ${p.phase}`, p.done, p.total),
    }),
  );
  progress.done();
  if (!result) return 1;
  printResult(io, result, Date.now() - started);
  io.out(`History from ${startDay} to ${endDay} in tenant ${tenantId}.`);
  io.out(history.planted.length ? 'Planted issues:' : 'No planted issues (a clean history).');
  for (const p of history.planted) {
    io.out(
      `  ${p.sku.padEnd(14)} ${p.category.padEnd(12)} ${p.reasonCode.padEnd(18)} from ${p.onset}  "${p.phrases.join('" / "')}"`,
    );
  }
  // Detection as of the history's last day: what the alerts page shows, without waiting a night.
  await services.detection.runDetection(tenantId, endDay);
  const open = (await services.detection.listAlerts(tenantId, { status: 'open', limit: 20 })).data;
  io.out(`Early warning as of ${endDay}: ${open.length} open alert(s).`);
  for (const a of open) io.out(`  ${a.sku.padEnd(14)} ${a.kind.padEnd(24)} since ${a.since}`);
  const unseen = history.planted.filter((p) => !open.some((a) => a.sku === p.sku));
  if (unseen.length) {
    io.out(
      `  (${unseen.map((p) => p.sku).join(', ')} not flagged yet: a planted issue needs the sales of about 20,000 orders a year to stand out in a few weeks.)`,
    );
  }
  if (signIn) io.out(signIn);
  return 0;
}

async function reportProblems(io: CliIo, run: () => Promise<ImportResult>): Promise<ImportResult | null> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    io.err(`\nreturnflow: ${e.message}`);
    const details = Array.isArray(e.details)
      ? (e.details as { file: string; row: number; field: string; message: string }[])
      : [];
    for (const d of details) io.err(`  ${d.file} row ${d.row}: ${d.field} ${d.message}`);
    return null;
  }
}

function printResult(io: CliIo, r: ImportResult, ms: number) {
  const secs = ms / 1000;
  io.out(
    `Imported ${r.orders} orders (${r.lines} lines) and ${r.returns} returns in ${secs.toFixed(1)} s: ${r.created} created, ${r.unchanged} already there (${Math.round((r.lines + r.returns) / Math.max(secs, 0.001))} rows/s).`,
  );
}
