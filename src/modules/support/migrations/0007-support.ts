import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../../../platform/db/column-types.ts';

/** The agent console: saved replies (macros) with variables and an optional action. */
export function support(t: ColumnTypes) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('macros')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('action', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('macros_pk', ['tenant_id', 'id'])
        .addUniqueConstraint('macros_name_uq', ['tenant_id', 'name'])
        .execute();
      await db.schema
        .createIndex('returns_updated_ix')
        .on('returns')
        .columns(['tenant_id', 'status', 'updated_at'])
        .execute();
    },
  };
}
