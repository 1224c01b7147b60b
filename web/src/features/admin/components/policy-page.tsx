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
import { formatMoney } from '../../../lib/money.ts';
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

const OUTCOME: Record<string, string> = {
  approved: 'Approved',
  needs_review: 'Needs review',
  rejected: 'Rejected',
  ineligible: 'Ineligible',
};
const outcome = (o: string) => OUTCOME[o] ?? o;
const pretty = (policy: unknown) => JSON.stringify(policy, null, 2);

/** What the server said was wrong, as a list of paths and sentences. */
function problemsOf(error: unknown): Problem[] {
  if (!error) return [];
  if (isApiError(error) && Array.isArray(error.details)) {
    return (error.details as Partial<Problem>[]).map((d) => ({
      path: String(d.path ?? ''),
      message: String(d.message ?? ''),
    }));
  }
  return [{ path: '', message: error instanceof Error ? error.message : 'The request failed.' }];
}

function parse(text: string): { value: Record<string, unknown> | null; error: string | null } {
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      return { value: null, error: 'The policy must be one JSON object.' };
    }
    return { value: value as Record<string, unknown>, error: null };
  } catch (e) {
    return { value: null, error: e instanceof Error ? e.message : 'Not valid JSON.' };
  }
}

/** `/admin` and `/admin/policy`: edit the policy as JSON, preview its effect, publish it. */
export function PolicyPage() {
  useDocumentTitle('Return policy · Administration', 'Returnflow');
  const policy = usePolicy(true);
  if (policy.isPending) return <Loader aria-label="Loading the policy" m="xl" />;
  if (policy.isError) return <ErrorPanel error={policy.error} onRetry={() => void policy.refetch()} />;
  return <PolicyEditor current={policy.data} />;
}

function PolicyEditor({ current }: { current: PolicyVersion }) {
  const [text, setText] = useState(() => pretty(current.policy));
  const [previewed, setPreviewed] = useState<{ text: string; result: PolicyPreview } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [published, setPublished] = useState<number | null>(null);
  const preview = usePreview();
  const publish = usePublish();
  const parsed = useMemo(() => parse(text), [text]);

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
    : problemsOf(preview.error ?? publish.error);

  return (
    <Stack gap="md" data-testid="policy-page">
      <Group justify="space-between" align="baseline">
        <h1 className="admin-h1">Return policy</h1>
        <Badge variant="light" size="lg" data-testid="policy-version">
          Version {current.version}
        </Badge>
      </Group>
      {published !== null && (
        <Alert color="green" variant="light" role="status" data-testid="published">
          Published version {published}. New return requests are decided by it.
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="sm">
            <Group gap="md" align="flex-end">
              <NumberInput
                label="Return window (days)"
                min={0}
                max={3650}
                allowDecimal={false}
                value={numberField('returnWindowDays')}
                onChange={(v) => setField('returnWindowDays', v)}
                disabled={!parsed.value}
                w={200}
              />
              <NumberInput
                label="Store credit bonus (%)"
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
              label="Policy (JSON)"
              description="The whole policy document; see docs/policy.md for every field and the rule language."
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
                Preview changes
              </Button>
              <Button
                variant="filled"
                onClick={() => setConfirming(true)}
                disabled={!fresh}
                data-testid="publish"
              >
                Publish
              </Button>
              <Button
                variant="default"
                onClick={() => {
                  setText(pretty(current.policy));
                  preview.reset();
                  publish.reset();
                }}
              >
                Discard edits
              </Button>
            </Group>
            {!fresh && (
              <Text size="sm" c="dimmed">
                Publish becomes available after a successful preview of exactly this text.
              </Text>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            {problems.length > 0 && (
              <Alert color="red" variant="light" title="Problems in the policy" role="alert">
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
        title={`Publish version ${current.version + 1}?`}
      >
        <Stack gap="md">
          <Text size="sm">
            New return requests will be decided by this policy at once. Earlier versions are kept, and returns
            already decided keep their decision.
          </Text>
          {previewed && (
            <Text size="sm">
              In the preview, {previewed.result.changed} of {previewed.result.evaluated} recent returns would
              change.
            </Text>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button onClick={runPublish} loading={publish.isPending}>
              Publish version {current.version + 1}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function PreviewResult({ result }: { result: PolicyPreview }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="preview-title">
      <Stack gap="sm" data-testid="preview">
        <Title order={2} size="h4" id="preview-title">
          Preview
        </Title>
        <Text size="sm" data-testid="preview-summary">
          {result.evaluated} returns from the last 90 days evaluated; {result.changed} would change.
          {result.truncated ? ' (Only the latest returns were replayed.)' : ''}
        </Text>
        <Table striped withTableBorder data-testid="transitions">
          <Table.Caption>Decision changes</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">From</Table.Th>
              <Table.Th scope="col">To</Table.Th>
              <Table.Th scope="col">Returns</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.transitions.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={3}>No decision changes.</Table.Td>
              </Table.Tr>
            ) : (
              result.transitions.map((x) => (
                <Table.Tr
                  key={`${x.from}-${x.to}`}
                  data-testid="transition"
                  data-from={x.from}
                  data-to={x.to}
                >
                  <Table.Td>{outcome(x.from)}</Table.Td>
                  <Table.Td>{outcome(x.to)}</Table.Td>
                  <Table.Td>{x.count}</Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
        <Table striped withTableBorder data-testid="refunds">
          <Table.Caption>Refund totals</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Currency</Table.Th>
              <Table.Th scope="col">Before</Table.Th>
              <Table.Th scope="col">After</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.refunds.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={3}>No refunds in the period.</Table.Td>
              </Table.Tr>
            ) : (
              result.refunds.map((r) => (
                <Table.Tr key={r.currency}>
                  <Table.Td>{r.currency}</Table.Td>
                  <Table.Td>{formatMoney(r.before, r.currency, 'en')}</Table.Td>
                  <Table.Td>{formatMoney(r.after, r.currency, 'en')}</Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
        {result.samples.length > 0 && (
          <Table striped withTableBorder data-testid="samples">
            <Table.Caption>Sample returns that change</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Return</Table.Th>
                <Table.Th scope="col">Before</Table.Th>
                <Table.Th scope="col">After</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.samples.map((s) => (
                <Table.Tr key={s.returnId}>
                  <Table.Td>{s.rmaNumber}</Table.Td>
                  <Table.Td>
                    {outcome(s.before)} · {formatMoney(s.beforeTotal, s.currency, 'en')}
                  </Table.Td>
                  <Table.Td>
                    {outcome(s.after)} · {formatMoney(s.afterTotal, s.currency, 'en')}
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
  const versions = usePolicyVersions();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="versions-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="versions-title">
          Versions
        </Title>
        {versions.isPending ? (
          <Loader size="sm" aria-label="Loading the versions" />
        ) : versions.isError ? (
          <ErrorPanel compact error={versions.error} onRetry={() => void versions.refetch()} />
        ) : versions.data.data.length === 0 ? (
          <Text size="sm">No versions yet.</Text>
        ) : (
          <Table striped data-testid="versions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Version</Table.Th>
                <Table.Th scope="col">Published</Table.Th>
                <Table.Th scope="col">By</Table.Th>
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
