import {
  Alert,
  Badge,
  Button,
  Grid,
  Group,
  List,
  Loader,
  Modal,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { isApiError } from '../../../lib/api.ts';
import { type Translate, tOr, useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import {
  type PolicyPreview,
  type PolicyVersion,
  usePolicy,
  usePolicyVersions,
  usePreview,
  usePublish,
} from '../api/admin-api.ts';

type Problem = { path: string; message: string };

/** A policy outcome in words; one the server adds later shows as its code. */
function outcome(t: Translate, o: string): string {
  return tOr(t, `admin.policy.outcome.${o}`, o);
}
const pretty = (policy: unknown) => JSON.stringify(policy, null, 2);

/** What the server said was wrong, as a list of paths and sentences. */
function problemsOf(error: unknown, t: Translate): Problem[] {
  if (!error) return [];
  if (isApiError(error) && Array.isArray(error.details)) {
    return (error.details as Partial<Problem>[]).map((d) => ({
      path: String(d.path ?? ''),
      message: String(d.message ?? ''),
    }));
  }
  return [{ path: '', message: error instanceof Error ? error.message : t('admin.requestFailed') }];
}

/** The editor's text as a policy object, or why not (the JSON parser's own message stays as is). */
function parse(text: string, t: Translate): { value: Record<string, unknown> | null; error: string | null } {
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      return { value: null, error: t('admin.policy.oneObject') };
    }
    return { value: value as Record<string, unknown>, error: null };
  } catch (e) {
    return { value: null, error: e instanceof Error ? e.message : t('admin.policy.notJson') };
  }
}

/** `/admin` and `/admin/policy`: edit the policy as JSON, preview its effect, publish it. */
export function PolicyPage() {
  const { t } = useI18n();
  useDocumentTitle(t('admin.policy.docTitle'), 'Returnflow');
  const policy = usePolicy(true);
  if (policy.isPending) return <Loader aria-label={t('admin.policy.loading')} m="xl" />;
  if (policy.isError) return <ErrorPanel error={policy.error} onRetry={() => void policy.refetch()} />;
  return <PolicyEditor current={policy.data} />;
}

