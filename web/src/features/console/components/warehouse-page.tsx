import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileButton,
  Group,
  Loader,
  Menu,
  Modal,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { isApiError } from '../../../lib/api.ts';
import type { MessageKey } from '../../../lib/i18n/en.ts';
import { fillSlots } from '../../../lib/i18n/fill-slots.tsx';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { PHOTO_TYPES, photoProblem } from '../../../lib/photos.ts';
import { WAREHOUSE_ROLES } from '../../../lib/staff-session.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import type { Me } from '../api/console-api.ts';
import {
  type LineStage,
  type StageResult,
  uploadQcPhoto,
  useOrderByNumber,
  useOrderStages,
  useSetStage,
} from '../api/sourcing-api.ts';
import { label, stageLabel } from './format.ts';

const STAGE_HINT: Record<string, MessageKey> = {
  in_warehouse: 'console.warehouse.stageHint.in_warehouse',
  qc_passed: 'console.warehouse.stageHint.qc_passed',
  qc_failed: 'console.warehouse.stageHint.qc_failed',
  returned_to_seller: 'console.warehouse.stageHint.returned_to_seller',
  cancelled: 'console.warehouse.stageHint.cancelled',
};

/** `/console/warehouse`: find an order by number, move its lines through the stages, add QC photos. */
export function WarehousePage({ me }: { me: Me }) {
  const { t } = useI18n();
  useDocumentTitle(t('console.warehouse.docTitle'), 'Returnflow');
  const [params, setParams] = useSearchParams();
  const current = params.get('order') ?? '';
  const [input, setInput] = useState(current);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => setInput(current), [current]);

  if (!WAREHOUSE_ROLES.includes(me.user.role)) {
    return (
      <Stack gap="md" data-testid="warehouse-page">
        <Title order={1}>{t('console.warehouse.title')}</Title>
        <Alert color="yellow" variant="light" role="alert" data-testid="warehouse-forbidden">
          {t('console.warehouse.forbidden')}
        </Alert>
        <Anchor component={Link} to="/console">
          {t('console.warehouse.backToQueues')}
        </Anchor>
      </Stack>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const number = input.trim();
    setParams(number ? { order: number } : {});
    inputRef.current?.select();
  };

  return (
    <Stack gap="md" data-testid="warehouse-page">
      <Title order={1}>{t('console.warehouse.title')}</Title>
      <form onSubmit={submit} aria-label={t('console.warehouse.findForm')}>
        <Group align="flex-end" gap="xs" wrap="wrap">
          <TextInput
            ref={inputRef}
            label={t('console.warehouse.orderNumber')}
            description={t('console.warehouse.orderHint')}
            value={input}
            onChange={(e) => setInput(e.currentTarget.value)}
            autoFocus
            autoComplete="off"
            maxLength={100}
            w={{ base: '100%', xs: 320 }}
          />
          <Button type="submit" disabled={!input.trim()}>
            {t('console.warehouse.find')}
          </Button>
        </Group>
      </form>
      {current ? (
        <OrderLines key={current} orderNumber={current} />
      ) : (
        <Text c="dimmed" data-testid="warehouse-empty">
          {t('console.warehouse.empty')}
        </Text>
      )}
    </Stack>
  );
}

