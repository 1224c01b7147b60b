import { existsSync } from 'node:fs';
import { type Services, WEB_DIST_DIR } from './main.ts';
import { registerDetectionRoutes } from './modules/analytics/detection-routes.ts';
import { registerAnalyticsRoutes } from './modules/analytics/routes.ts';
import { registerAdminRoutes } from './modules/identity/admin-routes.ts';
import { registerAuthRoutes } from './modules/identity/routes.ts';
import { registerNotifyRoutes } from './modules/notify/routes.ts';
import { escapeHtml } from './modules/notify/templates.ts';
import { registerOrderRoutes } from './modules/orders/routes.ts';
import { registerPolicyRoutes } from './modules/policy/routes.ts';
import { registerRefundRoutes } from './modules/refunds/routes.ts';
import { registerPortalRoutes } from './modules/returns/portal-routes.ts';
import { registerReturnRoutes } from './modules/returns/routes.ts';
import { registerSourcingRoutes } from './modules/sourcing/routes.ts';
import { registerSupportRoutes } from './modules/support/routes.ts';
import type { Config } from './platform/config.ts';
import { createHttpServer } from './platform/http/server.ts';
import { registerWeb } from './platform/http/web.ts';

/**
 * The HTTP side of the composition root: every module's routes over the services that
 * `createServices` (main.ts) built, and the web app. `returnflow serve`, the tests and the
 * benchmarks build the same application here.
 */
export type AppConfig = Pick<Config, 'logLevel' | 'publicRateLimit' | 'publicUrl'> &
  Partial<Pick<Config, 'lookupRateLimit' | 'idempotencyStaleMs' | 'logFormat'>> & {
    /** The built web app to serve at `/`; default `dist/web` when it has been built, null for none. */
    webDir?: string | null;
    /** Requests but the health check wait for it (`serve`: the demo being seeded). */
    holdRequestsUntil?: Promise<unknown>;
  };

/** The HTTP application over the services (not listening yet). */
export async function buildApp(services: Services, config: AppConfig) {
  const app = await createHttpServer({
    config,
    db: services.db,
    holdRequestsUntil: config.holdRequestsUntil,
    authenticateApiKey: (token) => services.identity.authenticateApiKey(token),
    authenticateSession: async (cookie) => {
      const s = await services.sessions.resolve(cookie);
      return s
        ? {
            auth: { tenantId: s.user.tenantId, actorType: 'staff', actorId: s.user.id, role: s.user.role },
            csrfToken: s.csrfToken,
          }
        : null;
    },
  });
  registerAuthRoutes(app, {
    sessions: services.sessions,
    tenantOf: (tenantId) => services.identity.getTenant(tenantId),
    sendPasswordReset: (tenantId, to, name, link) =>
      services.notify.sendSystemEmail(tenantId, {
        event: 'password_reset',
        to,
        subject: 'Reset your Returnflow password',
        text: `Hello ${name},\n\nSomeone (hopefully you) asked to reset your password. This link works for one hour, once:\n${link}\n\nIf it was not you, ignore this email; your password stays as it is.`,
        html: `<p>Hello ${escapeHtml(name)},</p><p>Someone (hopefully you) asked to reset your password. This link works for one hour, once:</p><p><a href="${escapeHtml(link)}">Choose a new password</a></p><p>If it was not you, ignore this email; your password stays as it is.</p>`,
      }),
    publicUrl: () => config.publicUrl,
    publicRateLimit: config.publicRateLimit,
  });
  registerOrderRoutes(app, services.orders);
  registerPolicyRoutes(app, services.policies, {
    actorName: (tenantId, actor) => services.identity.actorName(tenantId, actor),
  });
  registerReturnRoutes(app, services.returns, services.returnActions, {
    publicRateLimit: config.publicRateLimit,
  });
  registerPortalRoutes(app, {
    portal: services.portal,
    returns: services.returns,
    evidence: services.evidence,
    publicUrl: () => config.publicUrl,
    publicRateLimit: config.publicRateLimit,
    lookupRateLimit: config.lookupRateLimit ?? 10,
    shopByHandle: (handle) => services.identity.tenantByHandle(handle),
  });
  registerSupportRoutes(app, services.support);
  registerAdminRoutes(app, services.identity);
  registerSourcingRoutes(app, {
    sourcing: services.sourcing,
    wallet: services.wallet,
    requireCustomer: (tenantId, id) => services.orders.requireCustomer(tenantId, id),
    resolveTracking: (token) => services.returns.resolveTracking(token),
    isPurchasingAgent: async (tenantId) =>
      (await services.identity.getTenant(tenantId))?.kind === 'purchasing_agent',
    publicRateLimit: config.publicRateLimit,
  });
  registerAnalyticsRoutes(app, services.analytics);
  registerDetectionRoutes(app, { detection: services.detection, risk: services.risk });
  registerRefundRoutes(app, {
    refunds: services.refunds,
    providerAccounts: services.providerAccounts,
    requireCustomer: (tenantId, id) => services.orders.requireCustomer(tenantId, id),
    publicRateLimit: config.publicRateLimit,
  });
  registerNotifyRoutes(app, {
    notify: services.notify,
    settings: services.settings,
    webhooks: services.webhooks,
    realtime: services.realtime,
    resolveTracking: (token) => services.returns.resolveTracking(token),
    customers: {
      require: (tenantId, id) => services.orders.requireCustomer(tenantId, id),
      updateContact: (tenantId, id, c) => services.orders.updateCustomerContact(tenantId, id, c),
    },
    unsubscribeKey: services.unsubscribeKey,
    publicRateLimit: config.publicRateLimit,
  });
  const webDir = config.webDir === undefined ? WEB_DIST_DIR : config.webDir;
  if (webDir && existsSync(`${webDir}/index.html`)) await registerWeb(app, { distDir: webDir });
  await app.ready();
  return app;
}
