import '../../lib/i18n/staff-catalogues.ts';
import { Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { AdminApp, type AdminSection } from '../../features/admin/components/admin-app.tsx';
import { useI18n } from '../../lib/i18n/i18n-provider.tsx';

// The charts library is the largest part of the analytics pages: loaded when they are opened.
const AnalyticsApp = lazy(() =>
  import('../../features/analytics/components/analytics-app.tsx').then((m) => ({ default: m.AnalyticsApp })),
);

function LoadingAnalytics() {
  const { t } = useI18n();
  return <Loader aria-label={t('analytics.loading', { what: t('admin.section.analytics') })} />;
}

const SECTIONS: AdminSection[] = [
  {
    path: 'analytics',
    label: 'Analytics',
    roles: ['admin', 'supervisor'],
    render: (user) => (
      <Suspense fallback={<LoadingAnalytics />}>
        <AnalyticsApp role={user.role} tenantId={user.tenantId} />
      </Suspense>
    ),
  },
];

/**
 * `/admin/*`: administration (admins only): policy, templates, webhooks, users, API keys; and
 * analytics (admins and supervisors), in the site's language.
 */
export function AdminRoute() {
  return <AdminApp sections={SECTIONS} />;
}
