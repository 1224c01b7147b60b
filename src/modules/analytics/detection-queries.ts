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
  return (await loadDetectorData(db, dialect, tenantId, asOf, days, noteDays)).input;
}

/** Between cells, and between a cell's fields, in the packed rows of `packedCells`. */
const CELL_SEP = '\u001f';
const FIELD_SEP = '\u001e';

/**
 * Cells of a daily rollup for `days` days ending on the as-of day, as one row per day whose cells
 * are packed in a string (a year of a long-tail catalogue is ~450,000 SKU × day cells: as rows they
 * cost a JS object each, packed a scan), in order of day.
 */
async function packedCells(
  db: Db,
  dialect: Dialect,
  table: 'analytics_sales_daily' | 'analytics_returns_daily',
  fields: string[],
  q: { tenantId: string; start: string; asOf: string },
): Promise<{ day: string; cells: string; n: number }[]> {
  const sep = (c: string) =>
    dialect === 'postgres' ? sql.raw(`chr(${c.charCodeAt(0)})`) : sql.raw(`char(${c.charCodeAt(0)})`);
  const cell = sql.join(
    [...fields, 'lines'].map((f) => sql.ref(f)),
    sql` || ${sep(FIELD_SEP)} || `,
  );
  const packed =
    dialect === 'postgres'
      ? sql`string_agg(${cell}, ${sep(CELL_SEP)})`
      : sql`group_concat(${cell}, ${sep(CELL_SEP)})`;
  const rows = await sql<{
    day: string;
    cells: string;
    n: number;
  }>`select day, ${packed} as cells, count(*) as n from ${sql.table(table)} where tenant_id = ${q.tenantId} and day >= ${q.start} and day <= ${q.asOf} group by day`.execute(
    db,
  );
  return rows.rows.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

/**
 * Walks the cells of a packed row: `at` gets the [start, end) offsets of each key field, `each`
 * the cell's count. False when the row is not `count` cells of `fields` keys and a number — a key
 * holding a separator — and the caller reads rows instead.
 */
export function scanCells(
  s: string,
  count: number,
  fields: number,
  at: Int32Array,
  each: (n: number) => void,
): boolean {
  let pos = 0;
  let cells = 0;
  while (pos <= s.length) {
    let end = s.indexOf(CELL_SEP, pos);
    if (end < 0) end = s.length;
    let p = pos;
    for (let f = 0; f < fields; f++) {
      const q = s.indexOf(FIELD_SEP, p);
      if (q < 0 || q > end) return false;
      at[2 * f] = p;
      at[2 * f + 1] = q;
      p = q + 1;
    }
    if (p === end) return false;
    const n = Number(s.slice(p, end));
    if (!Number.isFinite(n)) return false;
    each(n);
    cells++;
    pos = end + 1;
  }
  return cells === Number(count);
}

/**
 * The detector's input, and the note rows behind its phrases (newest first, blank notes
 * included: `rows.length` is what the SQL limit saw) so later reads of notes within the same
 * days can be answered from them.
 *
 * Sales and returns are read from the daily rollups (analytics_sales_daily and _returns_daily:
 * order lines by the day the order was placed, return lines by the day of the request, whatever
 * became of them), the same counts as the core tables give, kept exact inside each change's
 * transaction; summed over currencies (and resolutions) here. A SKU's category is that of its
 * first day in the span.
 */
export async function loadDetectorData(
  db: Db,
  dialect: Dialect,
  tenantId: string,
  asOf: string,
  days: number,
  noteDays = 0,
): Promise<{ input: DetectorInput; notes: LoadedNotes | null }> {
  const start = addDays(asOf, -(days - 1));
  const span = { tenantId, start, asOf };
  const noteFrom = addDays(asOf, -(noteDays - 1));
  // Independent reads: on PostgreSQL they run side by side on the pool.
  const [salesRows, returnRows, lag, rows] = await Promise.all([
    packedCells(db, dialect, 'analytics_sales_daily', ['sku', 'category'], span),
    packedCells(db, dialect, 'analytics_returns_daily', ['sku', 'category', 'reason_code'], span),
    loadLag(db, dialect, tenantId, asOf),
    noteDays > 0
      ? loadNoteRows(db, dialect, tenantId, { from: noteFrom, asOf, limit: MAX_PHRASE_NOTES + 1 })
      : null,
  ]);

  const t0 = Date.parse(`${start}T00:00:00Z`);
  const index = (day: string) => Math.round((Date.parse(`${day}T00:00:00Z`) - t0) / DAY_MS);
  let skus = new Map<string, SkuHistory>();
  const at = new Int32Array(8);
  const addSales = (i: number, sku: string, category: string, n: number, fresh: Set<string>) => {
    let h = skus.get(sku);
    if (!h) {
      h = { sku, category, sold: new Float64Array(days), kinds: new Map() };
      skus.set(sku, h);
      fresh.add(sku);
    } else if (fresh.has(sku) && category > h.category) {
      // One SKU in several currencies on its first day: the greatest category, as max() had it.
      h.category = category;
    }
    (h.sold as Float64Array)[i]! += n;
  };
  const reasonKinds = new Map<string, string>();
  const addReturns = (i: number, sku: string, category: string, reason: string, n: number) => {
    let h = skus.get(sku);
    if (!h) {
      h = { sku, category, sold: new Float64Array(days), kinds: new Map() };
      skus.set(sku, h);
    }
    let kind = reasonKinds.get(reason);
    if (kind === undefined) {
      kind = `reason:${reason}`;
      reasonKinds.set(reason, kind);
    }
    for (const k of ['return_rate', kind]) {
      let series = h.kinds.get(k) as Float64Array | undefined;
      if (!series) {
        series = new Float64Array(days);
        h.kinds.set(k, series);
      }
      series[i]! += n;
    }
  };
  const fromPacked = () => {
    for (const r of salesRows) {
      const i = index(r.day);
      if (i < 0 || i >= days) continue;
      const fresh = new Set<string>();
      const s = r.cells;
      const ok = scanCells(s, r.n, 2, at, (n) => {
        addSales(i, s.slice(at[0]!, at[1]!), s.slice(at[2]!, at[3]!), n, fresh);
      });
      if (!ok) return false;
    }
    for (const r of returnRows) {
      const i = index(r.day);
      if (i < 0 || i >= days) continue;
      const s = r.cells;
      const ok = scanCells(s, r.n, 3, at, (n) => {
        addReturns(i, s.slice(at[0]!, at[1]!), s.slice(at[2]!, at[3]!), s.slice(at[4]!, at[5]!), n);
      });
      if (!ok) return false;
    }
    return true;
  };
  if (!fromPacked()) {
    // A SKU, category or reason holding a separator: the same sums from plain rows.
    skus = new Map();
    const sales = await db
      .selectFrom('analyticsSalesDaily')
      .select(['day', 'sku', 'category', 'lines'])
      .where('tenantId', '=', tenantId)
      .where('day', '>=', start)
      .where('day', '<=', asOf)
      .orderBy('day')
      .execute();
    let day = '';
    let fresh = new Set<string>();
    for (const r of sales) {
      if (r.day !== day) {
        day = r.day;
        fresh = new Set();
      }
      addSales(index(r.day), r.sku, r.category, Number(r.lines), fresh);
    }
    const returns = await db
      .selectFrom('analyticsReturnsDaily')
      .select(['day', 'sku', 'category', 'reasonCode', 'lines'])
      .where('tenantId', '=', tenantId)
      .where('day', '>=', start)
      .where('day', '<=', asOf)
      .orderBy('day')
      .execute();
    for (const r of returns) addReturns(index(r.day), r.sku, r.category, r.reasonCode, Number(r.lines));
  }
  let notes: DetectorInput['notes'];
  let noteRows: LoadedNotes | null = null;
  if (rows) {
    noteRows = { from: noteFrom, asOf, rows, complete: rows.length <= MAX_PHRASE_NOTES };
    if (rows.length <= MAX_PHRASE_NOTES) {
      // Customers repeat themselves ("too small"): a text's phrases are worked out once.
      const byText = new Map<string, Set<string>>();
      notes = rows.filter(nonBlank).map((r) => {
        let phrases = byText.get(r.note);
        if (!phrases) {
          phrases = phrasesOf(r.note);
          byText.set(r.note, phrases);
        }
        phraseCache.set(r, phrases);
        return { sku: r.sku, day: index(r.day), phrases };
      });
    }
  }
  return {
    input: {
      start,
      days,
      lag,
      skus: [...skus.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)),
      ...(notes ? { notes } : {}),
    },
    notes: noteRows,
  };
}

