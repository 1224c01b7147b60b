import { Alert, Anchor, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import { ErrorBoundary, ErrorPanel } from '../../../components/error-boundary.tsx';
import { StaffBar } from '../../../components/staff-bar.tsx';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { loginPath } from '../../../lib/safe-next.ts';
import { type AdminMe, useAdminMe } from '../api/admin-api.ts';
import './admin.css';
import { ApiKeysPage } from './api-keys-page.tsx';
import { PolicyPage } from './policy-page.tsx';
import { roleLabel } from './role-label.ts';
import { TemplatesPage } from './templates-page.tsx';
import { UsersPage } from './users-page.tsx';
import { WebhooksPage } from './webhooks-page.tsx';

/**
 * A section that another feature brings to `/admin` (the app composes them, so features do not
 * import each other): its path under /admin, its nav label, who may open it, and its pages.
 */
export type AdminSection = {
  path: string;
  label: string;
  roles: readonly string[];
  render: (user: AdminMe['user']) => ReactNode;
};

function AdminsOnly({ user }: { user: AdminMe }) {
  const { t } = useI18n();
  return (
    <Stack gap="md" maw={640}>
      <h1 className="admin-h1">{t('admin.title')}</h1>
      <Alert color="yellow" variant="light" title={t('admin.adminsOnly.title')} data-testid="admins-only">
        <Text size="sm">
          {t('admin.adminsOnly.body', {
            name: user.user.name,
            role: roleLabel(t, user.user.role),
            tenant: user.tenant.name,
          })}
        </Text>
        <Anchor href="/console" size="sm">
          {t('admin.adminsOnly.console')}
        </Anchor>
      </Alert>
    </Stack>
  );
}

/**
 * `/admin/*`: the settings are for admins; a section may also let other roles in (analytics:
 * supervisors). Signed out: the staff sign-in; a role with nothing here: a plain refusal.
 */
export function AdminApp({ sections = [] }: { sections?: AdminSection[] }) {
  const { t } = useI18n();
  const me = useAdminMe();
  const { pathname, search } = useLocation();
  if (me.isPending) return <Loader aria-label={t('admin.loading')} m="xl" />;
  if (me.isError) return <ErrorPanel error={me.error} onRetry={() => void me.refetch()} />;
  const user = me.data;
  if (!user) return <Navigate to={loginPath(`${pathname}${search}`)} replace />;
  const isAdmin = user.user.role === 'admin';
  const open = sections.filter((s) => s.roles.includes(user.user.role));
  const adminOnly = (page: ReactNode) => (isAdmin ? page : <AdminsOnly user={user} />);
  const home = isAdmin || !open[0] ? <PolicyPage /> : <Navigate to={`/admin/${open[0].path}`} replace />;
  return (
    // In the site's language (the header's switch): the document's lang is set by the provider.
    <div data-testid="admin">
      {!isAdmin && open.length === 0 ? (
        <AdminsOnly user={user} />
      ) : (
        <Stack gap="md">
          <StaffBar
            tenant={user.tenant}
            user={{ ...user.user, roleLabel: roleLabel(t, user.user.role) }}
            purchasingAgent={user.tenant.kind === 'purchasing_agent'}
            userTestId="admin-user"
          >
            <Text size="sm" data-testid="portal-address">
              {t('admin.shell.portal')}{' '}
              <Anchor href={`/s/${user.tenant.handle}/returns`}>
                {`${window.location.origin}/s/${user.tenant.handle}/returns`}
              </Anchor>
            </Text>
            {isAdmin && (
              <nav aria-label={t('admin.nav.label')} className="admin-nav">
                <NavLink
                  to="/admin/policy"
                  className={({ isActive }) => (isActive || pathname === '/admin' ? 'active' : '')}
                >
                  {t('admin.nav.policy')}
                </NavLink>
                <NavLink to="/admin/templates">{t('admin.nav.templates')}</NavLink>
                <NavLink to="/admin/webhooks">{t('admin.nav.webhooks')}</NavLink>
                <NavLink to="/admin/users">{t('admin.nav.users')}</NavLink>
                <NavLink to="/admin/api-keys">{t('admin.nav.apiKeys')}</NavLink>
              </nav>
            )}
          </StaffBar>
          <ErrorBoundary resetKey={pathname}>
            <Routes>
              <Route index element={home} />
              <Route path="policy" element={adminOnly(<PolicyPage />)} />
              <Route path="templates" element={adminOnly(<TemplatesPage />)} />
              <Route path="webhooks" element={adminOnly(<WebhooksPage />)} />
              <Route path="api-keys" element={adminOnly(<ApiKeysPage />)} />
              <Route path="users" element={adminOnly(<UsersPage selfId={user.user.id} />)} />
              {open.map((s) => (
                <Route key={s.path} path={`${s.path}/*`} element={s.render(user.user)} />
              ))}
              <Route path="*" element={<Navigate to="/admin" replace />} />
            </Routes>
          </ErrorBoundary>
        </Stack>
      )}
    </div>
  );
}
