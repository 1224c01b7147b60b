import {
  Alert,
  Anchor,
  Button,
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
import { StaffBar } from '../../../components/staff-bar.tsx';
import { isApiError } from '../../../lib/api.ts';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { loginPath, safeNext } from '../../../lib/safe-next.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { type Me, useLogin, useMe, useStaffStream } from '../api/console-api.ts';
import { CasePage } from './case-page.tsx';
import { label } from './format.ts';
import { ForgotPasswordPage, ResetPasswordPage } from './password-reset-pages.tsx';
import './console.css';
import { QueuePage } from './queue-page.tsx';
import { WarehousePage } from './warehouse-page.tsx';

/** `/console/*`: sign-in, the queues and one case; everything but the sign-in needs a session. */
export function ConsoleApp() {
  const { t } = useI18n();
  const me = useMe();
  const { pathname, search } = useLocation();
  const [params] = useSearchParams();
  if (me.isPending) return <Loader aria-label={t('console.loading')} m="xl" />;
  if (me.isError) return <ErrorPanel error={me.error} onRetry={() => void me.refetch()} />;
  const user = me.data;
  return (
    // In the site's language (the header's switch): the document's lang is set by the provider.
    <div data-testid="console">
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
  const { t } = useI18n();
  const { pathname } = useLocation();
  useStaffStream(true);
  return (
    <Stack gap="md">
      <StaffBar
        tenant={me.tenant}
        user={{ ...me.user, roleLabel: label(t, 'role', me.user.role, (r) => r) }}
        purchasingAgent={me.tenant.kind === 'purchasing_agent'}
        userTestId="console-user"
      />
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
  const { t } = useI18n();
  useDocumentTitle(t('console.login.title'), 'Returnflow');
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
      ? t('console.login.tooMany')
      : isApiError(error) && (error.status === 401 || error.status === 400 || error.status === 422)
        ? t('console.login.mismatch')
        : t('console.login.failed');

  return (
    <Paper withBorder radius="md" p="xl" maw={420} mx="auto" mt="lg">
      <form onSubmit={submit} noValidate data-testid="login-form">
        <Stack gap="md">
          <Title order={1}>{t('console.login.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('console.login.lead')}
          </Text>
          {passwordReset && !message && (
            <Alert color="green" variant="light" role="status" data-testid="password-changed">
              {t('console.login.passwordChanged')}
            </Alert>
          )}
          {message && (
            <Alert color="red" variant="light" role="alert" data-testid="login-error">
              {message}
            </Alert>
          )}
          <TextInput
            label={t('console.login.email')}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label={t('console.login.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={login.isPending} disabled={!email || !password}>
            {t('console.login.submit')}
          </Button>
          <Anchor component={Link} to="/console/forgot-password" size="sm">
            {t('console.login.forgot')}
          </Anchor>
        </Stack>
      </form>
    </Paper>
  );
}
