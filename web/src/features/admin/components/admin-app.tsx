import { Alert, Anchor, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import { ErrorBoundary, ErrorPanel } from '../../../components/error-boundary.tsx';
import { loginPath } from '../../../lib/safe-next.ts';
import { type AdminMe, useAdminMe } from '../api/admin-api.ts';
import './admin.css';
import { ApiKeysPage } from './api-keys-page.tsx';
import { PolicyPage } from './policy-page.tsx';
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
  return (
    <Stack gap="md" maw={640}>
      <h1 className="admin-h1">Administration</h1>
      <Alert color="yellow" variant="light" title="Admins only" data-testid="admins-only">
        <Text size="sm">
          These settings are for admins. You are signed in as {user.user.name} ({user.user.role}). Ask an
          admin of {user.tenant.name} if something here needs changing.
        </Text>
        <Anchor href="/console" size="sm">
          Go to the agent console
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
  const me = useAdminMe();
  const { pathname, search } = useLocation();
  if (me.isPending) return <Loader aria-label="Loading" m="xl" />;
  if (me.isError) return <ErrorPanel error={me.error} onRetry={() => void me.refetch()} />;
  const user = me.data;
  if (!user) return <Navigate to={loginPath(`${pathname}${search}`)} replace />;
  const isAdmin = user.user.role === 'admin';
  const open = sections.filter((s) => s.roles.includes(user.user.role));
  const adminOnly = (page: ReactNode) => (isAdmin ? page : <AdminsOnly user={user} />);
  const home = isAdmin || !open[0] ? <PolicyPage /> : <Navigate to={`/admin/${open[0].path}`} replace />;
  return (
    // Staff pages are English-only, whatever the customer-facing language switch says.
    <div lang="en" data-testid="admin">
      {!isAdmin && open.length === 0 ? (
        <AdminsOnly user={user} />
      ) : (
        <Stack gap="md">
          <Paper component="section" aria-label="Administration" withBorder px="md" py="xs" radius="md">
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Text fw={700}>Administration · {user.tenant.name}</Text>
              <Text size="sm" data-testid="admin-user">
                {user.user.name} ({user.user.role})
              </Text>
            </Group>
            <nav aria-label="Admin sections" className="admin-nav">
              {isAdmin && (
                <>
                  <NavLink
                    to="/admin/policy"
                    className={({ isActive }) => (isActive || pathname === '/admin' ? 'active' : '')}
                  >
                    Policy
                  </NavLink>
                  <NavLink to="/admin/templates">Notification templates</NavLink>
                  <NavLink to="/admin/webhooks">Webhooks</NavLink>
                  <NavLink to="/admin/users">Users</NavLink>
                  <NavLink to="/admin/api-keys">API keys</NavLink>
                </>
              )}
              {open.map((s) => (
                <NavLink key={s.path} to={`/admin/${s.path}`}>
                  {s.label}
                </NavLink>
              ))}
            </nav>
          </Paper>
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
