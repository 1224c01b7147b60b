import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { connectDatabase } from '../src/database.ts';
import { createServices } from '../src/main.ts';
import { createSmtpSender } from '../src/modules/notify/email-sender.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loadConfig, parseDatabaseUrl } from '../src/platform/config.ts';
import { newSecret } from '../src/platform/ids.ts';
import { startSmtpTestServer } from '../test/helpers/smtp-test-server.ts';

export type OutboxRow = { run: string; messages: number; seconds: number; perSecond: number };

/**
 * Outbox throughput: N returns are filed with the worker stopped (each writes one notification
 * in its transaction), then the worker starts and the clock runs until the SMTP server has
 * accepted N emails — dispatch, rendering in the customer's language, one delivery row each,
 * and the SMTP exchange. The floor sends N pre-rendered emails through the same SMTP sender
 * one after another: the cost of SMTP itself on this machine.
 */
export async function runOutboxBench(
  opts: { messages?: number; pgUrl?: string | null; log?: (s: string) => void } = {},
) {
  const n = opts.messages ?? 300;
  const log = opts.log ?? console.log;
  const rows: OutboxRow[] = [];
  const smtp = await startSmtpTestServer();
  try {
    const floor = createSmtpSender(smtp.url);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const r = await floor.send({
        from: 'Shop <shop@example.com>',
        to: `floor-${i}@example.com`,
        subject: `Floor ${i}`,
        text: 'Your return is approved.',
        html: '<p>Your return is approved.</p>',
        messageId: `<floor-${i}@bench>`,
      });
      if (r.status !== 'sent') throw new Error(`floor send failed: ${JSON.stringify(r)}`);
    }
    const floorSeconds = (performance.now() - t0) / 1000;
    await floor.close?.();
    rows.push({
      run: 'floor: SMTP sends, pre-rendered',
      messages: n,
      seconds: floorSeconds,
      perSecond: n / floorSeconds,
    });
    log(`  floor: ${n} emails in ${floorSeconds.toFixed(2)} s`);

    for (const url of [null, opts.pgUrl ?? null]) {
      if (url === null && rows.length > 1) break;
      rows.push(await runOne(url, n, smtp, log));
      if (!opts.pgUrl) break;
    }
  } finally {
    await smtp.close();
  }
  return rows;
}

async function runOne(
  pgUrl: string | null,
  n: number,
  smtp: Awaited<ReturnType<typeof startSmtpTestServer>>,
  log: (s: string) => void,
): Promise<OutboxRow> {
  const dir = mkdtempSync(join(tmpdir(), 'returnflow-outbox-bench-'));
  const schema = `bench_${newSecret(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')}`;
  const dbConfig = pgUrl
    ? parseDatabaseUrl(`${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`)
    : parseDatabaseUrl(`file:${join(dir, 'bench.db')}`);
  const handle = await connectDatabase(dbConfig);
  const config = {
    ...loadConfig({ DATA_DIR: dir, SECRET_KEY: 'outbox-bench-secret-key', SMTP_URL: smtp.url }),
    database: dbConfig,
  };
  config.worker.pollMs = 20;
  const services = createServices(handle, systemClock, config);
  try {
    const tenant = await services.identity.createTenant({ name: 'Bench Shop', kind: 'merchant' });
    const before = smtp.messages.length;
    const placedAt = new Date(Date.now() - 5 * 86_400_000).toISOString();
    for (let i = 0; i < n; i++) {
      const { order } = await services.orders.upsertOrder(tenant.tenantId, {
        externalId: `o-${i}`,
        orderNumber: `#${i}`,
        currency: 'USD',
        placedAt,
        deliveredAt: placedAt,
        customer: { email: `c${i}@example.com`, name: `Customer ${i}` },
        shippingAmount: 0,
        discountAmount: 0,
        taxAmount: 0,
        lines: [
          {
            externalId: 'L1',
            sku: 'S',
            title: 'Jacket',
            category: 'outerwear',
            quantity: 1,
            unitPrice: 9000,
            discountAmount: 0,
            taxAmount: 0,
          },
        ],
      });
      await services.returns.requestReturn(
        tenant.tenantId,
        {
          orderId: order.id,
          resolution: 'refund',
          lines: [{ orderLineId: order.lines[0]!.id, quantity: 1, reasonCode: 'wrong_size' }],
        },
        { type: 'api', id: 'bench' },
      );
    }
    const t0 = performance.now();
    services.worker.start();
    await smtp.waitFor(before + n, 600_000);
    const seconds = (performance.now() - t0) / 1000;
    const run = `outbox → SMTP (${pgUrl ? 'PostgreSQL' : 'SQLite'})`;
    log(`  ${run}: ${n} emails in ${seconds.toFixed(2)} s`);
    return { run, messages: n, seconds, perSecond: n / seconds };
  } finally {
    await services.worker.stop();
    if (pgUrl) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(handle.db).catch(() => {});
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function outboxTable(rows: OutboxRow[]): string {
  const floor = rows[0]?.perSecond ?? 0;
  const lines = ['| run | emails | seconds | emails/s | vs floor |', '|---|--:|--:|--:|--:|'];
  for (const r of rows) {
    lines.push(
      `| ${r.run} | ${r.messages} | ${r.seconds.toFixed(2)} | ${r.perSecond.toFixed(0)} | ${floor ? (r.perSecond / floor).toFixed(2) : '-'} |`,
    );
  }
  return lines.join('\n');
}
