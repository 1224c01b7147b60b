import { type Kysely, sql } from 'kysely';
import type { ColumnTypes } from '../../../platform/db/column-types.ts';

/** The customer portal: sessions opened with order number + email, and evidence photos. */
export function portal(t: ColumnTypes) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('customer_sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('expires_at', t.time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('evidence')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('return_id', 'text')
        .addColumn('order_line_id', 'text')
        .addColumn('content_type', 'text', (c) =>
          c.notNull().check(sql`content_type in ('image/jpeg', 'image/png', 'image/webp')`),
        )
        .addColumn('size', t.int, (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('storage_key', 'text', (c) => c.notNull())
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('evidence_pk', ['tenant_id', 'id'])
        .execute();
      await db.schema
        .createIndex('evidence_return_ix')
        .on('evidence')
        .columns(['tenant_id', 'return_id'])
        .execute();
    },
  };
}