function PolicyEditor({ current }: { current: PolicyVersion }) {
  const { t } = useI18n();
  const [text, setText] = useState(() => pretty(current.policy));
  const [previewed, setPreviewed] = useState<{ text: string; result: PolicyPreview } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [published, setPublished] = useState<number | null>(null);
  const preview = usePreview();
  const publish = usePublish();
  const parsed = useMemo(() => parse(text, t), [text, t]);

  // A new version came back from the server: edit from it.
  useEffect(() => {
    setText(pretty(current.policy));
  }, [current]);

  const setField = (field: string, value: number | string) => {
    if (!parsed.value || typeof value !== 'number') return;
    setText(pretty({ ...parsed.value, [field]: value }));
  };
  const numberField = (field: string): number | '' => {
    const v = parsed.value?.[field];
    return typeof v === 'number' ? v : '';
  };

  const runPreview = () => {
    if (!parsed.value) return;
    const sent = text;
    publish.reset();
    preview.mutate(parsed.value, {
      onSuccess: (result) => setPreviewed({ text: sent, result }),
      onError: () => setPreviewed(null),
    });
  };
  const runPublish = () => {
    if (!parsed.value) return;
    publish.mutate(parsed.value, {
      onSuccess: (v) => {
        setConfirming(false);
        setPublished(v.version);
        setPreviewed(null);
        preview.reset();
      },
      onError: () => setConfirming(false),
    });
  };

  const fresh = previewed !== null && previewed.text === text;
  const problems: Problem[] = parsed.error
    ? [{ path: '(JSON)', message: parsed.error }]
    : problemsOf(preview.error ?? publish.error, t);

  return (
    <Stack gap="md" data-testid="policy-page">
      <Group justify="space-between" align="baseline">
        <h1 className="admin-h1">{t('admin.policy.title')}</h1>
        <Badge variant="light" size="lg" data-testid="policy-version">
          {t('admin.policy.version', { version: current.version })}
        </Badge>
      </Group>
      {published !== null && (
        <Alert color="green" variant="light" role="status" data-testid="published">
          {t('admin.policy.published', { version: published })}
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="sm">
            <Group gap="md" align="flex-end">
              <NumberInput
                label={t('admin.policy.returnWindow')}
                min={0}
                max={3650}
                allowDecimal={false}
                value={numberField('returnWindowDays')}
                onChange={(v) => setField('returnWindowDays', v)}
                disabled={!parsed.value}
                w={200}
              />
              <NumberInput
                label={t('admin.policy.creditBonus')}
                min={0}
                max={100}
                decimalScale={2}
                value={numberField('storeCreditBonusPercent')}
                onChange={(v) => setField('storeCreditBonusPercent', v)}
                disabled={!parsed.value}
                w={200}
              />
            </Group>
            <Textarea
              className="admin-json"
              label={t('admin.policy.json')}
              description={t('admin.policy.jsonHint')}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              autosize
              minRows={16}
              maxRows={40}
              spellCheck={false}
              autoCapitalize="off"
              autoCorrect="off"
              data-testid="policy-json"
            />
            <Group gap="sm">
              <Button onClick={runPreview} loading={preview.isPending} disabled={!parsed.value}>
                {t('admin.policy.preview')}
              </Button>
              <Button
                variant="filled"
                onClick={() => setConfirming(true)}
                disabled={!fresh}
                data-testid="publish"
              >
                {t('admin.policy.publish')}
              </Button>
              <Button
                variant="default"
                onClick={() => {
                  setText(pretty(current.policy));
                  preview.reset();
                  publish.reset();
                }}
              >
                {t('admin.policy.discard')}
              </Button>
            </Group>
            {!fresh && (
              <Text size="sm" c="dimmed">
                {t('admin.policy.publishHint')}
              </Text>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            {problems.length > 0 && (
              <Alert color="red" variant="light" title={t('admin.policy.problems')} role="alert">
                <List size="sm" spacing={4} data-testid="policy-problems">
                  {problems.map((p) => (
                    <List.Item key={`${p.path}:${p.message}`}>
                      {p.path && <code>{p.path}</code>} {p.message}
                    </List.Item>
                  ))}
                </List>
              </Alert>
            )}
            {fresh && previewed && <PreviewResult result={previewed.result} />}
          </Stack>
        </Grid.Col>
      </Grid>
      <Versions />
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t('admin.policy.confirmTitle', { version: current.version + 1 })}
      >
        <Stack gap="md">
          <Text size="sm">{t('admin.policy.confirmBody')}</Text>
          {previewed && (
            <Text size="sm">
              {t('admin.policy.confirmPreview', {
                changed: previewed.result.changed,
                evaluated: previewed.result.evaluated,
              })}
            </Text>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('admin.cancel')}
            </Button>
            <Button onClick={runPublish} loading={publish.isPending}>
              {t('admin.policy.publishVersion', { version: current.version + 1 })}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function PreviewResult({ result }: { result: PolicyPreview }) {
  const { t, money } = useI18n();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="preview-title">
      <Stack gap="sm" data-testid="preview">
        <Title order={2} size="h4" id="preview-title">
          {t('admin.policy.previewTitle')}
        </Title>
        <Text size="sm" data-testid="preview-summary">
          {t('admin.policy.previewSummary', { evaluated: result.evaluated, changed: result.changed })}
          {result.truncated ? t('admin.policy.truncated') : ''}
        </Text>
        {result.amountOnly > 0 && (
          <Text size="sm" data-testid="preview-amount-only">
            {t('admin.policy.amountOnly', { count: result.amountOnly })}
          </Text>
        )}
        <Table striped withTableBorder data-testid="transitions">
          <Table.Caption>{t('admin.policy.transitions')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.policy.from')}</Table.Th>
              <Table.Th scope="col">{t('admin.policy.to')}</Table.Th>
              <Table.Th scope="col">{t('admin.policy.returns')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.transitions.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={3}>{t('admin.policy.noTransitions')}</Table.Td>
              </Table.Tr>
            ) : (
              result.transitions.map((x) => (
                <Table.Tr
                  key={`${x.from}-${x.to}`}
                  data-testid="transition"
                  data-from={x.from}
                  data-to={x.to}
                >
                  <Table.Td>{outcome(t, x.from)}</Table.Td>
                  <Table.Td>{outcome(t, x.to)}</Table.Td>
                  <Table.Td>{x.count}</Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
        <Table striped withTableBorder data-testid="refunds">
          <Table.Caption>{t('admin.policy.refunds')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.policy.currency')}</Table.Th>
              <Table.Th scope="col">{t('admin.policy.before')}</Table.Th>
              <Table.Th scope="col">{t('admin.policy.after')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.refunds.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={3}>{t('admin.policy.noRefunds')}</Table.Td>
              </Table.Tr>
            ) : (
              result.refunds.map((r) => (
                <Table.Tr key={r.currency}>
                  <Table.Td>{r.currency}</Table.Td>
                  <Table.Td>{money(r.before, r.currency)}</Table.Td>
                  <Table.Td>{money(r.after, r.currency)}</Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
        {result.samples.length > 0 && (
          <Table striped withTableBorder data-testid="samples">
            <Table.Caption>{t('admin.policy.samples')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('admin.policy.return')}</Table.Th>
                <Table.Th scope="col">{t('admin.policy.before')}</Table.Th>
                <Table.Th scope="col">{t('admin.policy.after')}</Table.Th>
                <Table.Th scope="col">{t('admin.policy.whatChanges')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.samples.map((s) => (
                <Table.Tr key={s.returnId}>
                  <Table.Td>{s.rmaNumber}</Table.Td>
                  <Table.Td>
                    {outcome(t, s.before)} · {money(s.beforeTotal, s.currency)}
                  </Table.Td>
                  <Table.Td>
                    {outcome(t, s.after)} · {money(s.afterTotal, s.currency)}
                  </Table.Td>
                  <Table.Td data-testid="sample-change">
                    {s.changes
                      .map((c) =>
                        c === 'decision'
                          ? t('admin.policy.change.decision', {
                              from: outcome(t, s.before),
                              to: outcome(t, s.after),
                            })
                          : t('admin.policy.change.amount', {
                              from: money(s.beforeTotal, s.currency),
                              to: money(s.afterTotal, s.currency),
                            }),
                      )
                      .join(' ')}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

function Versions() {
  const { t } = useI18n();
  const versions = usePolicyVersions();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="versions-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="versions-title">
          {t('admin.policy.versions')}
        </Title>
        {versions.isPending ? (
          <Loader size="sm" aria-label={t('admin.policy.versionsLoading')} />
        ) : versions.isError ? (
          <ErrorPanel compact error={versions.error} onRetry={() => void versions.refetch()} />
        ) : versions.data.data.length === 0 ? (
          <Text size="sm">{t('admin.policy.noVersions')}</Text>
        ) : (
          <Table striped data-testid="versions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('admin.policy.col.version')}</Table.Th>
                <Table.Th scope="col">{t('admin.policy.col.published')}</Table.Th>
                <Table.Th scope="col">{t('admin.policy.col.by')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {versions.data.data.map((v) => (
                <Table.Tr key={v.version} data-testid="version-row">
                  <Table.Td>{v.version}</Table.Td>
                  <Table.Td>
                    {new Date(v.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC
                  </Table.Td>
                  <Table.Td>{v.createdBy}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
