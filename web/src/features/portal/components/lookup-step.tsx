import { Alert, Button, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useRef, useState } from 'react';
import { isApiError } from '../../../lib/api.ts';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { useLookup } from '../api/portal-api.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Step 1: order number and email. A miss never says which of the two was wrong. */
export function LookupStep({ shop, onFound }: { shop: string; onFound: () => void }) {
  const { t } = useI18n();
  const lookup = useLookup();
  const [orderNumber, setOrderNumber] = useState('');
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<{ orderNumber?: string; email?: string }>({});
  const numberRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    if (!orderNumber.trim()) next.orderNumber = t('portal.lookup.orderNumberRequired');
    if (!email.trim()) next.email = t('portal.lookup.emailRequired');
    else if (!EMAIL.test(email.trim())) next.email = t('portal.lookup.emailInvalid');
    setErrors(next);
    if (next.orderNumber) return numberRef.current?.focus();
    if (next.email) return emailRef.current?.focus();
    lookup.mutate({ shop, orderNumber: orderNumber.trim(), email: email.trim() }, { onSuccess: onFound });
  };

  const failure = lookup.error;
  const failureText = !failure
    ? null
    : isApiError(failure) && failure.status === 404
      ? t('portal.lookup.notFound')
      : isApiError(failure) && failure.status === 429
        ? t('portal.lookup.rateLimited')
        : isApiError(failure, 'network_error')
          ? t('error.network')
          : t('error.body');

  return (
    <form onSubmit={submit} noValidate data-testid="lookup-form">
      <Stack gap="md" maw={420}>
        <Text>{t('portal.lookup.intro')}</Text>
        <TextInput
          ref={numberRef}
          label={t('portal.lookup.orderNumber')}
          description={t('portal.lookup.orderNumberHint')}
          value={orderNumber}
          onChange={(e) => setOrderNumber(e.currentTarget.value)}
          error={errors.orderNumber}
          required
          autoComplete="off"
          spellCheck={false}
          name="orderNumber"
        />
        <TextInput
          ref={emailRef}
          type="email"
          label={t('portal.lookup.email')}
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={errors.email}
          required
          autoComplete="email"
          inputMode="email"
          spellCheck={false}
          name="email"
        />
        {failureText && (
          <Alert color="red" variant="light" role="alert" data-testid="lookup-error">
            {failureText}
          </Alert>
        )}
        <div>
          <Button type="submit" loading={lookup.isPending}>
            {t('portal.lookup.submit')}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
