import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { DetectorInput, SkuHistory } from './early-warning.ts';
import { phrasesOf } from './themes.ts';

/**
 * The reads of the early-warning part, over the core tables. Everything is aggregated in SQL
 * (per SKU × day, per SKU × reason × day, per lag day) so a million order lines arrive as a few
 * thousand rows; the statistics then run over compact arrays. Every read stops at the as-of day:
 * orders placed and returns requested after it do not exist for the answer.
 */

export const DAY_MS = 86_400_000;
/** Longest return lag the exposure model follows; later requests still count as returns. */
export const MAX_LAG_DAYS = 60;
/**
 * Complaint phrases are looked for when the notes of the period number at most this; a bigger
 * shop's sample would cut the baseline short and make old phrases look new.
 */
const MAX_PHRASE_NOTES = 100_000;

export type Dialect = 'sqlite' | 'postgres';

/** `YYYY-MM-DD` of a timestamp column, in UTC, on either engine. */
export function dayOf(dialect: Dialect, column: string): RawBuilder<string> {
  return dialect === 'postgres'
    ? sql<string>`to_char(${sql.raw(column)} at time zone 'UTC', 'YYYY-MM-DD')`
    : sql<string>`substr(${sql.raw(column)}, 1, 10)`;
}

/** Whole days between two timestamp columns. */
function daysBetween(dialect: Dialect, later: string, earlier: string): RawBuilder<number> {
  return dialect === 'postgres'
    ? sql<number>`cast(floor(extract(epoch from (${sql.raw(later)} - ${sql.raw(earlier)})) / 86400) as integer)`
    : sql<number>`cast(julianday(${sql.raw(later)}) - julianday(${sql.raw(earlier)}) as integer)`;
}

/** Midnight UTC after the as-of day: the exclusive end of every read. */
export function endOf(asOf: string): string {
  return new Date(Date.parse(`${asOf}T00:00:00Z`) + DAY_MS).toISOString();
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The tenant's return lag: the share of return requests made k days after the order (k = 0 …
 * MAX_LAG_DAYS), from the last year of requests. A tenant with no returns yet gets a two-week
 * spread so the first returns still have an exposure to divide by.
 */
export async function loadLag(
  db: Db,
  dialect: Dialect,
  tenantId: string,
  asOf: string,
): Promise<Float64Array> {
  const end = endOf(asOf);
  const from = new Date(Date.parse(end) - 365 * DAY_MS).toISOString();
  const lagExpr = daysBetween(dialect, 'r.created_at', 'o.placed_at');
  const rows = await db
    .selectFrom('returnLines as rl')
    .innerJoin('returns as r', (j) =>
      j.onRef('r.tenantId', '=', 'rl.tenantId').onRef('r.id', '=', 'rl.returnId'),
    )
    .innerJoin('orders as o', (j) => j.onRef('o.tenantId', '=', 'r.tenantId').onRef('o.id', '=', 'r.orderId'))
    .select([lagExpr.as('lag'), sql<number>`count(*)`.as('n')])
    .where('r.tenantId', '=', tenantId)
    .where('r.createdAt', '>=', from)
    .where('r.createdAt', '<', end)
    .groupBy(lagExpr)
    .execute();
  const pmf = new Float64Array(MAX_LAG_DAYS + 1);
  let total = 0;
  for (const r of rows) {
    const k = Math.min(MAX_LAG_DAYS, Math.max(0, Number(r.lag)));
    pmf[k]! += Number(r.n);
    total += Number(r.n);
  }
  if (total < 30) {
    // Too few returns to learn from: a plain two-week spread starting after delivery (day 3).
    pmf.fill(0);
    for (let k = 3; k < 17; k++) pmf[k] = 1 / 14;
    return pmf;
  }
  for (let k = 0; k < pmf.length; k++) pmf[k]! /= total;
  return pmf;
}

/**
 * Daily order lines per SKU and daily return lines per SKU × reason, for `days` days ending on
 * the as-of day, shaped for `detectIssues`.
 */
