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
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { type ApiKey, keyCalls, useApiKeys, useKeyMutation } from '../api/admin-api.ts';

const messageOf = (e: unknown) =>
  isApiError(e) ? e.message : e instanceof Error ? e.message : 'The request failed.';

/** `/admin/api-keys`: the shop's API keys; a new key's secret is shown once. */
export function ApiKeysPage() {
  useDocumentTitle('API keys · Administration', 'Returnflow');
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
      <h1 className="admin-h1">API keys</h1>
      {secret && (
        <Alert color="yellow" variant="light" title="Copy this key now" data-testid="new-key">
          <Stack gap="xs">
            <Text size="sm">
              It is shown only once: store it somewhere safe. Anyone with it can use the API.
            </Text>
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
                Copy key
              </Button>
              <Text size="sm" role="status">
                {copied ? 'Copied.' : ''}
              </Text>
            </Group>
          </Stack>
        </Alert>
      )}
      {(create.error || revoke.error) && (
        <Alert color="red" variant="light" role="alert">
          {messageOf(create.error ?? revoke.error)}
        </Alert>
      )}
      {keys.isPending ? (
        <Loader aria-label="Loading the keys" />
      ) : keys.isError ? (
        <ErrorPanel error={keys.error} onRetry={() => void keys.refetch()} />
      ) : keys.data.data.length === 0 ? (
        <Text data-testid="no-keys">No API keys yet.</Text>
      ) : (
        <Table striped withTableBorder data-testid="api-keys">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Key</Table.Th>
              <Table.Th scope="col">Created</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
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
                    `Revoked ${k.revokedAt.slice(0, 10)}`
                  ) : (
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`Revoke ${k.name}`}
                      onClick={() => setRevoking(k)}
                    >
                      Revoke
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
              Create a key
            </Title>
            <Group align="flex-end" gap="sm">
              <TextInput
                label="Key name"
                description="Where it is used, e.g. the shop's ERP"
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                maxLength={100}
              />
              <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
                Create key
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      <Modal opened={revoking !== null} onClose={() => setRevoking(null)} title="Revoke this key?">
        <Stack gap="md">
          <Text size="sm">
            {revoking?.name} stops working at once; anything using it will be refused. This cannot be undone.
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setRevoking(null)}>
              Cancel
            </Button>
            <Button
              loading={revoke.isPending}
              onClick={() => {
                if (revoking) revoke.mutate(revoking.id, { onSettled: () => setRevoking(null) });
              }}
            >
              Revoke {revoking?.name}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
