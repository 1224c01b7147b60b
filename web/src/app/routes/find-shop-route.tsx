import { Anchor, Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { shopHandleFrom } from '../../features/portal/components/shop-handle.ts';
import { useI18n } from '../../lib/i18n/i18n-provider.tsx';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

/**
 * `/returns` without a shop: each shop's portal has its own address (`/s/SHOP/returns`), so an
 * order is only ever looked up among that shop's orders. This page says where to find it.
 */
export function FindShopRoute() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  useDocumentTitle(t('findShop.title'), t('app.shopName'));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const handle = shopHandleFrom(value);
    if (!handle) return setError(t('findShop.invalid'));
    navigate(`/s/${handle}/returns`);
  };

  return (
    <Paper
      withBorder
      radius="md"
      p={{ base: 'md', sm: 'xl' }}
      maw={640}
      mx="auto"
      mt="lg"
      data-testid="find-shop"
    >
      <Stack gap="md">
        <Title order={1}>{t('findShop.title')}</Title>
        <Text>{t('findShop.body')}</Text>
        <form onSubmit={submit} noValidate>
          <Stack gap="sm" align="flex-start">
            <TextInput
              w="100%"
              label={t('findShop.label')}
              description={t('findShop.hint', { example: `${window.location.origin}/s/your-shop/returns` })}
              value={value}
              onChange={(e) => {
                setValue(e.currentTarget.value);
                setError(null);
              }}
              error={error}
              autoComplete="off"
              spellCheck={false}
              name="shop"
            />
            <Button type="submit">{t('findShop.submit')}</Button>
          </Stack>
        </form>
        <Text size="sm">
          {t('findShop.trackLead')}{' '}
          <Anchor component={Link} to="/#track">
            {t('findShop.track')}
          </Anchor>
        </Text>
      </Stack>
    </Paper>
  );
}
