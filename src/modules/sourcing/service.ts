import { createLineStages } from './line-stages.ts';
import { createSellerClaims } from './seller-claims.ts';
import { createSourcingContext, type SourcingDeps } from './sourcing-context.ts';
import { createSourcingReports } from './sourcing-reports.ts';
import { createSystemSteps } from './system-steps.ts';

export { CLAIM_ACTIONS, type ClaimAction } from './claim-flow.ts';
export {
  CLAIM_DEADLINE,
  type ClaimSummary,
  SOURCING_FOLLOW_UP,
  type SourcingDeps,
} from './sourcing-context.ts';

/**
 * The purchasing-agent use cases, one file per sub-flow: what the system does on its own
 * (system-steps.ts), line stages (line-stages.ts), seller claims (seller-claims.ts) and the
 * read models (sourcing-reports.ts), over the rows and views of sourcing-context.ts.
 */
export function createSourcingService(deps: SourcingDeps) {
  const ctx = createSourcingContext(deps);
  const lineStages = createLineStages(ctx);
  const claims = createSellerClaims(ctx);
  // Spread in the order the methods had when they were one object literal.
  return {
    ...createSystemSteps(ctx, { getClaim: claims.getClaim }),
    ...lineStages,
    ...claims,
    ...createSourcingReports(ctx, { orderStages: lineStages.orderStages, listClaims: claims.listClaims }),
  };
}

export type SourcingService = ReturnType<typeof createSourcingService>;
