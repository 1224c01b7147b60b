import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../../../platform/db/column-types.ts';

/** Daily and monthly rollups, the per-return-line facts behind them, and the external ids of imported returns. */
export function analytics(t: ColumnTypes) {
  return {
    async up(db: Kysely<unknown>) {
      for (const [grain, period] of [
        ['daily', 'day'],
        ['monthly', 'month'],
      ] as const) {
        await db.schema
          .createTable(`analytics_sales_${grain}`)
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn(period, 'text', (c) => c.notNull())
          .addColumn('sku', 'text', (c) => c.notNull())
          .addColumn('currency', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('category', 'text', (c) => c.notNull())
          .addColumn('units', t.money, (c) => c.notNull())
          .addColumn('lines', t.money, (c) => c.notNull())
          .addColumn('revenue', t.money, (c) => c.notNull())
          .addPrimaryKeyConstraint(`analytics_sales_${grain}_pk`, ['tenant_id', period, 'sku', 'currency'])
          .execute();
      }

      const amounts = [
        'lines',
        'units_requested',
        'units_returned',
        'refund_amount',
        'fee_amount',
        'auto_decided',
        'people_decided',
        'decision_secs',
        'decision_count',
        'received_secs',
        'received_count',
        'refunded_secs',
        'refunded_count',
        'sla_review_met',
        'sla_review_total',
        'sla_inspection_met',
        'sla_inspection_total',
      ];
      for (const [grain, period] of [
        ['daily', 'day'],
        ['monthly', 'month'],
      ] as const) {
        let table = db.schema
          .createTable(`analytics_returns_${grain}`)
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn(period, 'text', (c) => c.notNull())
          .addColumn('sku', 'text', (c) => c.notNull())
          .addColumn('reason_code', 'text', (c) => c.notNull())
          .addColumn('resolution', 'text', (c) => c.notNull())
          .addColumn('currency', 'text', (c) => c.notNull())
          .addColumn('category', 'text', (c) => c.notNull());
        for (const a of amounts) table = table.addColumn(a, t.money, (c) => c.notNull());
        await table
          .addPrimaryKeyConstraint(`analytics_returns_${grain}_pk`, [
            'tenant_id',
            period,
            'sku',
            'reason_code',
            'resolution',
            'currency',
          ])
          .execute();
      }

      await db.schema
        .createTable('analytics_return_facts')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('return_line_id', 'text', (c) => c.notNull())
        .addColumn('return_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('requested_at', t.time, (c) => c.notNull())
        .addColumn('sku', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('reason_code', 'text', (c) => c.notNull())
        .addColumn('resolution', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('units_requested', t.int, (c) => c.notNull())
        .addColumn('units_returned', t.int, (c) => c.notNull())
        .addColumn('refund_amount', t.money, (c) => c.notNull())
        .addColumn('fee_amount', t.money, (c) => c.notNull())
        .addColumn('decided_by', 'text')
        .addColumn('decision_secs', t.money)
        .addColumn('received_secs', t.money)
        .addColumn('refunded_secs', t.money)
        .addColumn('sla_review', t.int)
        .addColumn('sla_inspection', t.int)
        .addPrimaryKeyConstraint('analytics_return_facts_pk', ['tenant_id', 'return_line_id'])
        .execute();
      await db.schema
        .createIndex('analytics_return_facts_return_ix')
        .on('analytics_return_facts')
        .columns(['tenant_id', 'return_id'])
        .execute();
      await db.schema
        .createIndex('analytics_return_facts_day_ix')
        .on('analytics_return_facts')
        .columns(['tenant_id', 'day'])
        .execute();
      // The drill-down lists newest first: without this it sorted a year of facts per page.
      await db.schema
        .createIndex('analytics_return_facts_requested_ix')
        .on('analytics_return_facts')
        .columns(['tenant_id', 'requested_at', 'return_line_id'])
        .execute();

      await db.schema
        .createTable('analytics_imported_returns')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('return_id', 'text', (c) => c.notNull())
        .addColumn('order_external_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('analytics_imported_returns_pk', ['tenant_id', 'external_id'])
        .execute();
    },
  };
}
