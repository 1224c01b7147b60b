import { type Kysely, sql } from 'kysely';
import type { ColumnTypes } from '../column-types.ts';

/**
 * The refund engine: payments per order (the guard row for "refunded <= captured"), an
 * immutable double-entry ledger, the transactional outbox, store-credit guard rows,
 * refund execution columns, exchange fulfilment.
 */
export function refundEngine(t: ColumnTypes) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('order_payments')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('payment_ref', 'text')
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('captured_amount', t.money, (c) => c.notNull().check(sql`captured_amount >= 0`))
        // Pending and succeeded refunds to the original payment. The CHECK is the database's own
        // refusal of an over-refund, whatever the code above it does.
        .addColumn('refunded_amount', t.money, (c) =>
          c.notNull().defaultTo(0).check(sql`refunded_amount >= 0 and refunded_amount <= captured_amount`),
        )
        .addPrimaryKeyConstraint('order_payments_pk', ['tenant_id', 'order_id'])
        .addForeignKeyConstraint('order_payments_order_fk', ['tenant_id', 'order_id'], 'orders', [
          'tenant_id',
          'id',
        ])
        .execute();

      await db.schema
        .createTable('ledger_entries')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('debit_account', 'text', (c) => c.notNull())
        .addColumn('credit_account', 'text', (c) => c.notNull())
        .addColumn('amount', t.money, (c) => c.notNull().check(sql`amount > 0`))
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text')
        .addColumn('return_id', 'text')
        .addColumn('refund_id', 'text')
        .addColumn('customer_id', 'text')
        .addColumn('memo', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('ledger_entries_pk', ['tenant_id', 'id'])
        .addCheckConstraint('ledger_entries_sides', sql`debit_account <> credit_account`)
        .execute();
      await db.schema
        .createIndex('ledger_debit_ix')
        .on('ledger_entries')
        .columns(['tenant_id', 'debit_account'])
        .execute();
      await db.schema
        .createIndex('ledger_credit_ix')
        .on('ledger_entries')
        .columns(['tenant_id', 'credit_account'])
        .execute();
      await db.schema
        .createIndex('ledger_order_ix')
        .on('ledger_entries')
        .columns(['tenant_id', 'order_id'])
        .execute();
      await db.schema
        .createIndex('ledger_customer_ix')
        .on('ledger_entries')
        .columns(['tenant_id', 'customer_id'])
        .execute();

      await db.schema
        .createTable('credit_balances')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        // Guard for spending: the ledger is the record, this row refuses a negative balance.
        .addColumn('balance', t.money, (c) => c.notNull().check(sql`balance >= 0`))
        .addPrimaryKeyConstraint('credit_balances_pk', ['tenant_id', 'customer_id', 'currency'])
        .execute();

      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('dedupe_key', 'text', (c) => c.notNull())
        .addColumn('payload', t.json, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'done', 'dead')`))
        .addColumn('attempts', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('available_at', t.time, (c) => c.notNull())
        .addColumn('locked_until', t.time)
        .addColumn('last_error', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('done_at', t.time)
        .addUniqueConstraint('outbox_dedupe_uq', ['topic', 'dedupe_key'])
        .execute();
      await db.schema.createIndex('outbox_due_ix').on('outbox').columns(['status', 'available_at']).execute();

      await db.schema
        .createTable('provider_accounts')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        // AES-256-GCM sealed JSON: API keys and webhook secrets are never stored in the clear.
        .addColumn('sealed_config', 'text', (c) => c.notNull())
        .addColumn('webhook_token', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('provider_accounts_pk', ['tenant_id', 'provider'])
        .execute();

      await db.schema
        .alterTable('refunds')
        .addColumn('attempt', t.int, (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .alterTable('refunds')
        .addColumn('method', 'text', (c) => c.notNull().defaultTo('original_payment'))
        .execute();
      await db.schema
        .alterTable('refunds')
        .addColumn('bonus_amount', t.money, (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('refunds').addColumn('idempotency_key', 'text').execute();
      await db.schema.alterTable('refunds').addColumn('failure_code', 'text').execute();
      await db.schema.alterTable('refunds').addColumn('failure_message', 'text').execute();
      await db.schema.alterTable('refunds').addColumn('settled_at', t.time).execute();
      await db.schema.alterTable('refunds').addColumn('customer_id', 'text').execute();

      await db.schema.alterTable('returns').addColumn('exchange', t.json).execute();
      await db.schema.alterTable('returns').addColumn('fulfillment', t.json).execute();
      await db.schema.alterTable('returns').addColumn('adjustment', t.json).execute();
    },
  };
}
