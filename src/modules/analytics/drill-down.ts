import { decodeCursor, pageOf } from '../../platform/cursor.ts';
import type { Db } from '../../platform/db/database.ts';
import { type MetricFilters, type MetricQueries, nextDay, type RateBasis } from './metric-queries.ts';

/** The returns behind a number of the analytics overview, a page at a time. */
export function createDrillDown(db: Db, queries: MetricQueries) {
  const { range } = queries;

  return {
    /**
     * The returns behind a number: newest first, by cursor. `basis: 'order'` lists the returns of
     * the orders placed in the range (the units of a return rate by order day), whenever requested.
     */
    async drillDown(
      tenantId: string,
      f: MetricFilters & { status?: string; limit?: number; cursor?: string; basis?: RateBasis },
    ) {
      const { from, to } = range(f);
      const limit = f.limit ?? 50;
      let q = db
        .selectFrom('analyticsReturnFacts as f')
        // A cross join with the join's terms in WHERE: SQLite then keeps the facts outermost, read
        // newest first from their (tenant, requested_at) index, whatever its statistics say (fresh
        // ones on a one-tenant database made it scan every return and sort: 0.5 → 290 ms).
        .crossJoin('returns as r')
        .whereRef('r.tenantId', '=', 'f.tenantId')
        .whereRef('r.id', '=', 'f.returnId')
        .select([
          'f.returnLineId',
          'f.returnId',
          'r.rmaNumber',
          'f.requestedAt',
          'f.sku',
          'f.category',
          'f.reasonCode',
          'f.resolution',
          'f.status',
          'f.unitsRequested',
          'f.currency',
          'f.refundAmount',
        ])
        .where('f.tenantId', '=', tenantId)
        // The same days as `day`, as a time range, so the (tenant, requested_at) index serves both
        // the filter and the newest-first order.
        .where('f.requestedAt', '>=', `${from}T00:00:00.000Z`);
      q =
        f.basis === 'order'
          ? q
              .innerJoin('orders as o', (j) =>
                j.onRef('o.tenantId', '=', 'r.tenantId').onRef('o.id', '=', 'r.orderId'),
              )
              .where('o.placedAt', '>=', `${from}T00:00:00.000Z`)
              .where('o.placedAt', '<', nextDay(to))
          : q.where('f.requestedAt', '<', nextDay(to));
      if (f.sku) q = q.where('f.sku', '=', f.sku);
      if (f.category) q = q.where('f.category', '=', f.category);
      if (f.reason) q = q.where('f.reasonCode', '=', f.reason);
      if (f.resolution) q = q.where('f.resolution', '=', f.resolution);
      if (f.status) q = q.where('f.status', '=', f.status);
      if (f.cursor) {
        const { at, id } = decodeCursor(f.cursor);
        q = q.where((eb) =>
          eb.or([
            eb('f.requestedAt', '<', at),
            eb.and([eb('f.requestedAt', '=', at), eb('f.returnLineId', '<', id)]),
          ]),
        );
      }
      const rows = await q
        .orderBy('f.requestedAt', 'desc')
        .orderBy('f.returnLineId', 'desc')
        .limit(limit + 1)
        .execute();
      const { page, nextCursor } = pageOf(rows, limit, (r) => [r.requestedAt, r.returnLineId]);
      return {
        data: page.map((r) => ({
          ...r,
          unitsRequested: Number(r.unitsRequested),
          refundAmount: Number(r.refundAmount),
        })),
        nextCursor,
      };
    },
  };
}
