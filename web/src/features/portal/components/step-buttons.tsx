import { Alert, Button, Group, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';

/** Back and Continue at the foot of a step, with the step's error right above them. */
export function StepButtons({
  onBack,
  onNext,
  nextLabel,
  nextLoading = false,
  nextDisabled = false,
  error,
}: {
  onBack?: () => void;
  onNext?: () => void;
  nextLabel?: ReactNode;
  nextLoading?: boolean;
  nextDisabled?: boolean;
  error?: string | null;
}) {
  const { t } = useI18n();
  return (
    <Stack gap="sm">
      {error && (
        <Alert color="red" variant="light" role="alert" data-testid="step-error">
          {error}
        </Alert>
      )}
      <Group justify="space-between" gap="sm">
        {onBack ? (
          <Button variant="default" onClick={onBack}>
            {t('portal.back')}
          </Button>
        ) : (
          <span />
        )}
        {onNext && (
          <Button onClick={onNext} loading={nextLoading} disabled={nextDisabled} data-testid="next">
            {nextLabel ?? t('portal.next')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
