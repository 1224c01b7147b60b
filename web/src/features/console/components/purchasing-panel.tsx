import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Loader,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { ItemisedRefund } from '../../../components/itemised-refund.tsx';
import { isApiError } from '../../../lib/api.ts';
import type { MessageKey } from '../../../lib/i18n/en.ts';
import { fillSlots } from '../../../lib/i18n/fill-slots.tsx';
import { type Translate, useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { currencyExponent, parseMinor } from '../../../lib/money.ts';
import type { CaseView } from '../api/console-api.ts';
import { type CaseSourcing, type Claim, useClaimAction, useEvidencePack } from '../api/sourcing-api.ts';
import { label, stageLabel } from './format.ts';

const CLAIM_CONSEQUENCE: Record<string, MessageKey> = {
  send: 'console.claim.consequence.send',
  accept: 'console.claim.consequence.accept',
  refuse: 'console.claim.consequence.refuse',
  refund: 'console.claim.consequence.refund',
  cancel: 'console.claim.consequence.cancel',
};

const claimActionLabel = (t: Translate, action: string) => label(t, 'claimAction', action);

function claimColor(status: string): string {
  if (status === 'refused' || status === 'expired') return 'red.9';
  if (status === 'accepted' || status === 'refunded') return 'teal.9';
  if (status === 'cancelled') return 'gray.8';
  return 'violet.9';
}

/** "30 h left", "2 d 4 h left", "Deadline passed": how long the seller still accepts the claim. */
function hoursText(t: Translate, hours: number | null): string {
  if (hours === null) return t('console.claim.noDeadline');
  if (hours <= 0) return t('console.claim.deadlinePassed');
  if (hours < 48) return t('console.claim.hoursLeft', { hours });
  return t('console.claim.daysLeft', { days: Math.floor(hours / 24), hours: hours % 24 });
}

/** A purchasing agent's side of the case: risk, line stages and deadlines, claims on sellers, fees. */
export function PurchasingPanel({
  id,
  view,
  sourcing,
}: {
  id: string;
  view: CaseView;
  sourcing: CaseSourcing;
}) {
  const { t } = useI18n();
  const q = view.return.refundQuote;
  return (
    <Stack gap="md">
      <RiskBadges risk={sourcing.risk} />
      <LineStages view={view} sourcing={sourcing} />
      <Claims id={id} claims={sourcing.claims} />
      {q.sourcing && (
        <Stack gap="xs">
          <Title order={3} size="h5">
            {t('console.purchasing.feesTitle')}
          </Title>
          {/* The customer-facing table, in the agent's language like the rest of the console. */}
          <ItemisedRefund
            itemised={q.sourcing.itemised}
            currency={q.currency}
            refundTo={q.sourcing.refundTo}
            display={q.sourcing.display}
            testId="case-itemised"
          />
        </Stack>
      )}
    </Stack>
  );
}

function RiskBadges({ risk }: { risk: CaseSourcing['risk'] }) {
  const { t } = useI18n();
  const overQuota = risk.freeReturnsPerMonth !== null && risk.returnsThisMonth > risk.freeReturnsPerMonth;
  return (
    <Group gap="xs" wrap="wrap" data-testid="risk-badges">
      <Badge color={overQuota ? 'red.9' : 'gray.8'} tt="none">
        {t(risk.returnsThisMonth === 1 ? 'console.risk.month.one' : 'console.risk.month.other', {
          count: risk.returnsThisMonth,
        })}
        {risk.freeReturnsPerMonth !== null ? t('console.risk.free', { free: risk.freeReturnsPerMonth }) : ''}
      </Badge>
      <Badge color={risk.frequentNoReason ? 'red.9' : 'gray.8'} tt="none" data-testid="risk-no-reason">
        {t(risk.noReasonReturns90d === 1 ? 'console.risk.noReason.one' : 'console.risk.noReason.other', {
          count: risk.noReasonReturns90d,
        })}
        {risk.frequentNoReason ? t('console.risk.frequent', { threshold: risk.noReasonReviewThreshold }) : ''}
      </Badge>
    </Group>
  );
}

function LineStages({ view, sourcing }: { view: CaseView; sourcing: CaseSourcing }) {
  const { t, dateTime } = useI18n();
  const returned = new Set(view.return.lines.map((l) => l.orderLineId));
  const quoted = view.return.refundQuote.sourcing?.stages ?? [];
  return (
    <Table verticalSpacing={4} data-testid="line-stages">
      <caption className="visually-hidden">{t('console.stages.caption')}</caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('console.stages.col.line')}</Table.Th>
          <Table.Th scope="col">{t('console.stages.col.stage')}</Table.Th>
          <Table.Th scope="col">{t('console.stages.col.clocks')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sourcing.lines.map((l) => {
          const q = quoted.find((s) => s.orderLineId === l.orderLineId);
          return (
            <Table.Tr key={l.orderLineId} data-stage={l.stage}>
              <Table.Th scope="row" fw={returned.has(l.orderLineId) ? 700 : 400}>
                {l.title}
                <Text size="xs" c="dimmed">
                  {l.sku}
                  {l.seller ? ` · ${l.seller}` : ''}
                  {l.sellerOrderRef ? ` · ${l.sellerOrderRef}` : ''}
                </Text>
              </Table.Th>
              <Table.Td>
                <Badge color="gray.8" tt="none">
                  {stageLabel(t, l.stage)}
                </Badge>
                {l.stageAt && (
                  <Text size="xs" c="dimmed">
                    {t('console.stages.since', { date: dateTime(l.stageAt) })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Stack gap={0}>
                  {q?.sellerDeadline && (
                    <Text size="xs">
                      {t('console.stages.sellerWindow', { date: dateTime(q.sellerDeadline) })}
                    </Text>
                  )}
                  {q?.customerDeadline && (
                    <Text size="xs">
                      {t('console.stages.customerWindow', { date: dateTime(q.customerDeadline) })}
                    </Text>
                  )}
                  {l.domesticDeliveredAt && (
                    <Text size="xs">
                      {t('console.stages.inWarehouse', { date: dateTime(l.domesticDeliveredAt) })}
                    </Text>
                  )}
                  {l.qcAt && <Text size="xs">{t('console.stages.qc', { date: dateTime(l.qcAt) })}</Text>}
                  {l.storageExpiresAt && (
                    <Text size="xs" data-testid="storage-expiry">
                      {t('console.stages.storage', { date: dateTime(l.storageExpiresAt) })}
                    </Text>
                  )}
                </Stack>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

function Claims({ id, claims }: { id: string; claims: Claim[] }) {
  const { t, money, dateTime } = useI18n();
  const [acting, setActing] = useState<{ claim: Claim; action: string } | null>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'stale' | 'error'; text: string } | null>(null);
  const [evidenceOf, setEvidenceOf] = useState<string | null>(null);
  const act = useClaimAction(id);

  if (claims.length === 0)
    return (
      <Text size="sm" data-testid="claims-empty">
        {t('console.claims.empty')}
      </Text>
    );

  const confirm = (extra: { amountRecovered?: number; note?: string }) => {
    if (!acting) return;
    act.mutate(
      { ...acting, ...extra },
      {
        onSuccess: () =>
          setNotice({
            kind: 'ok',
            text: t('console.done', { action: claimActionLabel(t, acting.action) }),
          }),
        onError: (e) =>
          setNotice(
            isApiError(e, 'stale_claim')
              ? { kind: 'stale', text: t('console.claim.stale') }
              : { kind: 'error', text: isApiError(e) ? e.message : t('console.failed') },
          ),
        onSettled: () => setActing(null),
      },
    );
  };

  return (
    <Stack gap="sm">
      <Title order={3} size="h5">
        {t('console.claims.title')}
      </Title>
      {notice && (
        <Alert
          color={notice.kind === 'ok' ? 'teal' : notice.kind === 'stale' ? 'yellow' : 'red'}
          variant="light"
          role={notice.kind === 'ok' ? 'status' : 'alert'}
          data-testid={notice.kind === 'stale' ? 'claim-stale' : 'claim-notice'}
          withCloseButton
          closeButtonLabel={t('console.dismiss')}
          onClose={() => setNotice(null)}
        >
          {notice.text}
        </Alert>
      )}
      {claims.map((c) => (
        <Paper
          key={c.id}
          withBorder
          p="sm"
          radius="md"
          data-testid="claim"
          data-status={c.status}
          data-version={c.version}
        >
          <Stack gap="xs">
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Group gap="xs">
                <Text fw={700}>
                  {label(t, 'claimKind', c.kind)} · {c.seller}
                </Text>
                <Badge color={claimColor(c.status)} data-testid="claim-status">
                  {label(t, 'claimStatus', c.status)}
                </Badge>
              </Group>
              {c.deadlineAt && (
                <Group gap="xs">
                  <Text size="sm">{t('console.claim.sellerDeadline', { date: dateTime(c.deadlineAt) })}</Text>
                  <Badge
                    color={c.hoursLeft !== null && c.hoursLeft <= 48 ? 'red.9' : 'gray.8'}
                    tt="none"
                    data-testid="claim-hours-left"
                  >
                    {hoursText(t, c.hoursLeft)}
                  </Badge>
                </Group>
              )}
            </Group>
            <Text size="sm">
              {fillSlots(t('console.claim.summary'), {
                ref: c.platformOrderRef ?? '—',
                expected: money(c.amountExpected, c.currency),
                recovered: <span data-testid="claim-recovered">{money(c.amountRecovered, c.currency)}</span>,
              })}
            </Text>
            {c.note && <Text size="sm">{t('console.claim.note', { note: c.note })}</Text>}
            {/* The messages are for the seller, in their language: copied as they are, never translated. */}
            <ClaimMessage
              label={t('console.claim.messageZh')}
              copyLabel={t('console.claim.copyZh')}
              lang="zh-CN"
              text={c.messages['zh-CN']}
            />
            <ClaimMessage
              label={t('console.claim.messageEn')}
              copyLabel={t('console.claim.copyEn')}
              lang="en"
              text={c.messages.en}
            />
            <Group gap="xs" wrap="wrap" data-testid="claim-actions">
              {c.allowedActions.map((a) => (
                <Button
                  key={a}
                  size="xs"
                  variant={a === 'cancel' || a === 'refuse' ? 'outline' : 'filled'}
                  color={a === 'cancel' || a === 'refuse' ? 'red.9' : undefined}
                  onClick={() => {
                    setNotice(null);
                    setActing({ claim: c, action: a });
                  }}
                >
                  {claimActionLabel(t, a)}
                </Button>
              ))}
              <Button size="xs" variant="default" onClick={() => setEvidenceOf(c.id)}>
                {t('console.claim.evidencePack')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      ))}
      <ClaimDialog
        acting={acting}
        busy={act.isPending}
        onCancel={() => setActing(null)}
        onConfirm={confirm}
      />
      <EvidenceDialog claimId={evidenceOf} onClose={() => setEvidenceOf(null)} />
    </Stack>
  );
}

function ClaimMessage({
  label,
  copyLabel,
  lang,
  text,
}: {
  label: string;
  copyLabel: string;
  lang: string;
  text: string;
}) {
  const { t } = useI18n();
  return (
    <Stack gap={4} data-testid={`claim-message-${lang}`}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={600}>
          {label}
        </Text>
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="default" onClick={copy} aria-label={copyLabel}>
              {t(copied ? 'console.claim.copied' : 'console.claim.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Code block lang={lang} style={{ whiteSpace: 'pre-wrap' }}>
        {text}
      </Code>
    </Stack>
  );
}

function ClaimDialog({
  acting,
  busy,
  onCancel,
  onConfirm,
}: {
  acting: { claim: Claim; action: string } | null;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (extra: { amountRecovered?: number; note?: string }) => void;
}) {
  const { t } = useI18n();
  return (
    <Modal
      opened={acting !== null}
      onClose={onCancel}
      closeButtonProps={{ 'aria-label': t('console.close') }}
      title={
        acting
          ? t('console.claim.dialogTitle', {
              action: claimActionLabel(t, acting.action),
              seller: acting.claim.seller,
            })
          : ''
      }
    >
      {acting && (
        <ClaimDialogBody
          key={`${acting.claim.id}-${acting.action}`}
          acting={acting}
          busy={busy}
          onCancel={onCancel}
          onConfirm={onConfirm}
        />
      )}
    </Modal>
  );
}

function ClaimDialogBody({
  acting,
  busy,
  onCancel,
  onConfirm,
}: {
  acting: { claim: Claim; action: string };
  busy: boolean;
  onCancel: () => void;
  onConfirm: (extra: { amountRecovered?: number; note?: string }) => void;
}) {
  const { t, money } = useI18n();
  const { claim, action } = acting;
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const exponent = currencyExponent(claim.currency);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (action !== 'refund') return onConfirm({ note: note.trim() || undefined });
    const minor = parseMinor(amount, exponent);
    if (minor === null) return setError(t('console.claim.amountInvalid'));
    if (minor > claim.amountExpected)
      return setError(
        t('console.claim.amountTooHigh', { amount: money(claim.amountExpected, claim.currency) }),
      );
    onConfirm({ amountRecovered: minor, note: note.trim() || undefined });
  };

  return (
    <form onSubmit={submit} data-testid={`claim-dialog-${action}`} noValidate>
      <Stack gap="md">
        <Text size="sm">{CLAIM_CONSEQUENCE[action] ? t(CLAIM_CONSEQUENCE[action]) : ''}</Text>
        {action === 'refund' && (
          <TextInput
            label={t('console.claim.amountLabel', { currency: claim.currency })}
            description={t('console.claim.amountHint', {
              amount: money(claim.amountExpected, claim.currency),
            })}
            inputMode="decimal"
            required
            data-autofocus
            value={amount}
            error={error}
            onChange={(e) => {
              setError(null);
              setAmount(e.currentTarget.value);
            }}
          />
        )}
        <Textarea
          label={t('console.claim.noteOptional')}
          autosize
          minRows={2}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('console.back')}
          </Button>
          <Button type="submit" loading={busy} data-testid="confirm-claim-action">
            {claimActionLabel(t, action)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function EvidenceDialog({ claimId, onClose }: { claimId: string | null; onClose: () => void }) {
  const { t, dateTime } = useI18n();
  const pack = useEvidencePack(claimId);
  return (
    <Modal
      opened={claimId !== null}
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('console.close') }}
      title={t('console.claim.evidencePack')}
      size="xl"
    >
      {pack.isPending && <Loader aria-label={t('console.pack.loading')} />}
      {pack.isError && <ErrorPanel error={pack.error} onRetry={() => void pack.refetch()} compact />}
      {pack.data && (
        <Stack gap="sm" data-testid="evidence-pack">
          <Text size="sm">
            {t('console.pack.summary', {
              rma: pack.data.rmaNumber,
              title: pack.data.line.title,
              stage: stageLabel(t, pack.data.line.stage),
            })}
          </Text>
          {pack.data.remarks.length > 0 && (
            <Stack gap={2}>
              <Text size="sm" fw={600}>
                {t('console.pack.remarks')}
              </Text>
              {pack.data.remarks.map((r) => (
                <Text size="sm" key={r}>
                  “{r}”
                </Text>
              ))}
            </Stack>
          )}
          {pack.data.photos.length === 0 ? (
            <Text size="sm">{t('console.pack.noPhotos')}</Text>
          ) : (
            <Group gap="sm" align="flex-start">
              {pack.data.photos.map((p, i) => (
                <figure key={p.id} style={{ margin: 0 }}>
                  <a href={p.url} target="_blank" rel="noreferrer">
                    <img
                      src={p.url}
                      alt={t(p.kind === 'qc' ? 'console.pack.alt.qc' : 'console.pack.alt.customer', {
                        n: i + 1,
                        date: dateTime(p.takenAt),
                      })}
                      style={{ width: 160, height: 160, objectFit: 'cover', borderRadius: 4 }}
                    />
                  </a>
                  <Text component="figcaption" size="xs">
                    {t(p.kind === 'qc' ? 'console.pack.caption.qc' : 'console.pack.caption.customer', {
                      date: dateTime(p.takenAt),
                    })}
                  </Text>
                </figure>
              ))}
            </Group>
          )}
          <Anchor
            href={`/api/v1/seller-claims/${encodeURIComponent(pack.data.claim.id)}/evidence-pack`}
            target="_blank"
            size="sm"
          >
            {t('console.pack.json')}
          </Anchor>
        </Stack>
      )}
    </Modal>
  );
}
