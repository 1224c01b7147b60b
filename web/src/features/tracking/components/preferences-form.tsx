import { Alert, Button, Fieldset, NativeSelect, Stack, Switch, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { isApiError } from '../../../lib/api.ts';
import { isLocale, LANGUAGE_NAMES, LOCALES, type Locale, useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { type Preferences, usePreferences, useSavePreferences } from '../api/tracking-api.ts';

const E164 = /^\+[1-9]\d{6,14}$/;

type Draft = { email: boolean; sms: boolean; inApp: boolean; phone: string; locale: Locale };

function draftOf(p: Preferences, fallback: Locale): Draft {
  return {
    // The server's defaults: email and in-app on unless turned off, SMS only after an opt-in.
    email: p.channels.email?.enabled ?? true,
    sms: p.channels.sms?.enabled ?? false,
    inApp: p.channels.in_app?.enabled ?? true,
    phone: p.phone ?? '',
    locale: isLocale(p.locale) ? p.locale : fallback,
  };
}

/** Which channels the customer hears from us on, the phone number for SMS, and the language. */
export function PreferencesForm({ token }: { token: string }) {
  const { t, locale } = useI18n();
  const prefs = usePreferences(token, true);
  const save = useSavePreferences(token);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [phoneError, setPhoneError] = useState<string | null>(null);

  useEffect(() => {
    if (prefs.data && draft === null) setDraft(draftOf(prefs.data, locale));
  }, [prefs.data, draft, locale]);

  if (prefs.isError) return <ErrorPanel error={prefs.error} onRetry={() => void prefs.refetch()} compact />;
  if (!draft) return null;

  const update = (patch: Partial<Draft>) => {
    save.reset();
    setDraft({ ...draft, ...patch });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const phone = draft.phone.replace(/[\s().-]/g, '');
    if (phone && !E164.test(phone)) {
      setPhoneError(t('prefs.phoneInvalid'));
      return;
    }
    if (draft.sms && !phone) {
      setPhoneError(t('prefs.smsNeedsPhone'));
      return;
    }
    setPhoneError(null);
    save.mutate(
      {
        locale: draft.locale,
        phone: phone || null,
        channels: {
          email: { enabled: draft.email },
          sms: { enabled: draft.sms },
          in_app: { enabled: draft.inApp },
        },
      },
      {
        onError: (err) => {
          if (isApiError(err, 'invalid_phone')) setPhoneError(t('prefs.phoneInvalid'));
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate data-testid="preferences-form">
      <Stack gap="md">
        <Fieldset legend={t('prefs.channels')} variant="unstyled">
          <Stack gap="sm" mt="xs">
            <Switch
              label={t('prefs.email')}
              checked={draft.email}
              onChange={(e) => update({ email: e.currentTarget.checked })}
            />
            <Switch
              label={t('prefs.sms')}
              checked={draft.sms}
              onChange={(e) => update({ sms: e.currentTarget.checked })}
            />
            <Switch
              label={t('prefs.inApp')}
              checked={draft.inApp}
              onChange={(e) => update({ inApp: e.currentTarget.checked })}
            />
          </Stack>
        </Fieldset>
        <TextInput
          label={t('prefs.phone')}
          description={t('prefs.phoneHint')}
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          value={draft.phone}
          error={phoneError}
          onChange={(e) => {
            setPhoneError(null);
            update({ phone: e.currentTarget.value });
          }}
          maw={320}
        />
        <NativeSelect
          label={t('prefs.language')}
          value={draft.locale}
          data={LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
          onChange={(e) => {
            const next = e.currentTarget.value;
            if (isLocale(next)) update({ locale: next });
          }}
          maw={320}
        />
        {save.isError && !isApiError(save.error, 'invalid_phone') && (
          <ErrorPanel error={save.error} compact />
        )}
        {save.isSuccess && (
          <Alert color="green" variant="light" role="status">
            {t('prefs.saved')}
          </Alert>
        )}
        <div>
          <Button type="submit" loading={save.isPending}>
            {t('prefs.save')}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
