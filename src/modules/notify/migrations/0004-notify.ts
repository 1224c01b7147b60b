import { type Kysely, sql } from 'kysely';
import type { ColumnTypes } from '../../../platform/db/column-types.ts';

/**
 * Communication: customer contact details and preferences, tenant notification settings and
 * template overrides, one delivery row per (business event, channel, recipient), the in-app
 * inbox, webhook endpoints and their attempt log.
 */
export function notify(t: ColumnTypes) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('customers').addColumn('phone', 'text').execute();
      await db.schema.alterTable('customers').addColumn('locale', 'text').execute();
      await db.schema.alterTable('customers').addColumn('time_zone', 'text').execute();

      await db.schema
        .createTable('notification_preferences')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email', 'sms', 'in_app')`))
        // '*' is the whole channel (the unsubscribe link); otherwise one event category.
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('enabled', t.int, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('notification_preferences_pk', [
          'tenant_id',
          'customer_id',
          'channel',
          'category',
        ])
        .execute();

      await db.schema
        .createTable('notification_settings')
        .addColumn('tenant_id', 'text', (c) => c.primaryKey())
        .addColumn('settings', t.json, (c) => c.notNull())
        // Twilio credentials, sealed like the payment providers'.
        .addColumn('sealed_sms', 'text')
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('notification_templates')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('template', t.json, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('notification_templates_pk', ['tenant_id', 'event', 'locale'])
        .execute();

      await db.schema
        .createTable('deliveries')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        // The business event: one delivery per event, channel and recipient, whatever retries.
        .addColumn('event_key', 'text', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) =>
          c.notNull().check(sql`channel in ('email', 'sms', 'in_app', 'webhook')`),
        )
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('return_id', 'text')
        .addColumn('customer_id', 'text')
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .check(
              sql`status in ('queued', 'digest_pending', 'sending', 'sent', 'stored', 'delivered', 'failed', 'bounced', 'dead', 'suppressed')`,
            ),
        )
        .addColumn('content', t.json, (c) => c.notNull())
        .addColumn('attempts', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('provider_id', 'text')
        .addColumn('last_error', 'text')
        .addColumn('digest_key', 'text')
        .addColumn('send_after', t.time)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('deliveries_pk', ['tenant_id', 'id'])
        .addUniqueConstraint('deliveries_event_uq', ['tenant_id', 'event_key', 'channel', 'recipient'])
        .execute();
      await db.schema
        .createIndex('deliveries_return_ix')
        .on('deliveries')
        .columns(['tenant_id', 'return_id'])
        .execute();
      await db.schema
        .createIndex('deliveries_list_ix')
        .on('deliveries')
        .columns(['tenant_id', 'created_at', 'id'])
        .execute();
      await db.schema
        .createIndex('deliveries_digest_ix')
        .on('deliveries')
        .columns(['tenant_id', 'digest_key'])
        .execute();

      await db.schema
        .createTable('inbox_items')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('recipient_type', 'text', (c) =>
          c.notNull().check(sql`recipient_type in ('customer', 'user')`),
        )
        .addColumn('recipient_id', 'text', (c) => c.notNull())
        .addColumn('return_id', 'text')
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('url', 'text')
        .addColumn('read_at', t.time)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('inbox_items_pk', ['tenant_id', 'id'])
        .execute();
      await db.schema
        .createIndex('inbox_recipient_ix')
        .on('inbox_items')
        .columns(['tenant_id', 'recipient_type', 'recipient_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('webhook_endpoints')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('events', t.json, (c) => c.notNull())
        .addColumn('sealed_secret', 'text', (c) => c.notNull())
        // During a rotation the old secret signs too, until it expires.
        .addColumn('sealed_previous_secret', 'text')
        .addColumn('previous_secret_expires_at', t.time)
        .addColumn('active', t.int, (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('webhook_endpoints_pk', ['tenant_id', 'id'])
        .execute();

      await db.schema
        .createTable('delivery_attempts')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('delivery_id', 'text', (c) => c.notNull())
        .addColumn('attempt', t.int, (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('status_code', t.int)
        .addColumn('response', 'text')
        .addColumn('duration_ms', t.int, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('delivery_attempts_pk', ['tenant_id', 'id'])
        .execute();
      await db.schema
        .createIndex('delivery_attempts_delivery_ix')
        .on('delivery_attempts')
        .columns(['tenant_id', 'delivery_id'])
        .execute();
    },
  };
}
