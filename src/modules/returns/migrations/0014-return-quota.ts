import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * Whether a return uses up one of the customer's free returns this month (purchasing agents):
 * a cancellation before purchase or a seller's fault does not. Returns filed before this
 * migration count, as they did.
 */
export function returnQuota() {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('returns')
        .addColumn('quota_counted', 'integer', (c) => c.notNull().defaultTo(sql`1`))
        .execute();
    },
  };
}
