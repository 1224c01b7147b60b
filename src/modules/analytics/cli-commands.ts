import { createReadStream, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Services } from '../../main.ts';
import type { CliIo } from '../../platform/cli-io.ts';
import { AppError, ConfigError } from '../../platform/errors.ts';
import { createProgress } from '../../platform/progress.ts';
import { readHistoryCsv } from './history-csv.ts';
import type { ImportResult } from './import.ts';
import { generateSyntheticHistory } from './synthetic.ts';

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

/** `returnflow seed --synthetic --orders N [--seed S] [--tenant ID] [--planted K]` */
export async function syntheticSeedCommand(services: Services, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      synthetic: { type: 'boolean', default: false },
      orders: { type: 'string' },
      seed: { type: 'string', default: '1' },
      tenant: { type: 'string' },
      planted: { type: 'string', default: '3' },
      start: { type: 'string' },
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
  let tenantId = values.tenant;
  if (tenantId) {
    if (!(await services.identity.getTenant(tenantId))) throw new ConfigError(`no tenant ${tenantId}`);
  } else {
    const t = await services.identity.createTenant({ name: 'Synthetic Store', kind: 'merchant' });
    tenantId = t.tenantId;
    io.out(`Tenant "Synthetic Store" created: ${t.tenantId}`);
    io.out(`  apiKey         ${t.apiKey}`);
    io.out(`  adminEmail     ${t.adminEmail}`);
    io.out(`  adminPassword  ${t.adminPassword}`);
  }
  const progress = createProgress(io.progress);
  const history = generateSyntheticHistory({
    orders,
    seed,
    planted,
    ...(values.start ? { start: values.start } : {}),
    ...(values.days ? { days: Number(values.days) } : {}),
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
  io.out(history.planted.length ? 'Planted issues:' : 'No planted issues (a clean history).');
  for (const p of history.planted) {
    io.out(
      `  ${p.sku.padEnd(14)} ${p.category.padEnd(12)} ${p.reasonCode.padEnd(18)} from ${p.onset}  "${p.phrases.join('" / "')}"`,
    );
  }
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
