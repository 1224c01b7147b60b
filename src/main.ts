import { createIdentityService } from './modules/identity/service.ts';
import { registerOrderRoutes } from './modules/orders/routes.ts';
import { createOrdersService } from './modules/orders/service.ts';
import { registerPolicyRoutes } from './modules/policy/routes.ts';
import { createPolicyService } from './modules/policy/service.ts';
import { createRefundsService } from './modules/refunds/service.ts';
import { createReturnActions } from './modules/returns/return-actions.ts';
import { registerReturnRoutes } from './modules/returns/routes.ts';
import { createReturnsService } from './modules/returns/service.ts';
import type { Clock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import type { DatabaseHandle } from './platform/db/database.ts';
import { createHttpServer } from './platform/http/server.ts';

export type AppConfig = Pick<Config, 'logLevel' | 'publicRateLimit' | 'publicUrl'>;

/** The composition root: every service built once from its dependencies. */
export function createServices(handle: DatabaseHandle, clock: Clock, config: Pick<Config, 'publicUrl'>) {
  const { db } = handle;
  const policies = createPolicyService({ db, clock });
  const identity = createIdentityService({
    db,
    clock,
    initTenant: (trx, tenantId) => policies.initTenant(trx, tenantId),
  });
  const orders = createOrdersService({ db, clock });
  const refunds = createRefundsService({ clock });
  const returns = createReturnsService({ db, clock, orders, policies, publicUrl: config.publicUrl });
  const returnActions = createReturnActions({ db, clock, returns, orders, refunds });
  return { db, policies, identity, orders, refunds, returns, returnActions };
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
  await app.ready();
  return app;
}
