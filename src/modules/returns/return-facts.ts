import { parseJson } from '../../platform/db/schema.ts';
import type { ResolvedQuote } from '../refunds/resolution-quote.ts';
import * as repo from './repo.ts';
import type { Executor, ReturnsContext } from './returns-context.ts';
import type { ReturnStatus } from './state-machine.ts';

/** What other modules read of returns (the purchasing-agent rules, orders, sourcing), as ports. */
export function createReturnFacts(ctx: ReturnsContext) {
  const { deps } = ctx;
  const { db } = deps;

  return {
    /**
     * A customer's recent returns as the purchasing-agent rules count them: this calendar month's
     * (for the free quota) and the last 90 days' with a no-reason code (the abuse signal).
     */
    recentReturnCounts(tenantId: string, customerId: string, noReasonCodes: readonly string[], now: Date) {
      return repo.recentReturnCounts(db, tenantId, customerId, noReasonCodes, now);
    },

    /**
     * A return as another module's rules read it (the purchasing-agent claims), in the caller's
     * transaction: its row's facts, its quote and its lines. Undefined for an unknown id.
     */
    async returnFacts(ex: Executor, tenantId: string, returnId: string) {
      const r = await repo.findReturn(ex, tenantId, returnId);
      if (!r) return undefined;
      const lines = await repo.findReturnLines(ex, tenantId, returnId);
      return {
        id: r.id,
        orderId: r.orderId,
        rmaNumber: r.rmaNumber,
        status: r.status as ReturnStatus,
        currency: r.currency,
        refundTotal: r.refundTotal,
        customerNote: r.customerNote,
        quote: r.refundQuote ? parseJson<ResolvedQuote>(r.refundQuote) : null,
        lines: lines.map((l) => ({
          orderLineId: l.orderLineId,
          quantity: l.quantity,
          reasonCode: l.reasonCode,
          note: l.note,
        })),
      };
    },

    /** Whether any return (in any state) was ever filed on the order: its money is frozen then. */
    async orderHasReturns(ex: Executor, tenantId: string, orderId: string): Promise<boolean> {
      const r = await ex
        .selectFrom('returns')
        .select('id')
        .where('tenantId', '=', tenantId)
        .where('orderId', '=', orderId)
        .limit(1)
        .executeTakeFirst();
      return r !== undefined;
    },

    /** The returns filed on an order's lines, newest first, by order line id. */
    async returnsByOrderLine(tenantId: string, orderId: string) {
      const rows = await db
        .selectFrom('returnLines')
        .innerJoin('returns', (j) =>
          j
            .onRef('returns.tenantId', '=', 'returnLines.tenantId')
            .onRef('returns.id', '=', 'returnLines.returnId'),
        )
        .select(['returnLines.orderLineId', 'returns.id', 'returns.rmaNumber', 'returns.status'])
        .where('returns.tenantId', '=', tenantId)
        .where('returns.orderId', '=', orderId)
        .orderBy('returns.createdAt', 'desc')
        .orderBy('returns.id', 'desc')
        .execute();
      const byLine = new Map<string, { id: string; rmaNumber: string; status: string }[]>();
      for (const r of rows) {
        const list = byLine.get(r.orderLineId) ?? [];
        list.push({ id: r.id, rmaNumber: r.rmaNumber, status: r.status });
        byLine.set(r.orderLineId, list);
      }
      return byLine;
    },
  };
}
