import type { DecisionOutcome } from '@contract/policy.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BreakdownRow } from '../../../components/breakdown-table.tsx';
import { ApiError, api } from '../../../lib/api.ts';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import type { Conversion, ItemisedRow, RefundTo } from '../../../lib/sourcing.ts';

/** One line of the order, with whether (and how many of) it can still be returned. */
export type PortalLine = {
  id: string;
  sku: string;
  title: string;
  category: string;
  quantity: number;
  returnableQuantity: number;
  /** Integer minor units. */
  unitPrice: number;
  eligible: boolean;
  code?: string;
  reason?: string;
  windowEndsAt: string;
};

export type PortalReason = {
  code: string;
  /** The shop's English label. */
  label: string;
  /** The shop's own labels in other languages. */
  labels?: { 'zh-CN'?: string; es?: string };
  evidenceRequired: boolean;
};

/** POST /api/v1/portal/lookup and GET /api/v1/portal/order (src/modules/returns/portal-routes.ts). */
export type PortalShop = { name: string; handle: string; kind: string };

export type PortalView = {
  shop: PortalShop;
  order: {
    id: string;
    orderNumber: string;
    currency: string;
    placedAt: string;
    deliveredAt: string | null;
    lines: PortalLine[];
  };
  reasons: PortalReason[];
  resolutions: string[];
  storeCreditBonusPercent: number;
  returns: { id: string; rmaNumber: string; status: string; trackingUrl: string; createdAt: string }[];
};

export type ExchangeItem = { sku: string; title: string; unitPrice: number; quantity: number };

export type ReturnRequestBody = {
  resolution: string;
  lines: {
    orderLineId: string;
    quantity: number;
    reasonCode: string;
    note?: string;
    evidenceIds?: string[];
  }[];
  exchange?: { items: ExchangeItem[] };
  /** Purchasing agents: where the refund goes (absent: the shop's default, the wallet). */
  refundTo?: RefundTo;
};

export type QuoteLine = {
  orderLineId: string;
  quantity: number;
  itemAmount: number;
  discount: number;
  tax: number;
  shipping: number;
  restockingFee: number;
  total: number;
};

export type RefundQuote = {
  currency: string;
  lines: QuoteLine[];
  subtotal: number;
  restockingFees: number;
  returnShippingFee: number;
  fees: { code: string; label: string; amount: number }[];
  total: number;
  resolution?: string;
  bonus?: number;
  payout?: { method: 'original_payment' | 'store_credit' | 'none'; amount: number };
  exchange?: { items: ExchangeItem[]; itemsTotal: number; amountDue: number } | null;
  /** What the customer gets back, row by row (the rows add up to `total`, bonus included). */
  breakdown?: { rows: BreakdownRow[]; total: number; due: number };
  /** Purchasing agents only: each line's stage, the refund itemised, where it goes, its conversion. */
  sourcing?: {
    stages: { orderLineId: string; stage: string; route: string | null; sellerDeadline: string | null }[];
    itemised: ItemisedRow[];
    refundTo: string;
    display: Conversion;
  };
};

export type Decision = {
  outcome: DecisionOutcome;
  explanation: string[];
  returnless: boolean;
};

export type QuoteAnswer = {
  eligible: boolean;
  lines: { orderLineId: string; eligible: boolean; code?: string; reason?: string }[];
  decision: Decision | null;
  refundQuote: RefundQuote | null;
};

export type FiledReturn = {
  id: string;
  rmaNumber: string;
  status: string;
  trackingToken: string;
  trackingUrl: string;
};

export type Evidence = { id: string; contentType: string; size: number };

/** A line the server refused, from a 422's `details.lines`. */
export type LineProblem = { orderLineId: string; code: string; reason: string };

export function lineProblems(error: unknown): LineProblem[] {
  if (!(error instanceof ApiError) || error.status !== 422) return [];
  const lines = (error.details as { lines?: unknown } | null | undefined)?.lines;
  if (!Array.isArray(lines)) return [];
  return lines.filter(
    (l): l is LineProblem =>
      typeof l === 'object' && l !== null && typeof (l as LineProblem).orderLineId === 'string',
  );
}

