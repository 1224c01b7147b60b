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
import { I18nProvider } from '../../../lib/i18n/i18n-provider.tsx';
import { currencyExponent } from '../../../lib/money.ts';
import type { CaseView } from '../api/console-api.ts';
import {
  type CaseSourcing,
  CLAIM_ACTION_LABELS,
  type Claim,
  useClaimAction,
  useEvidencePack,
} from '../api/sourcing-api.ts';
import { dateTime, money, parseMinor, stageLabel, words } from './format.ts';

const STALE_CLAIM = 'This claim was changed by someone else — reloaded. Check it and try again.';

const CLAIM_CONSEQUENCE: Record<string, string> = {
  send: 'Records that the claim message went to the seller on their platform.',
  accept: 'Records that the seller agreed. An accepted cancellation approves the waiting return.',
  refuse: 'Records that the seller said no. The money stays unrecovered.',
  refund: 'Records what the seller actually paid back; the line goes back to the seller.',
  cancel: 'Stops pursuing this claim. This cannot be undone.',
};

function claimColor(status: string): string {
  if (status === 'refused' || status === 'expired') return 'red.9';
  if (status === 'accepted' || status === 'refunded') return 'teal.9';
  if (status === 'cancelled') return 'gray.8';
  return 'violet.9';
}

