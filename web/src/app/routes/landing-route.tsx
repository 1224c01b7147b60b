import { Button, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { Link, useLocation } from 'react-router';
import { TrackForm } from '../../features/tracking/components/track-form.tsx';
import { useI18n } from '../../lib/i18n/i18n-provider.tsx';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

/** `/`: the three ways in — return something, track a return, staff sign-in. */
export function LandingRoute() {
  const { t } = useI18n();
  useDocumentTitle('', t('app.shopName'));
  const { hash } = useLocation();

  // The footer's "Track a return" is `/#track`: land on the form, ready to paste into.
  useEffect(() => {
    if (hash !== '#track') return;
    const section = document.getElementById('track');
    section?.scrollIntoView({ block: 'start' });
    section?.closest('section')?.querySelector('input')?.focus();
  }, [hash]);
  return (
    <Stack gap="xl">
      <Stack gap="xs" maw={720}>
        <Title order={1}>{t('landing.title')}</Title>
        <Text size="lg">{t('landing.lead')}</Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
        <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="landing-return">
          <Stack gap="sm" align="flex-start" h="100%">
            <Title order={2} size="h3" id="landing-return">
              {t('landing.return.title')}
            </Title>
            <Text>{t('landing.return.body')}</Text>
            <Button component={Link} to="/returns" mt="auto">
              {t('landing.return.cta')}
            </Button>
          </Stack>
        </Card>
        <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="track">
          <Stack gap="sm">
            <Title order={2} size="h3" id="track">
              {t('landing.track.title')}
            </Title>
            <Text>{t('landing.track.body')}</Text>
            <TrackForm />
          </Stack>
        </Card>
      </SimpleGrid>
      <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="landing-staff" maw={720}>
        <Stack gap="sm" align="flex-start">
          <Title order={2} size="h3" id="landing-staff">
            {t('landing.staff.title')}
          </Title>
          <Text>{t('landing.staff.body')}</Text>
          <Button component={Link} to="/console" variant="default">
            {t('landing.staff.cta')}
          </Button>
        </Stack>
      </Card>
    </Stack>
  );
}
