import { notFound } from '../../platform/errors.ts';
import type { LineStages } from './line-stages.ts';
import { sellerDeadlineDue } from './queries.ts';
import type { SellerClaims } from './seller-claims.ts';
import type { SourcingContext } from './sourcing-context.ts';

/** What the console and the leads read: the case summary, a return's position, claims per seller. */
export function createSourcingReports(
  ctx: SourcingContext,
  views: { orderStages: LineStages['orderStages']; listClaims: SellerClaims['listClaims'] },
) {
  const { deps, db, clock } = ctx;
  const { orderStages, listClaims } = views;

  return {
    /** The ids of the returns whose open seller claim is due soon, as a subquery for the console. */
    sellerDeadlineDue(tenantId: string, now: Date) {
      return sellerDeadlineDue(db, tenantId, now);
    },

    /**
     * What the console shows beside a purchasing agent's case: the order's line stages, the
     * return's seller claims, and the customer's abuse signals. Null for merchants.
     */
    async caseSummary(tenantId: string, ret: { id: string; orderId: string; customerId: string }) {
      const { policy } = await deps.policies.currentPolicy(tenantId);
      const pa = policy.purchasingAgent;
      if (!pa) return null;
      const [stages, claims, counts] = await Promise.all([
        orderStages(tenantId, ret.orderId),
        listClaims(tenantId, { returnId: ret.id, limit: 50 }),
        deps.returns.recentReturnCounts(tenantId, ret.customerId, pa.noReasonCodes, clock.now()),
      ]);
      return {
        lines: stages.lines,
        claims: claims.items,
        risk: {
          ...counts,
          freeReturnsPerMonth: pa.freeReturnsPerMonth ?? null,
          noReasonReviewThreshold: pa.noReasonReviewThreshold,
          frequentNoReason: counts.noReasonReturns90d >= pa.noReasonReviewThreshold,
        },
      };
    },

    /** Paid out to the customer vs recovered (and still expected) from sellers, per return. */
    async returnPosition(tenantId: string, returnId: string) {
      const r = await deps.returns.returnFacts(db, tenantId, returnId);
      if (!r) throw notFound('Return');
      const paidOut = await deps.paidOut(tenantId, returnId);
      const claims = await db
        .selectFrom('sellerClaims')
        .select(['status', 'amountExpected', 'amountRecovered'])
        .where('tenantId', '=', tenantId)
        .where('returnId', '=', returnId)
        .execute();
      const recovered = claims.reduce((s, c) => s + c.amountRecovered, 0);
      const pending = claims
        .filter((c) => c.status === 'draft' || c.status === 'sent' || c.status === 'accepted')
        .reduce((s, c) => s + c.amountExpected, 0);
      return {
        returnId,
        rmaNumber: r.rmaNumber,
        currency: r.currency,
        paidOut,
        recovered,
        pendingRecovery: pending,
        net: recovered - paidOut,
        claims: claims.length,
      };
    },

    /** Claims per seller: how many, how they ended, and what came back. */
    async sellerStats(tenantId: string, range: { from?: string; to?: string }) {
      let q = db
        .selectFrom('sellerClaims')
        .select(['seller', 'status', 'currency', 'amountExpected', 'amountRecovered'])
        .where('tenantId', '=', tenantId);
      if (range.from) q = q.where('createdAt', '>=', range.from);
      if (range.to) q = q.where('createdAt', '<', range.to);
      const rows = await q.execute();
      const by = new Map<
        string,
        {
          seller: string;
          claims: number;
          won: number;
          lost: number;
          open: number;
          expected: Record<string, number>;
          recovered: Record<string, number>;
        }
      >();
      for (const c of rows) {
        const s = by.get(c.seller) ?? {
          seller: c.seller,
          claims: 0,
          won: 0,
          lost: 0,
          open: 0,
          expected: {},
          recovered: {},
        };
        s.claims++;
        if (c.status === 'accepted' || c.status === 'refunded') s.won++;
        else if (c.status === 'refused' || c.status === 'expired') s.lost++;
        else if (c.status !== 'cancelled') s.open++;
        s.expected[c.currency] = (s.expected[c.currency] ?? 0) + c.amountExpected;
        s.recovered[c.currency] = (s.recovered[c.currency] ?? 0) + c.amountRecovered;
        by.set(c.seller, s);
      }
      return {
        sellers: [...by.values()]
          .map((s) => ({ ...s, successRate: s.won + s.lost === 0 ? null : s.won / (s.won + s.lost) }))
          .sort((a, b) => b.claims - a.claims || a.seller.localeCompare(b.seller)),
      };
    },
  };
}
