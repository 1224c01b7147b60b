import { Alert, Group, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';

/**
 * What to do while the return waits for the parcel. The address and the label are placeholders
 * until the shop's return address and carrier labels exist in the API.
 */
export function ReturnInstructions({ rmaNumber, shipBy }: { rmaNumber: string; shipBy?: string | null }) {
  const { t, date } = useI18n();
  return (
    <Stack gap="md" data-testid="return-instructions">
      {shipBy && (
        <Alert color="yellow" variant="light">
          <Text fw={600}>{t('instructions.deadline', { date: date(shipBy) })}</Text>
        </Alert>
      )}
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
          <Text component="address" fs="normal" size="sm">
            {t('app.shopName')}
            <br />
            {rmaNumber}
          </Text>
          <Text size="sm" c="dimmed" mt={6}>
            {t('instructions.addressPending')}
          </Text>
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