function OrderLines({ orderNumber }: { orderNumber: string }) {
  const { t } = useI18n();
  const order = useOrderByNumber(orderNumber);
  const stages = useOrderStages(order.data?.id ?? null);
  const [offer, setOffer] = useState<StageResult['offer']>(null);

  if (order.isPending || (order.data && stages.isPending))
    return (
      <Group gap="sm" role="status">
        <Loader size="sm" aria-hidden="true" />
        <Text>{t('console.warehouse.lookingUp', { number: orderNumber })}</Text>
      </Group>
    );
  if (order.isError) return <ErrorPanel error={order.error} onRetry={() => void order.refetch()} />;
  if (!order.data)
    return (
      <Alert color="yellow" variant="light" role="alert" data-testid="order-not-found">
        {t('console.warehouse.notFound', { number: orderNumber })}
      </Alert>
    );
  if (stages.isError) {
    if (isApiError(stages.error) && stages.error.status === 404)
      return (
        <Alert color="yellow" variant="light" role="alert">
          {t('console.warehouse.noStages', { number: orderNumber })}
        </Alert>
      );
    return <ErrorPanel error={stages.error} onRetry={() => void stages.refetch()} />;
  }
  const lines = stages.data?.lines ?? [];
  return (
    <Stack gap="sm" data-testid="warehouse-order" aria-live="polite">
      <Title order={2} size="h3">
        {t('console.warehouse.order', { number: order.data.orderNumber })}
      </Title>
      {offer && (
        <Alert
          color="teal"
          variant="light"
          role="status"
          data-testid="qc-failed-offer"
          withCloseButton
          closeButtonLabel={t('console.dismiss')}
          onClose={() => setOffer(null)}
        >
          {fillSlots(t('console.warehouse.qcOffer'), {
            rma: (
              <Anchor component={Link} to={`/console/returns/${offer.returnId}`} data-testid="offer-link">
                {offer.rmaNumber}
              </Anchor>
            ),
          })}
        </Alert>
      )}
      {lines.length === 0 && <Text>{t('console.warehouse.noLines')}</Text>}
      {lines.map((l) => (
        <LineCard key={l.orderLineId} orderId={order.data!.id} line={l} onOffer={setOffer} />
      ))}
    </Stack>
  );
}

