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
import { currencyExponent } from '../../../lib/money.ts';
import type { CaseReturn } from '../api/console-api.ts';
import { ACTION_LABELS, money, parseMinor } from './format.ts';

const CONDITIONS = ['new', 'like_new', 'used', 'damaged', 'missing_parts', 'wrong_item'];

const CONSEQUENCE: Record<string, string> = {
  approve: 'The customer is told to send the items back (or, for a returnless return, the refund follows).',
  reject: 'The customer is told the return was refused. This cannot be undone.',
  ship: 'Records that the customer has sent the parcel.',
  receive: 'Records that the parcel arrived at the warehouse.',
  close: 'Closes the case.',
  cancel: 'Cancels the return. This cannot be undone.',
  ship_replacement: 'Records that the replacement has been shipped to the customer.',
};

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
  return (
    <Modal
      opened={action !== null}
      onClose={onCancel}
      closeButtonProps={{ 'aria-label': 'Close' }}
      title={action ? `${ACTION_LABELS[action] ?? action} ${ret.rmaNumber}?` : ''}
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
          next.partial = `Enter an amount like ${exponent ? `12.${'0'.repeat(exponent)}` : '12'}.`;
        if (reason.trim().length < 3) next.reason = 'Say why the refund is partial (at least 3 characters).';
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
            Refund <strong>{money(ret.refundTotal, ret.currency)}</strong> to the customer now.
          </Text>
        ) : action === 'inspect' ? (
          <Text>
            Record what arrived. Accepted units are refunded; the refund today would be{' '}
            {money(ret.refundTotal, ret.currency)}.
          </Text>
        ) : (
          <Text>{CONSEQUENCE[action] ?? 'Confirm the action.'}</Text>
        )}
        {action === 'ship' && (
          <Group grow>
            <TextInput
              label="Carrier (optional)"
              value={carrier}
              onChange={(e) => setCarrier(e.currentTarget.value)}
            />
            <TextInput
              label="Tracking number (optional)"
              value={trackingNumber}
              onChange={(e) => setTrackingNumber(e.currentTarget.value)}
            />
          </Group>
        )}
        {action === 'inspect' && (
          <>
            <Table>
              <caption className="visually-hidden">Inspection per line</caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Item</Table.Th>
                  <Table.Th scope="col">Accepted</Table.Th>
                  <Table.Th scope="col">Condition</Table.Th>
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
                        aria-label={`Accepted quantity of ${l.title}`}
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
                        aria-label={`Condition of ${l.title}`}
                        value={lines[i]?.condition ?? 'new'}
                        data={CONDITIONS.map((c) => ({ value: c, label: c.replace('_', ' ') }))}
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
              label={`Partial refund in ${ret.currency} (optional)`}
              description="Leave empty to refund what inspection allows."
              inputMode="decimal"
              value={partial}
              error={errors.partial}
              onChange={(e) => {
                setErrors((x) => ({ ...x, partial: undefined }));
                setPartial(e.currentTarget.value);
              }}
            />
            <TextInput
              label="Reason for the partial refund"
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
          label="Note for the timeline (optional)"
          autosize
          minRows={2}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button
            type="submit"
            loading={busy}
            color={action === 'reject' || action === 'cancel' ? 'red.9' : undefined}
            data-testid="confirm-action"
          >
            {ACTION_LABELS[action] ?? action}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
