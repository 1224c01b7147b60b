import { Stack } from '@mantine/core';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import { ErrorBoundary } from '../../../components/error-boundary.tsx';
import { AlertPage } from './alert-page.tsx';
import { AlertsPage } from './alerts-page.tsx';
import './analytics.css';
import { OverviewPage } from './overview-page.tsx';
import { TenantIdContext } from './parts.tsx';
import { RiskPage } from './risk-page.tsx';
import { ThemesPage } from './themes-page.tsx';

/**
 * `/admin/analytics/*`, for admins and supervisors: the overview, the early-warning alerts
 * (`alerts/:id` is the link in alert notifications), complaint themes and the risk model.
 * Running detection and retraining are for admins, as in the API.
 */
export function AnalyticsApp({ role, tenantId }: { role: string; tenantId: string }) {
  const { pathname } = useLocation();
  const isAdmin = role === 'admin';
  return (
    <TenantIdContext value={tenantId}>
      <Stack gap="md" data-testid="analytics">
        <nav aria-label="Analytics sections" className="admin-nav analytics-nav">
          <NavLink to="/admin/analytics" end>
            Overview
          </NavLink>
          <NavLink to="/admin/analytics/alerts">Alerts</NavLink>
          <NavLink to="/admin/analytics/themes">Complaint themes</NavLink>
          <NavLink to="/admin/analytics/risk">Return risk</NavLink>
        </nav>
        <ErrorBoundary resetKey={pathname}>
          <Routes>
            <Route index element={<OverviewPage />} />
            <Route path="alerts" element={<AlertsPage isAdmin={isAdmin} />} />
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
