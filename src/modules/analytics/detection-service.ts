import type { Selectable } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import { pageById } from '../../platform/cursor.ts';
import type { Db } from '../../platform/db/database.ts';
import { parseJson } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { enqueue, type HandlerResult, type OutboxMessage } from '../../platform/outbox.ts';
import type { StaffNotice } from '../notify/service.ts';
import type { AlertView } from './alert-view.ts';
import {
  addDays,
  type Dialect,
  loadDetectorInput,
  loadNotes,
  MAX_LAG_DAYS,
  type NoteRow,
} from './detection-queries.ts';
import type { DetectionAlertsTable } from './detection-tables.ts';
import {
  DEFAULT_DETECTOR_OPTIONS,
  type DetectorOptions,
  detectIssues,
  type Finding,
} from './early-warning.ts';
import { countPhrases, extractThemes, phrasesOf, type Theme } from './themes.ts';

export const ANALYTICS_SCHEDULE = 'analytics.schedule';
export const ANALYTICS_DETECT = 'analytics.detect';
export const ANALYTICS_TRAIN = 'analytics.train';
export const ANALYTICS_ALERT = 'analytics.alert';

/** Reference notes: the tenant's latest this many (enough to know what is ordinary). */
const REFERENCE_NOTES = 20_000;
/** Days of notes the themes of a SKU or category look at by default. */
const THEME_DAYS = 365;

export type StaffNotifier = (tenantId: string, input: StaffNotice) => Promise<unknown>;

function today(clock: Clock): string {
  return clock.now().toISOString().slice(0, 10);
}

