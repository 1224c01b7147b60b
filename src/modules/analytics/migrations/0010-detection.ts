import { type Kysely, sql } from 'kysely';
import type { ColumnTypes } from '../../../platform/db/column-types.ts';

/** Early-warning alerts and return-risk model runs. */
export function detection(t: ColumnTypes) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('detection_alerts')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('sku', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'resolved')`))
        .addColumn('since', 'text', (c) => c.notNull())
        .addColumn('confidence', 'double precision', (c) => c.notNull())
        .addColumn('p_value', 'double precision', (c) => c.notNull())
        .addColumn('q_value', 'double precision', (c) => c.notNull())
        .addColumn('change', t.json, (c) => c.notNull())
        .addColumn('evidence', t.json, (c) => c.notNull())
        .addColumn('phrases', t.json, (c) => c.notNull())
        .addColumn('as_of', 'text', (c) => c.notNull())
        .addColumn('first_detected_at', t.time, (c) => c.notNull())
        .addColumn('last_detected_at', t.time, (c) => c.notNull())
        .addColumn('resolved_at', t.time)
        .addColumn('notified', t.int, (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('detection_alerts_pk', ['tenant_id', 'id'])
        .execute();
      // One open alert per tenant × SKU × kind: re-detection updates it instead of adding one.
      await db.schema
        .createIndex('detection_alerts_open_uq')
        .on('detection_alerts')
        .columns(['tenant_id', 'sku', 'kind'])
        .unique()
        .where(sql.ref('status'), '=', 'open')
        .execute();
      await db.schema
        .createIndex('detection_alerts_list_ix')
        .on('detection_alerts')
        .columns(['tenant_id', 'status', 'id'])
        .execute();

      await db.schema
        .createTable('detection_model_runs')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('trained_at', t.time, (c) => c.notNull())
        .addColumn('as_of', 'text', (c) => c.notNull())
        .addColumn('train_count', t.int, (c) => c.notNull())
        .addColumn('test_count', t.int, (c) => c.notNull())
        .addColumn('auc', 'double precision')
        .addColumn('brier', 'double precision')
        .addColumn('metrics', t.json, (c) => c.notNull())
        .addColumn('model', t.json, (c) => c.notNull())
        .addPrimaryKeyConstraint('detection_model_runs_pk', ['tenant_id', 'id'])
        .execute();
    },
  };
}
