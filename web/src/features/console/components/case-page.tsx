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
import { isApiError } from '../../../lib/api.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import {
  type CaseEvent,
  type CaseView,
  caseCalls,
  type Me,
  useCase,
  useCaseMutation,
  useCasePresence,
  useMacros,
} from '../api/console-api.ts';
import { ActionDialog } from './action-dialog.tsx';
import { ACTION_LABELS, dateTime, money, statusColor, words } from './format.ts';
import { PurchasingPanel } from './purchasing-panel.tsx';

const STALE = 'This return was changed by someone else — reloaded. Check it and try again.';

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
  useDocumentTitle(view.data ? `${view.data.return.rmaNumber} · Console` : 'Case · Console', 'Returnflow');

  if (view.isPending) return <Loader aria-label="Loading the case" />;
  if (view.isError)
    return (
      <Stack>
        <Title order={1}>Case not available</Title>
        <ErrorPanel error={view.error} onRetry={() => void view.refetch()} />
        <Anchor component={Link} to="/console">
          Back to the queue
        </Anchor>
      </Stack>
    );
  return <CaseBody id={id} view={view.data} viewers={viewers.map((v) => v.name)} />;
}

function CaseBody({ id, view, viewers }: { id: string; view: CaseView; viewers: string[] }) {
  const ret = view.return;
  // The version the agent saw when choosing the action: if the return changes meanwhile (another
  // agent, a webhook), the server refuses it as stale instead of acting on a case nobody reviewed.
  const [action, setAction] = useState<{ name: string; version: number } | null>(null);
  const [notice, setNotice] = useState<{ kind: 'stale' | 'ok' | 'error'; text: string } | null>(null);
  const act = useCaseMutation(id, caseCalls.action(id));

  const onError = (e: unknown) => {
    if (isApiError(e, 'stale_return')) setNotice({ kind: 'stale', text: STALE });
    else setNotice({ kind: 'error', text: isApiError(e) ? e.message : 'That did not work. Try again.' });
  };

  const confirm = (body: Record<string, unknown>) => {
    if (!action) return;
    const { name, version } = action;
    act.mutate(
      { action: name, body: { ...body, expectedVersion: version } },
      {
        onSuccess: () => setNotice({ kind: 'ok', text: `${ACTION_LABELS[name] ?? name}: done.` }),
        onError,
        onSettled: () => setAction(null),
      },
    );
  };

  return (
    <Stack gap="md" data-testid="case-page" data-status={ret.status} data-version={ret.version}>
      <Anchor component={Link} to="/console" size="sm">
        ← Back to the queue
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1} data-testid="case-rma">
              {ret.rmaNumber}
            </Title>
            <Badge size="lg" color={statusColor(ret.status)} data-testid="case-status">
              {words(ret.status)}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {words(ret.resolution)} · opened {dateTime(ret.createdAt)} · version {ret.version}
          </Text>
          {viewers.length > 0 && (
            <Text size="sm" fw={600} data-testid="presence" role="status">
              {viewers.join(', ')} {viewers.length === 1 ? 'is' : 'are'} also viewing
            </Text>
          )}
        </Stack>
        <Group gap="xs" data-testid="case-actions">
          {ret.allowedActions.length === 0 && <Text size="sm">No actions left on this return.</Text>}
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
              {ACTION_LABELS[a] ?? words(a)}
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
          closeButtonLabel="Dismiss"
          onClose={() => setNotice(null)}
        >
          {notice.text}
        </Alert>
      )}

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <Section title="Policy decision" testId="decision">
              <Decision view={view} />
            </Section>
            {view.sourcing && (
              <Section title="Purchasing" testId="purchasing">
                <PurchasingPanel id={id} view={view} sourcing={view.sourcing} />
              </Section>
            )}
            <Section title="Items and refund" testId="lines">
              <Lines view={view} />
            </Section>
            <Section title="Evidence" testId="evidence">
              <Evidence view={view} />
            </Section>
            <Section title="Reply to the customer" testId="reply">
              <Reply id={id} version={ret.version} onError={onError} />
            </Section>
            <Section title="Internal note" testId="note">
              <NoteBox id={id} />
            </Section>
            <Section title="Timeline" testId="timeline">
              <Timeline events={view.events} />
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <Section title="Customer" testId="customer">
              <Customer view={view} />
            </Section>
            <Section title="Order and payment" testId="order">
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
  const d = view.return.decision;
  return (
    <Stack gap="sm">
      <Text fw={600} data-testid="decision-outcome">
        {d.automatic === false
          ? `${words(d.outcome)} by a person after review.`
          : d.outcome === 'approved'
            ? 'The policy approved this return automatically.'
            : d.outcome === 'rejected'
              ? 'The policy rejected this return automatically.'
              : 'The policy sent this return to a person to decide.'}
      </Text>
      <Text size="sm">What the policy found when the return was filed:</Text>
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
        <Table data-testid="rule-trace" verticalSpacing={4}>
          <caption className="visually-hidden">Rules the policy checked</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Rule</Table.Th>
              <Table.Th scope="col">Result</Table.Th>
              <Table.Th scope="col">Action</Table.Th>
              <Table.Th scope="col">Note</Table.Th>
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
                    <Badge color="violet.9">Fired</Badge>
                  ) : (
                    <Text size="sm" c="dimmed">
                      Not matched
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{words(r.action)}</Table.Td>
                <Table.Td>
                  <Text size="sm">{r.note ?? ''}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function Lines({ view }: { view: CaseView }) {
  const ret = view.return;
  const q = ret.refundQuote;
  const fees: [string, number | undefined][] = [
    ['Return shipping fee', q.returnShippingFee as number | undefined],
    ['Restocking fee', q.restockingFee as number | undefined],
  ];
  return (
    <Stack gap="sm">
      <Table verticalSpacing={4}>
        <caption className="visually-hidden">Returned items and refund</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Item</Table.Th>
            <Table.Th scope="col">Qty</Table.Th>
            <Table.Th scope="col">Reason</Table.Th>
            <Table.Th scope="col">Inspection</Table.Th>
            <Table.Th scope="col" className="money">
              Refund
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
                  : `${l.acceptedQuantity} accepted, ${words(l.condition ?? 'new')}`}
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
                Partial refund set by an agent: {ret.adjustment.reason}
              </Table.Th>
              <Table.Td className="money">{money(ret.adjustment.amount, ret.currency)}</Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th scope="row" colSpan={4}>
              Refund total
            </Table.Th>
            <Table.Td className="money" fw={700} data-testid="case-refund-total">
              {money(ret.refundTotal, ret.currency)}
            </Table.Td>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
      {ret.customerNote && <Text size="sm">Customer note: “{ret.customerNote}”</Text>}
      {ret.refund && (
        <Text size="sm" data-testid="refund-status">
          Refund {words(ret.refund.status).toLowerCase()}: {money(ret.refund.amount, ret.refund.currency)} by{' '}
          {words(ret.refund.method).toLowerCase()}
          {ret.refund.failureMessage ? ` — ${ret.refund.failureMessage}` : ''}
        </Text>
      )}
    </Stack>
  );
}

