import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { enqueue, type HandlerResult, type OutboxMessage } from '../../platform/outbox.ts';
import type { AlertView } from './alert-view.ts';
import { checkAsOf, type DetectionDeps, today } from './detection-context.ts';
import type { Findings } from './detection-findings.ts';
import { computedView } from './detection-views.ts';

export const ANALYTICS_SCHEDULE = 'analytics.schedule';
export const ANALYTICS_DETECT = 'analytics.detect';
export const ANALYTICS_TRAIN = 'analytics.train';
export const ANALYTICS_ALERT = 'analytics.alert';

/** Detection runs: as of a day, stored as the current alerts, and on the daily schedule. */
export function createDetectionRuns(deps: DetectionDeps, compute: Findings['compute']) {
  const { db, clock } = deps;

  async function requireTenant(tenantId: string) {
    const t = await db.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst();
    if (!t) throw notFound('Tenant');
  }

  return {
    /** Alerts as they would have stood at the end of `asOf`, from data up to that day only. Stores nothing. */
    async alertsAsOf(
      tenantId: string,
      asOfInput?: string,
    ): Promise<{ asOf: string; testsRun: number; data: AlertView[] }> {
      const asOf = checkAsOf(asOfInput, clock);
      const r = await compute(tenantId, asOf);
      return {
        asOf,
        testsRun: r.testsRun,
        data: r.alerts.map((f) => computedView(f, asOf, r.phrases.get(f.sku) ?? [])),
      };
    },

    /**
     * Detects as of `asOf` (default today) and brings the stored alerts up to date in one
     * transaction: a new finding opens an alert, a re-detection updates the open one, an open
     * alert no longer elevated is resolved. A new alert tells staff (through the outbox) unless
     * another alert of the same SKU is already open: one message per SKU per issue.
     */
    async runDetection(tenantId: string, asOfInput?: string) {
      await requireTenant(tenantId);
      const asOf = checkAsOf(asOfInput, clock);
      const r = await compute(tenantId, asOf);
      const now = clock.now();
      const nowIso = now.toISOString();
      const significant = new Map(r.alerts.map((f) => [`${f.sku}\u0000${f.kind}`, f]));
      const elevated = new Map(r.elevated.map((f) => [`${f.sku}\u0000${f.kind}`, f]));
      const summary = { asOf, opened: [] as string[], updated: 0, resolved: 0, notified: 0 };
      await db.transaction().execute(async (trx) => {
        const open = await trx
          .selectFrom('detectionAlerts')
          .selectAll()
          .where('tenantId', '=', tenantId)
          .where('status', '=', 'open')
          .execute();
        const openSkus = new Set(open.map((a) => a.sku));
        for (const a of open) {
          const key = `${a.sku}\u0000${a.kind}`;
          const f = significant.get(key) ?? elevated.get(key);
          if (!f) {
            await trx
              .updateTable('detectionAlerts')
              .set({ status: 'resolved', resolvedAt: nowIso, asOf })
              .where('tenantId', '=', tenantId)
              .where('id', '=', a.id)
              .where('status', '=', 'open')
              .execute();
            summary.resolved++;
            continue;
          }
          await trx
            .updateTable('detectionAlerts')
            .set({
              confidence: f.confidence,
              pValue: f.pValue,
              qValue: f.qValue,
              change: JSON.stringify(f.change),
              evidence: JSON.stringify({ ...f.evidence, affectedOrdersSince: f.affectedOrdersSince }),
              phrases: JSON.stringify(r.phrases.get(f.sku) ?? []),
              asOf,
              lastDetectedAt: nowIso,
            })
            .where('tenantId', '=', tenantId)
            .where('id', '=', a.id)
            .execute();
          significant.delete(key);
          summary.updated++;
        }
        for (const f of significant.values()) {
          const id = newId('alr');
          const notify = !openSkus.has(f.sku);
          openSkus.add(f.sku);
          await trx
            .insertInto('detectionAlerts')
            .values({
              tenantId,
              id,
              sku: f.sku,
              category: f.category,
              kind: f.kind,
              status: 'open',
              since: f.since,
              confidence: f.confidence,
              pValue: f.pValue,
              qValue: f.qValue,
              change: JSON.stringify(f.change),
              evidence: JSON.stringify({ ...f.evidence, affectedOrdersSince: f.affectedOrdersSince }),
              phrases: JSON.stringify(r.phrases.get(f.sku) ?? []),
              asOf,
              firstDetectedAt: nowIso,
              lastDetectedAt: nowIso,
              resolvedAt: null,
              notified: notify ? 1 : 0,
            })
            .execute();
          summary.opened.push(id);
          if (notify) {
            await enqueue(
              trx,
              { tenantId, topic: ANALYTICS_ALERT, dedupeKey: id, payload: { alertId: id } },
              now,
            );
            summary.notified++;
          }
        }
      });
      if (summary.notified) deps.kick?.();
      return summary;
    },

    /** Outbox handler: one detection run for the message's tenant. */
    async handleDetect(m: OutboxMessage): Promise<HandlerResult> {
      const p = (m.payload ?? {}) as { asOf?: string };
      try {
        await this.runDetection(m.tenantId, p.asOf);
      } catch (e) {
        // A tenant removed since the run was queued: nothing to detect, nothing to retry.
        if (e instanceof AppError && e.status === 404) return { outcome: 'done' };
        throw e;
      }
      return { outcome: 'done' };
    },

    /**
     * Outbox handler, once a day: queues each tenant's detection (and, on Mondays, retraining)
     * with a dedupe key per day (per week), then queues itself for the next day.
     */
    async handleSchedule(_m: OutboxMessage): Promise<HandlerResult> {
      const now = clock.now();
      const day = today(clock);
      const monday = now.getUTCDay() === 1;
      const tenants = await deps.tenantIds();
      await db.transaction().execute(async (trx) => {
        for (const tenantId of tenants) {
          await enqueue(
            trx,
            { tenantId, topic: ANALYTICS_DETECT, dedupeKey: `${tenantId}:${day}`, payload: {} },
            now,
          );
          if (monday) {
            await enqueue(
              trx,
              { tenantId, topic: ANALYTICS_TRAIN, dedupeKey: `${tenantId}:${day}`, payload: {} },
              now,
            );
          }
        }
        await scheduleNext(trx, now);
      });
      deps.kick?.();
      return { outcome: 'done' };
    },

    /** Makes sure the daily schedule exists (call when the worker starts; safe to repeat). */
    async scheduleDaily() {
      await scheduleNext(db, clock.now());
    },
  };
}

/** The next run at 02:00 UTC, keyed by its day so any number of processes queue it once. */
async function scheduleNext(ex: Parameters<typeof enqueue>[0], now: Date) {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 2));
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  await enqueue(
    ex,
    {
      tenantId: 'system',
      topic: ANALYTICS_SCHEDULE,
      dedupeKey: next.toISOString().slice(0, 10),
      payload: {},
      availableAt: next.toISOString(),
    },
    now,
  );
}
