import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createRiskService } from './modules/analytics/detection-risk.ts';
import {
  ANALYTICS_ALERT,
  ANALYTICS_DETECT,
  ANALYTICS_SCHEDULE,
  ANALYTICS_TRAIN,
  createDetectionService,
} from './modules/analytics/detection-service.ts';
import { createAnalyticsService } from './modules/analytics/service.ts';
import { createIdentityService } from './modules/identity/service.ts';
import { createSessions } from './modules/identity/sessions.ts';
import { createSmtpSender } from './modules/notify/email-sender.ts';
import { notificationFor } from './modules/notify/notify-rules.ts';
import {
  createNotifyService,
  DELIVER_DIGEST,
  DELIVER_EMAIL,
  DELIVER_SMS,
  DELIVER_WEBHOOK,
  NOTIFY_DISPATCH,
} from './modules/notify/service.ts';
import { createNotifySettings } from './modules/notify/settings.ts';
import { createWebhookService } from './modules/notify/webhooks.ts';
import { createOrdersService } from './modules/orders/service.ts';
import { createPolicyService } from './modules/policy/service.ts';
import { realtimeCacheBus } from './modules/realtime/cache-bus.ts';
import { liveChannel } from './modules/realtime/channels.ts';
import { createLocalRealtime, createPgRealtime, type Realtime } from './modules/realtime/hub.ts';
import { createProviderAccounts } from './modules/refunds/provider-accounts.ts';
import { createRefundsService, REFUND_EXECUTE, REFUND_POLL } from './modules/refunds/service.ts';
import { createConsoleQueries } from './modules/returns/console-queries.ts';
import { createEvidenceService } from './modules/returns/evidence.ts';
import { previewPolicy } from './modules/returns/policy-preview.ts';
import { createPortal } from './modules/returns/portal.ts';
import { createReturnActions } from './modules/returns/return-actions.ts';
import { type ChangeHooks, createReturnsService } from './modules/returns/service.ts';
import { claimStaffNotice } from './modules/sourcing/claim-messages.ts';
import { CLAIM_DEADLINE, createSourcingService, SOURCING_FOLLOW_UP } from './modules/sourcing/service.ts';
import { purchasingAgentStages } from './modules/sourcing/stage-rules.ts';
import { createWallet } from './modules/sourcing/wallet.ts';
import { createMacros } from './modules/support/macros.ts';
import { createSupportService } from './modules/support/service.ts';
import { createCaches } from './platform/cache.ts';
import type { Clock } from './platform/clock.ts';
import type { Config, DatabaseConfig, StorageConfig } from './platform/config.ts';
import type { DatabaseHandle } from './platform/db/database.ts';
import { createOutboxWorker } from './platform/outbox.ts';
import { createS3Storage } from './platform/s3-storage.ts';
import { createSealer, loadSecretKey } from './platform/secrets.ts';
import { createLocalStorage, type FileStorage } from './platform/storage.ts';

export type ServiceConfig = Pick<
  Config,
  | 'publicUrl'
  | 'dataDir'
  | 'secretKey'
  | 'worker'
  | 'providerTimeoutMs'
  | 'allowProviderBaseUrl'
  | 'smtpUrl'
  | 'allowPrivateWebhookUrls'
> &
  /** Unset keeps files under dataDir. */
  Partial<Pick<Config, 'storage'>>;
/** Where `npm run build:web` (and `npm start`, first) puts the web app. */
export const WEB_DIST_DIR = fileURLToPath(new URL('../dist/web', import.meta.url));

/** One process on SQLite hears only itself; processes sharing PostgreSQL hear each other (LISTEN/NOTIFY). */
export async function createRealtime(db: DatabaseConfig): Promise<Realtime> {
  return db.dialect === 'postgres'
    ? createPgRealtime({ connectionString: db.url, ...(db.schema ? { schema: db.schema } : {}) })
    : createLocalRealtime();
}

/** An S3-compatible bucket when S3_BUCKET is set, else files under DATA_DIR. */
export function createStorage(config: StorageConfig): FileStorage {
  return config.kind === 's3' ? createS3Storage(config) : createLocalStorage(config.dir);
}

/**
 * The longest a cached policy, setting, template list, API key or tenant is served after a write
 * this process did not hear of (another process on SQLite, a hand edit). Writes through the app
 * invalidate at once, in every process on PostgreSQL (platform/cache.ts).
 */
const CACHE_TTL_MS = 5_000;

/** Outbox messages one worker runs at once on PostgreSQL (out of the pool's 10 connections). */
const OUTBOX_CONCURRENCY_PG = 4;

