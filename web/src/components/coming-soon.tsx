import { Badge, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { MessageKey } from '../lib/i18n/en.ts';
import { useI18n } from '../lib/i18n/i18n-provider.tsx';
import { useDocumentTitle } from '../lib/use-document-title.ts';

/** A placeholder page for a route a later slice fills in. */
export function ComingSoon({ title, body }: { title: MessageKey; body: MessageKey }) {
  const { t } = useI18n();
  useDocumentTitle(t(title), t('app.shopName'));
  return (
    <Paper withBorder radius="md" p="xl" maw={640} mx="auto" mt="lg">
      <Stack gap="md" align="flex-start">
        <Badge color="brand" variant="filled" size="lg">
          {t('soon.badge')}
        </Badge>
        <Title order={1}>{t(title)}</Title>
        <Text>{t(body)}</Text>
        <Button component={Link} to="/" variant="default">
          {t('soon.back')}
        </Button>
      </Stack>
    </Paper>
  );
}
