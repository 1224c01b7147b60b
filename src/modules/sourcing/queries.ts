import type { Db } from '../../platform/db/database.ts';

/** A claim the seller has not answered yet. */
export const OPEN_CLAIM_STATUSES = ['draft', 'sent'] as const;

/** A seller claim still open this close to the seller's deadline is at risk (the console queue). */
export const SELLER_DEADLINE_HOURS = 48;

/**
 * The ids of the returns with a seller claim still open (draft or sent) whose deadline is at or
 * before `before`: a subquery other modules' read models can filter by, so the claims table stays
 * this module's.
 */
export function returnsWithClaimsDue(db: Db, tenantId: string, before: string) {
  return db
    .selectFrom('sellerClaims')
    .select('returnId')
    .where('tenantId', '=', tenantId)
    .where('status', 'in', OPEN_CLAIM_STATUSES)
    .where('deadlineAt', 'is not', null)
    .where('deadlineAt', '<=', before);
}

/** The returns of the "seller deadline" console queue: an open claim due within the warning time. */
export function sellerDeadlineDue(db: Db, tenantId: string, now: Date) {
  return returnsWithClaimsDue(
    db,
    tenantId,
    new Date(now.getTime() + SELLER_DEADLINE_HOURS * 3_600_000).toISOString(),
  );
}
