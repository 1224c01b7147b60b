import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../../lib/api.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { useConfirmPasswordReset, useRequestPasswordReset } from '../api/console-api.ts';
import { MIN_PASSWORD_LENGTH, passwordStrength, STRENGTH_TEXT } from './password-strength.ts';

// The server answers the same whatever the address: so does the page, word for word.
const NEUTRAL =
  'If the address belongs to an account, a reset link is on its way. It works once, for one hour.';

/** `/console/forgot-password`: asks for a reset link by email. */
export function ForgotPasswordPage() {
  useDocumentTitle('Forgot password', 'Returnflow');
  const request = useRequestPasswordReset();
  const [email, setEmail] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    request.mutate(email.trim());
  };

  const error = request.error;
  const fieldError =
    isApiError(error) && error.status === 400 ? 'Enter an email address, like name@shop.example.' : null;
  const alert = !error
    ? null
    : isApiError(error) && error.status === 429
      ? 'Too many requests. Wait a few minutes, then try again.'
      : fieldError
        ? null
        : 'The request did not go through. Check your connection and try again.';

  return (
    <Paper withBorder radius="md" p="xl" maw={420} mx="auto" mt="lg" data-testid="forgot-page">
      <Stack gap="md">
        <Title order={1}>Forgot password</Title>
        {request.isSuccess ? (
          <>
            <Alert color="green" variant="light" role="status" data-testid="forgot-sent">
              {NEUTRAL}
            </Alert>
            <Text size="sm">Nothing after a few minutes? Check the spam folder, or ask your admin.</Text>
            <Anchor component={Link} to="/console/login">
              Back to sign-in
            </Anchor>
          </>
        ) : (
          <form onSubmit={submit} noValidate data-testid="forgot-form">
            <Stack gap="md">
              <Text size="sm" c="dimmed">
                Enter the email you sign in with; we send a link to choose a new password.
              </Text>
              {alert && (
                <Alert color="red" variant="light" role="alert">
                  {alert}
                </Alert>
              )}
              <TextInput
                label="Email"
                type="email"
                autoComplete="username"
                required
                value={email}
                error={fieldError}
                onChange={(e) => setEmail(e.currentTarget.value)}
              />
              <Button type="submit" loading={request.isPending} disabled={!email.trim()}>
                Send reset link
              </Button>
              <Anchor component={Link} to="/console/login" size="sm">
                Back to sign-in
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
  useDocumentTitle('Choose a new password', 'Returnflow');
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
      ? 'The two passwords differ.'
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
        ? 'Too many attempts. Wait a few minutes, then try again.'
        : isApiError(error)
          ? error.message
          : 'Saving did not work. Check your connection and try again.'
      : null;

  if (token.length < 10) {
    return (
      <Paper withBorder radius="md" p="xl" maw={420} mx="auto" mt="lg" data-testid="reset-page">
        <Stack gap="md">
          <Title order={1}>Choose a new password</Title>
          <Alert color="yellow" variant="light" role="alert">
            This link is incomplete. Open the whole link from the email, or ask for a new one.
          </Alert>
          <Anchor component={Link} to="/console/forgot-password">
            Ask for a new link
          </Anchor>
        </Stack>
      </Paper>
    );
  }

  return (
    <Paper withBorder radius="md" p="xl" maw={420} mx="auto" mt="lg" data-testid="reset-page">
      <form onSubmit={submit} noValidate data-testid="reset-form">
        <Stack gap="md">
          <Title order={1}>Choose a new password</Title>
          <Text size="sm" c="dimmed">
            Every device signed in with the old password is signed out.
          </Text>
          {linkDead && (
            <Alert color="red" variant="light" role="alert" data-testid="reset-error">
              {isApiError(error) && error.code === 'invalid_reset_token'
                ? error.message
                : 'This reset link is not valid any more; ask for a new one.'}{' '}
              <Anchor component={Link} to="/console/forgot-password">
                Ask for a new link
              </Anchor>
            </Alert>
          )}
          {otherError && (
            <Alert color="red" variant="light" role="alert" data-testid="reset-error">
              {otherError}
            </Alert>
          )}
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            required
            value={password}
            error={passwordError}
            description={
              <span aria-live="polite" data-testid="password-strength" data-strength={strength}>
                {STRENGTH_TEXT[strength]}
              </span>
            }
            onChange={(e) => setPassword(e.currentTarget.value)}
            minLength={MIN_PASSWORD_LENGTH}
          />
          <PasswordInput
            label="Repeat the new password"
            autoComplete="new-password"
            required
            value={repeat}
            error={mismatch}
            onChange={(e) => setRepeat(e.currentTarget.value)}
            onBlur={() => setTouched(true)}
          />
          <Button type="submit" loading={confirm.isPending} disabled={!ready}>
            Save the new password
          </Button>
          <Anchor component={Link} to="/console/login" size="sm">
            Back to sign-in
          </Anchor>
        </Stack>
      </form>
    </Paper>
  );
}
