import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  List,
  Loader,
  Modal,
  Stack,
  Tabs,
  Text,
  Textarea,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { type Translate, useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import {
  POLICY_GUIDE_URL,
  type PolicyPreview,
  type PolicyVersion,
  usePolicy,
  usePreview,
  usePublish,
} from '../api/admin-api.ts';
import { PolicyForm } from './policy-form.tsx';
import { type PolicyDoc, placeOf, problemSentence, problemsOf } from './policy-helpers.ts';
import { PreviewResult } from './policy-preview.tsx';
import { PolicyVersions } from './policy-versions.tsx';

const pretty = (policy: unknown) => JSON.stringify(policy, null, 2);

/** The editor's text as a policy object, or why not (the JSON parser's own message stays as is). */
function parse(text: string, t: Translate): { value: PolicyDoc | null; error: string | null } {
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      return { value: null, error: t('admin.policy.oneObject') };
    }
    return { value: value as PolicyDoc, error: null };
  } catch (e) {
    return { value: null, error: e instanceof Error ? e.message : t('admin.policy.notJson') };
  }
}

/** `/admin` and `/admin/policy`: edit the policy in a form or as JSON, preview its effect, publish it. */
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
  // The JSON text is the one source: the form reads it and writes it back, so both views always
  // show the same document, fields the form has no input for included.
  const [text, setText] = useState(() => pretty(current.policy));
  const [view, setView] = useState<'form' | 'json'>('form');
  const [previewed, setPreviewed] = useState<{ text: string; result: PolicyPreview } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [published, setPublished] = useState<number | null>(null);
  const preview = usePreview();
  const publish = usePublish();
  const parsed = useMemo(() => parse(text, t), [text, t]);

  // A new version came back from the server (a publish, a rollback): edit from it.
  useEffect(() => {
    setText(pretty(current.policy));
  }, [current]);

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
  const serverProblems = problemsOf(preview.error ?? publish.error);
  // Each field shows the sentences about it; the list above the form names every place.
  const byPath = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const p of serverProblems) {
      if (p.path) m.set(p.path, [...(m.get(p.path) ?? []), problemSentence(p.message, t)]);
    }
    return m;
  }, [serverProblems, t]);
  const errorAt = (pointer: string) => byPath.get(pointer)?.join(' ');

  return (
    <Stack gap="md" data-testid="policy-page">
      <Group justify="space-between" align="baseline">
        <h1 className="admin-h1">{t('admin.policy.title')}</h1>
        <Group gap="md" align="baseline">
          <Anchor href={POLICY_GUIDE_URL} target="_blank" rel="noopener" size="sm" data-testid="policy-guide">
            {t('admin.policy.guide')}
          </Anchor>
          <Badge variant="light" size="lg" data-testid="policy-version">
            {t('admin.policy.version', { version: current.version })}
          </Badge>
        </Group>
      </Group>
      {published !== null && (
        <Alert color="green" variant="light" role="status" data-testid="published">
          {t('admin.policy.published', { version: published })}
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="sm">
            <Tabs value={view} onChange={(v) => setView(v === 'json' ? 'json' : 'form')} keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="form" data-testid="tab-form">
                  {t('admin.policy.tab.form')}
                </Tabs.Tab>
                <Tabs.Tab value="json" data-testid="tab-json">
                  {t('admin.policy.tab.json')}
                </Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="form" pt="sm">
                {parsed.value ? (
                  <PolicyForm policy={parsed.value} onChange={(p) => setText(pretty(p))} errorAt={errorAt} />
                ) : (
                  <Alert color="yellow" variant="light" data-testid="form-needs-json">
                    {t('admin.policy.formNeedsJson')}
                  </Alert>
                )}
              </Tabs.Panel>
              <Tabs.Panel value="json" pt="sm">
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
                  error={parsed.error ?? undefined}
                  data-testid="policy-json"
                />
              </Tabs.Panel>
            </Tabs>
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
            {(parsed.error || serverProblems.length > 0) && (
              <Alert color="red" variant="light" title={t('admin.policy.problems')} role="alert">
                <List size="sm" spacing={4} data-testid="policy-problems">
                  {parsed.error ? (
                    <List.Item>{t('admin.policy.jsonProblem', { message: parsed.error })}</List.Item>
                  ) : (
                    serverProblems.map((p) => (
                      <List.Item key={`${p.path}:${p.message}`} data-path={p.path}>
                        {p.path ? `${placeOf(p.path, parsed.value, t)}: ` : ''}
                        {problemSentence(p.message, t) || t('admin.requestFailed')}
                      </List.Item>
                    ))
                  )}
                </List>
              </Alert>
            )}
            {fresh && previewed && <PreviewResult result={previewed.result} />}
          </Stack>
        </Grid.Col>
      </Grid>
      <PolicyVersions current={current} />
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
