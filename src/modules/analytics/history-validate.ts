import { isCurrency } from '../../platform/money.ts';
import { RETURN_STATUSES, type ReturnStatus } from '../returns/state-machine.ts';
import type { OrderRow, ReturnRow } from './history-rows.ts';

/** Checks of one imported row, without I/O; every problem is reported, one per field. */
export type FieldProblem = { field: string; message: string };

const MAX_TEXT = 500;

export function orderRowProblems(r: OrderRow): FieldProblem[] {
  if (!r || typeof r !== 'object') return [{ field: 'row', message: 'is not an object' }];
  const p: FieldProblem[] = [];
  text(p, 'order_external_id', r.orderExternalId);
  text(p, 'order_number', r.orderNumber);
  time(p, 'placed_at', r.placedAt, true);
  time(p, 'delivered_at', r.deliveredAt, false);
  if (typeof r.currency !== 'string' || !isCurrency(r.currency))
    p.push({ field: 'currency', message: `"${r.currency ?? ''}" is not an ISO-4217 currency` });
  if (typeof r.customerEmail !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(r.customerEmail.trim()))
    p.push({ field: 'customer_email', message: 'is not an email address' });
  text(p, 'line_external_id', r.lineExternalId);
  text(p, 'sku', r.sku);
  text(p, 'title', r.title);
  text(p, 'category', r.category);
  if (!Number.isSafeInteger(r.quantity) || r.quantity <= 0)
    p.push({ field: 'quantity', message: 'must be a whole number above 0' });
  if (!Number.isSafeInteger(r.unitPrice) || r.unitPrice < 0)
    p.push({ field: 'unit_price', message: 'must be a whole number of minor units, 0 or more' });
  else if (!Number.isSafeInteger(r.unitPrice * r.quantity))
    p.push({ field: 'unit_price', message: 'unit_price × quantity is too large' });
  if (r.deliveredAt && Date.parse(r.deliveredAt) < Date.parse(r.placedAt))
    p.push({ field: 'delivered_at', message: 'is before placed_at' });
  return p;
}

/** Statuses of other systems that mean one of ours. */
const STATUS_ALIASES: Record<string, ReturnStatus> = {
  requested: 'submitted',
  pending: 'submitted',
  open: 'submitted',
  canceled: 'cancelled',
  completed: 'closed',
  complete: 'closed',
  declined: 'rejected',
};

/** Our status for an imported one, or null when it means nothing we know. */
export function importedStatus(s: string): ReturnStatus | null {
  const v = String(s ?? '')
    .trim()
    .toLowerCase();
  if ((RETURN_STATUSES as readonly string[]).includes(v)) return v as ReturnStatus;
  return STATUS_ALIASES[v] ?? null;
}

/** Final states reached at `resolved_at`. */
export const RESOLVED_STATUSES = new Set<ReturnStatus>(['refunded', 'closed', 'rejected', 'cancelled']);

export function returnRowProblems(r: ReturnRow): FieldProblem[] {
  if (!r || typeof r !== 'object') return [{ field: 'row', message: 'is not an object' }];
  const p: FieldProblem[] = [];
  text(p, 'return_external_id', r.returnExternalId);
  text(p, 'order_external_id', r.orderExternalId);
  text(p, 'line_external_id', r.lineExternalId);
  text(p, 'reason_code', r.reasonCode);
  if (r.note !== null && r.note !== undefined && (typeof r.note !== 'string' || r.note.length > 2000))
    p.push({ field: 'note', message: 'must be text of at most 2000 characters' });
  if (!Number.isSafeInteger(r.quantity) || r.quantity <= 0)
    p.push({ field: 'quantity', message: 'must be a whole number above 0' });
  time(p, 'requested_at', r.requestedAt, true);
  time(p, 'resolved_at', r.resolvedAt, false);
  const status = importedStatus(r.status);
  if (!status) {
    p.push({
      field: 'status',
      message: `"${r.status ?? ''}" is not a return status (one of ${RETURN_STATUSES.join(', ')})`,
    });
  } else if (RESOLVED_STATUSES.has(status) && !r.resolvedAt) {
    p.push({ field: 'resolved_at', message: `is required for status ${status}` });
  }
  if (r.resolvedAt && r.requestedAt && Date.parse(r.resolvedAt) < Date.parse(r.requestedAt))
    p.push({ field: 'resolved_at', message: 'is before requested_at' });
  if (r.refundedAmount !== null && r.refundedAmount !== undefined) {
    if (!Number.isSafeInteger(r.refundedAmount) || r.refundedAmount < 0)
      p.push({ field: 'refunded_amount', message: 'must be a whole number of minor units, 0 or more' });
    else if (r.refundedAmount > 0 && status && status !== 'refunded' && status !== 'closed')
      p.push({ field: 'refunded_amount', message: `must be empty or 0 for status ${status}` });
  }
  return p;
}

function text(p: FieldProblem[], field: string, v: unknown) {
  if (typeof v !== 'string' || v.trim() === '') p.push({ field, message: 'is required' });
  else if (v.length > MAX_TEXT) p.push({ field, message: `is longer than ${MAX_TEXT} characters` });
}

function time(p: FieldProblem[], field: string, v: unknown, required: boolean) {
  if (v === null || v === undefined || v === '') {
    if (required) p.push({ field, message: 'is required' });
    return;
  }
  if (
    typeof v !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) ||
    Number.isNaN(Date.parse(v))
  )
    p.push({ field, message: 'must be an ISO-8601 date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)' });
}

/** ISO-8601 UTC for an imported time; a bare date is midnight UTC, a time without zone is UTC. */
export function toIso(v: string): string {
  const s = v.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return `${s}T00:00:00.000Z`;
  const withT = s.replace(' ', 'T');
  return new Date(/Z|[+-]\d{2}:?\d{2}$/.test(withT) ? withT : `${withT}Z`).toISOString();
}
