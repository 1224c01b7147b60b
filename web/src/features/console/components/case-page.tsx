import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Loader,
  Modal,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorBoundary, ErrorPanel } from '../../../components/error-boundary.tsx';
import { ScrollRegion } from '../../../components/scroll-region.tsx';
import { isApiError } from '../../../lib/api.ts';
import type { MessageKey } from '../../../lib/i18n/en.ts';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import {
  type CaseEvent,
  type CaseView,
  caseCalls,
  type Me,
  useCase,
  useCaseMutation,
  useCasePresence,
  useMacroPreview,
  useMacros,
} from '../api/console-api.ts';
import { ActionDialog } from './action-dialog.tsx';
import { label, statusColor, words } from './format.ts';
import { PurchasingPanel } from './purchasing-panel.tsx';

/** Refund statuses and methods sit inside a sentence: lower-case words, as before. */
const lowerWords = (code: string) => code.replaceAll('_', ' ').toLowerCase();

// A macro can approve or reject (MACRO_ACTIONS on the server); each way reads as its own sentence.
const MACRO_OPTION = {
  approve: 'console.reply.option.approve',
  reject: 'console.reply.option.reject',
} as const;
const MACRO_WILL = { approve: 'console.reply.will.approve', reject: 'console.reply.will.reject' } as const;
const MACRO_USING = { approve: 'console.reply.using.approve', reject: 'console.reply.using.reject' } as const;
const MACRO_SEND = { approve: 'console.reply.sendApprove', reject: 'console.reply.sendReject' } as const;
const MACRO_CONFIRM = {
  approve: 'console.reply.confirm.approve',
  reject: 'console.reply.confirm.reject',
} as const;
const MACRO_APPLIED = {
  approve: 'console.reply.applied.approve',
  reject: 'console.reply.applied.reject',
} as const;

/** The sentence for a macro's action; `otherwise` for a macro that only sends. */
function macroKey(
  action: string | null | undefined,
  keys: Record<'approve' | 'reject', MessageKey>,
  otherwise: MessageKey,
): MessageKey {
  return action === 'approve' || action === 'reject' ? keys[action] : otherwise;
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Paper component="section" withBorder p="md" radius="md" data-testid={testId} aria-label={title}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      <ErrorBoundary compact>{children}</ErrorBoundary>
    </Paper>
  );
}

/** `/console/returns/:id`: everything about one case, and what the agent can do with it. */
export function CasePage({ me }: { me: Me }) {
  const { id = '' } = useParams();
  const view = useCase(id);
  const viewers = useCasePresence(id, me.user.id);
  const { t } = useI18n();
  useDocumentTitle(
    view.data
      ? t('console.case.docTitle', { rma: view.data.return.rmaNumber })
      : t('console.case.docTitleLoading'),
    'Returnflow',
  );

  if (view.isPending) return <Loader aria-label={t('console.case.loading')} />;
  if (view.isError)
    return (
      <Stack>
        <Title order={1}>{t('console.case.unavailable')}</Title>
        <ErrorPanel error={view.error} onRetry={() => void view.refetch()} />
        <Anchor component={Link} to="/console">
          {t('console.case.backToQueue')}
        </Anchor>
      </Stack>
    );
  return (
    <CaseBody
      id={id}
      view={view.data}
      viewers={viewers.map((v) => v.name)}
      // Replies, notes and macros are the desk's (docs/security.md); the warehouse handles parcels.
      canTalk={me.user.role !== 'warehouse'}
    />
  );
}

