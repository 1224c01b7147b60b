import { createIdentityService } from './modules/identity/service.ts';
import { registerOrderRoutes } from './modules/orders/routes.ts';
import { createOrdersService } from './modules/orders/service.ts';
import { registerPolicyRoutes } from './modules/policy/routes.ts';
import { createPolicyService } from './modules/policy/service.ts';
import { createProviderAccounts } from './modules/refunds/provider-accounts.ts';
import { registerRefundRoutes } from './modules/refunds/routes.ts';
import { createRefundsService, REFUND_EXECUTE, REFUND_POLL } from './modules/refunds/service.ts';
import { createReturnActions } from './modules/returns/return-actions.ts';
import { registerReturnRoutes } from './modules/returns/routes.ts';
import { createReturnsService } from './modules/returns/service.ts';
import type { Clock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import type { DatabaseHandle } from './platform/db/database.ts';
import { createHttpServer } from './platform/http/server.ts';
import { createOutboxWorker } from './platform/outbox.ts';
import { createSealer, loadSecretKey } from './platform/secrets.ts';

export type ServiceConfig = Pick<
  Config,
  'publicUrl' | 'dataDir' | 'secretKey' | 'worker' | 'providerTimeoutMs' | 'allowProviderBaseUrl'
>;
export type AppConfig = Pick<Config, 'logLevel' | 'publicRateLimit' | 'publicUrl'>;

/** The composition root: every service built once from its dependencies, and the outbox worker. */
export function createServices(handle: DatabaseHandle, clock: Clock, config: ServiceConfig) {
  const { db } = handle;
  const sealer = createSealer(loadSecretKey(config.secretKey, config.dataDir));
  const policies = createPolicyService({ db, clock });
  const identity = createIdentityService({
    db,
    clock,
    initTenant: (trx, tenantId) => policies.initTenant(trx, tenantId),
  });
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
  const orders = createOrdersService({ db, clock, payments: refunds });
  const returns = createReturnsService({
    db,
    clock,
    orders,
    policies,
    refunds,
    publicUrl: () => config.publicUrl,
  });
  const returnActions = createReturnActions({ db, clock, returns, orders, refunds });
  const worker = createOutboxWorker({
    db,
    dialect: handle.dialect,
    clock,
    handlers: {
      [REFUND_EXECUTE]: (m) => refunds.executeRefund(m),
      [REFUND_POLL]: (m) => refunds.pollRefund(m),
    },
    pollMs: config.worker.pollMs,
    leaseMs: config.worker.leaseMs,
    maxAttempts: config.worker.maxAttempts,
    baseDelayMs: config.worker.baseDelayMs,
  });
  return { db, policies, identity, orders, refunds, providerAccounts, returns, returnActions, worker };
}

export type Services = ReturnType<typeof createServices>;

/** The HTTP application over the services (not listening yet). */
export async function buildApp(services: Services, config: AppConfig) {
  const app = await createHttpServer({
    config,
    db: services.db,
    authenticateApiKey: (token) => services.identity.authenticateApiKey(token),
  });
  registerOrderRoutes(app, services.orders);
  registerPolicyRoutes(app, services.policies);
  registerReturnRoutes(app, services.returns, services.returnActions, {
    publicRateLimit: config.publicRateLimit,
  });
  registerRefundRoutes(app, {
    refunds: services.refunds,
    providerAccounts: services.providerAccounts,
    requireCustomer: (tenantId, id) => services.orders.requireCustomer(tenantId, id),
    publicRateLimit: config.publicRateLimit,
  });
  await app.ready();
  return app;
}