export async function loadDetectorInput(
  db: Db,
  dialect: Dialect,
  tenantId: string,
  asOf: string,
  days: number,
  /** Days of notes to read for complaint phrases (window + baseline); 0 for none. */
  noteDays = 0,
): Promise<DetectorInput> {
  const start = addDays(asOf, -(days - 1));
  const from = `${start}T00:00:00.000Z`;
  const end = endOf(asOf);
  const saleDay = dayOf(dialect, 'o.placed_at');
  const sales = await db
    .selectFrom('orderLines as ol')
    .innerJoin('orders as o', (j) =>
      j.onRef('o.tenantId', '=', 'ol.tenantId').onRef('o.id', '=', 'ol.orderId'),
    )
    .select([
      'ol.sku',
      sql<string>`max(ol.category)`.as('category'),
      saleDay.as('day'),
      sql<number>`count(*)`.as('n'),
    ])
    .where('o.tenantId', '=', tenantId)
    .where('o.placedAt', '>=', from)
    .where('o.placedAt', '<', end)
    .groupBy(['ol.sku', saleDay])
    .execute();
  const requestDay = dayOf(dialect, 'r.created_at');
  const returns = await db
    .selectFrom('returnLines as rl')
    .innerJoin('returns as r', (j) =>
      j.onRef('r.tenantId', '=', 'rl.tenantId').onRef('r.id', '=', 'rl.returnId'),
    )
    .innerJoin('orderLines as ol', (j) =>
      j.onRef('ol.tenantId', '=', 'rl.tenantId').onRef('ol.id', '=', 'rl.orderLineId'),
    )
    .select([
      'ol.sku',
      sql<string>`max(ol.category)`.as('category'),
      'rl.reasonCode',
      requestDay.as('day'),
      sql<number>`count(*)`.as('n'),
    ])
    .where('r.tenantId', '=', tenantId)
    .where('r.createdAt', '>=', from)
    .where('r.createdAt', '<', end)
    .groupBy(['ol.sku', 'rl.reasonCode', requestDay])
    .execute();

  const t0 = Date.parse(`${start}T00:00:00Z`);
  const index = (day: string) => Math.round((Date.parse(`${day}T00:00:00Z`) - t0) / DAY_MS);
  const skus = new Map<string, SkuHistory>();
  const skuOf = (sku: string, category: string) => {
    let s = skus.get(sku);
    if (!s) {
      s = { sku, category, sold: new Float64Array(days), kinds: new Map() };
      skus.set(sku, s);
    }
    return s;
  };
  for (const r of sales) {
    const i = index(r.day);
    if (i >= 0 && i < days) (skuOf(r.sku, r.category).sold as Float64Array)[i]! += Number(r.n);
  }
  for (const r of returns) {
    const i = index(r.day);
    if (i < 0 || i >= days) continue;
    const s = skuOf(r.sku, r.category);
    for (const kind of ['return_rate', `reason:${r.reasonCode}`]) {
      let series = s.kinds.get(kind) as Float64Array | undefined;
      if (!series) {
        series = new Float64Array(days);
        s.kinds.set(kind, series);
      }
      series[i]! += Number(r.n);
    }
  }
  const lag = await loadLag(db, dialect, tenantId, asOf);
  let notes: DetectorInput['notes'];
  if (noteDays > 0) {
    const rows = await loadNotes(db, dialect, tenantId, {
      from: addDays(asOf, -(noteDays - 1)),
      asOf,
      limit: MAX_PHRASE_NOTES + 1,
    });
    if (rows.length <= MAX_PHRASE_NOTES) {
      notes = rows.map((r) => ({ sku: r.sku, day: index(r.day), phrases: phrasesOf(r.note) }));
    }
  }
  return {
    start,
    days,
    lag,
    skus: [...skus.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)),
    ...(notes ? { notes } : {}),
  };
}

export type NoteRow = { sku: string; category: string; reasonCode: string; day: string; note: string };

/**
 * Return notes requested in [from, as-of], newest first, at most `limit` (the tenant's reference
 * is a sample of its latest notes: tens of thousands are plenty to know what is ordinary).
 */
export async function loadNotes(
  db: Db,
  dialect: Dialect,
  tenantId: string,
  q: { from: string; asOf: string; limit: number; sku?: string; category?: string },
): Promise<NoteRow[]> {
  let query = db
    .selectFrom('returnLines as rl')
    .innerJoin('returns as r', (j) =>
      j.onRef('r.tenantId', '=', 'rl.tenantId').onRef('r.id', '=', 'rl.returnId'),
    )
    .innerJoin('orderLines as ol', (j) =>
      j.onRef('ol.tenantId', '=', 'rl.tenantId').onRef('ol.id', '=', 'rl.orderLineId'),
    )
    .select(['ol.sku', 'ol.category', 'rl.reasonCode', dayOf(dialect, 'r.created_at').as('day'), 'rl.note'])
    .where('r.tenantId', '=', tenantId)
    .where('r.createdAt', '>=', `${q.from}T00:00:00.000Z`)
    .where('r.createdAt', '<', endOf(q.asOf))
    .where('rl.note', 'is not', null);
  if (q.sku) query = query.where('ol.sku', '=', q.sku);
  if (q.category) query = query.where('ol.category', '=', q.category);
  const rows = await query.orderBy('r.createdAt', 'desc').limit(q.limit).execute();
  return rows.filter((r): r is NoteRow => typeof r.note === 'string' && r.note.trim() !== '');
}
