import type { Kysely } from 'kysely';

/** The language a return was filed in: its messages speak it unless the customer chose another. */
export function returnLocale() {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('returns').addColumn('locale', 'text').execute();
    },
  };
}