/** Note rows read for a run: newest first, blank notes included (`rows.length` is what the limit saw). */
export type LoadedNotes = { from: string; asOf: string; rows: NoteRow[]; complete: boolean };

/** A note row's phrases, worked out once per row (several reads of one run share the rows). */
const phraseCache = new WeakMap<NoteRow, Set<string>>();
export function phrasesOfRow(r: NoteRow): Set<string> {
  let p = phraseCache.get(r);
  if (!p) {
    p = phrasesOf(r.note);
    phraseCache.set(r, p);
  }
  return p;
}

function nonBlank(r: NoteRow): boolean {
  return typeof r.note === 'string' && r.note.trim() !== '';
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
  return (await loadNoteRows(db, dialect, tenantId, q)).filter(nonBlank);
}

/**
 * `loadNotes` before blank notes are dropped, from the rows loaded once by `loadDetectorData`
 * when they hold the answer: the same days or fewer, and (for a limit) all the notes of those days.
 */
export function notesFromRows(
  loaded: LoadedNotes | null,
  q: { from: string; asOf: string; limit: number; sku?: string },
): NoteRow[] | null {
  if (!loaded || q.asOf !== loaded.asOf) return null;
  if (q.from >= loaded.from && loaded.complete) {
    const rows = loaded.rows.filter((r) => r.day >= q.from && (q.sku === undefined || r.sku === q.sku));
    return rows.slice(0, q.limit).filter(nonBlank);
  }
  // The latest `limit` notes of a longer span are the latest of the loaded ones when they are enough.
  if (q.sku === undefined && loaded.rows.length >= q.limit)
    return loaded.rows.slice(0, q.limit).filter(nonBlank);
  return null;
}

