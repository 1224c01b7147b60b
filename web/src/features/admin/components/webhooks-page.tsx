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
import { fillSlots } from '../../../lib/i18n/fill-slots.tsx';
import { type Translate, useI18n } from '../../../lib/i18n/i18n-provider.tsx';
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

// The server's message is shown as it comes (not translated); only our own fallback is.
const messageOf = (e: unknown, t: Translate) =>
  isApiError(e) ? e.message : e instanceof Error ? e.message : t('admin.requestFailed');

type Confirm = { kind: 'rotate' | 'delete'; hook: Webhook } | null;

/**
 * `/admin/webhooks`: the endpoints that hear about returns, signed with a secret shown once;
 * a test send, rotation and deletion (both confirmed), and the latest deliveries.
 */
export function WebhooksPage() {
  const { t } = useI18n();
  useDocumentTitle(t('admin.webhooks.docTitle'), 'Returnflow');
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
      <h1 className="admin-h1">{t('admin.nav.webhooks')}</h1>
      <Text size="sm" c="dimmed" maw={720}>
        {fillSlots(t('admin.webhooks.lead'), { header: <Code>Returnflow-Signature</Code> })}
      </Text>

      {secret && (
        <Alert
          color="yellow"
          variant="light"
          title={secret.rotated ? t('admin.webhooks.copyNewSecret') : t('admin.webhooks.copySecret')}
          data-testid="webhook-secret"
          ref={secretRef}
          tabIndex={-1}
        >
          <Stack gap="xs">
            <Text size="sm">
              {fillSlots(t('admin.webhooks.shownOnce'), {
                url: <span className="webhook-url">{secret.url}</span>,
              })}
              {secret.rotated ? t('admin.webhooks.oldSecretKeeps') : ''}
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
                {t('admin.webhooks.copy')}
              </Button>
              <Button size="xs" variant="default" onClick={() => setSecret(null)}>
                {t('admin.webhooks.stored')}
              </Button>
              <Text size="sm" role="status">
                {copied ? t('admin.copied') : ''}
              </Text>
            </Group>
          </Stack>
        </Alert>
      )}

      {tested && <TestResult hook={tested.hook} result={tested.result} onClose={() => setTested(null)} />}
      {rowError && (
        <Alert color="red" variant="light" role="alert" data-testid="webhooks-error">
          {messageOf(rowError, t)}
        </Alert>
      )}

      {hooks.isPending ? (
        <Loader aria-label={t('admin.webhooks.loading')} />
      ) : hooks.isError ? (
        <ErrorPanel error={hooks.error} onRetry={() => void hooks.refetch()} />
      ) : hooks.data.data.length === 0 ? (
        <Paper withBorder p="md" radius="md" data-testid="no-webhooks">
          <Text>{t('admin.webhooks.empty')}</Text>
        </Paper>
      ) : (
        <div className="admin-table-scroll">
          <Table striped withTableBorder data-testid="webhooks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('admin.webhooks.endpoint')}</Table.Th>
                <Table.Th scope="col">{t('admin.webhooks.events')}</Table.Th>
                <Table.Th scope="col">{t('admin.status')}</Table.Th>
                <Table.Th scope="col">{t('admin.actions')}</Table.Th>
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
                    <Text size="sm">
                      {h.events.includes('*') ? t('admin.webhooks.allEvents') : h.events.join(', ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {/* Dark shades: white text on them keeps 4.5:1. */}
                    <Badge color={h.active ? 'brand' : 'gray.8'} variant="filled">
                      {h.active ? t('admin.webhooks.active') : t('admin.webhooks.paused')}
                    </Badge>
                    {h.rotatingUntil && (
                      <Text size="xs" c="dimmed">
                        {t('admin.webhooks.oldSecretUntil', {
                          time: h.rotatingUntil.slice(0, 16).replace('T', ' '),
                        })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="wrap">
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={t('admin.webhooks.testNamed', { url: h.url })}
                        loading={test.isPending && test.variables === h.id}
                        onClick={() => runTest(h)}
                      >
                        {t('admin.webhooks.test')}
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={t(h.active ? 'admin.webhooks.pauseNamed' : 'admin.webhooks.resumeNamed', {
                          url: h.url,
                        })}
                        onClick={() => setActive.mutate({ id: h.id, active: !h.active })}
                      >
                        {h.active ? t('admin.webhooks.pause') : t('admin.webhooks.resume')}
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={t('admin.webhooks.rotateNamed', { url: h.url })}
                        onClick={() => setConfirm({ kind: 'rotate', hook: h })}
                      >
                        {t('admin.webhooks.rotate')}
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        color="red"
                        aria-label={t('admin.webhooks.deleteNamed', { url: h.url })}
                        onClick={() => setConfirm({ kind: 'delete', hook: h })}
                      >
                        {t('admin.webhooks.delete')}
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
              {t('admin.webhooks.deliveries')}
            </Title>
            <Button
              size="xs"
              variant="default"
              loading={deliveries.isFetching}
              onClick={() => void deliveries.refetch()}
            >
              {t('admin.webhooks.refresh')}
            </Button>
          </Group>
          {deliveries.isPending ? (
            <Loader size="sm" aria-label={t('admin.webhooks.deliveriesLoading')} />
          ) : deliveries.isError ? (
            <ErrorPanel error={deliveries.error} onRetry={() => void deliveries.refetch()} />
          ) : deliveries.data.data.length === 0 ? (
            <Text size="sm" data-testid="no-deliveries">
              {t('admin.webhooks.noDeliveries')}
            </Text>
          ) : (
            <div className="admin-table-scroll">
              <Table withTableBorder data-testid="deliveries">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('admin.webhooks.when')}</Table.Th>
                    <Table.Th scope="col">{t('admin.webhooks.event')}</Table.Th>
                    <Table.Th scope="col">{t('admin.webhooks.endpoint')}</Table.Th>
                    <Table.Th scope="col">{t('admin.status')}</Table.Th>
                    <Table.Th scope="col">{t('admin.webhooks.attempts')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {deliveries.data.data.map((d) => (
                    <Table.Tr key={d.id} data-testid="delivery-row" data-status={d.status}>
                      <Table.Td>{d.createdAt.slice(0, 16).replace('T', ' ')}</Table.Td>
                      <Table.Td>{d.webhookType ?? d.event}</Table.Td>
                      <Table.Td className="webhook-url">
                        {urlOf.get(d.recipient) ?? t('admin.webhooks.deletedEndpoint')}
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
        title={confirm?.kind === 'rotate' ? t('admin.webhooks.rotateTitle') : t('admin.webhooks.deleteTitle')}
      >
        {confirm && (
          <Stack gap="md">
            <Text size="sm">
              {fillSlots(
                t(confirm.kind === 'rotate' ? 'admin.webhooks.rotateBody' : 'admin.webhooks.deleteBody'),
                {
                  url: <span className="webhook-url">{confirm.hook.url}</span>,
                },
              )}
            </Text>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setConfirm(null)}>
                {t('admin.cancel')}
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
                  {t('admin.webhooks.rotate')}
                </Button>
              ) : (
                <Button
                  color="red"
                  loading={remove.isPending}
                  onClick={() => remove.mutate(confirm.hook.id, { onSettled: () => setConfirm(null) })}
                >
                  {t('admin.webhooks.deleteEndpoint')}
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
  const { t } = useI18n();
  const status = result.statusCode !== null ? `HTTP ${result.statusCode}` : t('admin.webhooks.noAnswer');
  const body: ReactNode = result.ok
    ? t('admin.webhooks.testOk', { status, ms: result.durationMs })
    : t('admin.webhooks.testFailed', {
        status,
        error: result.error ? ` — ${result.error}` : '',
        ms: result.durationMs,
      });
  return (
    <Alert
      color={result.ok ? 'green' : 'red'}
      variant="light"
      role="status"
      title={t('admin.webhooks.testTitle', { url: hook.url })}
      data-testid="webhook-test-result"
      data-ok={String(result.ok)}
      withCloseButton
      closeButtonLabel={t('admin.webhooks.dismissTest')}
      onClose={onClose}
    >
      <Stack gap={4}>
        <Text size="sm">{body}</Text>
        {result.responseExcerpt && (
          <>
            <Text size="xs" c="dimmed" id="webhook-test-excerpt-label">
              {t('admin.webhooks.responseExcerpt')}
            </Text>
            <Code block data-testid="webhook-test-response" aria-labelledby="webhook-test-excerpt-label">
              {result.responseExcerpt}
            </Code>
          </>
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
  const { t } = useI18n();
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
      ? t('admin.webhooks.fullUrl')
      : null;
  const eventsError = isApiError(err, 'unknown_webhook_event') ? err.message : null;
  const otherError = err && !urlError && !eventsError ? messageOf(err, t) : null;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="new-webhook-title">
      <form onSubmit={submit} noValidate data-testid="webhook-form">
        <Stack gap="sm">
          <Title order={2} size="h4" id="new-webhook-title">
            {t('admin.webhooks.add.title')}
          </Title>
          {otherError && (
            <Alert color="red" variant="light" role="alert">
              {otherError}
            </Alert>
          )}
          <TextInput
            label={t('admin.webhooks.add.url')}
            description={t('admin.webhooks.add.urlHint')}
            type="url"
            required
            value={url}
            error={urlError}
            maxLength={2000}
            onChange={(e) => setUrl(e.currentTarget.value)}
          />
          <TextInput
            label={t('admin.webhooks.add.description')}
            value={description}
            maxLength={200}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <Checkbox
            label={t('admin.webhooks.add.allEvents')}
            checked={all}
            onChange={(e) => setAll(e.currentTarget.checked)}
          />
          {!all && (
            <Checkbox.Group
              label={t('admin.webhooks.events')}
              description={t('admin.webhooks.add.pickOne')}
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
              {t('admin.webhooks.add.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
