import { type AppInstance, authOf } from '../../platform/http/server.ts';
import type { Actor } from '../returns/service.ts';
import { registerClaimRoutes } from './claim-routes.ts';
import type { SourcingService } from './service.ts';
import { registerStageRoutes } from './stage-routes.ts';
import { registerWalletRoutes, type WalletRouteDeps } from './wallet-routes.ts';

/** Purchasing-agent routes: line stages, seller claims, FX rates, wallets, and the agent's position. */
export function registerSourcingRoutes(
  app: AppInstance,
  deps: { sourcing: SourcingService } & WalletRouteDeps,
): void {
  const { sourcing } = deps;
  const actorOf = (request: Parameters<typeof authOf>[0]): Actor => {
    const a = authOf(request);
    return { type: a.actorType, id: a.actorId };
  };

  // Registered in the order they were written in one file (the OpenAPI document lists them so).
  registerStageRoutes(app, { sourcing, actorOf });
  registerClaimRoutes(app, { sourcing, actorOf });
  registerWalletRoutes(app, deps);
}
