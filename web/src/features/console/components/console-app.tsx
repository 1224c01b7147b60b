import {
  Alert,
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
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { ErrorBoundary, ErrorPanel } from '../../../components/error-boundary.tsx';
import { isApiError } from '../../../lib/api.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { type Me, useLogin, useLogout, useMe, useStaffStream } from '../api/console-api.ts';
import { CasePage } from './case-page.tsx';
import './console.css';
import { QueuePage } from './queue-page.tsx';

/** `/console/*`: sign-in, the queues and one case; everything but the sign-in needs a session. */
export function ConsoleApp() {
  const me = useMe();
  const { pathname } = useLocation();
  if (me.isPending) return <Loader aria-label="Loading" m="xl" />;
  if (me.isError) return <ErrorPanel error={me.error} onRetry={() => void me.refetch()} />;
  const user = me.data;
  return (
    // Staff pages are English-only, whatever the customer-facing language switch says.
    <div lang="en" data-testid="console">
      <Routes>
        <Route path="login" element={user ? <Navigate to="/console" replace /> : <LoginPage />} />
        <Route
          path="*"
          element={
            user ? (
              <SignedIn me={user} />
            ) : (
              <Navigate to="/console/login" replace state={{ from: pathname }} />
            )
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
          <Text fw={700}>Agent console · {me.tenant.name}</Text>
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
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const from = (location.state as { from?: string } | null)?.from;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate(
      { email: email.trim(), password },
      {
        onSuccess: () =>
          navigate(from?.startsWith('/console') && from !== '/console/login' ? from : '/console', {
            replace: true,
          }),
      },
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
        </Stack>
      </form>
    </Paper>
  );
}
