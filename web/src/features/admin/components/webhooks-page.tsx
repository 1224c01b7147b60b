import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  Loader,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { isApiError } from '../../../lib/api.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import {
  useWebhookDeliveries,
  useWebhookMutation,
  useWebhooks,
  WEBHOOK_EVENTS,
  type Webhook,
  type WebhookTestResult,
  webhookCalls,
} from '../api/admin-api.ts';

const messageOf = (e: unknown) =>
  isApiError(e) ? e.message : e instanceof Error ? e.message : 'The request failed.';

type Confirm = { kind: 'rotate' | 'delete'; hook: Webhook } | null;

/**
 * `/admin/webhooks`: the endpoints that hear about returns, signed with a secret shown once;
 * a test send, rotation and deletion (both confirmed), and the latest deliveries.
 */
export function WebhooksPage() {
  useDocumentTitle('Webhooks · Administration', 'Returnflow');
  const hooks = useWebhooks();
  const deliveries = useWebhookDeliveries();
  const create = useWebhookMutation(webhookCalls.create);
  const setActive = useWebhookMutation(webhookCalls.setActive);
  const rotate = useWebhookMutation(webhookCalls.rotate);
  const remove = useWebhookMutation(webhookCalls.remove);
  const test = useWebhookMutation(webhookCalls.test);
  const [secret, setSecret] = useState<{ url: string; value: string; rotated: boolean } | null>(null);
  const [copied, setCopied] = useState(false);
  const [tested, setTested] = useState<{ hook: Webhook; result: WebhookTestResult } | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  // A new secret appears at the top while the focus is in the form or a dialog: take it there.
  const secretRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (secret) secretRef.current?.focus();
  }, [secret]);

  const showSecret = (h: Webhook, rotated: boolean) => {
    setCopied(false);
    if (h.secret) setSecret({ url: h.url, value: h.secret, rotated });
  };
  const runTest = (h: Webhook) => {
    setTested(null);
    test.mutate(h.id, {
      onSuccess: (result) => {
        setTested({ hook: h, result });
        void deliveries.refetch();
      },
    });
  };
  const rowError = setActive.error ?? rotate.error ?? remove.error ?? test.error;
  const urlOf = new Map((hooks.data?.data ?? []).map((h) => [h.id, h.url]));

  return (
    <Stack gap="md" data-testid="webhooks-page">
      <h1 className="admin-h1">Webhooks</h1>
      <Text size="sm" c="dimmed" maw={720}>
        Your systems hear about returns as they happen: each event is POSTed as JSON to the endpoints that
        asked for it, signed in the <Code>Returnflow-Signature</Code> header with the endpoint's secret.
      </Text>

      {secret && (
        <Alert
          color="yellow"
          variant="light"
          title={secret.rotated ? 'Copy the new signing secret now' : 'Copy the signing secret now'}
          data-testid="webhook-secret"
          ref={secretRef}
          tabIndex={-1}
        >
          <Stack gap="xs">
            <Text size="sm">
              It is shown only once, for <span className="webhook-url">{secret.url}</span>.
              {secret.rotated ? ' The old secret keeps signing for 24 hours, so switch before then.' : ''}
            </Text>
            <Code block data-testid="webhook-secret-value">
              {secret.value}
            </Code>
            <Group gap="sm">
              <Button
                size="xs"
                variant="default"
                onClick={() =>
                  void navigator.clipboard?.writeText(secret.value).then(
                    () => setCopied(true),
                    () => setCopied(false),
                  )
                }
              >
                Copy secret
              </Button>
              <Button size="xs" variant="default" onClick={() => setSecret(null)}>
                I have stored it
              </Button>
              <Text size="sm" role="status">
                {copied ? 'Copied.' : ''}
              </Text>
            </Group>
          </Stack>
        </Alert>
      )}

      {tested && <TestResult hook={tested.hook} result={tested.result} onClose={() => setTested(null)} />}
      {rowError && (
        <Alert color="red" variant="light" role="alert" data-testid="webhooks-error">
          {messageOf(rowError)}
        </Alert>
      )}

      {hooks.isPending ? (
        <Loader aria-label="Loading the webhooks" />
      ) : hooks.isError ? (
        <ErrorPanel error={hooks.error} onRetry={() => void hooks.refetch()} />
      ) : hooks.data.data.length === 0 ? (
        <Paper withBorder p="md" radius="md" data-testid="no-webhooks">
          <Text>No webhook endpoints yet. Add one below to send return events to your own systems.</Text>
        </Paper>
      ) : (
        <div className="admin-table-scroll">
          <Table striped withTableBorder data-testid="webhooks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Endpoint</Table.Th>
                <Table.Th scope="col">Events</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {hooks.data.data.map((h) => (
                <Table.Tr
                  key={h.id}
                  data-testid="webhook-row"
                  data-url={h.url}
                  data-active={String(h.active)}
                >
                  <Table.Td>
                    <Text size="sm" className="webhook-url">
                      {h.url}
                    </Text>
                    {h.description && (
                      <Text size="xs" c="dimmed">
                        {h.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{h.events.includes('*') ? 'All events' : h.events.join(', ')}</Text>
                  </Table.Td>
                  <Table.Td>
                    {/* Dark shades: white text on them keeps 4.5:1. */}
                    <Badge color={h.active ? 'brand' : 'gray.8'} variant="filled">
                      {h.active ? 'Active' : 'Paused'}
                    </Badge>
                    {h.rotatingUntil && (
                      <Text size="xs" c="dimmed">
                        Old secret signs until {h.rotatingUntil.slice(0, 16).replace('T', ' ')} UTC
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="wrap">
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={`Send a test to ${h.url}`}
                        loading={test.isPending && test.variables === h.id}
                        onClick={() => runTest(h)}
                      >
                        Send test
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={`${h.active ? 'Pause' : 'Resume'} ${h.url}`}
                        onClick={() => setActive.mutate({ id: h.id, active: !h.active })}
                      >
                        {h.active ? 'Pause' : 'Resume'}
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={`Rotate the secret of ${h.url}`}
                        onClick={() => setConfirm({ kind: 'rotate', hook: h })}
                      >
                        Rotate secret
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        color="red"
                        aria-label={`Delete ${h.url}`}
                        onClick={() => setConfirm({ kind: 'delete', hook: h })}
                      >
                        Delete
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}

      <CreateWebhook create={create} onCreated={(h) => showSecret(h, false)} />

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="deliveries-title">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={2} size="h4" id="deliveries-title">
              Recent deliveries
            </Title>
            <Button
              size="xs"
              variant="default"
              loading={deliveries.isFetching}
              onClick={() => void deliveries.refetch()}
            >
              Refresh
            </Button>
          </Group>
          {deliveries.isPending ? (
            <Loader size="sm" aria-label="Loading the deliveries" />
          ) : deliveries.isError ? (
            <ErrorPanel error={deliveries.error} onRetry={() => void deliveries.refetch()} />
          ) : deliveries.data.data.length === 0 ? (
            <Text size="sm" data-testid="no-deliveries">
              Nothing sent yet. Events appear here as returns move; a test send is shown above, not here.
            </Text>
          ) : (
            <div className="admin-table-scroll">
              <Table withTableBorder data-testid="deliveries">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">When (UTC)</Table.Th>
                    <Table.Th scope="col">Event</Table.Th>
                    <Table.Th scope="col">Endpoint</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">Attempts</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {deliveries.data.data.map((d) => (
                    <Table.Tr key={d.id} data-testid="delivery-row" data-status={d.status}>
                      <Table.Td>{d.createdAt.slice(0, 16).replace('T', ' ')}</Table.Td>
                      <Table.Td>{d.event}</Table.Td>
                      <Table.Td className="webhook-url">
                        {urlOf.get(d.recipient) ?? 'a deleted endpoint'}
                      </Table.Td>
                      <Table.Td>
                        {d.status}
                        {d.lastError && (
                          <Text size="xs" c="dimmed">
                            {d.lastError}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{d.attempts}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          )}
        </Stack>
      </Paper>

      <Modal
        opened={confirm !== null}
        onClose={() => setConfirm(null)}
        title={confirm?.kind === 'rotate' ? 'Rotate the signing secret?' : 'Delete this endpoint?'}
      >
        {confirm && (
          <Stack gap="md">
            <Text size="sm">
              {confirm.kind === 'rotate' ? (
                <>
                  A new secret signs every delivery to <span className="webhook-url">{confirm.hook.url}</span>{' '}
                  from now on; the old one keeps signing as well for 24 hours, so the receiver can switch.
                </>
              ) : (
                <>
                  <span className="webhook-url">{confirm.hook.url}</span> stops receiving events at once. This
                  cannot be undone; pause it instead to stop for a while.
                </>
              )}
            </Text>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setConfirm(null)}>
                Cancel
              </Button>
              {confirm.kind === 'rotate' ? (
                <Button
                  loading={rotate.isPending}
                  onClick={() =>
                    rotate.mutate(confirm.hook.id, {
                      onSuccess: (h) => showSecret(h, true),
                      onSettled: () => setConfirm(null),
                    })
                  }
                >
                  Rotate secret
                </Button>
              ) : (
                <Button
                  color="red"
                  loading={remove.isPending}
                  onClick={() => remove.mutate(confirm.hook.id, { onSettled: () => setConfirm(null) })}
                >
                  Delete endpoint
                </Button>
              )}
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

function TestResult({
  hook,
  result,
  onClose,
}: {
  hook: Webhook;
  result: WebhookTestResult;
  onClose: () => void;
}) {
  const status = result.statusCode !== null ? `HTTP ${result.statusCode}` : 'no answer';
  const body: ReactNode = result.ok
    ? `The endpoint answered ${status} in ${result.durationMs} ms.`
    : `It did not work: ${status}${result.error ? ` — ${result.error}` : ''} (${result.durationMs} ms).`;
  return (
    <Alert
      color={result.ok ? 'green' : 'red'}
      variant="light"
      role="status"
      title={`Test ping to ${hook.url}`}
      data-testid="webhook-test-result"
      data-ok={String(result.ok)}
      withCloseButton
      closeButtonLabel="Dismiss the test result"
      onClose={onClose}
    >
      <Stack gap={4}>
        <Text size="sm">{body}</Text>
        {result.response && (
          <Code block data-testid="webhook-test-response">
            {result.response.slice(0, 500)}
          </Code>
        )}
      </Stack>
    </Alert>
  );
}

function CreateWebhook({
  create,
  onCreated,
}: {
  create: ReturnType<typeof useWebhookMutation<Parameters<typeof webhookCalls.create>[0], Webhook>>;
  onCreated: (h: Webhook) => void;
}) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [all, setAll] = useState(true);
  const [events, setEvents] = useState<string[]>([]);
  const chosen = all ? ['*'] : events;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { url: url.trim(), events: chosen, ...(description.trim() ? { description: description.trim() } : {}) },
      {
        onSuccess: (h) => {
          setUrl('');
          setDescription('');
          setAll(true);
          setEvents([]);
          onCreated(h);
        },
      },
    );
  };

  const err = create.error;
  const urlError = isApiError(err, 'invalid_webhook_url')
    ? err.message
    : isApiError(err) && err.status === 400 && /url/i.test(err.message)
      ? 'Enter a full URL, like https://erp.example.com/hooks/returns.'
      : null;
  const eventsError = isApiError(err, 'unknown_webhook_event') ? err.message : null;
  const otherError = err && !urlError && !eventsError ? messageOf(err) : null;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="new-webhook-title">
      <form onSubmit={submit} noValidate data-testid="webhook-form">
        <Stack gap="sm">
          <Title order={2} size="h4" id="new-webhook-title">
            Add an endpoint
          </Title>
          {otherError && (
            <Alert color="red" variant="light" role="alert">
              {otherError}
            </Alert>
          )}
          <TextInput
            label="Endpoint URL"
            description="HTTPS address that accepts POST requests"
            type="url"
            required
            value={url}
            error={urlError}
            maxLength={2000}
            onChange={(e) => setUrl(e.currentTarget.value)}
          />
          <TextInput
            label="Description (optional)"
            value={description}
            maxLength={200}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <Checkbox
            label="All events, including ones added later"
            checked={all}
            onChange={(e) => setAll(e.currentTarget.checked)}
          />
          {!all && (
            <Checkbox.Group
              label="Events"
              description="Pick at least one"
              value={events}
              onChange={setEvents}
              error={eventsError}
            >
              <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing={6} mt={6}>
                {WEBHOOK_EVENTS.map((ev) => (
                  <Checkbox key={ev} value={ev} label={ev} />
                ))}
              </SimpleGrid>
            </Checkbox.Group>
          )}
          {all && eventsError && (
            <Text size="sm" c="red" role="alert">
              {eventsError}
            </Text>
          )}
          <Group>
            <Button type="submit" loading={create.isPending} disabled={!url.trim() || chosen.length === 0}>
              Add endpoint
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
