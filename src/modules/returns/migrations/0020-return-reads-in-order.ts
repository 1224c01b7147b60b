import type { Kysely } from 'kysely';

/**
 * Reads of the returns module in the order they are shown, from one index each:
 * - a return's photos by id (every view of a return): with only (tenant_id, return_id), SQLite
 *   walked the primary key (tenant_id, id) to avoid the sort, reading every photo of the tenant;
 * - a customer's latest returns (the console's case page), instead of sorting all of them.
 */
export function returnReadsInOrder() {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('evidence_return_id_ix')
        .on('evidence')
        .columns(['tenant_id', 'return_id', 'id'])
        .execute();
      await db.schema.dropIndex('evidence_return_ix').execute();
      await db.schema
        .createIndex('returns_customer_created_ix')
        .on('returns')
        .columns(['tenant_id', 'customer_id', 'created_at'])
        .execute();
    },
  };
}
