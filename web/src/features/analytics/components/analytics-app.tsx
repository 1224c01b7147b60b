import { Stack } from '@mantine/core';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import { ErrorBoundary } from '../../../components/error-boundary.tsx';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { AlertPage, AsOfAlertPage } from './alert-page.tsx';
import { AlertsPage } from './alerts-page.tsx';
import './analytics.css';
import { OverviewPage } from './overview-page.tsx';
import { TenantIdContext } from './parts.tsx';
import { RiskPage } from './risk-page.tsx';
import { ThemesPage } from './themes-page.tsx';

/**
 * `/admin/analytics/*`, for admins and supervisors: the overview, the early-warning alerts
 * (`alerts/:id` is the link in alert notifications; `alerts/as-of/:asOf` one as it stood on a
 * past day), complaint themes and the risk model.
 * Running detection and retraining are for admins, as in the API.
 */
export function AnalyticsApp({ role, tenantId }: { role: string; tenantId: string }) {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const isAdmin = role === 'admin';
  return (
    <TenantIdContext value={tenantId}>
      <Stack gap="md" data-testid="analytics">
        <nav aria-label={t('analytics.nav.label')} className="admin-nav analytics-nav">
          <NavLink to="/admin/analytics" end>
            {t('analytics.nav.overview')}
          </NavLink>
          <NavLink to="/admin/analytics/alerts">{t('analytics.nav.alerts')}</NavLink>
          <NavLink to="/admin/analytics/themes">{t('analytics.nav.themes')}</NavLink>
          <NavLink to="/admin/analytics/risk">{t('analytics.nav.risk')}</NavLink>
        </nav>
        <ErrorBoundary resetKey={pathname}>
          <Routes>
            <Route index element={<OverviewPage />} />
            <Route path="alerts" element={<AlertsPage isAdmin={isAdmin} />} />
            <Route path="alerts/as-of/:asOf" element={<AsOfAlertPage />} />
            <Route path="alerts/:id" element={<AlertPage />} />
            <Route path="themes" element={<ThemesPage />} />
            <Route path="risk" element={<RiskPage isAdmin={isAdmin} />} />
            <Route path="*" element={<Navigate to="/admin/analytics" replace />} />
          </Routes>
        </ErrorBoundary>
      </Stack>
    </TenantIdContext>
  );
}
