import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../src/database.ts';
import { createServices } from '../src/main.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { DatabaseHandle } from '../src/platform/db/database.ts';
import { killChild, startChildServer, until } from './helpers/child-server.ts';
import { orderBody } from './helpers/fixtures.ts';
import { startSmtpTestServer } from './helpers/smtp-test-server.ts';
import { apiClient, testDatabaseConfig } from './helpers/test-app.ts';
import { startWebhookReceiver } from './helpers/webhook-receiver.ts';

/**
 * A worker killed with SIGKILL while it is handing an email to the SMTP server, then started
 * again: the customer gets the email once, the in-app item once, the webhook once.
 */
let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
let db: ReturnType<typeof testDatabaseConfig>;
let setup: DatabaseHandle;
let dataDir: string;
let env: Record<string, string>;
let apiKey: string;
let tenantId: string;
let services: ReturnType<typeof createServices>;

beforeAll(async () => {
  // The server holds each message 1.5 s before its 250: the window in which the sender dies.
  smtp = await startSmtpTestServer({ delayAcceptMs: 1_500 });
  hooks = await startWebhookReceiver();
  db = testDatabaseConfig();
  dataDir = mkdtempSync(join(tmpdir(), 'returnflow-dcrash-'));
  env = {
    DATABASE_URL: db.config.dialect === 'sqlite' ? `file:${db.config.file}` : db.config.url,
    DATA_DIR: dataDir,
    SECRET_KEY: 'delivery-crash-secret-key-1',
    SMTP_URL: smtp.url,
    ALLOW_PRIVATE_WEBHOOK_URLS: 'true',
    OUTBOX_LEASE_MS: '1000',
    OUTBOX_POLL_MS: '50',
    OUTBOX_RETRY_BASE_MS: '100',
  };
  const config = loadConfig(env);
  setup = await connectDatabase(config.database);
  services = createServices(setup, systemClock, config);
  const tenant = await services.identity.createTenant({ name: 'Crash Mail Shop', kind: 'merchant' });
  apiKey = tenant.apiKey;
  tenantId = tenant.tenantId;
  await services.webhooks.create(tenantId, { url: hooks.url, events: ['*'] });
});

afterAll(async () => {
  await db.dispose(setup).catch(() => {});
  await setup?.close();
  await smtp?.close();
  await hooks?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('notification delivery under SIGKILL', () => {
  it('sends nothing twice when the worker dies mid-delivery and starts again', async () => {
    const { order } = await services.orders.upsertOrder(tenantId, orderBody() as never);
    const first = await startChildServer(env);
    const api = apiClient(first.url, apiKey);
    const ret = (
      await api.post('/api/v1/returns', {
        orderId: order.id,
        lines: [{ orderLineId: order.lines[1]!.id, quantity: 1, reasonCode: 'wrong_size' }],
      })
    ).body;
    expect(ret.status).toBe('awaiting_shipment');
    // Wait until the email is on its way (the SMTP server is holding it), then kill.
    await until(
      () =>
        setup.db
          .selectFrom('deliveries')
          .select(['channel', 'status'])
          .where('returnId', '=', ret.id)
          .execute(),
      (rows) => rows.some((r) => r.channel === 'email' && r.status === 'sending'),
    );
    await killChild(first.child);
    await new Promise((r) => setTimeout(r, 1_800));
    expect(smtp.messages.filter((m) => m.to === order.customer.email)).toHaveLength(0);

    const second = await startChildServer(env);
    try {
      const rows = await until(
        () =>
          setup.db
            .selectFrom('deliveries')
            .select(['channel', 'status'])
            .where('returnId', '=', ret.id)
            .execute(),
        (r) => r.length === 3 && r.every((x) => ['sent', 'delivered'].includes(x.status)),
      );
      expect(rows.map((r) => r.channel).sort()).toEqual(['email', 'in_app', 'webhook']);
      // Give a duplicate every chance to show up.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(smtp.messages.filter((m) => m.to === order.customer.email)).toHaveLength(1);
      expect(hooks.received.filter((h) => h.body.includes(ret.id))).toHaveLength(1);
      const inbox = await apiClient(second.url).get(`/api/v1/track/${ret.trackingToken}/inbox`);
      expect(inbox.body.data).toHaveLength(1);
      const dispatches = await setup.db
        .selectFrom('outbox')
        .selectAll()
        .where('topic', '=', 'notify.dispatch')
        .execute();
      expect(dispatches.filter((d) => JSON.stringify(d.payload).includes(ret.id))).toHaveLength(1);
    } finally {
      await killChild(second.child);
    }
  }, 90_000);
});
