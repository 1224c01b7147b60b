import { parseJson } from '../../platform/db/schema.ts';
import type { Decision } from '../policy/evaluate-policy.ts';
import { EXPLAIN_LOCALES } from '../policy/explain.ts';
import { amountReceived } from '../refunds/refund-breakdown.ts';
import type { ResolvedQuote } from '../refunds/resolution-quote.ts';
import * as repo from './repo.ts';
import { shipByOf } from './return-tracking.ts';
import { localized, type ReturnsContext } from './returns-context.ts';

/** The return as notifications tell it (returnContext). */
export function createNotificationContext(ctx: ReturnsContext) {
  const { deps } = ctx;
  const { db } = deps;

  return {
    /** What notifications say about a return: its numbers, items, customer and latest note. */
    async returnContext(tenantId: string, returnId: string, tenantName: string) {
      const r = await repo.findReturn(db, tenantId, returnId);
      if (!r) return null;
      const [orderNumber, customer, lines, events, current] = await Promise.all([
        deps.orders.orderNumberOf(tenantId, r.orderId),
        deps.orders.requireCustomer(tenantId, r.customerId),
        repo.findReturnLines(db, tenantId, returnId),
        repo.findEvents(db, tenantId, returnId, true),
        deps.policies.currentPolicy(tenantId),
      ]);
      const last = events[events.length - 1];
      const decision = parseJson<Decision>(r.decision);
      return {
        tenantId,
        tenantName,
        returnId,
        rmaNumber: r.rmaNumber,
        status: r.status,
        resolution: r.resolution,
        orderId: r.orderId,
        orderNumber: orderNumber ?? '',
        currency: r.currency,
        refundTotal: r.refundTotal,
        /** What the customer receives, store-credit bonus included (the breakdown's total). */
        customerTotal: amountReceived(parseJson<ResolvedQuote>(r.refundQuote), r.refundTotal),
        trackingToken: r.trackingToken,
        items: lines.map((l) => ({ title: l.title, quantity: l.quantity })),
        note: last?.note ?? null,
        shipment:
          r.shipment === null
            ? null
            : parseJson<{ carrier: string | null; trackingNumber: string | null }>(r.shipment),
        customer,
        /** The language the return was filed in, when known. */
        locale: r.locale,
        /** The decision's explanation in each language (a shop's own rule texts stay as written). */
        explanations: Object.fromEntries(
          EXPLAIN_LOCALES.map((l) => [l, localized(decision, l).join(' ')]),
        ) as Record<(typeof EXPLAIN_LOCALES)[number], string>,
        /** The last day to send the parcel (YYYY-MM-DD), as the tracking page shows it; null when none is expected. */
        shipBy: shipByOf(r, events, current.policy),
      };
    },
  };
}
