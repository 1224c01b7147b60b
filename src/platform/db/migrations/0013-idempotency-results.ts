import type { Kysely } from 'kysely';

/**
 * An idempotency key remembers what its request wrote, in the write's transaction, so a retry
 * after a crash between commit and answer finds the result instead of writing it again.
 */
export function idempotencyResults() {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('idempotency_keys').addColumn('resource_id', 'text').execute();
    },
  };
}
