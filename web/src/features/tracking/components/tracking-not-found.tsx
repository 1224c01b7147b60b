import { Paper, Stack, Text, Title } from '@mantine/core';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { TrackForm } from './track-form.tsx';

/** An unknown or mistyped token: say so kindly and offer to try another link right here. */
export function TrackingNotFound() {
  const { t } = useI18n();
  useDocumentTitle(t('track.notFound.title'), t('app.shopName'));
  return (
    <Paper withBorder radius="md" p="xl" maw={640} mx="auto" mt="lg" data-testid="tracking-not-found">
      <Stack gap="md">
        <Title order={1}>{t('track.notFound.title')}</Title>
        <Text>{t('track.notFound.body')}</Text>
        <Title order={2} size="h4">
          {t('track.notFound.cta')}
        </Title>
        <TrackForm />
      </Stack>
    </Paper>
  );
}
