import { Text } from '@mantine/core';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import type { TrackingView } from '../api/tracking-api.ts';
import { statusKey } from './status-text.ts';

type Step = {
  key: string;
  status: string;
  state: 'done' | 'current' | 'upcoming';
  at: string | null;
  messages: string[];
};

/** Steps done (one per status reached, with the shop's messages), the current one, and those to come. */
export function buildSteps(view: Pick<TrackingView, 'timeline' | 'upcoming' | 'status'>): Step[] {
  const steps: Step[] = [];
  for (const [i, e] of view.timeline.entries()) {
    const last = steps[steps.length - 1];
    if (e.action === 'staff_message' || (last && last.status === e.status)) {
      if (last && e.action === 'staff_message' && e.note) last.messages.push(e.note);
      continue;
    }
    steps.push({ key: `done-${i}`, status: e.status, state: 'done', at: e.at, messages: [] });
  }
  const current = steps[steps.length - 1];
  if (current) current.state = 'current';
  for (const status of view.upcoming) {
    steps.push({ key: `next-${status}`, status, state: 'upcoming', at: null, messages: [] });
  }
  return steps;
}

/** An ordered list a screen reader reads as "list, N items"; the current step has aria-current. */
export function StatusTimeline({ view }: { view: TrackingView }) {
  const { t, dateTime } = useI18n();
  const steps = buildSteps(view);
  return (
    <ol className="steps" data-testid="timeline">
      {steps.map((s) => (
        <li
          key={s.key}
          className="step"
          data-state={s.state}
          data-status={s.status}
          aria-current={s.state === 'current' ? 'step' : undefined}
        >
          <span className="step-dot" aria-hidden="true">
            {s.state === 'done' ? '✓' : ''}
          </span>
          <span className="visually-hidden">
            {s.state === 'done'
              ? t('timeline.done')
              : s.state === 'current'
                ? t('timeline.current')
                : t('timeline.upcoming')}
            :{' '}
          </span>
          <Text className="step-title" component="span" display="block">
            {t(statusKey(s.status, 'label'))}
          </Text>
          {s.at && (
            <Text size="sm" c="dimmed" component="span" display="block">
              <time dateTime={s.at}>{dateTime(s.at)}</time>
            </Text>
          )}
          {s.messages.map((m, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: messages of one step never reorder
            <Text key={i} size="sm" mt={4} component="p">
              <strong>{t('timeline.message')}:</strong> {m}
            </Text>
          ))}
        </li>
      ))}
    </ol>
  );
}
