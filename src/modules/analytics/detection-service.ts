import { createDetectionAlerts } from './detection-alerts.ts';
import type { DetectionDeps } from './detection-context.ts';
import { createFindings } from './detection-findings.ts';
import { createAlertNotifier } from './detection-notify.ts';
import { createDetectionRuns } from './detection-runs.ts';

export { checkAsOf, type StaffNotifier } from './detection-context.ts';
export { ANALYTICS_ALERT, ANALYTICS_DETECT, ANALYTICS_SCHEDULE, ANALYTICS_TRAIN } from './detection-runs.ts';

/**
 * Early warning as a service: computes alerts as of any day from the core tables, keeps the
 * current ones (one open per SKU × kind), tells staff once per SKU issue, answers complaint
 * themes, and runs on a daily schedule through the outbox.
 */
export function createDetectionService(deps: DetectionDeps) {
  const { compute } = createFindings(deps);
  return {
    ...createDetectionRuns(deps, compute),
    ...createDetectionAlerts(deps),
    ...createAlertNotifier(deps),
  };
}

export type DetectionService = ReturnType<typeof createDetectionService>;
