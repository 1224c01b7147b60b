import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import { takeRmaNumbers } from '../returns/rma-numbers.ts';
import type { ReturnStatus } from '../returns/state-machine.ts';
import { bulkInsert } from './bulk-insert.ts';
import { toIso } from './history-validate.ts';
import { EVENT_COLUMNS, MAP_COLUMNS, RETURN_COLUMNS, RETURN_LINE_COLUMNS } from './import-columns.ts';
import type { OrderGroup } from './import-read.ts';
import { BATCH, type ImportProgress } from './import-report.ts';
import type { ResolvedHistory } from './import-resolve.ts';
import { cellOf, factsOf, netCells, type ReturnSnapshot } from './return-facts.ts';
import { applyReturnCells, insertFacts } from './returns-rollups.ts';

type Executor = Kysely<Database>;

/**
 * Writes the new returns with their lines, timelines and external ids (RMA numbers taken in one
 * step), their facts, and adds them to the returns rollups.
 */
export async function writeReturns(
  trx: Executor,
  tenantId: string,
  orders: Map<string, OrderGroup>,
  resolved: ResolvedHistory,
  progress: (p: ImportProgress) => void,
) {
  const { existingOrders, known, orderIds, newReturns } = resolved;
  const rma = await takeRmaNumbers(trx, tenantId, newReturns.length);
  let written = 0;
  for (let i = 0; i < newReturns.length; i += BATCH) {
    const batch = newReturns.slice(i, i + BATCH);
    const snapshots: ReturnSnapshot[] = [];
    const returnRows = [];
    const lineRows = [];
    const eventRows = [];
    const mapRows = [];
    for (const [j, g] of batch.entries()) {
      const id = newId('ret');
      const order = orderIds.get(g.head.orderExternalId)!;
      const requestedAt = toIso(g.head.requestedAt);
      const resolvedAt = g.head.resolvedAt ? toIso(g.head.resolvedAt) : null;
      const refunded = g.status === 'refunded' || g.status === 'closed';
      const refundTotal = refunded ? g.lines.reduce((a, l) => a + (l.r.refundedAmount ?? 0), 0) : 0;
      const lines = g.lines.map((l, position) => {
        const k = known.get(`${l.r.orderExternalId}\u0000${l.r.lineExternalId}`)!;
        return {
          tenantId,
          id: newId('rli'),
          returnId: id,
          orderLineId: k.id,
          position,
          quantity: l.r.quantity,
          reasonCode: l.r.reasonCode.trim(),
          note: l.r.note ? l.r.note : null,
          refundAmount: refunded ? (l.r.refundedAmount ?? 0) : 0,
          acceptedQuantity: null,
          condition: null,
          k,
        };
      });
      const currency = existingCurrency(orders, existingOrders, g.head.orderExternalId);
      const events = importedEvents(g.status, requestedAt, resolvedAt);
      returnRows.push({
        tenantId,
        id,
        rmaNumber: rma[i + j]!,
        orderId: order.id,
        customerId: order.customerId!,
        status: g.status,
        resolution: 'refund',
        returnless: 0,
        currency,
        refundTotal,
        decision: JSON.stringify({
          outcome:
            g.status === 'rejected'
              ? 'rejected'
              : g.status === 'needs_review' || g.status === 'submitted'
                ? 'needs_review'
                : 'approved',
          automatic: false,
          returnless: false,
          decidedBy: 'import',
          ...(resolvedAt ? { decidedAt: resolvedAt } : {}),
          explanation: ['Imported from the shop’s history.'],
          rules: [],
        }),
        refundQuote: JSON.stringify({
          currency,
          resolution: 'refund',
          imported: true,
          lines: lines.map((l) => ({
            orderLineId: l.orderLineId,
            quantity: l.quantity,
            itemAmount: l.refundAmount,
            discount: 0,
            tax: 0,
            shipping: 0,
            restockingFee: 0,
            total: l.refundAmount,
          })),
          subtotal: refundTotal,
          restockingFees: 0,
          returnShippingFee: 0,
          fees: [],
          total: refundTotal,
          bonusPercent: 0,
          bonus: 0,
          payout: { method: 'original_payment', amount: refundTotal },
        }),
        customerNote: null,
        trackingToken: newSecret(32),
        policyVersion: 0,
        shipment: null,
        exchange: null,
        fulfillment: null,
        adjustment: null,
        createdAt: requestedAt,
        updatedAt: resolvedAt ?? requestedAt,
      });
      lineRows.push(...lines.map(({ k: _k, ...l }) => l));
      eventRows.push(
        ...events.map((e) => ({
          tenantId,
          id: newId('evt'),
          returnId: id,
          action: e.action,
          fromStatus: e.from,
          toStatus: e.to,
          actorType: 'system' as const,
          actorId: 'import',
          note: e.note,
          visibility: 'customer' as const,
          data: null,
          createdAt: e.at,
        })),
      );
      mapRows.push({
        tenantId,
        externalId: g.head.returnExternalId,
        returnId: id,
        orderExternalId: g.head.orderExternalId,
      });
      snapshots.push({
        id,
        createdAt: requestedAt,
        status: g.status,
        resolution: 'refund',
        currency,
        refundTotal,
        feeTotal: 0,
        lines: lines.map((l) => ({
          id: l.id,
          sku: l.k.sku,
          category: l.k.category,
          reasonCode: l.reasonCode,
          quantity: l.quantity,
          refundAmount: l.refundAmount,
        })),
        events: events.map((e) => ({
          action: e.action,
          fromStatus: e.from,
          toStatus: e.to,
          actorType: 'system',
          actorId: 'import',
          createdAt: e.at,
        })),
      });
    }
    await bulkInsert(trx, 'returns', RETURN_COLUMNS, returnRows);
    await bulkInsert(trx, 'returnLines', RETURN_LINE_COLUMNS, lineRows);
    await bulkInsert(trx, 'returnEvents', EVENT_COLUMNS, eventRows);
    await bulkInsert(trx, 'analyticsImportedReturns', MAP_COLUMNS, mapRows);
    const facts = snapshots.flatMap(factsOf);
    await insertFacts(trx, tenantId, facts);
    await applyReturnCells(trx, tenantId, netCells(facts.map((f) => cellOf(f, 1))));
    written += batch.length;
    progress({ phase: 'returns', done: written, total: newReturns.length });
  }
}

