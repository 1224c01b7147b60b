import { Group, Text } from '@mantine/core';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import type { LiveState } from '../api/tracking-api.ts';

/** "Updated live": whether the page is listening for changes right now. */
export function LiveIndicator({ state }: { state: LiveState }) {
  const { t } = useI18n();
  const label =
    state === 'live' ? t('live.on') : state === 'connecting' ? t('live.connecting') : t('live.off');
  return (
    <Group gap={6} wrap="nowrap" data-testid="live-indicator" data-state={state}>
      <span className="live-dot" data-state={state} aria-hidden="true" />
      <Text size="sm" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}
