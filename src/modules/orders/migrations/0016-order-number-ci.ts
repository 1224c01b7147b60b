import { type Kysely, sql } from 'kysely';

/**
 * Order numbers are found whatever their case (`dg-2002` is DG-2002): an index on the lowered
 * number keeps that lookup as cheap as the exact one. Both engines index expressions.
 */
export function orderNumberCaseless() {
  return {
    async up(db: Kysely<unknown>) {
      await sql`create index orders_number_lower_ix on orders (tenant_id, lower(order_number))`.execute(db);
    },
  };
}