/** "in 30 h", "2 d 4 h left", "closed": how long the seller still accepts the claim. */
function hoursText(hours: number | null): string {
  if (hours === null) return 'No deadline';
  if (hours <= 0) return 'Deadline passed';
  if (hours < 48) return `${hours} h left`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h left`;
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
  const q = view.return.refundQuote;
  return (
    <Stack gap="md">
      <RiskBadges risk={sourcing.risk} />
      <LineStages view={view} sourcing={sourcing} />
      <Claims id={id} claims={sourcing.claims} />
      {q.sourcing && (
        <Stack gap="xs">
          <Title order={3} size="h5">
            Refund, fee by fee (what the customer sees)
          </Title>
          {/* The customer-facing table, in English like the rest of the console. */}
          <I18nProvider initial="en" scoped>
            <ItemisedRefund
              itemised={q.sourcing.itemised}
              currency={q.currency}
              refundTo={q.sourcing.refundTo}
              display={q.sourcing.display}
              testId="case-itemised"
            />
          </I18nProvider>
        </Stack>
      )}
    </Stack>
  );
}

function RiskBadges({ risk }: { risk: CaseSourcing['risk'] }) {
  const overQuota = risk.freeReturnsPerMonth !== null && risk.returnsThisMonth > risk.freeReturnsPerMonth;
  return (
    <Group gap="xs" wrap="wrap" data-testid="risk-badges">
      <Badge color={overQuota ? 'red.9' : 'gray.8'} tt="none">
        {risk.returnsThisMonth} return{risk.returnsThisMonth === 1 ? '' : 's'} this month
        {risk.freeReturnsPerMonth !== null ? ` (${risk.freeReturnsPerMonth} free)` : ''}
      </Badge>
      <Badge color={risk.frequentNoReason ? 'red.9' : 'gray.8'} tt="none" data-testid="risk-no-reason">
        {risk.noReasonReturns90d} no-reason return{risk.noReasonReturns90d === 1 ? '' : 's'} in 90 days
        {risk.frequentNoReason ? ` — frequent (review from ${risk.noReasonReviewThreshold})` : ''}
      </Badge>
    </Group>
  );
}

function LineStages({ view, sourcing }: { view: CaseView; sourcing: CaseSourcing }) {
  const returned = new Set(view.return.lines.map((l) => l.orderLineId));
  const quoted = view.return.refundQuote.sourcing?.stages ?? [];
  return (
    <Table verticalSpacing={4} data-testid="line-stages">
      <caption className="visually-hidden">Order lines with their stage and deadlines</caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Line</Table.Th>
          <Table.Th scope="col">Stage</Table.Th>
          <Table.Th scope="col">Clocks</Table.Th>
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
                  {stageLabel(l.stage)}
                </Badge>
                {l.stageAt && (
                  <Text size="xs" c="dimmed">
                    since {dateTime(l.stageAt)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Stack gap={0}>
                  {q?.sellerDeadline && (
                    <Text size="xs">Seller window until {dateTime(q.sellerDeadline)}</Text>
                  )}
                  {q?.customerDeadline && (
                    <Text size="xs">Customer window until {dateTime(q.customerDeadline)}</Text>
                  )}
                  {l.domesticDeliveredAt && (
                    <Text size="xs">In warehouse {dateTime(l.domesticDeliveredAt)}</Text>
                  )}
                  {l.qcAt && <Text size="xs">QC {dateTime(l.qcAt)}</Text>}
                  {l.storageExpiresAt && (
                    <Text size="xs" data-testid="storage-expiry">
                      Storage expires {dateTime(l.storageExpiresAt)}
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
  const [acting, setActing] = useState<{ claim: Claim; action: string } | null>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'stale' | 'error'; text: string } | null>(null);
  const [evidenceOf, setEvidenceOf] = useState<string | null>(null);
  const act = useClaimAction(id);

  if (claims.length === 0)
    return (
      <Text size="sm" data-testid="claims-empty">
        No claim on a seller for this return (the seller is not involved at this stage).
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
            text: `${CLAIM_ACTION_LABELS[acting.action] ?? words(acting.action)}: done.`,
          }),
        onError: (e) =>
          setNotice(
            isApiError(e, 'stale_claim')
              ? { kind: 'stale', text: STALE_CLAIM }
              : { kind: 'error', text: isApiError(e) ? e.message : 'That did not work. Try again.' },
          ),
        onSettled: () => setActing(null),
      },
    );
  };

  return (
    <Stack gap="sm">
      <Title order={3} size="h5">
        Claims on sellers
      </Title>
      {notice && (
        <Alert
          color={notice.kind === 'ok' ? 'teal' : notice.kind === 'stale' ? 'yellow' : 'red'}
          variant="light"
          role={notice.kind === 'ok' ? 'status' : 'alert'}
          data-testid={notice.kind === 'stale' ? 'claim-stale' : 'claim-notice'}
          withCloseButton
          closeButtonLabel="Dismiss"
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
                  {words(c.kind)} · {c.seller}
                </Text>
                <Badge color={claimColor(c.status)} data-testid="claim-status">
                  {words(c.status)}
                </Badge>
              </Group>
              {c.deadlineAt && (
                <Group gap="xs">
                  <Text size="sm">Seller deadline {dateTime(c.deadlineAt)}</Text>
                  <Badge
                    color={c.hoursLeft !== null && c.hoursLeft <= 48 ? 'red.9' : 'gray.8'}
                    tt="none"
                    data-testid="claim-hours-left"
                  >
                    {hoursText(c.hoursLeft)}
                  </Badge>
                </Group>
              )}
            </Group>
            <Text size="sm">
              Platform order {c.platformOrderRef ?? '—'} · expected {money(c.amountExpected, c.currency)} ·
              recovered <span data-testid="claim-recovered">{money(c.amountRecovered, c.currency)}</span>
            </Text>
            {c.note && <Text size="sm">Note: {c.note}</Text>}
            <ClaimMessage label="Message in Simplified Chinese" lang="zh-CN" text={c.messages['zh-CN']} />
            <ClaimMessage label="Message in English" lang="en" text={c.messages.en} />
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
                  {CLAIM_ACTION_LABELS[a] ?? words(a)}
                </Button>
              ))}
              <Button size="xs" variant="default" onClick={() => setEvidenceOf(c.id)}>
                Evidence pack
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

function ClaimMessage({ label, lang, text }: { label: string; lang: string; text: string }) {
  return (
    <Stack gap={4} data-testid={`claim-message-${lang}`}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={600}>
          {label}
        </Text>
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button
              size="compact-xs"
              variant="default"
              onClick={copy}
              aria-label={`Copy the ${label.toLowerCase()}`}
            >
              {copied ? 'Copied' : 'Copy'}
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
  const label = acting ? (CLAIM_ACTION_LABELS[acting.action] ?? words(acting.action)) : '';
  return (
    <Modal
      opened={acting !== null}
      onClose={onCancel}
      closeButtonProps={{ 'aria-label': 'Close' }}
      title={acting ? `${label}: ${acting.claim.seller}?` : ''}
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
  const { claim, action } = acting;
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const exponent = currencyExponent(claim.currency);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (action !== 'refund') return onConfirm({ note: note.trim() || undefined });
    const minor = parseMinor(amount, exponent);
    if (minor === null) return setError('Enter the amount the seller paid, e.g. 60.00.');
    if (minor > claim.amountExpected)
      return setError(`At most ${money(claim.amountExpected, claim.currency)}, the amount claimed.`);
    onConfirm({ amountRecovered: minor, note: note.trim() || undefined });
  };

  return (
    <form onSubmit={submit} data-testid={`claim-dialog-${action}`} noValidate>
      <Stack gap="md">
        <Text size="sm">{CLAIM_CONSEQUENCE[action] ?? ''}</Text>
        {action === 'refund' && (
          <TextInput
            label={`Amount the seller refunded (${claim.currency})`}
            description={`Claimed: ${money(claim.amountExpected, claim.currency)}. A partial refund is fine.`}
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
          label="Note (optional)"
          autosize
          minRows={2}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Back
          </Button>
          <Button type="submit" loading={busy} data-testid="confirm-claim-action">
            {CLAIM_ACTION_LABELS[action] ?? words(action)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function EvidenceDialog({ claimId, onClose }: { claimId: string | null; onClose: () => void }) {
  const pack = useEvidencePack(claimId);
  return (
    <Modal
      opened={claimId !== null}
      onClose={onClose}
      closeButtonProps={{ 'aria-label': 'Close' }}
      title="Evidence pack"
      size="xl"
    >
      {pack.isPending && <Loader aria-label="Loading the evidence pack" />}
      {pack.isError && <ErrorPanel error={pack.error} onRetry={() => void pack.refetch()} compact />}
      {pack.data && (
        <Stack gap="sm" data-testid="evidence-pack">
          <Text size="sm">
            {pack.data.rmaNumber} · {pack.data.line.title} · stage {stageLabel(pack.data.line.stage)}
          </Text>
          {pack.data.remarks.length > 0 && (
            <Stack gap={2}>
              <Text size="sm" fw={600}>
                Order remarks
              </Text>
              {pack.data.remarks.map((r) => (
                <Text size="sm" key={r}>
                  “{r}”
                </Text>
              ))}
            </Stack>
          )}
          {pack.data.photos.length === 0 ? (
            <Text size="sm">No photos yet. The warehouse adds QC photos on the warehouse page.</Text>
          ) : (
            <Group gap="sm" align="flex-start">
              {pack.data.photos.map((p, i) => (
                <figure key={p.id} style={{ margin: 0 }}>
                  <a href={p.url} target="_blank" rel="noreferrer">
                    <img
                      src={p.url}
                      alt={`${p.kind === 'qc' ? 'QC' : 'Customer'} evidence ${i + 1}, taken ${dateTime(p.takenAt)}`}
                      style={{ width: 160, height: 160, objectFit: 'cover', borderRadius: 4 }}
                    />
                  </a>
                  <Text component="figcaption" size="xs">
                    {p.kind === 'qc' ? 'QC photo' : 'Customer photo'}, taken {dateTime(p.takenAt)}
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
            Open the evidence pack as data (JSON)
          </Anchor>
        </Stack>
      )}
    </Modal>
  );
}
