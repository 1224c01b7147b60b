import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { bulkInsert, type ColumnSql } from './bulk-insert.ts';
import { atGrain, GRAINS, renameDay } from './rollup-grains.ts';

/** The sales rollups: units, lines and revenue per day, SKU and currency, as orders come and change. */

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
