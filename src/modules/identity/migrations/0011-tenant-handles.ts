import { type Kysely, sql } from 'kysely';
import { firstFreeHandle, handleFromName } from '../shop-handle.ts';

/**
 * Each tenant's URL-safe handle, which names its customer portal (`/s/HANDLE/returns`), so a
 * portal lookup never searches another shop's orders. Existing tenants get one from their name.
 */
export function tenantHandles() {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('tenants').addColumn('handle', 'text').execute();
      const tenants = await sql<{ id: string; name: string }>`
        select id, name from tenants order by created_at, id`.execute(db);
      const taken = new Set<string>();
      for (const t of tenants.rows) {
        const handle = firstFreeHandle(handleFromName(t.name), (h) => taken.has(h));
        taken.add(handle);
        await sql`update tenants set handle = ${handle} where id = ${t.id}`.execute(db);
      }
      await db.schema.createIndex('tenants_handle_uq').on('tenants').column('handle').unique().execute();
    },
  };
}