function CaseBody({
  id,
  view,
  viewers,
  canTalk,
}: {
  id: string;
  view: CaseView;
  viewers: string[];
  canTalk: boolean;
}) {
  const { t, dateTime } = useI18n();
  const ret = view.return;
  // The version the agent saw when choosing the action: if the return changes meanwhile (another
  // agent, a webhook), the server refuses it as stale instead of acting on a case nobody reviewed.
  const [action, setAction] = useState<{ name: string; version: number } | null>(null);
  const [notice, setNotice] = useState<{ kind: 'stale' | 'ok' | 'error'; text: string } | null>(null);
  const act = useCaseMutation(id, caseCalls.action(id));

  const onError = (e: unknown) => {
    if (isApiError(e, 'stale_return')) setNotice({ kind: 'stale', text: t('console.case.stale') });
    // The server's message is kept as sent: it explains a refusal the console cannot word itself.
    else setNotice({ kind: 'error', text: isApiError(e) ? e.message : t('console.failed') });
  };

  const confirm = (body: Record<string, unknown>) => {
    if (!action) return;
    const { name, version } = action;
    act.mutate(
      { action: name, body: { ...body, expectedVersion: version } },
      {
        onSuccess: () =>
          setNotice({ kind: 'ok', text: t('console.done', { action: label(t, 'action', name, (n) => n) }) }),
        onError,
        onSettled: () => setAction(null),
      },
    );
  };

  return (
    <Stack gap="md" data-testid="case-page" data-status={ret.status} data-version={ret.version}>
      <Anchor component={Link} to="/console" size="sm">
        {t('console.case.backLink')}
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1} data-testid="case-rma">
              {ret.rmaNumber}
            </Title>
            <Badge size="lg" color={statusColor(ret.status)} data-testid="case-status">
              {label(t, 'status', ret.status)}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {t('console.case.meta', {
              resolution: label(t, 'resolution', ret.resolution),
              date: dateTime(ret.createdAt),
              version: ret.version,
            })}
          </Text>
          {viewers.length > 0 && (
            <Text size="sm" fw={600} data-testid="presence" role="status">
              {t(viewers.length === 1 ? 'console.case.viewingOne' : 'console.case.viewingMany', {
                names: viewers.join(', '),
              })}
            </Text>
          )}
        </Stack>
        <Group gap="xs" data-testid="case-actions">
          {ret.allowedActions.length === 0 && <Text size="sm">{t('console.case.noActions')}</Text>}
          {ret.allowedActions.map((a) => (
            <Button
              key={a}
              variant={a === 'reject' || a === 'cancel' ? 'outline' : 'filled'}
              color={a === 'reject' || a === 'cancel' ? 'red.9' : undefined}
              onClick={() => {
                setNotice(null);
                setAction({ name: a, version: ret.version });
              }}
            >
              {label(t, 'action', a)}
            </Button>
          ))}
        </Group>
      </Group>

      {notice && (
        <Alert
          color={notice.kind === 'ok' ? 'teal' : notice.kind === 'stale' ? 'yellow' : 'red'}
          variant="light"
          role={notice.kind === 'ok' ? 'status' : 'alert'}
          data-testid={notice.kind === 'stale' ? 'stale-message' : 'case-notice'}
          withCloseButton
          closeButtonLabel={t('console.dismiss')}
          onClose={() => setNotice(null)}
        >
          {notice.text}
        </Alert>
      )}

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <Section title={t('console.case.section.decision')} testId="decision">
              <Decision view={view} />
            </Section>
            {view.sourcing && (
              <Section title={t('console.case.section.purchasing')} testId="purchasing">
                <PurchasingPanel id={id} view={view} sourcing={view.sourcing} />
              </Section>
            )}
            <Section title={t('console.case.section.lines')} testId="lines">
              <Lines view={view} />
            </Section>
            <Section title={t('console.case.section.evidence')} testId="evidence">
              <Evidence view={view} />
            </Section>
            {canTalk && (
              <>
                <Section title={t('console.case.section.reply')} testId="reply">
                  <Reply id={id} version={ret.version} onError={onError} />
                </Section>
                <Section title={t('console.case.section.note')} testId="note">
                  <NoteBox id={id} />
                </Section>
              </>
            )}
            <Section title={t('console.case.section.timeline')} testId="timeline">
              <Timeline events={view.events} />
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <Section title={t('console.case.section.customer')} testId="customer">
              <Customer view={view} />
            </Section>
            <Section title={t('console.case.section.order')} testId="order">
              <Order view={view} />
            </Section>
          </Stack>
        </Grid.Col>
      </Grid>

      <ActionDialog
        action={action?.name ?? null}
        ret={ret}
        busy={act.isPending}
        onCancel={() => setAction(null)}
        onConfirm={confirm}
      />
    </Stack>
  );
}

