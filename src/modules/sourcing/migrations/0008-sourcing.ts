import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ColumnTypes } from '../../../platform/db/column-types.ts';

/**
 * Purchasing-agent mode: where each order line is (its stage and the clocks that come with it),
 * the itemised fees of an order, claims against upstream sellers, FX rates.
 */
export function sourcing(t: ColumnTypes) {
  return {
    async up(db: Kysely<unknown>) {
      // The line's stage and its clocks live on the line: every return decision reads them.
      for (const [name, type] of [
        ['seller', 'text'],
        ['seller_order_ref', 'text'],
        ['stage', 'text'],
        ['stage_at', t.time],
        ['domestic_delivered_at', t.time],
        ['qc_at', t.time],
        ['storage_expires_at', t.time],
      ] as const) {
        await db.schema.alterTable('order_lines').addColumn(name, type).execute();
      }
      await db.schema.alterTable('customers').addColumn('display_currency', 'text').execute();

      await db.schema
        .createTable('order_fees')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('position', t.int, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('amount', t.money, (c) => c.notNull().check(sql`amount >= 0`))
        .addColumn('order_line_id', 'text')
        .addPrimaryKeyConstraint('order_fees_pk', ['tenant_id', 'order_id', 'position'])
        .execute();

      await db.schema
        .createTable('line_stage_events')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('order_line_id', 'text', (c) => c.notNull())
        .addColumn('from_stage', 'text')
        .addColumn('to_stage', 'text', (c) => c.notNull())
        .addColumn('at', t.time, (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('line_stage_events_pk', ['tenant_id', 'id'])
        .execute();
      await db.schema
        .createIndex('line_stage_events_line_ix')
        .on('line_stage_events')
        .columns(['tenant_id', 'order_line_id', 'at'])
        .execute();

      await db.schema
        .createTable('seller_claims')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('return_id', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('order_line_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('seller', 'text', (c) => c.notNull())
        .addColumn('platform_order_ref', 'text')
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('amount_expected', t.money, (c) => c.notNull().check(sql`amount_expected >= 0`))
        .addColumn('amount_recovered', t.money, (c) =>
          c.notNull().defaultTo(0).check(sql`amount_recovered >= 0`),
        )
        .addColumn('deadline_at', t.time)
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('message_en', 'text', (c) => c.notNull())
        .addColumn('message_zh', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('warned_at', t.time)
        .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('seller_claims_pk', ['tenant_id', 'id'])
        .addUniqueConstraint('seller_claims_line_uq', ['tenant_id', 'return_id', 'order_line_id'])
        .execute();
      await db.schema
        .createIndex('seller_claims_status_ix')
        .on('seller_claims')
        .columns(['tenant_id', 'status', 'deadline_at'])
        .execute();
      await db.schema
        .createIndex('seller_claims_seller_ix')
        .on('seller_claims')
        .columns(['tenant_id', 'seller'])
        .execute();

      await db.schema
        .createTable('fx_rates')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('base', 'text', (c) => c.notNull())
        .addColumn('quote', 'text', (c) => c.notNull())
        .addColumn('rate_date', 'text', (c) => c.notNull())
        .addColumn('rate', 'text', (c) => c.notNull())
        .addColumn('source', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('fx_rates_pk', ['tenant_id', 'base', 'quote', 'rate_date'])
        .execute();

      await db.schema
        .createTable('wallet_withdrawals')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('amount', t.money, (c) => c.notNull().check(sql`amount > 0`))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('refunds', t.json, (c) => c.notNull())
        .addColumn('fx', t.json)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('wallet_withdrawals_pk', ['tenant_id', 'id'])
        .execute();
    },
  };
}
