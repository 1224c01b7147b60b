import {
  Alert,
  Button,
  Code,
  Group,
  Loader,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { isApiError } from '../../../lib/api.ts';
import { type Translate, useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { type ApiKey, keyCalls, useApiKeys, useKeyMutation } from '../api/admin-api.ts';

// The server's message is shown as it comes (not translated); only our own fallback is.
const messageOf = (e: unknown, t: Translate) =>
  isApiError(e) ? e.message : e instanceof Error ? e.message : t('admin.requestFailed');

/** `/admin/api-keys`: the shop's API keys; a new key's secret is shown once. */
export function ApiKeysPage() {
  const { t } = useI18n();
  useDocumentTitle(t('admin.keys.docTitle'), 'Returnflow');
  const keys = useApiKeys();
  const create = useKeyMutation(keyCalls.create);
  const revoke = useKeyMutation(keyCalls.revoke);
  const [name, setName] = useState('');
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [copied, setCopied] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCopied(false);
    create.mutate(name.trim(), { onSuccess: () => setName('') });
  };
  const secret = create.data?.apiKey;

  return (
    <Stack gap="md" data-testid="api-keys-page">
      <h1 className="admin-h1">{t('admin.nav.apiKeys')}</h1>
      {secret && (
        <Alert color="yellow" variant="light" title={t('admin.keys.copyNow')} data-testid="new-key">
          <Stack gap="xs">
            <Text size="sm">{t('admin.keys.shownOnce')}</Text>
            <Code block data-testid="new-key-value">
              {secret}
            </Code>
            <Group gap="sm">
              <Button
                size="xs"
                variant="default"
                onClick={() =>
                  void navigator.clipboard?.writeText(secret).then(
                    () => setCopied(true),
                    () => setCopied(false),
                  )
                }
              >
                {t('admin.keys.copy')}
              </Button>
              <Text size="sm" role="status">
                {copied ? t('admin.copied') : ''}
              </Text>
            </Group>
          </Stack>
        </Alert>
      )}
      {(create.error || revoke.error) && (
        <Alert color="red" variant="light" role="alert">
          {messageOf(create.error ?? revoke.error, t)}
        </Alert>
      )}
      {keys.isPending ? (
        <Loader aria-label={t('admin.keys.loading')} />
      ) : keys.isError ? (
        <ErrorPanel error={keys.error} onRetry={() => void keys.refetch()} />
      ) : keys.data.data.length === 0 ? (
        <Text data-testid="no-keys">{t('admin.keys.empty')}</Text>
      ) : (
        <Table striped withTableBorder data-testid="api-keys">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.keys.name')}</Table.Th>
              <Table.Th scope="col">{t('admin.keys.key')}</Table.Th>
              <Table.Th scope="col">{t('admin.keys.created')}</Table.Th>
              <Table.Th scope="col">{t('admin.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {keys.data.data.map((k) => (
              <Table.Tr
                key={k.id}
                data-testid="key-row"
                data-name={k.name}
                data-revoked={String(!!k.revokedAt)}
              >
                <Table.Td>{k.name}</Table.Td>
                <Table.Td>
                  <Code>{k.hint}</Code>
                </Table.Td>
                <Table.Td>{k.createdAt.slice(0, 10)}</Table.Td>
                <Table.Td>
                  {k.revokedAt ? (
                    t('admin.keys.revokedOn', { date: k.revokedAt.slice(0, 10) })
                  ) : (
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={t('admin.keys.revokeNamed', { name: k.name })}
                      onClick={() => setRevoking(k)}
                    >
                      {t('admin.keys.revoke')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="new-key-title">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Title order={2} size="h4" id="new-key-title">
              {t('admin.keys.create.title')}
            </Title>
            <Group align="flex-end" gap="sm">
              <TextInput
                label={t('admin.keys.create.name')}
                description={t('admin.keys.create.nameHint')}
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                maxLength={100}
              />
              <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
                {t('admin.keys.create.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      <Modal opened={revoking !== null} onClose={() => setRevoking(null)} title={t('admin.keys.revokeTitle')}>
        <Stack gap="md">
          <Text size="sm">{t('admin.keys.revokeBody', { name: revoking?.name ?? '' })}</Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setRevoking(null)}>
              {t('admin.cancel')}
            </Button>
            <Button
              loading={revoke.isPending}
              onClick={() => {
                if (revoking) revoke.mutate(revoking.id, { onSettled: () => setRevoking(null) });
              }}
            >
              {t('admin.keys.revokeNamed', { name: revoking?.name ?? '' })}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
