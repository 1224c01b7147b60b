/**
 * Early warning at scale: time to score every SKU of a large synthetic tenant for alerts, beside a
 * bare aggregate over the same order lines in the same run. The history comes from the synthetic
 * generator through the history import (as an operator's would). Run alone with
 * `node bin/run-ts.js bench/detection.ts`, or as part of `npm run bench`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { connectDatabase } from '../src/database.ts';
import { createServices } from '../src/main.ts';
import { loadDetectorInput, MAX_LAG_DAYS } from '../src/modules/analytics/detection-queries.ts';
import { DEFAULT_DETECTOR_OPTIONS, detectIssues } from '../src/modules/analytics/early-warning.ts';
import { createHistoryImport } from '../src/modules/analytics/import.ts';
import { generateSyntheticHistory } from '../src/modules/analytics/synthetic.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { benchDatabase } from './target.ts';

export type DetectionRow = {
  engine: string;
  lines: number;
  returns: number;
  skus: number;
  step: string;
  ms: number;
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(repeat: number, fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

export async function runDetectionBench(
  opts: { orders?: number; pgUrl?: string | null; repeat?: number; log?: (s: string) => void } = {},
): Promise<{ rows: DetectionRow[]; table: string }> {
  const orders = opts.orders ?? 100_000;
  const repeat = opts.repeat ?? 3;
  const log = opts.log ?? console.log;
  const t0 = performance.now();
  const history = generateSyntheticHistory({ orders, seed: 7, planted: 5 });
  log(
    `generated ${history.orders.length.toLocaleString('en-US')} order lines, ${history.returns.length.toLocaleString('en-US')} returns in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const asOf = '2025-12-31';
  const clock = fixedClock('2026-01-01T06:00:00Z');
  const rows: DetectionRow[] = [];
  for (const url of [null, opts.pgUrl ?? null].filter((u, i) => i === 0 || u)) {
    const { label, config, dispose } = benchDatabase(url);
    const handle = await connectDatabase(config);
    try {
      const services = createServices(handle, clock, {
        publicUrl: 'http://127.0.0.1',
        dataDir: mkdtempSync(join(tmpdir(), 'returnflow-bench-data-')),
        secretKey: 'bench-secret-key-not-for-production',
        worker: { enabled: false, pollMs: 1000, leaseMs: 30_000, maxAttempts: 3, baseDelayMs: 1000 },
        providerTimeoutMs: 1000,
        allowProviderBaseUrl: false,
        smtpUrl: undefined,
        allowPrivateWebhookUrls: false,
      });
      const tenant = await services.identity.createTenant({ name: 'Bench Shop', kind: 'merchant' });
      const i0 = performance.now();
      await createHistoryImport({ db: handle.db, clock }).importHistory(tenant.tenantId, history);
      log(`${label}: imported in ${((performance.now() - i0) / 1000).toFixed(1)} s`);
      const tenantId = tenant.tenantId;
      const days =
        Math.max(...DEFAULT_DETECTOR_OPTIONS.windows) +
        DEFAULT_DETECTOR_OPTIONS.baselineDays +
        MAX_LAG_DAYS +
        1;
      const noteDays = DEFAULT_DETECTOR_OPTIONS.phraseWindow + DEFAULT_DETECTOR_OPTIONS.baselineDays;
      const input = await loadDetectorInput(handle.db, handle.dialect, tenantId, asOf, days, noteDays);
      const base = {
        engine: label,
        lines: history.orders.length,
        returns: history.returns.length,
        skus: input.skus.length,
      };
      const bare = await time(repeat, () =>
        handle.db
          .selectFrom('orderLines')
          .select(['sku', sql<number>`count(*)`.as('n')])
          .where('tenantId', '=', tenantId)
          .groupBy('sku')
          .execute(),
      );
      rows.push({ ...base, step: 'floor: count order lines per SKU (one GROUP BY)', ms: bare });
      rows.push({
        ...base,
        step: 'SQL: daily sales and returns per SKU × reason, lag',
        ms: await time(repeat, () => loadDetectorInput(handle.db, handle.dialect, tenantId, asOf, days)),
      });
      rows.push({
        ...base,
        step: '… and the notes of 210 days, as phrases',
        ms: await time(repeat, () =>
          loadDetectorInput(handle.db, handle.dialect, tenantId, asOf, days, noteDays),
        ),
      });
      rows.push({
        ...base,
        step: 'statistics: every SKU × kind and complaint phrases, BH, change points',
        ms: await time(repeat, async () => detectIssues(input)),
      });
      let found = 0;
      rows.push({
        ...base,
        step: 'all: point-in-time alerts with complaint phrases',
        ms: await time(repeat, async () => {
          found = (await services.detection.alertsAsOf(tenantId, asOf)).data.length;
        }),
      });
      log(`${label}: ${found} alerts as of ${asOf} (${history.planted.length} planted)`);
      await services.shutdown();
    } finally {
      await dispose(handle).catch(() => {});
      await handle.close();
    }
  }
  const table = [
    '| engine | order lines | returns | SKUs | step | median ms |',
    '|---|---:|---:|---:|---|---:|',
    ...rows.map(
      (r) =>
        `| ${r.engine} | ${r.lines.toLocaleString('en-US')} | ${r.returns.toLocaleString('en-US')} | ${r.skus.toLocaleString('en-US')} | ${r.step} | ${r.ms.toFixed(0)} |`,
    ),
  ].join('\n');
  return { rows, table };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.BENCH_DATABASE_URL?.trim() || process.env.TEST_DATABASE_URL?.trim();
  const orders = Number(process.env.BENCH_DETECTION_ORDERS ?? 100_000);
  const { table } = await runDetectionBench({ orders, pgUrl: url && /^postgres/.test(url) ? url : null });
  console.log(`\nEarly warning: score all SKUs\n${table}`);
}