/** `YYYY-MM-DD`, a real calendar day, not in the future. */
export function checkAsOf(asOf: string | undefined, clock: Clock): string {
  if (asOf === undefined) return today(clock);
  const d = new Date(`${asOf}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(asOf) ||
    Number.isNaN(d.getTime()) ||
    d.toISOString().slice(0, 10) !== asOf
  ) {
    throw new AppError(400, 'invalid_as_of', 'asOf must be a date as YYYY-MM-DD.');
  }
  return asOf;
}

/** Phrase counts of a set of note rows, with the rows kept so a target can be subtracted exactly. */
type NoteCorpus = {
  rows: { sku: string; category: string; phrases: Set<string> }[];
  counts: Map<string, number>;
};

function corpusOf(rows: NoteRow[]): NoteCorpus {
  const counts = new Map<string, number>();
  const out = rows.map((r) => {
    const phrases = phrasesOf(r.note);
    for (const p of phrases) counts.set(p, (counts.get(p) ?? 0) + 1);
    return { sku: r.sku, category: r.category, phrases };
  });
  return { rows: out, counts };
}

/** The reference without the target's own notes (a SKU's complaints must not dilute their own lift). */
function referenceWithout(c: NoteCorpus, keep: (r: { sku: string; category: string }) => boolean) {
  const counts = new Map(c.counts);
  let docs = 0;
  for (const r of c.rows) {
    if (keep(r)) {
      docs++;
      continue;
    }
    for (const p of r.phrases) {
      const left = counts.get(p)! - 1;
      if (left > 0) counts.set(p, left);
      else counts.delete(p);
    }
  }
  return { docs, counts };
}

const themeView = (t: Theme) => ({
  phrase: t.phrase,
  count: t.count,
  baselineCount: t.baselineCount,
  share: t.share,
  lift: t.lift,
  g2: t.g2,
  pValue: t.pValue,
  variants: t.variants,
});

/**
 * Early warning as a service: computes alerts as of any day from the core tables, keeps the
 * current ones (one open per SKU × kind), tells staff once per SKU issue, answers complaint
 * themes, and runs on a daily schedule through the outbox.
 */
export function createDetectionService(deps: {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  /** Admins and supervisors with their emails: who hears about alerts. */
  staffFor: (tenantId: string) => Promise<{ id: string; email: string }[]>;
  notifyStaff: StaffNotifier;
  publicUrl: () => string;
  /** Each tenant's id, for the daily schedule. */
  tenantIds: () => Promise<string[]>;
  kick?: () => void;
  options?: Partial<DetectorOptions>;
}) {
  const { db, dialect, clock } = deps;
  const options = { ...DEFAULT_DETECTOR_OPTIONS, ...deps.options };
  const spanDays = Math.max(...options.windows) + options.baselineDays + MAX_LAG_DAYS + 1;

  /** Findings as of a day, each with the top phrases of its SKU's notes since the excess began. */
  async function compute(tenantId: string, asOf: string) {
    const input = await loadDetectorInput(
      db,
      dialect,
      tenantId,
      asOf,
      spanDays,
      options.phraseWindow + options.baselineDays,
    );
    const result = detectIssues(input, options);
    const phrases = new Map<string, AlertView['phrases']>();
    if (result.elevated.length) {
      const reference = corpusOf(
        await loadNotes(db, dialect, tenantId, {
          from: addDays(asOf, -THEME_DAYS),
          asOf,
          limit: REFERENCE_NOTES,
        }),
      );
      for (const sku of new Set(result.elevated.map((f) => f.sku))) {
        const first = result.elevated
          .filter((f) => f.sku === sku)
          .map((f) => f.since)
          .sort()[0]!;
        const notes = await loadNotes(db, dialect, tenantId, {
          from: addDays(first, -7),
          asOf,
          limit: 2_000,
          sku,
        });
        const themes = extractThemes(
          countPhrases(notes.map((n) => n.note)),
          referenceWithout(reference, (r) => r.sku !== sku),
          { limit: 5 },
        );
        phrases.set(
          sku,
          themes.map((t) => ({ phrase: t.phrase, count: t.count, lift: t.lift })),
        );
      }
    }
    return { ...result, phrases };
  }

  function computedView(f: Finding, asOf: string, phrases: AlertView['phrases']): AlertView {
    return {
      id: null,
      sku: f.sku,
      category: f.category,
      kind: f.kind,
      status: 'computed',
      since: f.since,
      confidence: f.confidence,
      pValue: f.pValue,
      qValue: f.qValue,
      change: f.change,
      evidence: { ...f.evidence, affectedOrdersSince: f.affectedOrdersSince },
      phrases,
      asOf,
      firstDetectedAt: null,
      lastDetectedAt: null,
      resolvedAt: null,
      link: null,
    };
  }

  function storedView(r: Selectable<DetectionAlertsTable>): AlertView {
    return {
      id: r.id,
      sku: r.sku,
      category: r.category,
      kind: r.kind,
      status: r.status,
      since: r.since,
      confidence: r.confidence,
      pValue: r.pValue,
      qValue: r.qValue,
      change: parseJson(r.change),
      evidence: parseJson(r.evidence),
      phrases: parseJson(r.phrases),
      asOf: r.asOf,
      firstDetectedAt: r.firstDetectedAt,
      lastDetectedAt: r.lastDetectedAt,
      resolvedAt: r.resolvedAt,
      link: `/admin/analytics/alerts/${r.id}`,
    };
  }

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

    async listAlerts(
      tenantId: string,
      q: { status?: 'open' | 'resolved'; limit?: number; cursor?: string } = {},
    ): Promise<{ data: AlertView[]; nextCursor: string | null }> {
      const limit = q.limit ?? 50;
      let query = db.selectFrom('detectionAlerts').selectAll().where('tenantId', '=', tenantId);
      if (q.status) query = query.where('status', '=', q.status);
      if (q.cursor) query = query.where('id', '<', q.cursor);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const { page, nextCursor } = pageById(rows, limit);
      return { data: page.map(storedView), nextCursor };
    },

    async getAlert(tenantId: string, id: string): Promise<AlertView> {
      const r = await db
        .selectFrom('detectionAlerts')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!r) throw notFound('Alert');
      return storedView(r);
    },

    /** Over-represented phrases in the notes of one SKU or category against the rest of the tenant. */
    async themes(
      tenantId: string,
      q: { sku?: string; category?: string; asOf?: string; days?: number; limit?: number },
    ) {
      if (!q.sku === !q.category) throw new AppError(400, 'sku_or_category', 'Give either sku or category.');
      const asOf = checkAsOf(q.asOf, clock);
      const from = addDays(asOf, -((q.days ?? THEME_DAYS) - 1));
      const target = await loadNotes(db, dialect, tenantId, {
        from,
        asOf,
        limit: REFERENCE_NOTES,
        ...(q.sku ? { sku: q.sku } : { category: q.category! }),
      });
      const reference = corpusOf(
        await loadNotes(db, dialect, tenantId, { from, asOf, limit: REFERENCE_NOTES }),
      );
      const keep = q.sku
        ? (r: { sku: string }) => r.sku !== q.sku
        : (r: { category: string }) => r.category !== q.category;
      const themes = extractThemes(
        countPhrases(target.map((n) => n.note)),
        referenceWithout(reference, keep),
        {
          limit: q.limit ?? 10,
        },
      );
      return {
        asOf,
        from,
        ...(q.sku ? { sku: q.sku } : { category: q.category! }),
        notes: target.length,
        referenceNotes: reference.rows.length - target.length,
        data: themes.map(themeView),
      };
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

    /** Outbox handler: tells staff about one new alert (in-app, email, webhook), once. */
    async handleAlert(m: OutboxMessage): Promise<HandlerResult> {
      const { alertId } = m.payload as { alertId: string };
      const a = await db
        .selectFrom('detectionAlerts')
        .selectAll()
        .where('tenantId', '=', m.tenantId)
        .where('id', '=', alertId)
        .executeTakeFirst();
      if (!a) return { outcome: 'done' };
      const v = storedView(a);
      const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
      const quotes = v.phrases.map((p) => `"${p.phrase}"`).join(', ');
      const e = v.evidence;
      let title: string;
      let body: string;
      if (v.kind === 'complaints') {
        title = `${v.sku}: new complaint "${e.phrase}" since ${v.since}`;
        body =
          `${v.category}: ${e.window.returned} of ${e.window.exposure} return notes since ${e.window.from} say "${e.phrase}" ` +
          `(${pct(v.change.before)} of its notes before, ${pct(e.reference.rate)} across the shop; confidence ${pct(v.confidence)}).`;
      } else {
        const what = v.kind === 'return_rate' ? 'return rate' : `"${v.kind.slice('reason:'.length)}" returns`;
        title = `${v.sku}: ${what} up ×${v.change.lift.toFixed(1)} since ${v.since}`;
        body =
          `${v.category}: ${pct(v.change.before)} → ${pct(v.change.now)} of units sold; ` +
          `${e.window.returned} returns from ${e.window.from} where ${e.expectedReturns.toFixed(1)} were expected ` +
          `(confidence ${pct(v.confidence)}).${quotes ? ` Customers say: ${quotes}.` : ''}`;
      }
      await deps.notifyStaff(m.tenantId, {
        eventKey: `analytics.alert:${a.id}`,
        event: 'analytics_alert',
        title,
        body,
        url: v.link!,
        linkLabel: 'See the evidence',
        subject: `Early warning — ${title}`,
        recipients: await deps.staffFor(m.tenantId),
        webhook: { type: 'analytics.alert', data: { alert: { ...v, link: `${deps.publicUrl()}${v.link}` } } },
      });
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

export type DetectionService = ReturnType<typeof createDetectionService>;
