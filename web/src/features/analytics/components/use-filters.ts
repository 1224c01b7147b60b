import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import type { Filters } from '../api/analytics-api.ts';
import { addDays, today } from './format.ts';

export const DEFAULT_DAYS = 90;
export const PRESETS = [30, 90, 365] as const;

/**
 * Where a drill-down points: the returns behind one SKU, reason, category or period. The rates'
 * drills (a SKU, a category, a period, `ordered` for the headline) list the returns of the orders
 * placed in the period, as the rates count them; the others, the returns requested in it.
 */
export type Drill =
  | { by: 'sku' | 'reason' | 'category'; value: string }
  | { by: 'period'; from: string; to: string }
  | { by: 'all' }
  | { by: 'ordered' };

function parseDrill(raw: string | null): Drill | null {
  if (!raw) return null;
  if (raw === 'all') return { by: 'all' };
  if (raw === 'ordered') return { by: 'ordered' };
  const at = raw.indexOf(':');
  const by = raw.slice(0, at);
  const value = raw.slice(at + 1);
  if (!value) return null;
  if (by === 'period') {
    const [from, to] = value.split('..');
    return from && to ? { by, from, to } : null;
  }
  return by === 'sku' || by === 'reason' || by === 'category' ? { by, value } : null;
}

export function drillParam(d: Drill): string {
  if (d.by === 'all' || d.by === 'ordered') return d.by;
  if (d.by === 'period') return `period:${d.from}..${d.to}`;
  return `${d.by}:${d.value}`;
}

/**
 * The overview's filters, kept in the URL so a view can be bookmarked and shared. Without a
 * period the last 90 days (as the API's default); the dates are always sent, so the tables,
 * their CSV files and the drill-down answer for the same days.
 */
export function useFilters() {
  const [params, setParams] = useSearchParams();
  const to = params.get('to') ?? today();
  const from = params.get('from') ?? addDays(to, -(DEFAULT_DAYS - 1));
  const filters: Filters = {
    from,
    to,
    ...(params.get('category') ? { category: params.get('category')! } : {}),
    ...(params.get('reason') ? { reason: params.get('reason')! } : {}),
    ...(params.get('resolution') ? { resolution: params.get('resolution')! } : {}),
  };
  const trend = params.get('trend') === 'month' ? ('month' as const) : ('week' as const);
  const drill = parseDrill(params.get('drill'));

  const update = useCallback(
    (changes: Record<string, string | null>) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(changes)) {
            if (v === null || v === '') next.delete(k);
            else next.set(k, v);
          }
          return next;
        },
        { replace: false, preventScrollReset: true },
      ),
    [setParams],
  );

  return { filters, trend, drill, update };
}
