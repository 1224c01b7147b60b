import { type Kysely, sql } from 'kysely';
import type { ColumnTypes } from '../column-types.ts';

/** Tenants, identity, orders, policies, returns and their events. Every key starts with tenant_id. */
export function core(t: ColumnTypes) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('tenants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('merchant', 'purchasing_agent')`))
        .addColumn('rma_seq', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull().unique())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('revoked_at', t.time)
        .addPrimaryKeyConstraint('api_keys_pk', ['tenant_id', 'id'])
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) =>
          c.notNull().check(sql`role in ('admin', 'supervisor', 'agent', 'warehouse')`),
        )
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('users_pk', ['tenant_id', 'id'])
        .addUniqueConstraint('users_email_uq', ['tenant_id', 'email'])
        .execute();

      await db.schema
        .createTable('customers')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('customers_pk', ['tenant_id', 'id'])
        .addUniqueConstraint('customers_email_uq', ['tenant_id', 'email'])
        .execute();

      await db.schema
        .createTable('orders')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('order_number', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('placed_at', t.time, (c) => c.notNull())
        .addColumn('delivered_at', t.time)
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('shipping_amount', t.money, (c) => c.notNull().check(sql`shipping_amount >= 0`))
        .addColumn('discount_amount', t.money, (c) => c.notNull().check(sql`discount_amount >= 0`))
        .addColumn('tax_amount', t.money, (c) => c.notNull().check(sql`tax_amount >= 0`))
        .addColumn('total_amount', t.money, (c) => c.notNull().check(sql`total_amount >= 0`))
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('orders_pk', ['tenant_id', 'id'])
        .addUniqueConstraint('orders_external_uq', ['tenant_id', 'external_id'])
        .addForeignKeyConstraint('orders_customer_fk', ['tenant_id', 'customer_id'], 'customers', [
          'tenant_id',
          'id',
        ])
        .execute();
      await db.schema
        .createIndex('orders_number_ix')
        .on('orders')
        .columns(['tenant_id', 'order_number'])
        .execute();
      await db.schema
        .createIndex('orders_customer_ix')
        .on('orders')
        .columns(['tenant_id', 'customer_id'])
        .execute();

      await db.schema
        .createTable('order_lines')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('position', t.int, (c) => c.notNull())
        .addColumn('sku', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('quantity', t.int, (c) => c.notNull().check(sql`quantity > 0`))
        .addColumn('unit_price', t.money, (c) => c.notNull().check(sql`unit_price >= 0`))
        .addColumn('discount_amount', t.money, (c) => c.notNull().check(sql`discount_amount >= 0`))
        .addColumn('tax_amount', t.money, (c) => c.notNull().check(sql`tax_amount >= 0`))
        // The invariant "returned <= bought" lives in the database, not only in code.
        .addColumn('returned_quantity', t.int, (c) =>
          c.notNull().defaultTo(0).check(sql`returned_quantity >= 0 and returned_quantity <= quantity`),
        )
        .addPrimaryKeyConstraint('order_lines_pk', ['tenant_id', 'id'])
        .addUniqueConstraint('order_lines_external_uq', ['tenant_id', 'order_id', 'external_id'])
        .addForeignKeyConstraint('order_lines_order_fk', ['tenant_id', 'order_id'], 'orders', [
          'tenant_id',
          'id',
        ])
        .execute();

      await db.schema
        .createTable('policies')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('version', t.int, (c) => c.notNull())
        .addColumn('document', t.json, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('policies_pk', ['tenant_id', 'version'])
        .execute();

      await db.schema
        .createTable('returns')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('rma_number', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('resolution', 'text', (c) => c.notNull())
        .addColumn('returnless', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('refund_total', t.money, (c) => c.notNull().check(sql`refund_total >= 0`))
        .addColumn('decision', t.json, (c) => c.notNull())
        .addColumn('refund_quote', t.json, (c) => c.notNull())
        .addColumn('customer_note', 'text')
        .addColumn('tracking_token', 'text', (c) => c.notNull().unique())
        .addColumn('policy_version', t.int, (c) => c.notNull())
        .addColumn('shipment', t.json)
        .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('returns_pk', ['tenant_id', 'id'])
        .addUniqueConstraint('returns_rma_uq', ['tenant_id', 'rma_number'])
        .addForeignKeyConstraint('returns_order_fk', ['tenant_id', 'order_id'], 'orders', ['tenant_id', 'id'])
        .execute();
      await db.schema
        .createIndex('returns_list_ix')
        .on('returns')
        .columns(['tenant_id', 'created_at', 'id'])
        .execute();
      await db.schema
        .createIndex('returns_status_ix')
        .on('returns')
        .columns(['tenant_id', 'status', 'created_at', 'id'])
        .execute();
      await db.schema
        .createIndex('returns_order_ix')
        .on('returns')
        .columns(['tenant_id', 'order_id'])
        .execute();

      await db.schema
        .createTable('return_lines')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('return_id', 'text', (c) => c.notNull())
        .addColumn('order_line_id', 'text', (c) => c.notNull())
        .addColumn('position', t.int, (c) => c.notNull())
        .addColumn('quantity', t.int, (c) => c.notNull().check(sql`quantity > 0`))
        .addColumn('reason_code', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('refund_amount', t.money, (c) => c.notNull())
        .addColumn('accepted_quantity', t.int)
        .addColumn('condition', 'text')
        .addPrimaryKeyConstraint('return_lines_pk', ['tenant_id', 'id'])
        .addForeignKeyConstraint('return_lines_return_fk', ['tenant_id', 'return_id'], 'returns', [
          'tenant_id',
          'id',
        ])
        .addForeignKeyConstraint('return_lines_line_fk', ['tenant_id', 'order_line_id'], 'order_lines', [
          'tenant_id',
          'id',
        ])
        .execute();
      await db.schema
        .createIndex('return_lines_return_ix')
        .on('return_lines')
        .columns(['tenant_id', 'return_id'])
        .execute();

      await db.schema
        .createTable('return_events')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('return_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (c) => c.notNull())
        .addColumn('actor_type', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('note', 'text')
        .addColumn('visibility', 'text', (c) =>
          c.notNull().check(sql`visibility in ('customer', 'internal')`),
        )
        .addColumn('data', t.json)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('return_events_pk', ['tenant_id', 'id'])
        .addForeignKeyConstraint('return_events_return_fk', ['tenant_id', 'return_id'], 'returns', [
          'tenant_id',
          'id',
        ])
        .execute();
      await db.schema
        .createIndex('return_events_return_ix')
        .on('return_events')
        .columns(['tenant_id', 'return_id', 'id'])
        .execute();

      await db.schema
        .createTable('refunds')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('return_id', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('amount', t.money, (c) => c.notNull().check(sql`amount >= 0`))
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('provider_ref', 'text')
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('pending', 'succeeded', 'failed')`),
        )
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('refunds_pk', ['tenant_id', 'id'])
        // One refund per return for now; the refund engine relaxes this with its ledger.
        .addUniqueConstraint('refunds_return_uq', ['tenant_id', 'return_id'])
        .addForeignKeyConstraint('refunds_return_fk', ['tenant_id', 'return_id'], 'returns', [
          'tenant_id',
          'id',
        ])
        .execute();

      await db.schema
        .createTable('idempotency_keys')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('status_code', t.int)
        .addColumn('response_body', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
        .execute();
    },
  };
}
