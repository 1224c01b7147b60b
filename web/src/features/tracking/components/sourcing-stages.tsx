import { Badge, Group, Stack, Text } from '@mantine/core';
import { Deadline } from '../../../components/deadline.tsx';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { stageKey } from '../../../lib/sourcing.ts';
import type { TrackingView } from '../api/tracking-api.ts';

type Stage = NonNullable<TrackingView['sourcing']>['stages'][number];

/** Where each item is (bought, in the warehouse, checked…) and the deadlines that count for it. */
export function SourcingStages({ stages }: { stages: Stage[] }) {
  const { t } = useI18n();
  return (
    <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
      {stages.map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: two lines may share a title
        <li key={i} data-testid="sourcing-stage" data-stage={s.stage}>
          <Stack gap={4}>
            <Group gap="xs" wrap="wrap">
              <Text fw={600}>{s.title}</Text>
              <Badge variant="light" color="brand" data-testid="stage-name">
                {t(stageKey(s.stage))}
              </Badge>
            </Group>
            {s.sellerDeadline && (
              <Deadline label="sourcing.sellerDeadline" at={s.sellerDeadline} testId="seller-deadline" />
            )}
            {s.customerDeadline && (
              <Deadline
                label="sourcing.customerDeadline"
                at={s.customerDeadline}
                testId="customer-deadline"
              />
            )}
          </Stack>
        </li>
      ))}
    </Stack>
  );
}