function existingCurrency(
  orders: Map<string, OrderGroup>,
  existing: Map<string, { currency: string }>,
  ext: string,
): string {
  return orders.get(ext)?.head.currency ?? existing.get(ext)!.currency;
}

/** The timeline of an imported return: its request, then how it ended, at their historical times. */
export function importedEvents(
  status: ReturnStatus,
  requestedAt: string,
  resolvedAt: string | null,
): { action: string; from: ReturnStatus | null; to: ReturnStatus; at: string; note: string | null }[] {
  const events: {
    action: string;
    from: ReturnStatus | null;
    to: ReturnStatus;
    at: string;
    note: string | null;
  }[] = [
    {
      action: 'request',
      from: null,
      to: 'submitted',
      at: requestedAt,
      note: 'Return requested (imported history).',
    },
  ];
  const at = resolvedAt ?? requestedAt;
  if (status === 'submitted') return events;
  if (status === 'rejected')
    events.push({ action: 'reject', from: 'submitted', to: 'rejected', at, note: null });
  else if (status === 'cancelled')
    events.push({ action: 'cancel', from: 'submitted', to: 'cancelled', at, note: null });
  else if (status === 'refunded' || status === 'closed') {
    events.push({ action: 'refund_succeeded', from: 'submitted', to: 'refunded', at, note: null });
    if (status === 'closed') events.push({ action: 'close', from: 'refunded', to: 'closed', at, note: null });
  } else {
    // An open return: where it stands is known, not when each step happened.
    events.push({ action: 'import', from: 'submitted', to: status, at, note: null });
  }
  return events;
}
