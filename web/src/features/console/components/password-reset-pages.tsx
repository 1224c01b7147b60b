import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../../lib/api.ts';
import type { MessageKey } from '../../../lib/i18n/en.ts';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { useConfirmPasswordReset, useRequestPasswordReset } from '../api/console-api.ts';
import { MIN_PASSWORD_LENGTH, passwordStrength, type Strength } from './password-strength.ts';

const STRENGTH_KEY = {
  too_short: 'console.strength.too_short',
  weak: 'console.strength.weak',
  fair: 'console.strength.fair',
  strong: 'console.strength.strong',
} as const satisfies Record<Strength, MessageKey>;

/** `/console/forgot-password`: asks for a reset link by email. */
export function ForgotPasswordPage() {
  const { t } = useI18n();
  useDocumentTitle(t('console.forgot.title'), 'Returnflow');
  const request = useRequestPasswordReset();
  const [email, setEmail] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    request.mutate(email.trim());
  };

  const error = request.error;
  const fieldError = isApiError(error) && error.status === 400 ? t('console.forgot.invalidEmail') : null;
  const alert = !error
    ? null
    : isApiError(error) && error.status === 429
      ? t('console.forgot.tooMany')
      : fieldError
        ? null
        : t('console.forgot.failed');

  return (
    <Paper withBorder radius="md" p="xl" maw={420} mx="auto" mt="lg" data-testid="forgot-page">
      <Stack gap="md">
        <Title order={1}>{t('console.forgot.title')}</Title>
        {request.isSuccess ? (
          <>
            <Alert color="green" variant="light" role="status" data-testid="forgot-sent">
              {/* The server answers the same whatever the address: so does the page, word for word. */}
              {t('console.forgot.sent')}
            </Alert>
            <Text size="sm">{t('console.forgot.spam')}</Text>
            <Anchor component={Link} to="/console/login">
              {t('console.forgot.backToSignIn')}
            </Anchor>
          </>
        ) : (
          <form onSubmit={submit} noValidate data-testid="forgot-form">
            <Stack gap="md">
              <Text size="sm" c="dimmed">
                {t('console.forgot.lead')}
              </Text>
              {alert && (
                <Alert color="red" variant="light" role="alert">
                  {alert}
                </Alert>
              )}
              <TextInput
                label={t('console.login.email')}
                type="email"
                autoComplete="username"
                required
                value={email}
                error={fieldError}
                onChange={(e) => setEmail(e.currentTarget.value)}
              />
              <Button type="submit" loading={request.isPending} disabled={!email.trim()}>
                {t('console.forgot.submit')}
              </Button>
              <Anchor component={Link} to="/console/login" size="sm">
                {t('console.forgot.backToSignIn')}
              </Anchor>
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  );
}

/** `/console/reset-password?token=…`: the page the emailed link opens; sets a new password. */
export function ResetPasswordPage() {
  const { t } = useI18n();
  useDocumentTitle(t('console.reset.title'), 'Returnflow');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const confirm = useConfirmPasswordReset();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [touched, setTouched] = useState(false);

  const strength = passwordStrength(password);
  const mismatch =
    repeat !== '' && repeat !== password && (touched || repeat.length >= password.length)
      ? t('console.reset.mismatch')
      : null;
  const ready = strength !== 'too_short' && password === repeat;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!ready) return;
    confirm.mutate(
      { token, password },
      { onSuccess: () => navigate('/console/login', { replace: true, state: { passwordReset: true } }) },
    );
  };

  const error = confirm.error;
  const passwordError = isApiError(error, 'weak_password') ? error.message : null;
  const linkDead = isApiError(error, 'invalid_reset_token') || (isApiError(error) && error.status === 400);
  const otherError =
    error && !passwordError && !linkDead
      ? isApiError(error) && error.status === 429
        ? t('console.reset.tooMany')
        : isApiError(error)
          ? error.message
          : t('console.reset.failed')
      : null;

  if (token.length < 10) {
    return (
      <Paper withBorder radius="md" p="xl" maw={420} mx="auto" mt="lg" data-testid="reset-page">
        <Stack gap="md">
          <Title order={1}>{t('console.reset.title')}</Title>
          <Alert color="yellow" variant="light" role="alert">
            {t('console.reset.incomplete')}
          </Alert>
          <Anchor component={Link} to="/console/forgot-password">
            {t('console.reset.askNew')}
          </Anchor>
        </Stack>
      </Paper>
    );
  }

  return (
    <Paper withBorder radius="md" p="xl" maw={420} mx="auto" mt="lg" data-testid="reset-page">
      <form onSubmit={submit} noValidate data-testid="reset-form">
        <Stack gap="md">
          <Title order={1}>{t('console.reset.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('console.reset.lead')}
          </Text>
          {linkDead && (
            <Alert color="red" variant="light" role="alert" data-testid="reset-error">
              {isApiError(error) && error.code === 'invalid_reset_token'
                ? error.message
                : t('console.reset.linkDead')}{' '}
              <Anchor component={Link} to="/console/forgot-password">
                {t('console.reset.askNew')}
              </Anchor>
            </Alert>
          )}
          {otherError && (
            <Alert color="red" variant="light" role="alert" data-testid="reset-error">
              {otherError}
            </Alert>
          )}
          <PasswordInput
            label={t('console.reset.newPassword')}
            autoComplete="new-password"
            required
            value={password}
            error={passwordError}
            description={
              <span aria-live="polite" data-testid="password-strength" data-strength={strength}>
                {t(STRENGTH_KEY[strength], { min: MIN_PASSWORD_LENGTH })}
              </span>
            }
            onChange={(e) => setPassword(e.currentTarget.value)}
            minLength={MIN_PASSWORD_LENGTH}
          />
          <PasswordInput
            label={t('console.reset.repeat')}
            autoComplete="new-password"
            required
            value={repeat}
            error={mismatch}
            onChange={(e) => setRepeat(e.currentTarget.value)}
            onBlur={() => setTouched(true)}
          />
          <Button type="submit" loading={confirm.isPending} disabled={!ready}>
            {t('console.reset.submit')}
          </Button>
          <Anchor component={Link} to="/console/login" size="sm">
            {t('console.forgot.backToSignIn')}
          </Anchor>
        </Stack>
      </form>
    </Paper>
  );
}
