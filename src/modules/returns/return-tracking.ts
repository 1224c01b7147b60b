import { parseJson } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';
import type { Decision } from '../policy/evaluate-policy.ts';
import { DEFAULT_SHIP_WITHIN_DAYS } from '../policy/policy-schema.ts';
import { customerBreakdown } from '../refunds/refund-breakdown.ts';
import type { ResolvedQuote } from '../refunds/resolution-quote.ts';
import * as repo from './repo.ts';
import { localized, type ReturnsContext } from './returns-context.ts';
import { isTerminal, type ReturnStatus, stepsAhead } from './state-machine.ts';

/** The customer's tracking link: who a token speaks for (resolveTracking) and its page (trackReturn). */
export function createReturnTracking(ctx: ReturnsContext) {
  const { deps } = ctx;
  const { db, clock } = deps;

  return {
    /** Who a tracking token speaks for; 404 for anything else. */
    async resolveTracking(token: string) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw notFound('Return');
      const r = await db
        .selectFrom('returns')
        .select(['tenantId', 'id', 'customerId'])
        .where('trackingToken', '=', token)
        .executeTakeFirst();
      if (!r) throw notFound('Return');
      return { tenantId: r.tenantId, returnId: r.id, customerId: r.customerId };
    },

    /** The public view behind a tracking link: no names, emails, addresses or internal notes. */
    async trackReturn(token: string, lang?: string) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw notFound('Return');
      const r = await repo.findReturnByToken(db, token);
      if (!r) throw notFound('Return');
      const [lines, events, refund, current, shop] = await Promise.all([
        repo.findReturnLines(db, r.tenantId, r.id),
        repo.findEvents(db, r.tenantId, r.id, true),
        deps.refunds.refundOfReturn(r.tenantId, r.id),
        deps.policies.currentPolicy(r.tenantId),
        deps.shopOf?.(r.tenantId),
      ]);
      const quote = parseJson<ResolvedQuote>(r.refundQuote);
      const breakdown = customerBreakdown(quote, r.refundTotal);
      const status = r.status as ReturnStatus;
      const returnless = r.returnless === 1;
      const shipByDate = shipByOf(r, events, current.policy);
      return {
        rmaNumber: r.rmaNumber,
        shop: shop ? { name: shop.name, handle: shop.handle } : null,
        status,
        returnless,
        timeline: events.map((e) => ({
          status: e.toStatus,
          action: e.action,
          note: e.note,
          at: e.createdAt,
        })),
        upcoming: isTerminal(status) ? [] : stepsAhead(status, { returnless }),
        items: lines.map((l) => ({ title: l.title, quantity: l.quantity })),
        refund: {
          currency: r.currency,
          total: breakdown.total,
          method: quote.payout?.method ?? 'original_payment',
          bonus: quote.payout?.method === 'store_credit' ? (quote.bonus ?? 0) : 0,
          status: refund?.status ?? null,
          breakdown: breakdown.rows,
        },
        explanation: localized(parseJson<Decision>(r.decision), lang),
        // The last day counts in full (UTC), as for the return window.
        shipBy: shipByDate
          ? { date: shipByDate, passed: clock.now().toISOString().slice(0, 10) > shipByDate }
          : null,
        returnAddress: !returnless ? (current.policy.returnAddress ?? null) : null,
        sourcing: quote.sourcing
          ? {
              refundTo: quote.sourcing.refundTo,
              display: quote.sourcing.display,
              itemised: quote.sourcing.itemised,
              stages: quote.sourcing.stages.map((st) => ({
                title: lines.find((l) => l.orderLineId === st.orderLineId)?.title ?? '',
                // Where the item is now (back with the seller, cancelled…), not when it was filed.
                stage: lines.find((l) => l.orderLineId === st.orderLineId)?.lineStage ?? st.stage,
                route: st.route,
                sellerDeadline: st.sellerDeadline,
                customerDeadline: st.customerDeadline,
              })),
            }
          : null,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
      };
    },
  };
}

/** The UTC calendar date `days` after the UTC date of `iso` ("2025-02-10T18:00Z", 14 → "2025-02-24"). */
function addUtcDays(iso: string, days: number): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00.000Z`);
  return new Date(d.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The last day to send the parcel: from the day the instructions were issued (with the approval),
 * by the current policy's window (the shop's window today is what the customer needs). Null when
 * no parcel is expected.
 */
export function shipByOf(
  r: { returnless: number; status: string },
  events: { toStatus: string; createdAt: string }[],
  policy: { shipWithinDays?: number },
): string | null {
  if (r.returnless === 1 || r.status !== 'awaiting_shipment') return null;
  const issuedAt = events.find(
    (e) => e.toStatus === 'approved' || e.toStatus === 'awaiting_shipment',
  )?.createdAt;
  return issuedAt ? addUtcDays(issuedAt, policy.shipWithinDays ?? DEFAULT_SHIP_WITHIN_DAYS) : null;
}
