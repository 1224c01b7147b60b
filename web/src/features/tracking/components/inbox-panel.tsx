import { Badge, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { useInbox, useMarkInboxRead } from '../api/tracking-api.ts';

/** The customer's messages about this return, newest first, unread ones marked. */
export function InboxPanel({ token, headingId }: { token: string; headingId: string }) {
  const { t, dateTime } = useI18n();
  const inbox = useInbox(token, true);
  const markRead = useMarkInboxRead(token);
  const unread = inbox.data?.unreadCount ?? 0;

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="xs">
          <Title order={2} size="h3" id={headingId}>
            {t('inbox.title')}
          </Title>
          {unread > 0 && (
            <Badge color="red.8" data-testid="inbox-unread">
              {t('inbox.unread', { count: unread })}
            </Badge>
          )}
        </Group>
        {unread > 0 && (
          <Button size="xs" variant="default" loading={markRead.isPending} onClick={() => markRead.mutate()}>
            {t('inbox.markRead')}
          </Button>
        )}
      </Group>
      {inbox.isPending ? (
        <Loader size="sm" aria-label={t('track.loading')} />
      ) : inbox.isError ? (
        <ErrorPanel error={inbox.error} onRetry={() => void inbox.refetch()} compact />
      ) : inbox.data.data.length === 0 ? (
        <Text c="dimmed">{t('inbox.empty')}</Text>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {inbox.data.data.map((m) => (
            <Paper
              key={m.id}
              component="li"
              withBorder
              p="sm"
              radius="md"
              bg={m.readAt ? undefined : 'brand.0'}
              data-testid="inbox-item"
            >
              <Group justify="space-between" gap="xs" wrap="wrap">
                <Text fw={m.readAt ? 500 : 700} component="div">
                  {!m.readAt && (
                    <Badge size="xs" color="brand" mr={6} style={{ verticalAlign: 'middle' }}>
                      {t('inbox.new')}
                    </Badge>
                  )}
                  {m.title}
                </Text>
                <Text size="xs" c="dimmed">
                  <time dateTime={m.createdAt}>{dateTime(m.createdAt)}</time>
                </Text>
              </Group>
              <Text size="sm" mt={4} style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
                {m.body}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
