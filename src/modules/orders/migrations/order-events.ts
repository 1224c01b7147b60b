import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../../../platform/db/column-types.ts';

/** Every accepted change of an order's money after its first import: before, after, by whom. */
export function orderEvents(t: ColumnTypes) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('order_events')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('at', t.time, (c) => c.notNull())
        .addColumn('actor_type', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('changes', t.json, (c) => c.notNull())
        .addPrimaryKeyConstraint('order_events_pk', ['tenant_id', 'id'])
        .addForeignKeyConstraint('order_events_order_fk', ['tenant_id', 'order_id'], 'orders', [
          'tenant_id',
          'id',
        ])
        .execute();
      await db.schema
        .createIndex('order_events_order_ix')
        .on('order_events')
        .columns(['tenant_id', 'order_id', 'id'])
        .execute();
    },
  };
}

/** GET /api/v1/orders pages newest placed first: an index in that order keeps each page cheap. */
export function ordersPlacedIndex() {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('orders_placed_ix')
        .on('orders')
        .columns(['tenant_id', 'placed_at', 'id'])
        .execute();
    },
  };
}
