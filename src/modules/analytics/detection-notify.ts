import type { HandlerResult, OutboxMessage } from '../../platform/outbox.ts';
import type { DetectionDeps } from './detection-context.ts';
import { storedView } from './detection-views.ts';

/** Telling staff about a new alert: the outbox handler behind ANALYTICS_ALERT. */
export function createAlertNotifier(deps: DetectionDeps) {
  const { db } = deps;

  return {
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
  };
}
