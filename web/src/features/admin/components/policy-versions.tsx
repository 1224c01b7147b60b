import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  Loader,
  Modal,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { ScrollRegion } from '../../../components/scroll-region.tsx';
import { type Translate, useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { type PolicyVersion, usePolicyVersions, usePreview, useRollBack } from '../api/admin-api.ts';
import {
  diffPolicies,
  type PolicyChange,
  placeOf,
  problemSentence,
  problemsOf,
  sameJson,
  segmentLabel,
  shortValue,
} from './policy-helpers.ts';
import { PreviewResult } from './policy-preview.tsx';

/** Who published a version, in words: a person or key by name, or the starting policy. */
export function publisherName(t: Translate, v: PolicyVersion): string {
  const by = v.publishedBy;
  if (by.type === 'system') return t('admin.policy.by.system');
  if (by.type === 'api')
    return by.name ? t('admin.policy.by.apiKey', { name: by.name }) : t('admin.policy.by.removedKey');
  return by.name ?? t('admin.policy.by.removedUser');
}

const when = (iso: string) => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Versions, newest first: who published each, a diff between any two, and rolling back. */
export function PolicyVersions({ current }: { current: PolicyVersion }) {
  const { t } = useI18n();
  const versions = usePolicyVersions();
  const [pair, setPair] = useState<{ from: number; to: number } | null>(null);
  const [rollingBack, setRollingBack] = useState<PolicyVersion | null>(null);
  const [rolledBack, setRolledBack] = useState<{ from: number; to: number } | null>(null);
  const list = versions.data?.data ?? [];
  // "Same as version 2": a rollback (or a publish that undid an edit) repeats an older document.
  const sameAs = useMemo(() => {
    const m = new Map<number, number>();
    list.forEach((v, i) => {
      const older = list.slice(i + 1).find((o) => sameJson(o.policy, v.policy));
      if (older) m.set(v.version, older.version);
    });
    return m;
  }, [list]);
  const shown = pair ?? (list.length > 1 ? { from: list[1]!.version, to: list[0]!.version } : null);

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="versions-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="versions-title">
          {t('admin.policy.versions')}
        </Title>
        {rolledBack && (
          <Alert color="green" variant="light" role="status" data-testid="rolled-back">
            {t('admin.policy.rolledBack', { version: rolledBack.to, from: rolledBack.from })}
          </Alert>
        )}
        {versions.isPending ? (
          <Loader size="sm" aria-label={t('admin.policy.versionsLoading')} />
        ) : versions.isError ? (
          <ErrorPanel compact error={versions.error} onRetry={() => void versions.refetch()} />
        ) : list.length === 0 ? (
          <Text size="sm">{t('admin.policy.noVersions')}</Text>
        ) : (
          <ScrollRegion label={t('admin.policy.versions')}>
            <Table striped data-testid="versions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('admin.policy.col.version')}</Table.Th>
                  <Table.Th scope="col">{t('admin.policy.col.published')}</Table.Th>
                  <Table.Th scope="col">{t('admin.policy.col.by')}</Table.Th>
                  <Table.Th scope="col">{t('admin.policy.col.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((v) => (
                  <Table.Tr key={v.version} data-testid="version-row" data-version={v.version}>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        {v.version}
                        {v.version === current.version && (
                          <Badge size="sm" variant="light">
                            {t('admin.policy.currentBadge')}
                          </Badge>
                        )}
                        {sameAs.has(v.version) && (
                          <Badge size="sm" variant="outline" color="gray">
                            {t('admin.policy.sameAs', { version: sameAs.get(v.version)! })}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>{when(v.createdAt)}</Table.Td>
                    <Table.Td data-testid="version-by">{publisherName(t, v)}</Table.Td>
                    <Table.Td>
                      {v.version !== current.version && (
                        <Group gap="xs" wrap="nowrap">
                          <Button
                            variant="default"
                            size="compact-sm"
                            onClick={() => setPair({ from: v.version, to: current.version })}
                            aria-label={t('admin.policy.compareWithCurrentN', { version: v.version })}
                          >
                            {t('admin.policy.compareWithCurrent')}
                          </Button>
                          <Button
                            variant="light"
                            size="compact-sm"
                            onClick={() => {
                              setRolledBack(null);
                              setRollingBack(v);
                            }}
                            aria-label={t('admin.policy.rollBackToN', { version: v.version })}
                          >
                            {t('admin.policy.rollBack')}
                          </Button>
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollRegion>
        )}
        {shown && list.length > 1 && <VersionDiff versions={list} pair={shown} onPair={setPair} />}
      </Stack>
      {rollingBack && (
        <RollBack
          target={rollingBack}
          current={current}
          onClose={() => setRollingBack(null)}
          onDone={(v) => {
            setRolledBack({ from: rollingBack.version, to: v.version });
            setRollingBack(null);
            setPair(null);
          }}
        />
      )}
    </Paper>
  );
}

function changeWords(t: Translate, c: PolicyChange): string {
  return t(`admin.policy.diff.${c.change}` as 'admin.policy.diff.changed');
}

function VersionDiff({
  versions,
  pair,
  onPair,
}: {
  versions: PolicyVersion[];
  pair: { from: number; to: number };
  onPair: (p: { from: number; to: number }) => void;
}) {
  const { t } = useI18n();
  const from = versions.find((v) => v.version === pair.from);
  const to = versions.find((v) => v.version === pair.to);
  const changes = useMemo(() => (from && to ? diffPolicies(from.policy, to.policy) : []), [from, to]);
  const options = versions.map((v) => ({
    value: String(v.version),
    label: t('admin.policy.version', { version: v.version }),
  }));
  return (
    <Stack gap="xs" component="section" aria-labelledby="diff-title" data-testid="policy-diff">
      <Title order={3} size="h5" id="diff-title">
        {t('admin.policy.diffTitle')}
      </Title>
      <Group gap="sm" align="flex-end">
        <NativeSelect
          label={t('admin.policy.diffFrom')}
          value={String(pair.from)}
          onChange={(e) => onPair({ ...pair, from: Number(e.currentTarget.value) })}
          data={options}
          data-testid="diff-from"
        />
        <NativeSelect
          label={t('admin.policy.diffTo')}
          value={String(pair.to)}
          onChange={(e) => onPair({ ...pair, to: Number(e.currentTarget.value) })}
          data={options}
          data-testid="diff-to"
        />
      </Group>
      {changes.length === 0 ? (
        <Text size="sm" data-testid="no-diff">
          {t('admin.policy.noDiff')}
        </Text>
      ) : (
        <ScrollRegion label={t('admin.policy.diffTitle')}>
          <Table withTableBorder striped data-testid="diff-rows">
            <Table.Caption>
              {t('admin.policy.diffCaption', { from: pair.from, to: pair.to, count: changes.length })}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('admin.policy.diffField')}</Table.Th>
                <Table.Th scope="col">{t('admin.policy.diffChange')}</Table.Th>
                <Table.Th scope="col">{t('admin.policy.diffBefore', { version: pair.from })}</Table.Th>
                <Table.Th scope="col">{t('admin.policy.diffAfter', { version: pair.to })}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {changes.map((c) => (
                <Table.Tr key={c.path.join('\u0000')} data-testid="diff-row" data-path={c.path.join('.')}>
                  <Table.Td>{c.path.map((p) => segmentLabel(p, t)).join(' › ')}</Table.Td>
                  <Table.Td>{changeWords(t, c)}</Table.Td>
                  <Table.Td>
                    <code className="admin-diff-value">{shortValue(c.before)}</code>
                  </Table.Td>
                  <Table.Td>
                    <code className="admin-diff-value">{shortValue(c.after)}</code>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      )}
    </Stack>
  );
}

/**
 * Rolling back is publishing: the old document is previewed against the current one first (the
 * same 90-day replay as an edit), and confirming publishes it as a new version.
 */
function RollBack({
  target,
  current,
  onClose,
  onDone,
}: {
  target: PolicyVersion;
  current: PolicyVersion;
  onClose: () => void;
  onDone: (v: PolicyVersion) => void;
}) {
  const { t } = useI18n();
  const preview = usePreview();
  const rollBack = useRollBack();
  const { mutate } = preview;
  useEffect(() => {
    mutate(target.policy);
  }, [mutate, target]);
  const problems = problemsOf(preview.error ?? rollBack.error);
  const next = current.version + 1;
  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={t('admin.policy.rollBackTitle', { version: target.version })}
    >
      <Stack gap="md" data-testid="rollback">
        <Text size="sm">{t('admin.policy.rollBackBody', { version: target.version, next })}</Text>
        {preview.isPending && <Loader size="sm" aria-label={t('admin.policy.previewing')} />}
        {problems.length > 0 && (
          <Alert color="red" variant="light" role="alert" title={t('admin.policy.problems')}>
            <List size="sm" spacing={4}>
              {problems.map((p) => (
                <List.Item key={`${p.path}:${p.message}`}>
                  {p.path ? `${placeOf(p.path, target.policy, t)}: ` : ''}
                  {problemSentence(p.message, t)}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        {preview.data && <PreviewResult result={preview.data} />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('admin.cancel')}
          </Button>
          <Button
            disabled={!preview.isSuccess}
            loading={rollBack.isPending}
            onClick={() => rollBack.mutate(target.version, { onSuccess: onDone })}
          >
            {t('admin.policy.rollBackPublish', { version: target.version, next })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
