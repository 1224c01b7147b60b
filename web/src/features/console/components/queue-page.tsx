import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Modal,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { LoadMore } from '../../../components/load-more.tsx';
import type { MessageKey } from '../../../lib/i18n/en.ts';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import {
  type BulkResult,
  QUEUES,
  type Queue,
  type QueueRow,
  useBulk,
  useMe,
  useQueueCounts,
  useQueueRows,
} from '../api/console-api.ts';
import { age, label, statusColor } from './format.ts';

const EMPTY: Record<Queue, MessageKey> = {
  needs_review: 'console.queue.empty.needs_review',
  awaiting_inspection: 'console.queue.empty.awaiting_inspection',
  refund_failed: 'console.queue.empty.refund_failed',
  sla_at_risk: 'console.queue.empty.sla_at_risk',
  seller_deadline: 'console.queue.empty.seller_deadline',
  all: 'console.queue.empty.all',
};

const SLA_COLOR = { ok: 'teal.9', at_risk: 'yellow.4', overdue: 'red.9' } as const;

const CONFIRM_TEXT = {
  approve: { one: 'console.queue.confirmApprove.one', other: 'console.queue.confirmApprove.other' },
  reject: { one: 'console.queue.confirmReject.one', other: 'console.queue.confirmReject.other' },
} as const satisfies Record<string, Record<'one' | 'other', MessageKey>>;

