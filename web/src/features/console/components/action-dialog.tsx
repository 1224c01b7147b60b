import {
  Button,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { MessageKey } from '../../../lib/i18n/en.ts';
import { fillSlots } from '../../../lib/i18n/fill-slots.tsx';
import { type Translate, useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { currencyExponent, parseMinor } from '../../../lib/money.ts';
import type { CaseReturn } from '../api/console-api.ts';
import { label } from './format.ts';

const CONDITIONS = ['new', 'like_new', 'used', 'damaged', 'missing_parts', 'wrong_item'];

const CONSEQUENCE: Record<string, MessageKey> = {
  approve: 'console.dialog.consequence.approve',
  reject: 'console.dialog.consequence.reject',
  ship: 'console.dialog.consequence.ship',
  receive: 'console.dialog.consequence.receive',
  close: 'console.dialog.consequence.close',
  cancel: 'console.dialog.consequence.cancel',
  ship_replacement: 'console.dialog.consequence.ship_replacement',
};

const actionLabel = (t: Translate, action: string) => label(t, 'action', action, (a) => a);

/**
 * Confirms one action. The refund dialog shows the amount; the inspect dialog takes accepted
 * quantity and condition per line, and an optional partial refund with its reason.
 */
export function ActionDialog({
  action,
  ret,
  busy,
  onCancel,
  onConfirm,
}: {
  action: string | null;
  ret: CaseReturn;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (body: Record<string, unknown>) => void;
}) {
  const { t } = useI18n();
  return (
    <Modal
      opened={action !== null}
      onClose={onCancel}
      closeButtonProps={{ 'aria-label': t('console.close') }}
      title={action ? t('console.dialog.title', { action: actionLabel(t, action), rma: ret.rmaNumber }) : ''}
      size={action === 'inspect' ? 'lg' : 'md'}
    >
      {action && (
        <DialogBody
          key={action}
          action={action}
          ret={ret}
          busy={busy}
          onCancel={onCancel}
          onConfirm={onConfirm}
        />
      )}
    </Modal>
  );
}

function DialogBody({
  action,
  ret,
  busy,
  onCancel,
  onConfirm,
}: {
  action: string;
  ret: CaseReturn;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (body: Record<string, unknown>) => void;
}) {
  const { t, money } = useI18n();
  const [note, setNote] = useState('');
  const [carrier, setCarrier] = useState('');
  const [trackingNumber, setTrackingNumber] = useState('');
  const [lines, setLines] = useState(() =>
    ret.lines.map((l) => ({ returnLineId: l.id, acceptedQuantity: l.quantity, condition: 'new' })),
  );
  const [partial, setPartial] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ partial?: string; reason?: string }>({});
  const exponent = currencyExponent(ret.currency);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    if (note.trim()) body.note = note.trim();
    if (action === 'ship') {
      if (carrier.trim()) body.carrier = carrier.trim();
      if (trackingNumber.trim()) body.trackingNumber = trackingNumber.trim();
    }
    if (action === 'refund') body.currency = ret.currency;
    if (action === 'inspect') {
      body.lines = lines;
      if (partial.trim()) {
        const amount = parseMinor(partial, exponent);
        const next: typeof errors = {};
        if (amount === null)
          next.partial = t('console.dialog.partialInvalid', {
            example: exponent ? `12.${'0'.repeat(exponent)}` : '12',
          });
        if (reason.trim().length < 3) next.reason = t('console.dialog.reasonShort');
        setErrors(next);
        if (next.partial || next.reason) return;
        body.refundAmount = amount;
        body.reason = reason.trim();
      }
    }
    onConfirm(body);
  };

  return (
    <form onSubmit={submit} noValidate data-testid={`dialog-${action}`}>
      <Stack gap="md">
        {action === 'refund' ? (
          <Text data-testid="refund-amount">
            {fillSlots(t('console.dialog.refund'), {
              amount: <strong>{money(ret.refundTotal, ret.currency)}</strong>,
            })}
          </Text>
        ) : action === 'inspect' ? (
          <Text>{t('console.dialog.inspectLead', { amount: money(ret.refundTotal, ret.currency) })}</Text>
        ) : (
          <Text>{t(CONSEQUENCE[action] ?? 'console.dialog.confirmGeneric')}</Text>
        )}
        {action === 'ship' && (
          <Group grow>
            <TextInput
              label={t('console.dialog.carrier')}
              value={carrier}
              onChange={(e) => setCarrier(e.currentTarget.value)}
            />
            <TextInput
              label={t('console.dialog.tracking')}
              value={trackingNumber}
              onChange={(e) => setTrackingNumber(e.currentTarget.value)}
            />
          </Group>
        )}
        {action === 'inspect' && (
          <>
            <Table>
              <caption className="visually-hidden">{t('console.dialog.inspectCaption')}</caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('console.dialog.col.item')}</Table.Th>
                  <Table.Th scope="col">{t('console.dialog.col.accepted')}</Table.Th>
                  <Table.Th scope="col">{t('console.dialog.col.condition')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {ret.lines.map((l, i) => (
                  <Table.Tr key={l.id}>
                    <Table.Th scope="row" fw={400}>
                      {l.title} × {l.quantity}
                    </Table.Th>
                    <Table.Td>
                      <NumberInput
                        aria-label={t('console.dialog.acceptedOf', { title: l.title })}
                        min={0}
                        max={l.quantity}
                        allowDecimal={false}
                        clampBehavior="strict"
                        value={lines[i]?.acceptedQuantity ?? 0}
                        onChange={(v) =>
                          setLines((ls) =>
                            ls.map((x, j) => (j === i ? { ...x, acceptedQuantity: Number(v) || 0 } : x)),
                          )
                        }
                        w={90}
                      />
                    </Table.Td>
                    <Table.Td>
                      <NativeSelect
                        aria-label={t('console.dialog.conditionOf', { title: l.title })}
                        value={lines[i]?.condition ?? 'new'}
                        data={CONDITIONS.map((c) => ({ value: c, label: label(t, 'conditionOption', c) }))}
                        onChange={(e) => {
                          const condition = e.currentTarget.value;
                          setLines((ls) => ls.map((x, j) => (j === i ? { ...x, condition } : x)));
                        }}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <TextInput
              label={t('console.dialog.partial', { currency: ret.currency })}
              description={t('console.dialog.partialHint')}
              inputMode="decimal"
              value={partial}
              error={errors.partial}
              onChange={(e) => {
                setErrors((x) => ({ ...x, partial: undefined }));
                setPartial(e.currentTarget.value);
              }}
            />
            <TextInput
              label={t('console.dialog.reason')}
              required={partial.trim() !== ''}
              value={reason}
              error={errors.reason}
              onChange={(e) => {
                setErrors((x) => ({ ...x, reason: undefined }));
                setReason(e.currentTarget.value);
              }}
            />
          </>
        )}
        <Textarea
          label={t('console.dialog.timelineNote')}
          autosize
          minRows={2}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('console.cancel')}
          </Button>
          <Button
            type="submit"
            loading={busy}
            color={action === 'reject' || action === 'cancel' ? 'red.9' : undefined}
            data-testid="confirm-action"
          >
            {actionLabel(t, action)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