/**
 * The loaded rows reaching back to `from` (for the themes of SKUs whose excess began just before
 * them): the older days' notes, all of them, added after the loaded ones (newest first).
 */
export async function extendNotes(
  db: Db,
  dialect: Dialect,
  tenantId: string,
  loaded: LoadedNotes | null,
  from: string,
): Promise<LoadedNotes | null> {
  if (!loaded?.complete || from >= loaded.from) return loaded;
  const older = await loadNoteRows(db, dialect, tenantId, { from, asOf: addDays(loaded.from, -1) });
  return { ...loaded, from, rows: [...loaded.rows, ...older] };
}

/** The rows of `loadNotes`, blank notes included. Each return line's fact has its SKU and day. */
async function loadNoteRows(
  db: Db,
  _dialect: Dialect,
  tenantId: string,
  q: { from: string; asOf: string; limit?: number; sku?: string; category?: string },
): Promise<NoteRow[]> {
  let query = db
    .selectFrom('analyticsReturnFacts as f')
    .innerJoin('returnLines as rl', (j) =>
      j.onRef('rl.tenantId', '=', 'f.tenantId').onRef('rl.id', '=', 'f.returnLineId'),
    )
    .select(['f.sku', 'f.category', 'f.reasonCode', 'f.day', 'rl.note'])
    .where('f.tenantId', '=', tenantId)
    .where('f.requestedAt', '>=', `${q.from}T00:00:00.000Z`)
    .where('f.requestedAt', '<', endOf(q.asOf))
    .where('rl.note', 'is not', null);
  if (q.sku) query = query.where('f.sku', '=', q.sku);
  if (q.category) query = query.where('f.category', '=', q.category);
  query = query.orderBy('f.requestedAt', 'desc');
  return (await (q.limit === undefined ? query : query.limit(q.limit)).execute()) as NoteRow[];
}
