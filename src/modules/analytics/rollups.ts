import { type Kysely, sql } from 'kysely';
import { type Database, parseJson } from '../../platform/db/schema.ts';
import { bulkInsert, type ColumnSql, isPostgres } from './bulk-insert.ts';
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

type Executor = Kysely<Database>;

export type SalesCell = {
  day: string;
  sku: string;
  currency: string;
  title: string;
  category: string;
  units: number;
  lines: number;
  revenue: number;
};

export { isPostgres };

/** The UTC day (YYYY-MM-DD) of a time column, on both engines (timestamptz on PostgreSQL, ISO text on SQLite). */
export function dayOf(ex: Executor, column: string) {
  return isPostgres(ex)
    ? sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD')`
    : sql<string>`substr(${sql.ref(column)}, 1, 10)`;
}

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

function feesOf(quote: unknown): number {
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
const SALES_CELL_COLUMNS: ColumnSql = {
  tenantId: 'text',
  day: 'text',
  sku: 'text',
  currency: 'text',
  title: 'text',
  category: 'text',
  units: 'bigint',
  lines: 'bigint',
  revenue: 'bigint',
};

/** The daily table and its monthly twin, whose period column is `month` (YYYY-MM). */
const GRAINS = [
  { returns: 'analyticsReturnsDaily', sales: 'analyticsSalesDaily', period: 'day' },
  { returns: 'analyticsReturnsMonthly', sales: 'analyticsSalesMonthly', period: 'month' },
] as const;

/** `day` renamed to the grain's period column (and cut to the month for the monthly tables). */
function atGrain<C extends { day: string }>(cells: C[], period: 'day' | 'month') {
  return cells.map(({ day, ...rest }) => ({ ...rest, [period]: period === 'day' ? day : day.slice(0, 7) }));
}

function renameDay(columns: ColumnSql, period: 'day' | 'month'): ColumnSql {
  return Object.fromEntries(Object.entries(columns).map(([k, v]) => [k === 'day' ? period : k, v]));
}

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

/** Adds (or takes away) sales cells, daily and monthly; emptied cells are removed. */
export async function applySalesCells(ex: Executor, tenantId: string, cells: SalesCell[]): Promise<void> {
  for (const g of GRAINS) {
    const atG = g.period === 'day' ? cells : netSales(cells.map((c) => ({ ...c, day: c.day.slice(0, 7) })));
    await bulkInsert(
      ex,
      g.sales,
      renameDay(SALES_CELL_COLUMNS, g.period),
      atGrain(atG, g.period).map((c) => ({ tenantId, ...c })),
      {
        keys: ['tenantId', g.period, 'sku', 'currency'],
        add: ['units', 'lines', 'revenue'],
        replace: ['title', 'category'],
      },
    );
    for (const c of atG) {
      if (c.lines >= 0) continue;
      await sql`delete from ${sql.table(g.sales)} where ${sql.ref('tenantId')} = ${tenantId} and ${sql.ref(g.period)} = ${c.day} and ${sql.ref('sku')} = ${c.sku} and ${sql.ref('currency')} = ${c.currency} and ${sql.ref('lines')} = 0`.execute(
        ex,
      );
    }
  }
}

/** Sums sales cells by key (the last title and category win). */
export function netSales(cells: SalesCell[]): SalesCell[] {
  const by = new Map<string, SalesCell>();
  for (const c of cells) {
    const key = `${c.day}\u0000${c.sku}\u0000${c.currency}`;
    const acc = by.get(key);
    if (!acc) by.set(key, { ...c });
    else {
      acc.units += c.units;
      acc.lines += c.lines;
      acc.revenue += c.revenue;
      if (c.lines > 0) {
        acc.title = c.title;
        acc.category = c.category;
      }
    }
  }
  return [...by.values()].filter((c) => c.lines !== 0 || c.units !== 0 || c.revenue !== 0);
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
export async function refreshReturns(ex: Executor, tenantId: string, returnIds: string[]): Promise<void> {
  if (returnIds.length === 0) return;
  const old = await ex
    .selectFrom('analyticsReturnFacts')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('returnId', 'in', returnIds)
    .execute();
  const before = old.map(normalizeFact);
  const fresh = (await loadSnapshots(ex, tenantId, returnIds)).flatMap(factsOf);
  // Most changes (a note, a message, a shipment) move nothing analytics sees: no writes then.
  if (sameFacts(before, fresh)) return;
  const cells = netCells([...before.map((f) => cellOf(f, -1)), ...fresh.map((f) => cellOf(f, 1))]);
  await applyReturnCells(ex, tenantId, cells);
  await ex
    .deleteFrom('analyticsReturnFacts')
    .where('tenantId', '=', tenantId)
    .where('returnId', 'in', returnIds)
    .execute();
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

/** An order's sales cells from its stored lines (`sign` −1 takes them away before a change). */
export async function orderSalesCells(
  ex: Executor,
  tenantId: string,
  orderId: string,
  sign: 1 | -1,
): Promise<SalesCell[]> {
  const rows = await ex
    .selectFrom('orderLines as l')
    .innerJoin('orders as o', (j) => j.onRef('o.tenantId', '=', 'l.tenantId').onRef('o.id', '=', 'l.orderId'))
    .select([
      'o.placedAt',
      'o.currency',
      'l.sku',
      'l.title',
      'l.category',
      'l.quantity',
      'l.unitPrice',
      'l.discountAmount',
    ])
    .where('l.tenantId', '=', tenantId)
    .where('l.orderId', '=', orderId)
    .execute();
  return rows.map((r) => ({
    day: r.placedAt.slice(0, 10),
    sku: r.sku,
    currency: r.currency,
    title: r.title,
    category: r.category,
    units: sign * r.quantity,
    lines: sign,
    revenue: sign * (Number(r.unitPrice) * r.quantity - Number(r.discountAmount)),
  }));
}

/**
 * Throws away a tenant's rollups and facts and builds them again from the orders and returns.
 * The same facts function as the incremental path, and plain SQL aggregates for the sums.
 */
export async function recomputeIn(ex: Executor, tenantId: string): Promise<void> {
  for (const t of [
    'analyticsSalesDaily',
    'analyticsReturnsDaily',
    'analyticsSalesMonthly',
    'analyticsReturnsMonthly',
  ] as const) {
    await ex.deleteFrom(t).where('tenantId', '=', tenantId).execute();
  }
  await ex.deleteFrom('analyticsReturnFacts').where('tenantId', '=', tenantId).execute();

  const day = dayOf(ex, 'o.placedAt');
  await ex
    .insertInto('analyticsSalesDaily')
    .columns(['tenantId', 'day', 'sku', 'currency', 'title', 'category', 'units', 'lines', 'revenue'])
    .expression((eb) =>
      eb
        .selectFrom('orderLines as l')
        .innerJoin('orders as o', (j) =>
          j.onRef('o.tenantId', '=', 'l.tenantId').onRef('o.id', '=', 'l.orderId'),
        )
        .select((s) => [
          'l.tenantId',
          day.as('day'),
          'l.sku',
          'o.currency',
          s.fn.max('l.title').as('title'),
          s.fn.max('l.category').as('category'),
          s.fn.sum<number>('l.quantity').as('units'),
          s.fn.countAll<number>().as('lines'),
          sql<number>`sum(${sql.ref('l.unitPrice')} * ${sql.ref('l.quantity')} - ${sql.ref('l.discountAmount')})`.as(
            'revenue',
          ),
        ])
        .where('l.tenantId', '=', tenantId)
        .groupBy(['l.tenantId', day, 'l.sku', 'o.currency']),
    )
    .execute();

  let after = '';
  for (;;) {
    const page = await ex
      .selectFrom('returns')
      .select('id')
      .where('tenantId', '=', tenantId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(2000)
      .execute();
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const facts = (
      await loadSnapshots(
        ex,
        tenantId,
        page.map((r) => r.id),
      )
    ).flatMap(factsOf);
    await insertFacts(ex, tenantId, facts);
  }

  await ex
    .insertInto('analyticsReturnsDaily')
    .columns(['tenantId', ...CELL_KEY, 'category', ...CELL_SUMS])
    .expression((eb) =>
      eb
        .selectFrom('analyticsReturnFacts as f')
        .select((s) => {
          const count = (cond: ReturnType<typeof sql<boolean>>) =>
            sql<number>`sum(case when ${cond} then 1 else 0 end)`;
          const total = (col: string) => sql<number>`coalesce(sum(${sql.ref(col)}), 0)`;
          return [
            'f.tenantId',
            'f.day',
            'f.sku',
            'f.reasonCode',
            'f.resolution',
            'f.currency',
            s.fn.max('f.category').as('category'),
            s.fn.countAll<number>().as('lines'),
            total('f.unitsRequested').as('unitsRequested'),
            total('f.unitsReturned').as('unitsReturned'),
            total('f.refundAmount').as('refundAmount'),
            total('f.feeAmount').as('feeAmount'),
            count(sql`${sql.ref('f.decidedBy')} = 'policy'`).as('autoDecided'),
            count(sql`${sql.ref('f.decidedBy')} = 'people'`).as('peopleDecided'),
            total('f.decisionSecs').as('decisionSecs'),
            count(sql`${sql.ref('f.decisionSecs')} is not null`).as('decisionCount'),
            total('f.receivedSecs').as('receivedSecs'),
            count(sql`${sql.ref('f.receivedSecs')} is not null`).as('receivedCount'),
            total('f.refundedSecs').as('refundedSecs'),
            count(sql`${sql.ref('f.refundedSecs')} is not null`).as('refundedCount'),
            count(sql`${sql.ref('f.slaReview')} = 1`).as('slaReviewMet'),
            count(sql`${sql.ref('f.slaReview')} is not null`).as('slaReviewTotal'),
            count(sql`${sql.ref('f.slaInspection')} = 1`).as('slaInspectionMet'),
            count(sql`${sql.ref('f.slaInspection')} is not null`).as('slaInspectionTotal'),
          ];
        })
        .where('f.tenantId', '=', tenantId)
        .groupBy(['f.tenantId', 'f.day', 'f.sku', 'f.reasonCode', 'f.resolution', 'f.currency']),
    )
    .execute();

  // Months from days: the same sums, cut at the month.
  const month = sql<string>`substr(${sql.ref('day')}, 1, 7)`;
  await ex
    .insertInto('analyticsSalesMonthly')
    .columns(['tenantId', 'month', 'sku', 'currency', 'title', 'category', 'units', 'lines', 'revenue'])
    .expression((eb) =>
      eb
        .selectFrom('analyticsSalesDaily')
        .select((s) => [
          'tenantId',
          month.as('month'),
          'sku',
          'currency',
          s.fn.max('title').as('title'),
          s.fn.max('category').as('category'),
          s.fn.sum<number>('units').as('units'),
          s.fn.sum<number>('lines').as('lines'),
          s.fn.sum<number>('revenue').as('revenue'),
        ])
        .where('tenantId', '=', tenantId)
        .groupBy(['tenantId', month, 'sku', 'currency']),
    )
    .execute();
  await ex
    .insertInto('analyticsReturnsMonthly')
    .columns(['tenantId', 'month', 'sku', 'reasonCode', 'resolution', 'currency', 'category', ...CELL_SUMS])
    .expression((eb) =>
      eb
        .selectFrom('analyticsReturnsDaily')
        .select((s) => [
          'tenantId',
          month.as('month'),
          'sku',
          'reasonCode',
          'resolution',
          'currency',
          s.fn.max('category').as('category'),
          ...CELL_SUMS.map((c) => s.fn.sum<number>(c).as(c)),
        ])
        .where('tenantId', '=', tenantId)
        .groupBy(['tenantId', month, 'sku', 'reasonCode', 'resolution', 'currency']),
    )
    .execute();
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
