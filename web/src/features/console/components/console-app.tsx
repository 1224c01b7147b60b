import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, Navigate, Route, Routes, useLocation, useNavigate, useSearchParams } from 'react-router';
import { ErrorBoundary, ErrorPanel } from '../../../components/error-boundary.tsx';
import { isApiError } from '../../../lib/api.ts';
import { loginPath, safeNext } from '../../../lib/safe-next.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { type Me, useLogin, useLogout, useMe, useStaffStream } from '../api/console-api.ts';
import { CasePage } from './case-page.tsx';
import { ForgotPasswordPage, ResetPasswordPage } from './password-reset-pages.tsx';
import './console.css';
import { QueuePage } from './queue-page.tsx';
import { WAREHOUSE_ROLES, WarehousePage } from './warehouse-page.tsx';

/** `/console/*`: sign-in, the queues and one case; everything but the sign-in needs a session. */
export function ConsoleApp() {
  const me = useMe();
  const { pathname, search } = useLocation();
  const [params] = useSearchParams();
  if (me.isPending) return <Loader aria-label="Loading" m="xl" />;
  if (me.isError) return <ErrorPanel error={me.error} onRetry={() => void me.refetch()} />;
  const user = me.data;
  return (
    // Staff pages are English-only, whatever the customer-facing language switch says.
    <div lang="en" data-testid="console">
      <Routes>
        <Route
          path="login"
          element={user ? <Navigate to={safeNext(params.get('next'))} replace /> : <LoginPage />}
        />
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route
          path="*"
          element={
            user ? <SignedIn me={user} /> : <Navigate to={loginPath(`${pathname}${search}`)} replace />
          }
        />
      </Routes>
    </div>
  );
}

function SignedIn({ me }: { me: Me }) {
  const logout = useLogout();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  useStaffStream(true);
  return (
    <Stack gap="md">
      <Paper component="section" aria-label="Agent console" withBorder px="md" py="xs" radius="md">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="md" wrap="wrap">
            <Text fw={700}>Agent console · {me.tenant.name}</Text>
            {WAREHOUSE_ROLES.includes(me.user.role) && (
              <Group component="nav" aria-label="Console" gap="sm">
                <Anchor
                  component={Link}
                  to="/console"
                  size="sm"
                  aria-current={pathname === '/console' ? 'page' : undefined}
                >
                  Queues
                </Anchor>
                <Anchor
                  component={Link}
                  to="/console/warehouse"
                  size="sm"
                  aria-current={pathname.startsWith('/console/warehouse') ? 'page' : undefined}
                  data-testid="nav-warehouse"
                >
                  Warehouse
                </Anchor>
              </Group>
            )}
          </Group>
          <Group gap="sm">
            <Text size="sm" data-testid="console-user">
              {me.user.name} ({me.user.role})
            </Text>
            <Button
              size="xs"
              variant="default"
              loading={logout.isPending}
              onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/console/login') })}
            >
              Sign out
            </Button>
          </Group>
        </Group>
      </Paper>
      <ErrorBoundary resetKey={pathname}>
        <Routes>
          <Route index element={<QueuePage />} />
          <Route path="returns/:id" element={<CasePage me={me} />} />
          <Route path="warehouse" element={<WarehousePage me={me} />} />
          <Route path="*" element={<Navigate to="/console" replace />} />
        </Routes>
      </ErrorBoundary>
    </Stack>
  );
}

function LoginPage() {
  useDocumentTitle('Staff sign-in', 'Returnflow');
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const passwordReset = (location.state as { passwordReset?: boolean } | null)?.passwordReset === true;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate(
      { email: email.trim(), password },
      // Back to the page that asked for the sign-in: a path on this site only (no open redirect).
      { onSuccess: () => navigate(safeNext(params.get('next')), { replace: true }) },
    );
  };

  const error = login.error;
  const message = !error
    ? null
    : isApiError(error) && error.status === 429
      ? 'Too many attempts. Wait 15 minutes, then try again.'
      : isApiError(error) && (error.status === 401 || error.status === 400 || error.status === 422)
        ? 'That email and password do not match an account.'
        : 'Signing in did not work. Check your connection and try again.';

  return (
    <Paper withBorder radius="md" p="xl" maw={420} mx="auto" mt="lg">
      <form onSubmit={submit} noValidate data-testid="login-form">
        <Stack gap="md">
          <Title order={1}>Staff sign-in</Title>
          <Text c="dimmed" size="sm">
            Sign in to work on returns.
          </Text>
          {passwordReset && !message && (
            <Alert color="green" variant="light" role="status" data-testid="password-changed">
              Your password is changed. Sign in with the new one.
            </Alert>
          )}
          {message && (
            <Alert color="red" variant="light" role="alert" data-testid="login-error">
              {message}
            </Alert>
          )}
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={login.isPending} disabled={!email || !password}>
            Sign in
          </Button>
          <Anchor component={Link} to="/console/forgot-password" size="sm">
            Forgot password?
          </Anchor>
        </Stack>
      </form>
    </Paper>
  );
}
