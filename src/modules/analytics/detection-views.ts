import type { Selectable } from 'kysely';
import { parseJson } from '../../platform/db/schema.ts';
import type { AlertView } from './alert-view.ts';
import type { DetectionAlertsTable } from './detection-tables.ts';
import type { Finding } from './early-warning.ts';
import type { Theme } from './themes.ts';

/** How a theme, a computed finding and a stored alert are answered. */

export const themeView = (t: Theme) => ({
  phrase: t.phrase,
  count: t.count,
  baselineCount: t.baselineCount,
  share: t.share,
  lift: t.lift,
  g2: t.g2,
  pValue: t.pValue,
  variants: t.variants,
});

export function computedView(f: Finding, asOf: string, phrases: AlertView['phrases']): AlertView {
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

export function storedView(r: Selectable<DetectionAlertsTable>): AlertView {
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
