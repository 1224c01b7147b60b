import type { Kysely } from 'kysely';

/**
 * An order's ledger entries in id order from one index: with only (tenant_id, order_id), SQLite
 * walked the primary key (tenant_id, id) to avoid the sort, reading every entry of the tenant.
 */
export function ledgerByOrder() {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('ledger_order_id_ix')
        .on('ledger_entries')
        .columns(['tenant_id', 'order_id', 'id'])
        .execute();
      await db.schema.dropIndex('ledger_order_ix').execute();
    },
  };
}
