import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileButton,
  Group,
  Loader,
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
import { PHOTO_TYPES, photoProblem } from '../../../lib/photos.ts';
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
import { dateTime, stageLabel } from './format.ts';

/** Who may move lines and add QC photos (the server's WAREHOUSE roles). */
export const WAREHOUSE_ROLES = ['warehouse', 'supervisor', 'admin'];

const STAGE_HINT: Record<string, string> = {
  in_warehouse: 'Scanned in: starts the seller’s return window.',
  qc_passed: 'Checked and photographed: starts the customer’s window and storage.',
  qc_failed: 'Files a free return to the seller for the customer.',
  returned_to_seller: 'Sent back to the seller.',
  cancelled: 'Cancelled with the seller.',
};

/** `/console/warehouse`: find an order by number, move its lines through the stages, add QC photos. */
export function WarehousePage({ me }: { me: Me }) {
  useDocumentTitle('Warehouse · Console', 'Returnflow');
  const [params, setParams] = useSearchParams();
  const current = params.get('order') ?? '';
  const [input, setInput] = useState(current);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => setInput(current), [current]);

  if (!WAREHOUSE_ROLES.includes(me.user.role)) {
    return (
      <Stack gap="md" data-testid="warehouse-page">
        <Title order={1}>Warehouse</Title>
        <Alert color="yellow" variant="light" role="alert" data-testid="warehouse-forbidden">
          The warehouse page is for warehouse staff, supervisors and admins. Ask an admin for the warehouse
          role if you scan or inspect parcels.
        </Alert>
        <Anchor component={Link} to="/console">
          Back to the queues
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
      <Title order={1}>Warehouse</Title>
      <form onSubmit={submit} aria-label="Find an order">
        <Group align="flex-end" gap="xs" wrap="wrap">
          <TextInput
            ref={inputRef}
            label="Order number"
            description="Scan the label or type the number, then press Enter."
            value={input}
            onChange={(e) => setInput(e.currentTarget.value)}
            autoFocus
            autoComplete="off"
            maxLength={100}
            w={{ base: '100%', xs: 320 }}
          />
          <Button type="submit" disabled={!input.trim()}>
            Find order
          </Button>
        </Group>
      </form>
      {current ? (
        <OrderLines key={current} orderNumber={current} />
      ) : (
        <Text c="dimmed" data-testid="warehouse-empty">
          Find an order to see where each item is, move it to its next stage and add QC photos.
        </Text>
      )}
    </Stack>
  );
}

function OrderLines({ orderNumber }: { orderNumber: string }) {
  const order = useOrderByNumber(orderNumber);
  const stages = useOrderStages(order.data?.id ?? null);
  const [offer, setOffer] = useState<StageResult['offer']>(null);

  if (order.isPending || (order.data && stages.isPending))
    return (
      <Group gap="sm" role="status">
        <Loader size="sm" aria-hidden="true" />
        <Text>Looking up {orderNumber}…</Text>
      </Group>
    );
  if (order.isError) return <ErrorPanel error={order.error} onRetry={() => void order.refetch()} />;
  if (!order.data)
    return (
      <Alert color="yellow" variant="light" role="alert" data-testid="order-not-found">
        No order {orderNumber}. Check the number on the label (letters, digits and dashes as printed).
      </Alert>
    );
  if (stages.isError) {
    if (isApiError(stages.error) && stages.error.status === 404)
      return (
        <Alert color="yellow" variant="light" role="alert">
          Order {orderNumber} has no purchasing stages: this shop does not buy for its customers.
        </Alert>
      );
    return <ErrorPanel error={stages.error} onRetry={() => void stages.refetch()} />;
  }
  const lines = stages.data?.lines ?? [];
  return (
    <Stack gap="sm" data-testid="warehouse-order" aria-live="polite">
      <Title order={2} size="h3">
        Order {order.data.orderNumber}
      </Title>
      {offer && (
        <Alert
          color="teal"
          variant="light"
          role="status"
          data-testid="qc-failed-offer"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setOffer(null)}
        >
          QC failed: return{' '}
          <Anchor component={Link} to={`/console/returns/${offer.returnId}`} data-testid="offer-link">
            {offer.rmaNumber}
          </Anchor>{' '}
          was filed for the customer at no cost, and a claim on the seller opened.
        </Alert>
      )}
      {lines.length === 0 && <Text>This order has no lines.</Text>}
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
          setMoved(`Moved to “${stageLabel(r.stage)}”.`);
          if (r.offer) onOffer(r.offer);
        },
        onSettled: () => setConfirmQc(false),
      },
    );
  };

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
            {stageLabel(line.stage)}
          </Badge>
        </Group>
        <Text size="sm">
          {line.stageAt ? `Since ${dateTime(line.stageAt)}` : 'No scan yet'}
          {line.storageExpiresAt ? ` · storage expires ${dateTime(line.storageExpiresAt)}` : ''}
        </Text>
        {line.nextStages.length > 0 ? (
          <Group
            gap="xs"
            wrap="wrap"
            data-testid="next-stages"
            role="group"
            aria-label={`Next stage for ${line.title}`}
          >
            {line.nextStages.map((s) => (
              <Button
                key={s}
                size="sm"
                variant={s === 'qc_failed' ? 'outline' : s === 'qc_passed' ? 'filled' : 'default'}
                color={s === 'qc_failed' ? 'red.9' : undefined}
                title={STAGE_HINT[s]}
                loading={move.isPending && move.variables?.stage === s}
                disabled={move.isPending}
                onClick={() => (s === 'qc_failed' ? setConfirmQc(true) : go(s))}
              >
                {stageLabel(s)}
              </Button>
            ))}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            No further stage after “{stageLabel(line.stage)}”.
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
        closeButtonProps={{ 'aria-label': 'Close' }}
        title={`QC failed: ${line.title}?`}
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
              A free return to the seller is filed for the customer at once, and a claim on{' '}
              {line.seller ?? 'the seller'} opens. Add QC photos of the fault so the claim has evidence.
            </Text>
            <Textarea
              label="What is wrong (optional, goes into the line's history)"
              autosize
              minRows={2}
              value={note}
              data-autofocus
              onChange={(e) => setNote(e.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirmQc(false)}>
                Back
              </Button>
              <Button type="submit" color="red.9" loading={move.isPending}>
                Mark QC failed
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Paper>
  );
}

function QcPhotos({ orderId, line }: { orderId: string; line: LineStage }) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);

  const add = async (files: File[]) => {
    setProblem(null);
    for (const file of files) {
      const p = photoProblem(file);
      if (p) {
        setProblem(
          p === 'type'
            ? `${file.name} is not a JPEG, PNG or WebP image.`
            : `${file.name} is larger than 8 MB.`,
        );
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
      setProblem(isApiError(e) ? e.message : 'The photo could not be uploaded. Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Group gap="xs" wrap="wrap" data-testid="qc-photos">
      <FileButton onChange={(files) => void add(files)} accept={PHOTO_TYPES.join(',')} multiple>
        {(props) => (
          <Button {...props} size="xs" variant="default" loading={busy}>
            Add QC photos
          </Button>
        )}
      </FileButton>
      <Text size="xs" c="dimmed">
        JPEG, PNG or WebP, up to 8 MB each.
      </Text>
      {done > 0 && (
        <Text size="sm" role="status" data-testid="qc-uploaded">
          {done} QC photo{done === 1 ? '' : 's'} added.
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
