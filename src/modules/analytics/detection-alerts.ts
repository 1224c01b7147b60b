import { pageById } from '../../platform/cursor.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { AlertView } from './alert-view.ts';
import { checkAsOf, type DetectionDeps } from './detection-context.ts';
import { corpusOf, REFERENCE_NOTES, referenceWithout, THEME_DAYS } from './detection-findings.ts';
import { addDays, loadNotes } from './detection-queries.ts';
import { storedView, themeView } from './detection-views.ts';
import { countPhrases, extractThemes } from './themes.ts';

/** The stored alerts, a page or one at a time, and the complaint themes of a SKU or category. */
export function createDetectionAlerts(deps: DetectionDeps) {
  const { db, dialect, clock } = deps;

  return {
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
  };
}