function LineCard({
  orderId,
  line,
  onOffer,
}: {
  orderId: string;
  line: LineStage;
  onOffer: (offer: StageResult['offer']) => void;
}) {
  const { t, dateTime } = useI18n();
  const move = useSetStage(orderId);
  const [confirmQc, setConfirmQc] = useState(false);
  const [note, setNote] = useState('');
  const [moved, setMoved] = useState<string | null>(null);

  const go = (stage: string, withNote?: string) => {
    setMoved(null);
    move.mutate(
      { lineId: line.orderLineId, stage, note: withNote },
      {
        onSuccess: (r) => {
          setMoved(t('console.warehouse.moved', { stage: stageLabel(t, r.stage) }));
          if (r.offer) onOffer(r.offer);
        },
        onSettled: () => setConfirmQc(false),
      },
    );
  };

  // Leaving the path (cancelled, back to the seller) is offered as such; the rest is skipping ahead.
  const exits = line.nextStages.filter(
    (s) => (s === 'cancelled' || s === 'returned_to_seller') && !line.usualNextStages.includes(s),
  );
  const skips = line.nextStages.filter((s) => !line.usualNextStages.includes(s) && !exits.includes(s));
  const pick = (s: string) => (s === 'qc_failed' ? setConfirmQc(true) : go(s));

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-label={line.title}
      data-testid="warehouse-line"
      data-stage={line.stage}
    >
      <Stack gap="xs">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Stack gap={0}>
            <Text fw={700}>{line.title}</Text>
            <Text size="sm" c="dimmed">
              {line.sku}
              {line.seller ? ` · ${line.seller}` : ''}
              {line.sellerOrderRef ? ` · ${line.sellerOrderRef}` : ''}
            </Text>
          </Stack>
          <Badge size="lg" color="gray.8" tt="none" data-testid="line-stage">
            {stageLabel(t, line.stage)}
          </Badge>
        </Group>
        <Text size="sm">
          {line.stageAt
            ? t('console.warehouse.since', { date: dateTime(line.stageAt) })
            : t('console.warehouse.noScan')}
          {line.storageExpiresAt
            ? t('console.warehouse.storageExpires', { date: dateTime(line.storageExpiresAt) })
            : ''}
        </Text>
        {line.nextStages.length > 0 ? (
          <Group
            gap="xs"
            wrap="wrap"
            data-testid="next-stages"
            role="group"
            aria-label={t('console.warehouse.nextStageFor', { title: line.title })}
          >
            {/* The usual next step first and filled; ways off the path plain; skipping ahead is a menu. */}
            {[...line.usualNextStages, ...exits].map((s, i) => (
              <Button
                key={s}
                size="sm"
                variant={s === 'qc_failed' ? 'outline' : i === 0 ? 'filled' : 'default'}
                color={s === 'qc_failed' ? 'red.9' : undefined}
                title={STAGE_HINT[s] ? t(STAGE_HINT[s]) : undefined}
                loading={move.isPending && move.variables?.stage === s}
                disabled={move.isPending}
                onClick={() => pick(s)}
                data-testid="stage-button"
                data-stage={s}
                data-usual={line.usualNextStages.includes(s) || undefined}
              >
                {stageLabel(t, s)}
              </Button>
            ))}
            {skips.length > 0 && (
              <Menu position="bottom-start" withinPortal>
                <Menu.Target>
                  <Button size="sm" variant="subtle" disabled={move.isPending} data-testid="skip-ahead">
                    {t('console.warehouse.skipAhead')}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>{t('console.warehouse.skipAheadHint')}</Menu.Label>
                  {skips.map((s) => (
                    <Menu.Item key={s} onClick={() => pick(s)} data-stage={s}>
                      {stageLabel(t, s)}
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            {t('console.warehouse.noFurther', { stage: stageLabel(t, line.stage) })}
          </Text>
        )}
        {line.returns.length > 0 && (
          <Text size="sm" data-testid="line-returns">
            {t('console.warehouse.returnsFiled')}{' '}
            {line.returns.map((r, i) => (
              <span key={r.id}>
                {i > 0 && ', '}
                <Anchor component={Link} to={`/console/returns/${r.id}`} data-testid="line-return-link">
                  {r.rmaNumber}
                </Anchor>{' '}
                ({label(t, 'status', r.status)})
              </span>
            ))}
          </Text>
        )}
        {moved && (
          <Text size="sm" role="status" data-testid="stage-moved">
            {moved}
          </Text>
        )}
        {move.isError && <ErrorPanel error={move.error} compact />}
        <QcPhotos orderId={orderId} line={line} />
      </Stack>
      <Modal
        opened={confirmQc}
        onClose={() => setConfirmQc(false)}
        closeButtonProps={{ 'aria-label': t('console.close') }}
        title={t('console.warehouse.qcFailedTitle', { title: line.title })}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            go('qc_failed', note.trim() || undefined);
          }}
          data-testid="confirm-qc-failed"
        >
          <Stack gap="md">
            <Text size="sm">
              {t('console.warehouse.qcFailedBody', {
                seller: line.seller ?? t('console.warehouse.theSeller'),
              })}
            </Text>
            <Textarea
              label={t('console.warehouse.whatWrong')}
              autosize
              minRows={2}
              value={note}
              data-autofocus
              onChange={(e) => setNote(e.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirmQc(false)}>
                {t('console.back')}
              </Button>
              <Button type="submit" color="red.9" loading={move.isPending}>
                {t('console.warehouse.markQcFailed')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Paper>
  );
}

function QcPhotos({ orderId, line }: { orderId: string; line: LineStage }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);

  const add = async (files: File[]) => {
    setProblem(null);
    for (const file of files) {
      const p = photoProblem(file);
      if (p) {
        setProblem(t(p === 'type' ? 'console.qc.notImage' : 'console.qc.tooLarge', { file: file.name }));
        return;
      }
    }
    setBusy(true);
    try {
      for (const file of files) {
        await uploadQcPhoto(orderId, line.orderLineId, file);
        setDone((n) => n + 1);
      }
    } catch (e) {
      setProblem(isApiError(e) ? e.message : t('console.qc.uploadFailed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Group gap="xs" wrap="wrap" data-testid="qc-photos">
      <FileButton onChange={(files) => void add(files)} accept={PHOTO_TYPES.join(',')} multiple>
        {(props) => (
          <Button {...props} size="xs" variant="default" loading={busy}>
            {t('console.qc.add')}
          </Button>
        )}
      </FileButton>
      <Text size="xs" c="dimmed">
        {t('console.qc.hint')}
      </Text>
      {done > 0 && (
        <Text size="sm" role="status" data-testid="qc-uploaded">
          {t(done === 1 ? 'console.qc.uploaded.one' : 'console.qc.uploaded.other', { count: done })}
        </Text>
      )}
      {problem && (
        <Text size="sm" c="red.9" role="alert" data-testid="qc-problem">
          {problem}
        </Text>
      )}
    </Group>
  );
}
