import type { AlertView, Theme } from '@contract/analytics.ts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { csrf } from '../../../lib/staff-session.ts';

// The shapes of src/modules/analytics/routes.ts and detection-routes.ts (their response schemas);
// alerts and themes are the server's own types.
export type { Theme };

export type Filters = {
  from: string;
  to: string;
  sku?: string;
  category?: string;
  reason?: string;
  resolution?: string;
};
export type RateGroup = 'sku' | 'product' | 'category' | 'seller' | 'day' | 'week' | 'month';

type Table<R> = { from: string; to: string; data: R[]; priorUnits?: number };
export type RateRow = {
  key: string;
  unitsSold: number;
  unitsReturned: number;
  returnLines: number;
  returnRate: number | null;
};
/** `rank=shrunk`: the rate shrunk toward the group's (a SKU's category) and its 95 % interval. */
export type RankedRateRow = RateRow & {
  category: string;
  groupRate: number | null;
  adjustedRate: number | null;
  rateLow: number | null;
  rateHigh: number | null;
};
export type ReasonRow = { reasonCode: string; returnLines: number; units: number; share: number };
export type CostRow = { currency: string; refundAmount: number; feesRecovered: number; returnLines: number };
export type AutomationRow = { autoDecided: number; peopleDecided: number; automationRate: number | null };
export type CycleRow = { stage: string; count: number; p50Hours: number | null; p90Hours: number | null };
export type SlaRow = {
  sla: string;
  targetHours: number;
  met: number;
  total: number;
  compliance: number | null;
};
export type DrillRow = {
  returnLineId: string;
  returnId: string;
  rmaNumber: string;
  requestedAt: string;
  sku: string;
  category: string;
  reasonCode: string;
  resolution: string;
  status: string;
  unitsRequested: number;
  currency: string;
  refundAmount: number;
};

export type Alert = AlertView;
export type Evidence = AlertView['evidence'];
export type AlertList = { asOf?: string; testsRun?: number; data: Alert[]; nextCursor: string | null };
export type DetectResult = {
  asOf: string;
  opened: string[];
  updated: number;
  resolved: number;
  notified: number;
};
export type ThemeList = {
  asOf: string;
  from: string;
  sku?: string;
  category?: string;
  notes: number;
  referenceNotes: number;
  data: Theme[];
};
export type ModelRun = {
  id: string;
  trainedAt: string;
  asOf: string;
  trainCount: number;
  testCount: number;
  auc: number | null;
  brier: number | null;
  baselineBrier: number;
  positives: number;
  holdoutFrom: string;
  maturityDays: number;
  calibration: { from: number; to: number; count: number; predicted: number; observed: number }[];
  intercept: number;
  featureWeights: { feature: string; weight: number }[];
};
export type Score = {
  orderId: string;
  orderNumber: string;
  placedAt: string;
  probability: number;
  lines: { lineId: string; sku: string; probability: number }[];
};

/** The query string of a metric call: the filters, then anything else (`groupBy`, `sku`, `format`). */
export function metricQuery(f: Filters, extra: Record<string, string | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) if (v) p.set(k, v);
  return p.toString();
}

/** The address of a table as CSV: the browser downloads it with the session cookie. */
export function csvHref(path: string, f: Filters, extra: Record<string, string | undefined> = {}): string {
  return `/api/v1/analytics/${path}?${metricQuery(f, { ...extra, format: 'csv' })}`;
}

const get = <T>(path: string, signal: AbortSignal) => api.get<T>(path, { signal });

/** One metric table; every call carries the page's filters. */
export function useMetric<R>(path: string, f: Filters, extra: Record<string, string | undefined> = {}) {
  const qs = metricQuery(f, extra);
  return useQuery({
    queryKey: ['analytics', path, qs],
    queryFn: ({ signal }) => get<Table<R>>(`/api/v1/analytics/${path}?${qs}`, signal),
    staleTime: 60_000,
  });
}

/** The return lines behind a number, newest first, a page at a time. */
export function useDrillDown(f: Filters, extra: Record<string, string | undefined>, enabled: boolean) {
  const qs = metricQuery(f, { ...extra, limit: '25' });
  return useInfiniteQuery({
    queryKey: ['analytics', 'returns', qs],
    queryFn: ({ signal, pageParam }) =>
      get<{ data: DrillRow[]; nextCursor: string | null }>(
        `/api/v1/analytics/returns?${qs}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
        signal,
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export function useAlerts(asOf: string | null) {
  return useInfiniteQuery({
    queryKey: ['analytics', 'alerts', asOf ?? 'stored'],
    queryFn: ({ signal, pageParam }) => {
      const p = new URLSearchParams(asOf ? { asOf } : { limit: '50' });
      if (pageParam) p.set('cursor', pageParam);
      return get<AlertList>(`/api/v1/analytics/alerts?${p}`, signal);
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useAlert(id: string) {
  return useQuery({
    queryKey: ['analytics', 'alert', id],
    queryFn: ({ signal }) => get<Alert>(`/api/v1/analytics/alerts/${encodeURIComponent(id)}`, signal),
  });
}

export function useDetect() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<DetectResult>('/api/v1/analytics/alerts/detect', {}, csrf()),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['analytics', 'alerts'] }),
  });
}

export function useThemes(target: { sku?: string; category?: string }, limit = 15) {
  const p = new URLSearchParams({ limit: String(limit) });
  if (target.sku) p.set('sku', target.sku);
  else if (target.category) p.set('category', target.category);
  return useQuery({
    queryKey: ['analytics', 'themes', p.toString()],
    queryFn: ({ signal }) => get<ThemeList>(`/api/v1/analytics/themes?${p}`, signal),
    enabled: Boolean(target.sku || target.category),
    staleTime: 60_000,
  });
}

export function useRiskModel() {
  return useQuery({
    queryKey: ['analytics', 'risk-model'],
    queryFn: ({ signal }) => get<ModelRun>('/api/v1/analytics/risk-model', signal),
    retry: false,
  });
}

export function useRiskScores(enabled: boolean) {
  return useQuery({
    queryKey: ['analytics', 'risk', 'open'],
    queryFn: ({ signal }) => get<{ model: string; data: Score[] }>('/api/v1/analytics/risk?limit=20', signal),
    enabled,
    retry: false,
  });
}

export function useTrain() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<ModelRun>('/api/v1/analytics/risk-model/train', {}, csrf()),
    onSuccess: (run) => {
      qc.setQueryData(['analytics', 'risk-model'], run);
      void qc.invalidateQueries({ queryKey: ['analytics', 'risk', 'open'] });
    },
  });
}