function Evidence({ view }: { view: CaseView }) {
  const [open, setOpen] = useState<string | null>(null);
  const photos = view.return.evidence;
  if (photos.length === 0) return <Text size="sm">No photos.</Text>;
  return (
    <>
      <Group gap="sm">
        {photos.map((p, i) => (
          <UnstyledButton
            key={p.id}
            className="photo-thumb console-thumb"
            onClick={() => setOpen(p.url)}
            aria-label={`Enlarge photo ${i + 1} of ${photos.length}`}
          >
            <img src={p.url} alt="" loading="lazy" />
          </UnstyledButton>
        ))}
      </Group>
      <Modal
        opened={open !== null}
        onClose={() => setOpen(null)}
        title="Photo"
        size="xl"
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        {open && <img src={open} alt="Evidence sent by the customer" style={{ maxWidth: '100%' }} />}
      </Modal>
    </>
  );
}

function Customer({ view }: { view: CaseView }) {
  const c = view.customer;
  const rate = Math.round(c.history.returnRate * 100);
  const past = c.history.returns.filter((r) => r.id !== view.return.id);
  return (
    <Stack gap="xs">
      <Text fw={600}>{c.name || c.email}</Text>
      <Text size="sm">{c.email}</Text>
      <Text size="sm" data-testid="return-rate">
        {c.history.orderCount} order{c.history.orderCount === 1 ? '' : 's'} · return rate {rate}%
      </Text>
      {past.length > 0 ? (
        <Stack gap={2} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {past.map((r) => (
            <li key={r.id}>
              <Anchor component={Link} to={`/console/returns/${r.id}`} size="sm">
                {r.rmaNumber}
              </Anchor>{' '}
              <Text span size="sm">
                {words(r.status)} · {dateTime(r.createdAt)}
              </Text>
            </li>
          ))}
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          No other returns.
        </Text>
      )}
    </Stack>
  );
}

