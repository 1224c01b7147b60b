import { Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { AdminApp, type AdminSection } from '../../features/admin/components/admin-app.tsx';

// The charts library is the largest part of the analytics pages: loaded when they are opened.
const AnalyticsApp = lazy(() =>
  import('../../features/analytics/components/analytics-app.tsx').then((m) => ({ default: m.AnalyticsApp })),
);

const SECTIONS: AdminSection[] = [
  {
    path: 'analytics',
    label: 'Analytics',
    roles: ['admin', 'supervisor'],
    render: (user) => (
      <Suspense fallback={<Loader aria-label="Loading analytics" />}>
        <AnalyticsApp role={user.role} tenantId={user.tenantId} />
      </Suspense>
    ),
  },
];

/**
 * `/admin/*`: administration (admins only): policy, templates, webhooks, users, API keys; and
 * analytics (admins and supervisors). English-only.
 */
export function AdminRoute() {
  return <AdminApp sections={SECTIONS} />;
}
