import type { AppInstance } from '../../platform/http/server.ts';
import { registerEvidenceRoutes } from './evidence-routes.ts';
import { type PortalRoutesDeps, portalAccess } from './portal-access.ts';
import { registerPortalReturnRoutes } from './portal-return-routes.ts';
import { registerPortalSessionRoutes } from './portal-session-routes.ts';

export { MAX_CONCURRENT_UPLOADS } from './evidence-routes.ts';
export type { PortalRoutesDeps } from './portal-access.ts';

/**
 * The customer portal and the photo routes: the session (portal-session-routes.ts), the return
 * it files (portal-return-routes.ts) and evidence uploads (evidence-routes.ts), registered in
 * that order.
 */
export function registerPortalRoutes(app: AppInstance, deps: PortalRoutesDeps): void {
  const access = portalAccess(deps);
  registerPortalSessionRoutes(app, deps, access);
  registerPortalReturnRoutes(app, deps, access);
  registerEvidenceRoutes(app, deps, access);
}
