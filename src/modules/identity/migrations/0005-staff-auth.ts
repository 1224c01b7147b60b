import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../../../platform/db/column-types.ts';

/** Staff sign-in: sessions (only a hash of the cookie is stored), login throttling, password resets. */
export function staffAuth(t: ColumnTypes) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('expires_at', t.time, (c) => c.notNull())
        .addColumn('user_agent', 'text')
        .execute();
      await db.schema
        .createIndex('sessions_user_ix')
        .on('sessions')
        .columns(['tenant_id', 'user_id'])
        .execute();

      await db.schema
        .createTable('login_throttle')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', t.int, (c) => c.notNull())
        .addColumn('locked_until', t.time)
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('password_resets')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('expires_at', t.time, (c) => c.notNull())
        .addColumn('used_at', t.time)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute();
    },
  };
}