function Order({ view }: { view: CaseView }) {
  const o = view.order;
  const currency = (o.currency as string | undefined) ?? view.return.currency;
  const p = o.payment;
  const rows: [string, string][] = [
    ['Order', String(o.orderNumber ?? '—')],
    ...(o.placedAt ? ([['Placed', dateTime(String(o.placedAt))]] as [string, string][]) : []),
    ...(typeof o.totalAmount === 'number'
      ? ([['Total', money(o.totalAmount, currency)]] as [string, string][])
      : []),
    ...(p
      ? ([
          ['Captured', money(p.capturedAmount, currency)],
          ['Refunded so far', money(p.refundedAmount, currency)],
          ['Still refundable', money(p.refundableAmount, currency)],
        ] as [string, string][])
      : []),
  ];
  return (
    <Table verticalSpacing={2}>
      <caption className="visually-hidden">Order and payment</caption>
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
  );
}

function Timeline({ events }: { events: CaseEvent[] }) {
  const sorted = [...events].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
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
                {internal ? 'Internal' : 'Customer sees'}
              </Badge>
              <Text size="sm" fw={600}>
                {e.action === 'staff_message' ? 'Message to customer' : words(e.action)}
                {e.fromStatus && e.fromStatus !== e.toStatus ? ` → ${words(e.toStatus)}` : ''}
              </Text>
              <Text size="xs" c="dimmed">
                <time dateTime={e.createdAt}>{dateTime(e.createdAt)}</time> · {e.actor.type}
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
          label="Note for the team (the customer never sees it)"
          autosize
          minRows={2}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        {save.isError && <ErrorPanel error={save.error} compact />}
        <div>
          <Button type="submit" variant="default" loading={save.isPending} disabled={!note.trim()}>
            Add note
          </Button>
        </div>
      </Stack>
    </form>
  );
}

function Reply({ id, version, onError }: { id: string; version: number; onError: (e: unknown) => void }) {
  const macros = useMacros();
  const [message, setMessage] = useState('');
  const [macroId, setMacroId] = useState('');
  const send = useCaseMutation(id, caseCalls.reply(id));
  const apply = useCaseMutation(id, caseCalls.macro(id));
  const [sent, setSent] = useState<string | null>(null);
  const list = macros.data?.data ?? [];
  const chosen = list.find((m) => m.id === macroId);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!message.trim()) return;
    setSent(null);
    send.mutate(message.trim(), {
      onSuccess: () => {
        setMessage('');
        setSent('Message sent to the customer.');
      },
      onError,
    });
  };
  const applyMacro = () => {
    if (!chosen) return;
    setSent(null);
    apply.mutate(
      { macroId: chosen.id, expectedVersion: version },
      {
        onSuccess: () => {
          setSent(`Macro “${chosen.name}” applied${chosen.action ? ` (${chosen.action})` : ''} and sent.`);
          setMacroId('');
        },
        onError,
      },
    );
  };

  return (
    <Stack gap="sm">
      <Group gap="xs" align="flex-end" wrap="wrap">
        <NativeSelect
          label="Macro"
          value={macroId}
          onChange={(e) => setMacroId(e.currentTarget.value)}
          data={[
            { value: '', label: list.length ? 'Choose a saved reply…' : 'No saved replies' },
            ...list.map((m) => ({ value: m.id, label: m.action ? `${m.name} (${m.action}s)` : m.name })),
          ]}
          w={300}
        />
        <Button variant="default" disabled={!chosen} loading={apply.isPending} onClick={applyMacro}>
          Apply macro
        </Button>
      </Group>
      {chosen && (
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-line' }} data-testid="macro-preview">
          {chosen.action ? `Will ${chosen.action} the return, then send: ` : 'Will send: '}
          {chosen.body}
        </Text>
      )}
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Textarea
            label="Message to the customer"
            description="Appears on the customer's tracking page and goes out by their chosen channels."
            autosize
            minRows={3}
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
          />
          {send.isError && !isApiError(send.error, 'stale_return') && (
            <ErrorPanel error={send.error} compact />
          )}
          <div>
            <Button type="submit" loading={send.isPending} disabled={!message.trim()}>
              Send reply
            </Button>
          </div>
        </Stack>
      </form>
      {sent && (
        <Alert color="teal" variant="light" role="status" data-testid="reply-sent">
          {sent}
        </Alert>
      )}
    </Stack>
  );
}
