import { Alert, Anchor, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import { ErrorBoundary, ErrorPanel } from '../../../components/error-boundary.tsx';
import { loginPath } from '../../../lib/safe-next.ts';
import { useAdminMe } from '../api/admin-api.ts';
import './admin.css';
import { ApiKeysPage } from './api-keys-page.tsx';
import { PolicyPage } from './policy-page.tsx';
import { TemplatesPage } from './templates-page.tsx';
import { UsersPage } from './users-page.tsx';
import { WebhooksPage } from './webhooks-page.tsx';

/** `/admin/*`: admins only. Signed out: the staff sign-in; another role: a plain refusal. */
export function AdminApp() {
  const me = useAdminMe();
  const { pathname, search } = useLocation();
  if (me.isPending) return <Loader aria-label="Loading" m="xl" />;
  if (me.isError) return <ErrorPanel error={me.error} onRetry={() => void me.refetch()} />;
  const user = me.data;
  if (!user) return <Navigate to={loginPath(`${pathname}${search}`)} replace />;
  return (
    // Staff pages are English-only, whatever the customer-facing language switch says.
    <div lang="en" data-testid="admin">
      {user.user.role !== 'admin' ? (
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
            </nav>
          </Paper>
          <ErrorBoundary resetKey={pathname}>
            <Routes>
              <Route index element={<PolicyPage />} />
              <Route path="policy" element={<PolicyPage />} />
              <Route path="templates" element={<TemplatesPage />} />
              <Route path="webhooks" element={<WebhooksPage />} />
              <Route path="api-keys" element={<ApiKeysPage />} />
              <Route path="users" element={<UsersPage selfId={user.user.id} />} />
              <Route path="*" element={<Navigate to="/admin" replace />} />
            </Routes>
          </ErrorBoundary>
        </Stack>
      )}
    </div>
  );
}