const isTyping = (el: Element | null) =>
  !!el && (['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || (el as HTMLElement).isContentEditable);
const isControl = (el: Element | null) =>
  !!el && (isTyping(el) || ['A', 'BUTTON'].includes(el.tagName) || el.getAttribute('role') === 'tab');

/** `/console`: the queues, search, keyboard navigation and bulk decisions. */
export function QueuePage() {
  const { t, money } = useI18n();
  useDocumentTitle(t('console.queue.docTitle'), 'Returnflow');
  const [params, setParams] = useSearchParams();
  const queueParam = params.get('queue');
  const queue: Queue = (QUEUES as readonly string[]).includes(queueParam ?? '')
    ? (queueParam as Queue)
    : 'needs_review';
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const counts = useQueueCounts();
  const rows = useQueueRows(queue, q);
  const me = useMe();
  // Seller deadlines are a purchasing agent's: a merchant's console has no such queue.
  const shownQueues = QUEUES.filter(
    (name) => name !== 'seller_deadline' || me.data?.tenant.kind === 'purchasing_agent',
  );
  const bulk = useBulk();
  const navigate = useNavigate();
  const searchRef = useRef<HTMLInputElement>(null);
  const [cursor, setCursor] = useState(-1);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [confirm, setConfirm] = useState<'approve' | 'reject' | null>(null);
  // What the customers read when their returns are rejected: needed to reject.
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [results, setResults] = useState<Record<string, BulkResult>>({});

  const list: QueueRow[] = useMemo(() => rows.data?.pages.flatMap((p) => p.data) ?? [], [rows.data]);
  // Exports carry customers' names and emails: supervisors and admins only, as the API enforces.
  const canExport = me.data?.user.role === 'admin' || me.data?.user.role === 'supervisor';

  // A new queue or search starts without a selection.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on the queue and search only
  useEffect(() => {
    setCursor(-1);
    setChecked(new Set());
    setResults({});
  }, [queue, q]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (document.querySelector('[role="dialog"]')) return;
      const active = document.activeElement;
      if (e.key === '/' && !isTyping(active)) {
        e.preventDefault();
        searchRef.current?.focus();
        return;
      }
      if (isTyping(active)) return;
      if (e.key === 'j' || e.key === 'ArrowDown') {
        e.preventDefault();
        setCursor((c) => Math.min(list.length - 1, c + 1));
      } else if (e.key === 'k' || e.key === 'ArrowUp') {
        e.preventDefault();
        setCursor((c) => Math.max(0, c - 1));
      } else if (e.key === 'Enter' && !isControl(active)) {
        const row = list[cursor];
        if (row) {
          e.preventDefault();
          navigate(`/console/returns/${row.id}`);
        }
      } else if (e.key === 'x' && !isControl(active)) {
        const row = list[cursor];
        if (row) toggle(row.id);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  useEffect(() => {
    if (cursor >= 0) document.getElementById(`row-${cursor}`)?.scrollIntoView({ block: 'nearest' });
  }, [cursor]);

  const toggle = (id: string) =>
    setChecked((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const setQueue = (next: string | null) => {
    const p = new URLSearchParams(params);
    p.set('queue', next ?? 'needs_review');
    setParams(p);
  };

  const submitSearch = (e: FormEvent) => {
    e.preventDefault();
    const p = new URLSearchParams(params);
    if (search.trim()) {
      p.set('q', search.trim());
      p.set('queue', 'all');
    } else p.delete('q');
    setParams(p);
  };

  const runBulk = () => {
    if (!confirm) return;
    if (confirm === 'reject' && reason.trim().length < 3) {
      setReasonError(t('console.queue.rejectReasonNeeded'));
      return;
    }
    const ids = [...checked];
    bulk.mutate(
      { ids, action: confirm, ...(confirm === 'reject' ? { note: reason.trim() } : {}) },
      {
        onSuccess: (r) => {
          setResults(Object.fromEntries(r.results.map((x) => [x.id, x])));
          setChecked(new Set());
          setReason('');
        },
        onSettled: () => setConfirm(null),
      },
    );
  };

  const allChecked = list.length > 0 && list.every((r) => checked.has(r.id));
  const done = Object.values(results);
  const activeTab = q ? 'all' : queue;
  const body = (
    <>
      {q && (
        <Group gap="xs">
          <Text size="sm">{t('console.queue.resultsFor', { q })}</Text>
          <Button
            size="xs"
            variant="subtle"
            onClick={() => {
              setSearch('');
              const p = new URLSearchParams(params);
              p.delete('q');
              setParams(p);
            }}
          >
            {t('console.queue.clearSearch')}
          </Button>
        </Group>
      )}

      <Group gap="xs" wrap="wrap">
        <Text size="sm" aria-live="polite">
          {t('console.queue.selected', { count: checked.size })}
        </Text>
        <Button size="xs" disabled={checked.size === 0} onClick={() => setConfirm('approve')}>
          {t('console.queue.approveSelected')}
        </Button>
        <Button size="xs" color="red.9" disabled={checked.size === 0} onClick={() => setConfirm('reject')}>
          {t('console.queue.rejectSelected')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('console.queue.keys')}
        </Text>
        {canExport && list.length > 0 && (
          <Anchor
            size="sm"
            ml="auto"
            href={`/api/v1/console/returns.csv?${new URLSearchParams(q ? { q } : { queue })}`}
            download
            data-testid="queue-csv"
          >
            {t('console.queue.csv')}
          </Anchor>
        )}
      </Group>

      {done.length > 0 && (
        <Alert
          color={done.every((r) => r.ok) ? 'teal' : 'yellow'}
          variant="light"
          role="status"
          data-testid="bulk-summary"
        >
          {t(done.some((r) => !r.ok) ? 'console.queue.bulkSomeRefused' : 'console.queue.bulkAllDone', {
            done: done.filter((r) => r.ok).length,
            total: done.length,
          })}
        </Alert>
      )}

      {rows.isPending ? (
        <Loader aria-label={t('console.queue.loading')} />
      ) : rows.isError ? (
        <ErrorPanel error={rows.error} onRetry={() => void rows.refetch()} />
      ) : list.length === 0 ? (
        <Text data-testid="queue-empty">{q ? t('console.queue.noMatch', { q }) : t(EMPTY[queue])}</Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table data-testid="queue-table" highlightOnHover verticalSpacing="xs">
            <caption className="visually-hidden">
              {t('console.queue.caption', { queue: label(t, 'queueName', q ? 'all' : queue) })}
            </caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">
                  <Checkbox
                    aria-label={t('console.queue.selectAll')}
                    checked={allChecked}
                    indeterminate={checked.size > 0 && !allChecked}
                    onChange={() => setChecked(allChecked ? new Set() : new Set(list.map((r) => r.id)))}
                  />
                </Table.Th>
                <Table.Th scope="col">{t('console.queue.col.rma')}</Table.Th>
                <Table.Th scope="col">{t('console.queue.col.customer')}</Table.Th>
                <Table.Th scope="col">{t('console.queue.col.status')}</Table.Th>
                <Table.Th scope="col">{t('console.queue.col.age')}</Table.Th>
                <Table.Th scope="col">{t('console.queue.col.sla')}</Table.Th>
                <Table.Th scope="col" className="money">
                  {t('console.queue.col.refund')}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((r, i) => {
                const result = results[r.id];
                return (
                  <Table.Tr
                    key={r.id}
                    id={`row-${i}`}
                    data-testid="queue-row"
                    data-id={r.id}
                    data-selected={i === cursor || undefined}
                    aria-current={i === cursor ? 'true' : undefined}
                    className="console-row"
                    onClick={() => setCursor(i)}
                  >
                    <Table.Td>
                      <Checkbox
                        aria-label={t('console.queue.selectRow', { rma: r.rmaNumber })}
                        checked={checked.has(r.id)}
                        onChange={() => toggle(r.id)}
                      />
                    </Table.Td>
                    <Table.Th scope="row" fw={600}>
                      <Anchor component={Link} to={`/console/returns/${r.id}`}>
                        {r.rmaNumber}
                      </Anchor>
                      {r.orderNumber && (
                        <Text size="xs" c="dimmed">
                          {t('console.queue.order', { number: r.orderNumber })}
                        </Text>
                      )}
                    </Table.Th>
                    <Table.Td>
                      <Text size="sm">{r.customerName || '—'}</Text>
                      <Text size="xs" c="dimmed">
                        {r.customerEmail}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={statusColor(result?.status ?? r.status)}>
                        {label(t, 'status', result?.status ?? r.status)}
                      </Badge>
                      {result && !result.ok && (
                        <Text size="xs" c="red.9" data-testid="bulk-error">
                          {result.error?.message}
                        </Text>
                      )}
                      {result?.ok && (
                        <Text size="xs" data-testid="bulk-ok">
                          {t('console.queue.rowDone')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <time dateTime={r.createdAt}>{age(t, r.createdAt)}</time>
                    </Table.Td>
                    <Table.Td>
                      {r.sla ? (
                        <Badge color={SLA_COLOR[r.sla.state]} autoContrast>
                          {label(t, 'sla', r.sla.state)}
                        </Badge>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    <Table.Td className="money">{money(r.customerTotal, r.currency)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      {rows.hasNextPage && (
        <div>
          <LoadMore query={rows} label={t('console.queue.loadMore')} />
        </div>
      )}
    </>
  );

  return (
    <Stack gap="md" data-testid="queue-page">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={1}>{t('console.queue.title')}</Title>
        <form onSubmit={submitSearch} aria-label={t('console.queue.searchForm')}>
          <Group gap="xs" align="flex-end">
            <TextInput
              ref={searchRef}
              label={t('console.queue.search')}
              description={t('console.queue.searchHint')}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              w={320}
            />
            <Button type="submit" variant="default">
              {t('console.queue.search')}
            </Button>
          </Group>
        </form>
      </Group>

      <Tabs value={activeTab} onChange={setQueue} activateTabWithKeyboard={false}>
        <Tabs.List aria-label={t('console.queue.tabs')}>
          {shownQueues.map((name) => (
            <Tabs.Tab key={name} value={name} data-testid={`queue-tab-${name}`}>
              {label(t, 'queueName', name)}{' '}
              <Badge size="sm" variant="filled" color="gray.8" ml={4}>
                {counts.data?.[name] ?? '–'}
              </Badge>
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {shownQueues.map((name) => (
          <Tabs.Panel key={name} value={name} pt="md">
            {name === activeTab && <Stack gap="md">{body}</Stack>}
          </Tabs.Panel>
        ))}
      </Tabs>

      <Modal
        opened={confirm !== null}
        onClose={() => setConfirm(null)}
        closeButtonProps={{ 'aria-label': t('console.close') }}
        title={t(
          confirm === 'approve' ? 'console.queue.confirmApproveTitle' : 'console.queue.confirmRejectTitle',
        )}
      >
        <Stack gap="md">
          <Text>
            {t(
              CONFIRM_TEXT[confirm === 'approve' ? 'approve' : 'reject'][
                checked.size === 1 ? 'one' : 'other'
              ],
              { count: checked.size },
            )}
          </Text>
          {confirm === 'reject' && (
            <Textarea
              label={t('console.queue.rejectReason')}
              description={t('console.queue.rejectReasonHint')}
              value={reason}
              onChange={(e) => {
                setReason(e.currentTarget.value);
                setReasonError(null);
              }}
              error={reasonError}
              autosize
              minRows={2}
              required
              data-autofocus
              data-testid="bulk-reject-reason"
            />
          )}
          {bulk.isError && <ErrorPanel error={bulk.error} compact />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)}>
              {t('console.cancel')}
            </Button>
            <Button
              color={confirm === 'reject' ? 'red.9' : undefined}
              loading={bulk.isPending}
              onClick={runBulk}
            >
              {t(confirm === 'approve' ? 'console.queue.approveN' : 'console.queue.rejectN', {
                count: checked.size,
              })}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
