import { Badge, Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { MessageKey } from '../lib/i18n/en.ts';
import { useI18n } from '../lib/i18n/i18n-provider.tsx';
import { countdown, countdownText } from '../lib/sourcing.ts';

/** The current time, refreshed every `everyMs` so countdowns move while the page stays open. */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** A deadline as a date in words, with a live countdown beside it ("2 days left" / "closed"). */
export function Deadline({ label, at, testId }: { label: MessageKey; at: string; testId?: string }) {
  const { t, date } = useI18n();
  const now = useNow();
  const c = countdown(at, now);
  const text = countdownText(c);
  return (
    <Group gap="xs" wrap="wrap" data-testid={testId} data-state={c.kind}>
      <Text size="sm">{t(label, { date: date(at) })}</Text>
      <Badge
        variant={c.kind === 'closed' ? 'outline' : 'filled'}
        color={c.kind === 'closed' ? 'gray.8' : c.kind === 'days' ? 'brand' : 'red.9'}
        data-testid="countdown"
      >
        {t(text.key, text.values)}
      </Badge>
    </Group>
  );
}
