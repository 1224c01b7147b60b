import type { Kysely } from 'kysely';

/** The customer-history count behind every return request scanned the tenant's returns without this. */
export function returnIndexes() {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('returns_customer_ix')
        .on('returns')
        .columns(['tenant_id', 'customer_id', 'status'])
        .execute();
    },
  };
}
