import { type Kysely, sql } from 'kysely';
import { type Database, parseJson } from '../../platform/db/schema.ts';
import { bulkInsert, type ColumnSql } from './bulk-insert.ts';
import {
  CELL_KEY,
  CELL_SUMS,
  cellOf,
  type Fact,
  factsOf,
  netCells,
  type ReturnSnapshot,
  type ReturnsCell,
} from './return-facts.ts';
import { atGrain, GRAINS, renameDay } from './rollup-grains.ts';

/** The returns rollups: each return line's fact, and the daily and monthly cells the facts sum to. */

type Executor = Kysely<Database>;

/** The current state of some returns, as `factsOf` reads it. */
export async function loadSnapshots(
  ex: Executor,
  tenantId: string,
  ids: string[],
): Promise<ReturnSnapshot[]> {
  if (ids.length === 0) return [];
  const returns = await ex
    .selectFrom('returns')
    .select(['id', 'createdAt', 'status', 'resolution', 'currency', 'refundTotal', 'refundQuote'])
    .where('tenantId', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
  const lines = await ex
    .selectFrom('returnLines as rl')
    .innerJoin('orderLines as ol', (j) =>
      j.onRef('ol.tenantId', '=', 'rl.tenantId').onRef('ol.id', '=', 'rl.orderLineId'),
    )
    .select([
      'rl.id',
      'rl.returnId',
      'ol.sku',
      'ol.category',
      'rl.reasonCode',
      'rl.quantity',
      'rl.refundAmount',
      'rl.position',
    ])
    .where('rl.tenantId', '=', tenantId)
    .where('rl.returnId', 'in', ids)
    .execute();
  const events = await ex
    .selectFrom('returnEvents')
    .select(['returnId', 'id', 'action', 'fromStatus', 'toStatus', 'actorType', 'actorId', 'createdAt'])
    .where('tenantId', '=', tenantId)
    .where('returnId', 'in', ids)
    .execute();
  const linesBy = groupBy(
    lines.sort((a, b) => a.position - b.position),
    (l) => l.returnId,
  );
  // Ids are time-ordered, so sorting by id is timeline order (imported events keep their dates and ids).
  const eventsBy = groupBy(
    events.sort((a, b) =>
      a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1,
    ),
    (e) => e.returnId,
  );
  return returns.map((r) => ({
    id: r.id,
    createdAt: r.createdAt,
    status: r.status,
    resolution: r.resolution,
    currency: r.currency,
    refundTotal: Number(r.refundTotal),
    feeTotal: feesOf(r.refundQuote),
    lines: (linesBy.get(r.id) ?? []).map((l) => ({
      id: l.id,
      sku: l.sku,
      category: l.category,
      reasonCode: l.reasonCode,
      quantity: l.quantity,
      refundAmount: Number(l.refundAmount),
    })),
    events: eventsBy.get(r.id) ?? [],
  }));
}

export function feesOf(quote: unknown): number {
  const q = parseJson<{ restockingFees?: number; fees?: { amount?: number }[] } | null>(quote);
  if (!q || typeof q !== 'object') return 0;
  const fees = Array.isArray(q.fees) ? q.fees.reduce((a, f) => a + (Number(f?.amount) || 0), 0) : 0;
  return (Number(q.restockingFees) || 0) + fees;
}

const RETURNS_CELL_COLUMNS: ColumnSql = {
  tenantId: 'text',
  day: 'text',
  sku: 'text',
  reasonCode: 'text',
  resolution: 'text',
  currency: 'text',
  category: 'text',
  ...Object.fromEntries(CELL_SUMS.map((c) => [c, 'bigint' as const])),
};

/** Adds (or with negative sums takes away) return cells, daily and monthly; emptied cells are removed. */
export async function applyReturnCells(ex: Executor, tenantId: string, cells: ReturnsCell[]): Promise<void> {
  for (const g of GRAINS) {
    const atG = g.period === 'day' ? cells : netCells(cells.map((c) => ({ ...c, day: c.day.slice(0, 7) })));
    await bulkInsert(
      ex,
      g.returns,
      renameDay(RETURNS_CELL_COLUMNS, g.period),
      atGrain(atG, g.period).map((c) => ({ tenantId, ...c })),
      {
        keys: ['tenantId', g.period, ...CELL_KEY.filter((k) => k !== 'day')],
        add: [...CELL_SUMS],
        replace: ['category'],
      },
    );
    for (const c of atG) {
      if (c.lines >= 0) continue;
      const keys = CELL_KEY.map((k) => sql`${sql.ref(k === 'day' ? g.period : k)} = ${c[k]}`);
      await sql`delete from ${sql.table(g.returns)} where ${sql.ref('tenantId')} = ${tenantId} and ${sql.join(keys, sql` and `)} and ${sql.ref('lines')} = 0`.execute(
        ex,
      );
    }
  }
}

const FACT_COLUMNS: ColumnSql = {
  tenantId: 'text',
  returnLineId: 'text',
  returnId: 'text',
  day: 'text',
  requestedAt: 'timestamptz',
  sku: 'text',
  category: 'text',
  reasonCode: 'text',
  resolution: 'text',
  currency: 'text',
  status: 'text',
  unitsRequested: 'integer',
  unitsReturned: 'integer',
  refundAmount: 'bigint',
  feeAmount: 'bigint',
  decidedBy: 'text',
  decisionSecs: 'bigint',
  receivedSecs: 'bigint',
  refundedSecs: 'bigint',
  slaReview: 'integer',
  slaInspection: 'integer',
  lead: 'integer',
  decisionBucket: 'integer',
  receivedBucket: 'integer',
  refundedBucket: 'integer',
};

/** Writes facts (already known to be new); their cells are the caller's to add. */
export async function insertFacts(ex: Executor, tenantId: string, facts: Fact[]): Promise<void> {
  await bulkInsert(
    ex,
    'analyticsReturnFacts',
    FACT_COLUMNS,
    facts.map((f) => ({ tenantId, ...f })),
  );
}

/**
 * Brings the rollups up to date with some returns' current state, in the caller's transaction:
 * their old facts come off, their new facts go on. Cost is proportional to the returns' lines.
 */
export async function refreshReturns(
  ex: Executor,
  tenantId: string,
  returnIds: string[],
  opts: { created?: boolean; snapshots?: ReturnSnapshot[] } = {},
): Promise<void> {
  if (returnIds.length === 0) return;
  // A return created in this transaction has no facts yet: nothing to read or take away.
  const old = opts.created
    ? []
    : await ex
        .selectFrom('analyticsReturnFacts')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('returnId', 'in', returnIds)
        .execute();
  const before = old.map(normalizeFact);
  const fresh = (opts.snapshots ?? (await loadSnapshots(ex, tenantId, returnIds))).flatMap(factsOf);
  // Most changes (a note, a message, a shipment) move nothing analytics sees: no writes then.
  if (sameFacts(before, fresh)) return;
  const cells = netCells([...before.map((f) => cellOf(f, -1)), ...fresh.map((f) => cellOf(f, 1))]);
  await applyReturnCells(ex, tenantId, cells);
  if (old.length) {
    await ex
      .deleteFrom('analyticsReturnFacts')
      .where('tenantId', '=', tenantId)
      .where('returnId', 'in', returnIds)
      .execute();
  }
  await insertFacts(ex, tenantId, fresh);
}

/** A stored fact as `factsOf` makes it (numbers as numbers on both engines). */
function normalizeFact(f: Fact & { tenantId: string }): Fact {
  const { tenantId: _t, ...rest } = f;
  const num = (x: number | null) => (x === null ? null : Number(x));
  return {
    ...rest,
    unitsRequested: Number(rest.unitsRequested),
    unitsReturned: Number(rest.unitsReturned),
    refundAmount: Number(rest.refundAmount),
    feeAmount: Number(rest.feeAmount),
    decisionSecs: num(rest.decisionSecs),
    receivedSecs: num(rest.receivedSecs),
    refundedSecs: num(rest.refundedSecs),
    slaReview: num(rest.slaReview),
    slaInspection: num(rest.slaInspection),
    lead: Number(rest.lead),
    decisionBucket: num(rest.decisionBucket),
    receivedBucket: num(rest.receivedBucket),
    refundedBucket: num(rest.refundedBucket),
  };
}

function sameFacts(a: Fact[], b: Fact[]): boolean {
  if (a.length !== b.length) return false;
  const key = (f: Fact) => f.returnLineId;
  const byId = new Map(a.map((f) => [key(f), f]));
  return b.every((f) => {
    const o = byId.get(key(f)) as Record<string, unknown> | undefined;
    return o !== undefined && Object.entries(f).every(([k, v]) => o[k] === v);
  });
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}