export const portalKeys = {
  order: ['portal', 'order'] as const,
  quote: (body: ReturnRequestBody) => ['portal', 'quote', body] as const,
};

// The session cookie is http-only: this tab remembers that it opened one, so a reload mid-way
// resumes the order while a first visit does not ask the server for a session it cannot have.
const SESSION_FLAG = 'returnflow.portal.session';

function sessionFlag(): boolean {
  try {
    return window.sessionStorage.getItem(SESSION_FLAG) === '1';
  } catch {
    return false;
  }
}

export function setSessionFlag(open: boolean): void {
  try {
    if (open) window.sessionStorage.setItem(SESSION_FLAG, '1');
    else window.sessionStorage.removeItem(SESSION_FLAG);
  } catch {
    // Without storage a reload starts at the lookup again; nothing else changes.
  }
}

/** The order of the current customer session, if this tab opened one (404 when it expired). */
export function usePortalOrder() {
  const { locale } = useI18n();
  return useQuery({
    queryKey: [...portalKeys.order, locale],
    queryFn: async ({ signal }): Promise<PortalView | null> => {
      if (!sessionFlag()) return null;
      try {
        return await api.get<PortalView>(`/api/v1/portal/order?lang=${encodeURIComponent(locale)}`, {
          signal,
        });
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          setSessionFlag(false);
          return null;
        }
        throw e;
      }
    },
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
}

/** The shop of a portal address, `/s/HANDLE/returns`; null when no shop has that handle. */
export function useShop(handle: string) {
  return useQuery({
    queryKey: ['portal', 'shop', handle],
    queryFn: async ({ signal }): Promise<PortalShop | null> => {
      try {
        return await api.get<PortalShop>(`/api/v1/portal/shops/${encodeURIComponent(handle)}`, { signal });
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
}

export function useLookup() {
  const qc = useQueryClient();
  const { locale } = useI18n();
  return useMutation({
    mutationFn: (input: { shop: string; orderNumber: string; email: string }) =>
      api.post<PortalView>(`/api/v1/portal/lookup?lang=${encodeURIComponent(locale)}`, input),
    onSuccess: (view) => {
      setSessionFlag(true);
      qc.setQueryData([...portalKeys.order, locale], view);
    },
  });
}

/** What the return would get; writes nothing, so it is a query keyed on the request. */
export function useQuote(body: ReturnRequestBody) {
  const { locale } = useI18n();
  return useQuery({
    queryKey: [...portalKeys.quote(body), locale],
    queryFn: () => api.post<QuoteAnswer>(`/api/v1/portal/quote?lang=${encodeURIComponent(locale)}`, body),
    enabled: body.lines.length > 0,
    retry: false,
    staleTime: 0,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
}

export function useFileReturn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ReturnRequestBody) => api.post<FiledReturn>('/api/v1/portal/returns', body),
    // The order now has one more return and fewer returnable units: fetched again next time the
    // portal opens, not now (the review on screen would re-quote lines that are no longer there).
    onSuccess: () => qc.invalidateQueries({ queryKey: portalKeys.order, refetchType: 'none' }),
  });
}

/** One photo as a raw image body (the server checks the bytes, not only the header). */
export async function uploadEvidence(file: File, signal?: AbortSignal): Promise<Evidence> {
  let res: Response;
  try {
    res = await fetch('/api/v1/portal/evidence', {
      method: 'POST',
      body: file,
      headers: { 'content-type': file.type, accept: 'application/json' },
      credentials: 'same-origin',
      signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', 'The server could not be reached.');
  }
  const parsed = (await res.json().catch(() => null)) as
    | (Evidence & { error?: { code: string; message: string } })
    | null;
  if (!res.ok) {
    throw new ApiError(
      res.status,
      parsed?.error?.code ?? `http_${res.status}`,
      parsed?.error?.message ?? res.statusText,
    );
  }
  return parsed as Evidence;
}