/** The composition root: every service built once from its dependencies, and the outbox worker. */
export function createServices(
  handle: DatabaseHandle,
  clock: Clock,
  config: ServiceConfig,
  realtime: Realtime = createLocalRealtime(),
) {
  const { db } = handle;
  const secretKey = loadSecretKey(config.secretKey, config.dataDir);
  const sealer = createSealer(secretKey);
  const unsubscribeKey = createHash('sha256').update(secretKey).update('unsubscribe').digest();
  const caches = createCaches({ ttlMs: CACHE_TTL_MS, bus: realtimeCacheBus(realtime) });
  const policies = createPolicyService({ db, clock, caches });
  const identity = createIdentityService({
    db,
    clock,
    caches,
    initTenant: (trx, tenantId, kind) => policies.initTenant(trx, tenantId, kind),
  });
  const sessions = createSessions({ db, clock });
  const providerAccounts = createProviderAccounts({
    db,
    clock,
    sealer,
    publicUrl: () => config.publicUrl,
    timeoutMs: config.providerTimeoutMs,
    allowBaseUrl: config.allowProviderBaseUrl,
  });
  const refunds = createRefundsService({
    db,
    clock,
    providerAccounts,
    maxAttempts: config.worker.maxAttempts,
    // Late-bound: the return actions are built below and settle returns with their refunds.
    onSettled: (trx, s) => returnActions.refundSettled(trx, s),
    onNeedsAttention: (trx, n) => returnActions.refundNeedsAttention(trx, n),
    kick: () => worker.kick(),
    replayMessage: (topic, key) => worker.replayByKey(topic, key),
  });
  const orders = createOrdersService({
    db,
    clock,
    payments: refunds,
    // Late-bound: sales rollups move with every order write, in its transaction.
    onChange: (trx, tenantId, orderId, phase) => analytics.onOrderChange(trx, tenantId, orderId, phase),
    hasReturns: (ex, tenantId, orderId) => returns.orderHasReturns(ex, tenantId, orderId),
  });

  const settings = createNotifySettings({
    db,
    clock,
    sealer,
    allowProviderBaseUrl: config.allowProviderBaseUrl,
    smsTimeoutMs: config.providerTimeoutMs,
    caches,
  });
  const webhooks = createWebhookService({
    db,
    clock,
    sealer,
    allowPrivateUrls: config.allowPrivateWebhookUrls,
    caches,
  });
  const email = config.smtpUrl ? createSmtpSender(config.smtpUrl) : null;
  const notify = createNotifyService({
    db,
    clock,
    settings,
    webhooks,
    realtime,
    email,
    loadReturnContext: async (tenantId, returnId) => {
      const tenant = await identity.getTenant(tenantId);
      return returns.returnContext(tenantId, returnId, tenant?.name ?? '');
    },
    tenantName: async (tenantId) => (await identity.getTenant(tenantId))?.name ?? '',
    publicUrl: () => config.publicUrl,
    unsubscribeKey,
    maxAttempts: config.worker.maxAttempts,
    staffFor: (tenantId) => sessions.staffWithRoles(tenantId, ['admin', 'supervisor', 'agent']),
    kick: () => worker.kick(),
    replayMessage: (topic, key) => worker.replayByKey(topic, key),
  });

  // Every committed change of a return: its notification is written in the same transaction;
  // the live update goes out after the commit.
  const analytics = createAnalyticsService({ db, clock });
  const onChange: ChangeHooks = {
    async inTransaction(trx, change) {
      await analytics.onReturnChange(trx, change);
      await sourcing.onReturnChange(trx, change);
      const n = notificationFor(change.steps, { method: change.method, status: change.status });
      if (!n) return;
      const note =
        [...change.steps].reverse().find((s) => s.visibility !== 'internal' && s.note)?.note ?? null;
      await notify.notifyReturnChange(trx, change.tenantId, {
        ...n,
        returnId: change.returnId,
        status: change.status,
        eventKey: `${change.returnId}:${change.status}:v${change.version}`,
        note,
      });
    },
    afterCommit(change) {
      const data = { returnId: change.returnId, status: change.status, version: change.version };
      void realtime.publish({
        channel: liveChannel.returnUpdates(change.returnId),
        event: 'return.updated',
        data,
      });
      void realtime.publish({
        channel: liveChannel.tenantQueue(change.tenantId),
        event: 'return.updated',
        data,
      });
      worker.kick();
    },
  };
  const storage = createStorage(config.storage ?? { kind: 'local', dir: config.dataDir });
  const evidence = createEvidenceService({
    db,
    clock,
    storage,
    lockOrder: (ex, tenantId, orderId) => orders.lockOrder(ex, tenantId, orderId),
  });
  const portal = createPortal({
    db,
    clock,
    orders,
    policies,
    publicUrl: () => config.publicUrl,
    shopByHandle: (handle) => identity.tenantByHandle(handle),
    shop: (tenantId) => identity.getTenant(tenantId),
  });
  const returns = createReturnsService({
    db,
    clock,
    orders,
    policies,
    refunds,
    evidence,
    stageRules: purchasingAgentStages,
    publicUrl: () => config.publicUrl,
    shopOf: (tenantId) => identity.getTenant(tenantId),
    onChange,
    deliveriesOfReturn: (tenantId, returnId) => notify.deliveriesOfReturn(tenantId, returnId),
  });
  const returnActions = createReturnActions({ db, clock, returns, orders, refunds, onChange });
  const sourcing = createSourcingService({
    db,
    clock,
    policies,
    returns,
    linePhotoCounts: (...args) => evidence.linePhotoCounts(...args),
    claimPhotos: (...args) => evidence.claimPhotos(...args),
    paidOut: (...args) => refunds.paidOut(...args),
    requireOrder: (...args) => orders.requireOrder(...args),
    performAction: (tenantId, id, action, body, actor) =>
      returnActions.performAction(tenantId, id, action, body, actor),
    kick: () => worker.kick(),
    notifyClaim: async (tenantId, claim, step) => {
      const desk = (await identity.listUsers(tenantId)).filter((u) => u.role !== 'warehouse');
      await notify.notifyStaff(tenantId, {
        ...claimStaffNotice(claim, step),
        recipients: desk,
      });
    },
  });
  // Early warning and the return-risk model: alerts reach admins and supervisors through notify.
  const detection = createDetectionService({
    db,
    dialect: handle.dialect,
    clock,
    staffFor: async (tenantId) =>
      (await identity.listUsers(tenantId)).filter((u) => u.role === 'admin' || u.role === 'supervisor'),
    notifyStaff: (tenantId, input) => notify.notifyStaff(tenantId, input),
    publicUrl: () => config.publicUrl,
    tenantIds: async () => (await identity.listTenants()).map((t) => t.id),
    kick: () => worker.kick(),
  });
  const risk = createRiskService({ db, dialect: handle.dialect, clock });
  const macros = createMacros({ db, clock });
  const consoleQueries = createConsoleQueries(db, {
    boughtAndReturned: (tenantId, customerId) => orders.customerHistory(db, tenantId, customerId),
    sellerDeadlineDue: (tenantId, now) => sourcing.sellerDeadlineDue(tenantId, now),
  });
  const support = createSupportService({
    clock,
    consoleQueries,
    returns,
    actions: returnActions,
    orders,
    macros,
    realtime,
    userName: (tenantId, userId) => identity.userName(tenantId, userId),
    sourcingOf: (tenantId, ret) => sourcing.caseSummary(tenantId, ret),
    previewPolicy: (tenantId, policy, now) =>
      previewPolicy({ db, orders, policies, stageRules: purchasingAgentStages }, tenantId, policy, now),
  });
  const worker = createOutboxWorker({
    db,
    dialect: handle.dialect,
    clock,
    // On PostgreSQL a message waits on a dozen round trips: four at a time keep up with filing at
    // 10 connections (docs/BENCHMARKS.md). SQLite has one connection; there they queue on it.
    concurrency: handle.dialect === 'postgres' ? OUTBOX_CONCURRENCY_PG : 1,
    handlers: {
      [REFUND_EXECUTE]: (m) => refunds.executeRefund(m),
      [REFUND_POLL]: (m) => refunds.pollRefund(m),
      [NOTIFY_DISPATCH]: (m) => notify.dispatch(m),
      [DELIVER_EMAIL]: (m) => notify.deliverEmail(m),
      [DELIVER_SMS]: (m) => notify.deliverSms(m),
      [DELIVER_WEBHOOK]: (m) => notify.deliverWebhook(m),
      [DELIVER_DIGEST]: (m) => notify.deliverDigest(m),
      [ANALYTICS_SCHEDULE]: (m) => detection.handleSchedule(m),
      [ANALYTICS_DETECT]: (m) => detection.handleDetect(m),
      [ANALYTICS_TRAIN]: (m) => risk.handleTrain(m),
      [ANALYTICS_ALERT]: (m) => detection.handleAlert(m),
      [SOURCING_FOLLOW_UP]: (m) => sourcing.handleFollowUp(m),
      [CLAIM_DEADLINE]: (m) => sourcing.handleClaimDeadline(m),
    },
    pollMs: config.worker.pollMs,
    leaseMs: config.worker.leaseMs,
    maxAttempts: config.worker.maxAttempts,
    baseDelayMs: config.worker.baseDelayMs,
  });
  return {
    db,
    policies,
    identity,
    sessions,
    orders,
    refunds,
    providerAccounts,
    returns,
    returnActions,
    evidence,
    portal,
    macros,
    consoleQueries,
    support,
    analytics,
    detection,
    risk,
    sourcing,
    wallet: createWallet({ db, clock, refunds }),
    clock,
    settings,
    webhooks,
    notify,
    realtime,
    worker,
    unsubscribeKey,
    /** Stops background work and closes outgoing connections (the database is the caller's). */
    async shutdown() {
      await worker.stop();
      await email?.close?.();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
