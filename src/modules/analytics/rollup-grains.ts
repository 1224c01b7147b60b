import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { type ColumnSql, isPostgres } from './bulk-insert.ts';

/** What the sales and returns rollups share: days on both engines, and the daily and monthly tables. */

type Executor = Kysely<Database>;

/** The UTC day (YYYY-MM-DD) of a time column, on both engines (timestamptz on PostgreSQL, ISO text on SQLite). */
export function dayOf(ex: Executor, column: string) {
  return isPostgres(ex)
    ? sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD')`
    : sql<string>`substr(${sql.ref(column)}, 1, 10)`;
}

/** The daily table and its monthly twin, whose period column is `month` (YYYY-MM). */
export const GRAINS = [
  { returns: 'analyticsReturnsDaily', sales: 'analyticsSalesDaily', period: 'day' },
  { returns: 'analyticsReturnsMonthly', sales: 'analyticsSalesMonthly', period: 'month' },
] as const;

/** `day` renamed to the grain's period column (and cut to the month for the monthly tables). */
export function atGrain<C extends { day: string }>(cells: C[], period: 'day' | 'month') {
  return cells.map(({ day, ...rest }) => ({ ...rest, [period]: period === 'day' ? day : day.slice(0, 7) }));
}

export function renameDay(columns: ColumnSql, period: 'day' | 'month'): ColumnSql {
  return Object.fromEntries(Object.entries(columns).map(([k, v]) => [k === 'day' ? period : k, v]));
}