function Decision({ view }: { view: CaseView }) {
  const { t } = useI18n();
  const d = view.return.decision;
  return (
    <Stack gap="sm">
      <Text fw={600} data-testid="decision-outcome">
        {d.automatic === false
          ? t('console.decision.byPerson', { outcome: label(t, 'status', d.outcome) })
          : d.outcome === 'approved'
            ? t('console.decision.autoApproved')
            : d.outcome === 'rejected'
              ? t('console.decision.autoRejected')
              : t('console.decision.sentToPerson')}
      </Text>
      <Text size="sm">{t('console.decision.found')}</Text>
      {d.explanation.length > 0 && (
        <ul style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
          {d.explanation.map((e) => (
            <li key={e}>
              <Text size="sm">{e}</Text>
            </li>
          ))}
        </ul>
      )}
      {d.rules.length > 0 && (
        <ScrollRegion label={t('console.table.region', { name: t('console.decision.caption') })}>
          <Table data-testid="rule-trace" verticalSpacing={4}>
            <caption className="visually-hidden">{t('console.decision.caption')}</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('console.decision.col.rule')}</Table.Th>
                <Table.Th scope="col">{t('console.decision.col.result')}</Table.Th>
                <Table.Th scope="col">{t('console.decision.col.action')}</Table.Th>
                <Table.Th scope="col">{t('console.decision.col.note')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.rules.map((r) => (
                <Table.Tr key={r.ruleId} data-fired={r.fired} className="rule-row">
                  <Table.Th scope="row" fw={r.fired ? 700 : 400}>
                    {r.ruleId}
                  </Table.Th>
                  <Table.Td>
                    {r.fired ? (
                      <Badge color="violet.9">{t('console.decision.fired')}</Badge>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('console.decision.notMatched')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{label(t, 'rule', r.action)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.note ?? ''}</Text>
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

function Lines({ view }: { view: CaseView }) {
  const { t, money } = useI18n();
  const ret = view.return;
  const q = ret.refundQuote;
  // The store-credit bonus, as a row of its own: the total is what the customer receives.
  const bonus = q.breakdown?.rows.find((r) => r.code === 'bonus')?.amount ?? 0;
  const fees: [string, number | undefined][] = [
    [t('console.lines.returnShippingFee'), q.returnShippingFee as number | undefined],
    [t('console.lines.restockingFee'), q.restockingFee as number | undefined],
  ];
  return (
    <Stack gap="sm">
      <ScrollRegion label={t('console.table.region', { name: t('console.lines.caption') })}>
        <Table verticalSpacing={4}>
          <caption className="visually-hidden">{t('console.lines.caption')}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('console.lines.col.item')}</Table.Th>
              <Table.Th scope="col">{t('console.lines.col.qty')}</Table.Th>
              <Table.Th scope="col">{t('console.lines.col.reason')}</Table.Th>
              <Table.Th scope="col">{t('console.lines.col.inspection')}</Table.Th>
              <Table.Th scope="col" className="money">
                {t('console.lines.col.refund')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {ret.lines.map((l) => (
              <Table.Tr key={l.id}>
                <Table.Th scope="row" fw={400}>
                  {l.title}
                  <Text size="xs" c="dimmed">
                    {l.sku}
                  </Text>
                </Table.Th>
                <Table.Td>{l.quantity}</Table.Td>
                <Table.Td>
                  {/* The shop's own reason code: data, shown as stored. */}
                  {words(l.reasonCode)}
                  {l.note && (
                    <Text size="xs" c="dimmed">
                      “{l.note}”
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {l.acceptedQuantity === null
                    ? '—'
                    : t('console.lines.accepted', {
                        count: l.acceptedQuantity,
                        condition: label(t, 'condition', l.condition ?? 'new'),
                      })}
                </Table.Td>
                <Table.Td className="money">{money(l.refundAmount, ret.currency)}</Table.Td>
              </Table.Tr>
            ))}
            {fees
              .filter(([, v]) => typeof v === 'number' && v !== 0)
              .map(([label, v]) => (
                <Table.Tr key={label}>
                  <Table.Th scope="row" fw={400} colSpan={4}>
                    {label}
                  </Table.Th>
                  <Table.Td className="money">−{money(Math.abs(v as number), ret.currency)}</Table.Td>
                </Table.Tr>
              ))}
            {ret.adjustment && (
              <Table.Tr>
                <Table.Th scope="row" fw={400} colSpan={4}>
                  {t('console.lines.adjustment', { reason: ret.adjustment.reason })}
                </Table.Th>
                <Table.Td className="money">{money(ret.adjustment.amount, ret.currency)}</Table.Td>
              </Table.Tr>
            )}
            {bonus > 0 && (
              <Table.Tr data-row="bonus">
                <Table.Th scope="row" fw={400} colSpan={4}>
                  {t('console.lines.bonus')}
                </Table.Th>
                <Table.Td className="money">{money(bonus, ret.currency)}</Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th scope="row" colSpan={4}>
                {t('console.lines.total')}
              </Table.Th>
              <Table.Td className="money" fw={700} data-testid="case-refund-total">
                {money(q.breakdown?.total ?? ret.refundTotal, ret.currency)}
              </Table.Td>
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </ScrollRegion>
      {ret.customerNote && (
        <Text size="sm">{t('console.lines.customerNote', { note: ret.customerNote })}</Text>
      )}
      {ret.refund && (
        <Text size="sm" data-testid="refund-status">
          {t('console.lines.refund', {
            status: label(t, 'refundStatus', ret.refund.status, lowerWords),
            amount: money(ret.refund.amount, ret.refund.currency),
            method: label(t, 'refundMethod', ret.refund.method, lowerWords),
          })}
          {ret.refund.failureMessage ? ` — ${ret.refund.failureMessage}` : ''}
        </Text>
      )}
    </Stack>
  );
}

function Evidence({ view }: { view: CaseView }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<string | null>(null);
  const photos = view.return.evidence;
  if (photos.length === 0) return <Text size="sm">{t('console.evidence.none')}</Text>;
  return (
    <>
      <Group gap="sm">
        {photos.map((p, i) => (
          <UnstyledButton
            key={p.id}
            className="photo-thumb console-thumb"
            onClick={() => setOpen(p.url)}
            aria-label={t('console.evidence.enlarge', { n: i + 1, total: photos.length })}
          >
            <img src={p.url} alt="" loading="lazy" />
          </UnstyledButton>
        ))}
      </Group>
      <Modal
        opened={open !== null}
        onClose={() => setOpen(null)}
        title={t('console.evidence.photo')}
        size="xl"
        closeButtonProps={{ 'aria-label': t('console.close') }}
      >
        {open && <img src={open} alt={t('console.evidence.alt')} style={{ maxWidth: '100%' }} />}
      </Modal>
    </>
  );
}

function Customer({ view }: { view: CaseView }) {
  const { t, dateTime } = useI18n();
  const c = view.customer;
  const rate = Math.round(c.history.returnRate * 100);
  const past = c.history.returns.filter((r) => r.id !== view.return.id);
  return (
    <Stack gap="xs">
      <Text fw={600}>{c.name || c.email}</Text>
      <Text size="sm">{c.email}</Text>
      <Text size="sm" data-testid="return-rate">
        {t(c.history.orderCount === 1 ? 'console.customer.orders.one' : 'console.customer.orders.other', {
          count: c.history.orderCount,
          rate,
        })}
      </Text>
      {past.length > 0 ? (
        <Stack gap={2} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {past.map((r) => (
            <li key={r.id}>
              <Anchor component={Link} to={`/console/returns/${r.id}`} size="sm">
                {r.rmaNumber}
              </Anchor>{' '}
              <Text span size="sm">
                {label(t, 'status', r.status)} · {dateTime(r.createdAt)}
              </Text>
            </li>
          ))}
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          {t('console.customer.noOther')}
        </Text>
      )}
    </Stack>
  );
}

function Order({ view }: { view: CaseView }) {
  const { t, money, dateTime } = useI18n();
  const o = view.order;
  const currency = (o.currency as string | undefined) ?? view.return.currency;
  const p = o.payment;
  const rows: [string, string][] = [
    [t('console.order.order'), String(o.orderNumber ?? '—')],
    ...(o.placedAt
      ? ([[t('console.order.placed'), dateTime(String(o.placedAt))]] as [string, string][])
      : []),
    ...(typeof o.totalAmount === 'number'
      ? ([[t('console.order.total'), money(o.totalAmount, currency)]] as [string, string][])
      : []),
    ...(p
      ? ([
          [t('console.order.captured'), money(p.capturedAmount, currency)],
          [t('console.order.refundedSoFar'), money(p.refundedAmount, currency)],
          ...(p.creditIssuedAmount
            ? ([
                [
                  t(view.sourcing ? 'console.order.walletSoFar' : 'console.order.creditSoFar'),
                  money(p.creditIssuedAmount, currency),
                ],
              ] as [string, string][])
            : []),
          [t('console.order.refundable'), money(p.refundableAmount, currency)],
        ] as [string, string][])
      : []),
  ];
  return (
    <ScrollRegion label={t('console.table.region', { name: t('console.case.section.order') })}>
      <Table verticalSpacing={2}>
        <caption className="visually-hidden">{t('console.case.section.order')}</caption>
        <Table.Tbody>
          {rows.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Th scope="row" fw={400}>
                {k}
              </Table.Th>
              <Table.Td className="money">{v}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}

function Timeline({ events }: { events: CaseEvent[] }) {
  const { t, dateTime } = useI18n();
  // Newest first: the server sends them in the order they happened (time, then writing order).
  const sorted = [...events].reverse();
  return (
    <ol className="console-timeline" data-testid="timeline-list">
      {sorted.map((e) => {
        const delivery = e.action.startsWith('notify_');
        const internal = e.visibility === 'internal';
        if (delivery)
          return (
            <li key={e.id} data-kind="delivery" data-action={e.action}>
              <Text size="xs" c="dimmed">
                <time dateTime={e.createdAt}>{dateTime(e.createdAt)}</time> · {e.note}
              </Text>
            </li>
          );
        return (
          <li key={e.id} data-kind={internal ? 'internal' : 'customer'} data-action={e.action}>
            <Group gap="xs" wrap="wrap">
              <Badge size="sm" color={internal ? 'gray.8' : 'brand'}>
                {t(internal ? 'console.timeline.internal' : 'console.timeline.customerSees')}
              </Badge>
              <Text size="sm" fw={600}>
                {e.action === 'staff_message'
                  ? t('console.timeline.staffMessage')
                  : label(t, 'event', e.action)}
                {e.fromStatus && e.fromStatus !== e.toStatus ? ` → ${label(t, 'status', e.toStatus)}` : ''}
              </Text>
              <Text size="xs" c="dimmed">
                <time dateTime={e.createdAt}>{dateTime(e.createdAt)}</time> ·{' '}
                {label(t, 'actor', e.actor.type, (a) => a)}
              </Text>
            </Group>
            {e.note && (
              <Text size="sm" mt={2} style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
                {e.note}
              </Text>
            )}
          </li>
        );
      })}
    </ol>
  );
}

function NoteBox({ id }: { id: string }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const save = useCaseMutation(id, caseCalls.note(id));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!note.trim()) return;
    save.mutate(note.trim(), { onSuccess: () => setNote('') });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        <Textarea
          label={t('console.note.label')}
          autosize
          minRows={2}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        {save.isError && <ErrorPanel error={save.error} compact />}
        <div>
          <Button type="submit" variant="default" loading={save.isPending} disabled={!note.trim()}>
            {t('console.note.add')}
          </Button>
        </div>
      </Stack>
    </form>
  );
}

function Reply({ id, version, onError }: { id: string; version: number; onError: (e: unknown) => void }) {
  const { t } = useI18n();
  const macros = useMacros();
  const [message, setMessage] = useState('');
  const [macroId, setMacroId] = useState('');
  // The macro whose filled text is in the box, and the decision sending it will also make.
  const [using, setUsing] = useState<{
    id: string;
    name: string;
    action: 'approve' | 'reject' | null;
  } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const preview = useMacroPreview(id);
  const send = useCaseMutation(id, caseCalls.reply(id));
  const apply = useCaseMutation(id, caseCalls.macro(id));
  const [sent, setSent] = useState<string | null>(null);
  const list = macros.data?.data ?? [];
  const chosen = list.find((m) => m.id === macroId);

  const fillFromMacro = () => {
    if (!chosen) return;
    setSent(null);
    preview.mutate(chosen.id, {
      onSuccess: (p) => {
        setMessage(p.message);
        setUsing({ id: chosen.id, name: chosen.name, action: p.action });
        setMacroId('');
      },
      onError,
    });
  };
  const done = (text: string) => {
    setMessage('');
    setUsing(null);
    setConfirming(false);
    setSent(text);
  };
  const deliver = () => {
    const text = message.trim();
    if (!text) return;
    setSent(null);
    if (using) {
      const m = using;
      apply.mutate(
        { macroId: m.id, expectedVersion: version, message: text },
        {
          onSuccess: () =>
            done(t(macroKey(m.action, MACRO_APPLIED, 'console.reply.applied'), { name: m.name })),
          onError: (e) => {
            setConfirming(false);
            onError(e);
          },
        },
      );
    } else {
      send.mutate(text, { onSuccess: () => done(t('console.reply.sent')), onError });
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!message.trim()) return;
    // A decision goes to the customer too: it is confirmed first, never made by a click on "send".
    if (using?.action) setConfirming(true);
    else deliver();
  };
  const failed = send.error ?? apply.error;

  return (
    <Stack gap="sm">
      <Group gap="xs" align="flex-end" wrap="wrap">
        <NativeSelect
          label={t('console.reply.macro')}
          value={macroId}
          onChange={(e) => setMacroId(e.currentTarget.value)}
          data={[
            { value: '', label: t(list.length ? 'console.reply.choose' : 'console.reply.noMacros') },
            ...list.map((m) => ({
              value: m.id,
              label: m.action
                ? t(macroKey(m.action, MACRO_OPTION, 'console.reply.option.other'), {
                    name: m.name,
                    action: m.action,
                  })
                : m.name,
            })),
          ]}
          w={300}
        />
        <Button variant="default" disabled={!chosen} loading={preview.isPending} onClick={fillFromMacro}>
          {t('console.reply.apply')}
        </Button>
      </Group>
      {chosen && (
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-line' }} data-testid="macro-preview">
          {t(macroKey(chosen.action, MACRO_WILL, 'console.reply.will.send'))}
          {chosen.body}
        </Text>
      )}
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Textarea
            label={t('console.reply.message')}
            description={t('console.reply.messageHint')}
            autosize
            minRows={3}
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
            data-testid="reply-message"
          />
          {using && (
            <Group gap="xs" data-testid="macro-in-use" data-action={using.action ?? ''}>
              <Text size="sm">
                {t(macroKey(using.action, MACRO_USING, 'console.reply.using.send'), { name: using.name })}
              </Text>
              <Anchor
                component="button"
                type="button"
                size="sm"
                onClick={() => {
                  setUsing(null);
                  setMessage('');
                }}
              >
                {t('console.reply.discard')}
              </Anchor>
            </Group>
          )}
          {failed && !isApiError(failed, 'stale_return') && <ErrorPanel error={failed} compact />}
          <div>
            <Button type="submit" loading={send.isPending || apply.isPending} disabled={!message.trim()}>
              {t(macroKey(using?.action, MACRO_SEND, 'console.reply.send'))}
            </Button>
          </div>
        </Stack>
      </form>
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t(macroKey(using?.action, MACRO_CONFIRM, 'console.reply.send'))}
      >
        <Stack gap="md" data-testid="macro-confirm">
          <Text size="sm">{t('console.reply.confirmLead')}</Text>
          <Text size="sm" style={{ whiteSpace: 'pre-line' }} data-testid="macro-confirm-text">
            {message.trim()}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('console.cancel')}
            </Button>
            <Button
              color={using?.action === 'reject' ? 'red.9' : undefined}
              loading={apply.isPending}
              onClick={deliver}
              data-testid="macro-confirm-send"
            >
              {t(macroKey(using?.action, MACRO_SEND, 'console.reply.send'))}
            </Button>
          </Group>
        </Stack>
      </Modal>
      {sent && (
        <Alert color="teal" variant="light" role="status" data-testid="reply-sent">
          {sent}
        </Alert>
      )}
    </Stack>
  );
}
