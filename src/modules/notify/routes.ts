import type { AppInstance } from '../../platform/http/server.ts';
import { registerDeliveryRoutes } from './delivery-routes.ts';
import { registerInboxRoutes } from './inbox-routes.ts';
import { registerPreferenceRoutes } from './preference-routes.ts';
import type { NotifyRouteDeps } from './routes-deps.ts';
import { registerSettingsRoutes } from './settings-routes.ts';
import { registerUnsubscribeRoutes } from './unsubscribe-routes.ts';
import { registerWebhookRoutes } from './webhook-routes.ts';

export type { NotifyRouteDeps, TrackingAccess } from './routes-deps.ts';

/** Every notification route, one file per sub-flow, registered in the order the API lists them. */
export function registerNotifyRoutes(app: AppInstance, deps: NotifyRouteDeps): void {
  registerSettingsRoutes(app, deps);
  registerDeliveryRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  registerPreferenceRoutes(app, deps);
  registerInboxRoutes(app, deps);
  registerUnsubscribeRoutes(app, deps);
}
