import { Alert, Group, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import type { TrackingView } from '../api/tracking-api.ts';

/**
 * What to do while the return waits for the parcel: the ship-by date (or that it has passed)
 * and the shop's return address from its policy. The label is a placeholder until carrier
 * labels exist in the API.
 */
export function ReturnInstructions({
  rmaNumber,
  shipBy,
  address,
}: {
  rmaNumber: string;
  shipBy: TrackingView['shipBy'];
  address: TrackingView['returnAddress'];
}) {
  const { t, date } = useI18n();
  return (
    <Stack gap="md" data-testid="return-instructions">
      {shipBy &&
        (shipBy.passed ? (
          <Alert color="red" variant="light" data-testid="ship-by" data-passed="true">
            <Text fw={600}>{t('instructions.deadlinePassed', { date: date(shipBy.date) })}</Text>
          </Alert>
        ) : (
          <Alert color="yellow" variant="light" data-testid="ship-by" data-passed="false">
            <Text fw={600}>{t('instructions.deadline', { date: date(shipBy.date) })}</Text>
          </Alert>
        ))}
      <List type="ordered" spacing="xs">
        <List.Item>{t('instructions.step.pack')}</List.Item>
        <List.Item>{t('instructions.step.label')}</List.Item>
        <List.Item>{t('instructions.step.drop')}</List.Item>
      </List>
      <Text>{t('instructions.reference', { rma: rmaNumber })}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <Paper withBorder p="md" radius="md">
          <Title order={3} size="h5" mb={6}>
            {t('instructions.address')}
          </Title>
          {address ? (
            <Text component="address" fs="normal" size="sm" data-testid="return-address">
              {address.name}
              <br />
              {rmaNumber}
              {address.lines.map((line, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: two address lines may be the same
                <span key={i}>
                  <br />
                  {line}
                </span>
              ))}
            </Text>
          ) : (
            <Text size="sm" c="dimmed" data-testid="return-address-pending">
              {t('instructions.addressPending')}
            </Text>
          )}
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Title order={3} size="h5" mb={6}>
            {t('instructions.label')}
          </Title>
          <Group gap="md" wrap="nowrap" align="flex-start">
            <div className="qr-placeholder" role="img" aria-label={t('instructions.qrAlt')}>
              <Text size="xs" fw={700} c="dimmed" aria-hidden="true">
                QR
              </Text>
            </div>
            <Text size="sm" c="dimmed">
              {t('instructions.labelPending')}
            </Text>
          </Group>
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}
