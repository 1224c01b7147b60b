import type { Kysely } from 'kysely';
import { prepared } from '../../platform/db/prepared.ts';
import { type Database, parseJson } from '../../platform/db/schema.ts';
import { takeRmaNumbers } from './rma-numbers.ts';
import type { ReturnStatus } from './state-machine.ts';

type Executor = Kysely<Database>;

export type ReturnRow = Awaited<ReturnType<typeof findReturn>>;

const returnById = prepared((db, p: { tenantId: string; id: string }) =>
  db.selectFrom('returns').selectAll().where('tenantId', '=', p.tenantId).where('id', '=', p.id),
);

export async function findReturn(ex: Executor, tenantId: string, id: string) {
  return returnById.takeFirst(ex, { tenantId, id });
}

const returnByToken = prepared((db, p: { token: string }) =>
  db.selectFrom('returns').selectAll().where('trackingToken', '=', p.token),
);

/** The return behind a tracking link (tokens are unique across tenants). */
export async function findReturnByToken(ex: Executor, token: string) {
  return returnByToken.takeFirst(ex, { token });
}

/**
 * Reads a return for change, holding its row lock until the transaction ends: concurrent
 * actions on one return queue up here (PostgreSQL) and each sees the status the previous one
 * left. The no-op UPDATE takes the lock on both engines, where SELECT … FOR UPDATE would not
 * parse on SQLite (whose single writer serialises anyway).
 */
export async function lockReturn(ex: Executor, tenantId: string, id: string) {
  await ex
    .updateTable('returns')
    .set((eb) => ({ version: eb.ref('version') }))
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .execute();
  return findReturn(ex, tenantId, id);
}

const linesOfReturn = prepared((db, p: { tenantId: string; returnId: string }) =>
  db
    .selectFrom('returnLines')
    .innerJoin('orderLines', (j) =>
      j
        .onRef('orderLines.tenantId', '=', 'returnLines.tenantId')
        .onRef('orderLines.id', '=', 'returnLines.orderLineId'),
    )
    .select([
      'returnLines.id',
      'returnLines.orderLineId',
      'orderLines.sku',
      'orderLines.title',
      'returnLines.quantity',
      'returnLines.reasonCode',
      'returnLines.note',
      'returnLines.refundAmount',
      'returnLines.acceptedQuantity',
      'returnLines.condition',
      'orderLines.stage as lineStage',
    ])
    .where('returnLines.tenantId', '=', p.tenantId)
    .where('returnLines.returnId', '=', p.returnId)
    .orderBy('returnLines.position'),
);

export async function findReturnLines(ex: Executor, tenantId: string, returnId: string) {
  return linesOfReturn.execute(ex, { tenantId, returnId });
}

/** Two shapes: every event, or only what the customer sees. */
function eventsQuery(customerOnly: boolean) {
  return prepared((db, p: { tenantId: string; returnId: string }) => {
    let q = db
      .selectFrom('returnEvents')
      .selectAll()
      .where('tenantId', '=', p.tenantId)
      .where('returnId', '=', p.returnId);
    if (customerOnly) q = q.where('visibility', '=', 'customer');
    // In the order things happened: a recorded time may be earlier than when it was written (a
    // scan entered late, an import), so the time comes first; ids (created in sequence) break ties.
    return q.orderBy('createdAt').orderBy('id');
  });
}
const allEvents = eventsQuery(false);
const customerEvents = eventsQuery(true);

export async function findEvents(ex: Executor, tenantId: string, returnId: string, customerOnly = false) {
  const rows = await (customerOnly ? customerEvents : allEvents).execute(ex, { tenantId, returnId });
  return rows.map((r) => ({ ...r, data: r.data === null ? null : parseJson<unknown>(r.data) }));
}

export async function countCustomerReturns(
  ex: Executor,
  tenantId: string,
  customerId: string,
): Promise<number> {
  const r = await customerReturnCount.takeFirst(ex, { tenantId, customerId });
  return Number(r?.n ?? 0);
}

const customerReturnCount = prepared((db, p: { tenantId: string; customerId: string }) =>
  db
    .selectFrom('returns')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenantId', '=', p.tenantId)
    .where('customerId', '=', p.customerId)
    .where('status', 'not in', ['cancelled']),
);

/**
 * A customer's returns this calendar month (UTC) and their no-reason returns in the last 90
 * days (purchasing agents' quota and risk signal); cancelled and rejected ones do not count.
 */
export async function recentReturnCounts(
  ex: Executor,
  tenantId: string,
  customerId: string,
  noReasonCodes: readonly string[],
  now: Date,
): Promise<{ returnsThisMonth: number; noReasonReturns90d: number }> {
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
  const since = new Date(now.getTime() - 90 * 86_400_000).toISOString();
  const month = await ex
    .selectFrom('returns')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenantId', '=', tenantId)
    .where('customerId', '=', customerId)
    .where('status', 'not in', ['cancelled', 'rejected'])
    .where('quotaCounted', '=', 1)
    .where('createdAt', '>=', monthStart)
    .executeTakeFirstOrThrow();
  const noReason = noReasonCodes.length
    ? await ex
        .selectFrom('returns')
        .innerJoin('returnLines', (j) =>
          j
            .onRef('returnLines.tenantId', '=', 'returns.tenantId')
            .onRef('returnLines.returnId', '=', 'returns.id'),
        )
        .select((eb) => eb.fn.count<number>('returns.id').distinct().as('n'))
        .where('returns.tenantId', '=', tenantId)
        .where('returns.customerId', '=', customerId)
        .where('returns.status', 'not in', ['cancelled', 'rejected'])
        .where('returns.createdAt', '>=', since)
        .where('returnLines.reasonCode', 'in', [...noReasonCodes])
        .executeTakeFirstOrThrow()
    : { n: 0 };
  return { returnsThisMonth: Number(month.n), noReasonReturns90d: Number(noReason.n) };
}

export type ReturnChanges = Partial<{
  refundTotal: number;
  refundQuote: string;
  shipment: string;
  decision: string;
  fulfillment: string;
  adjustment: string;
}>;

/** Moves a return from `from` to `to` only if nobody moved it first; false when it lost the race. */
export async function compareAndSetStatus(
  ex: Executor,
  tenantId: string,
  id: string,
  from: ReturnStatus,
  to: ReturnStatus,
  version: number,
  now: string,
  extra: ReturnChanges = {},
): Promise<boolean> {
  const r = await ex
    .updateTable('returns')
    .set((eb) => ({ status: to, version: eb('version', '+', 1), updatedAt: now, ...extra }))
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', from)
    .where('version', '=', version)
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/** The next RMA number of the tenant, taken inside the creating transaction. */
export async function nextRmaNumber(ex: Executor, tenantId: string): Promise<string> {
  const [rma] = await takeRmaNumbers(ex, tenantId, 1);
  return rma!;
}

/** Stores inspection's verdict on each returned line. */
export async function recordInspection(
  ex: Executor,
  tenantId: string,
  lines: readonly {
    returnLineId: string;
    acceptedQuantity: number;
    condition: string;
    refundAmount: number;
  }[],
) {
  for (const l of lines) {
    await ex
      .updateTable('returnLines')
      .set({ acceptedQuantity: l.acceptedQuantity, condition: l.condition, refundAmount: l.refundAmount })
      .where('tenantId', '=', tenantId)
      .where('id', '=', l.returnLineId)
      .execute();
  }
}
