import type { Queue } from '@contract/returns.ts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { BreakdownRow } from '../../../components/breakdown-table.tsx';
import { api } from '../../../lib/api.ts';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import type { Conversion, ItemisedRow } from '../../../lib/sourcing.ts';
import { csrf, csrfHeader, fetchMe, STAFF_ME_KEY, setCsrfToken } from '../../../lib/staff-session.ts';
import type { CaseSourcing } from './sourcing-types.ts';

export type Me = {
  user: { id: string; email: string; name: string; role: string; tenantId: string };
  tenant: { name: string; kind: string; handle: string };
  csrfToken: string;
};

/** The console's queues, named by the server (@contract/returns.ts). */
export { QUEUES, type Queue } from '@contract/returns.ts';

export type QueueRow = {
  id: string;
  rmaNumber: string;
  status: string;
  resolution: string;
  currency: string;
  refundTotal: number;
  /** What the customer gets, store-credit bonus included. */
  customerTotal: number;
  createdAt: string;
  updatedAt: string;
  version: number;
  orderNumber: string | null;
  customerEmail: string | null;
  customerName: string | null;
  refundStatus: string | null;
  sla: { dueAt: string; state: 'ok' | 'at_risk' | 'overdue' } | null;
};

export type RuleTrace = {
  ruleId: string;
  fired: boolean;
  action: string;
  matchedLines?: unknown;
  note?: string;
};
export type ReturnLine = {
  id: string;
  orderLineId: string;
  sku: string;
  title: string;
  quantity: number;
  reasonCode: string;
  note: string | null;
  refundAmount: number;
  acceptedQuantity: number | null;
  condition: string | null;
};
export type CaseReturn = {
  id: string;
  rmaNumber: string;
  status: string;
  resolution: string;
  returnless: boolean;
  decision: { outcome: string; automatic?: boolean; explanation: string[]; rules: RuleTrace[] };
  refundQuote: {
    currency: string;
    total: number;
    lines?: { returnLineId?: string; title?: string; amount?: number; refundAmount?: number }[];
    returnShippingFee?: number;
    restockingFee?: number;
    bonus?: number;
    breakdown?: { rows: BreakdownRow[]; total: number; due: number };
    sourcing?: {
      itemised: ItemisedRow[];
      refundTo: string;
      display: Conversion;
      stages: {
        orderLineId: string;
        stage: string;
        route: string | null;
        sellerDeadline: string | null;
        customerDeadline: string | null;
      }[];
    };
    [k: string]: unknown;
  };
  refundTotal: number;
  currency: string;
  customerNote: string | null;
  lines: ReturnLine[];
  evidence: { id: string; url: string; contentType: string; orderLineId: string | null }[];
  allowedActions: string[];
  adjustment: { amount: number; reason: string; by: string; at: string } | null;
  refund: {
    status: string;
    amount: number;
    currency: string;
    method: string;
    failureMessage: string | null;
  } | null;
  fulfillment: { status: string; items: { sku: string; title: string; quantity: number }[] } | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};
export type CaseEvent = {
  id: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  actor: { type: string; id: string | null };
  note: string | null;
  visibility: string;
  createdAt: string;
};
export type CaseView = {
  return: CaseReturn;
  order: {
    orderNumber?: string;
    currency?: string;
    totalAmount?: number;
    placedAt?: string;
    payment?: {
      capturedAmount: number;
      refundedAmount: number;
      refundableAmount: number;
      /** Paid back as store credit, or into a purchasing agent's wallet. */
      creditIssuedAmount?: number;
      [k: string]: unknown;
    } | null;
    [k: string]: unknown;
  };
  customer: {
    email: string;
    name: string | null;
    history: {
      orderCount: number;
      returnRate: number;
      returns: { id: string; rmaNumber: string; status: string; createdAt: string }[];
    };
  };
  events: CaseEvent[];
  /** Purchasing agents: line stages, seller claims and the customer's abuse signals; null for shops. */
  sourcing?: CaseSourcing | null;
};
export type Macro = { id: string; name: string; body: string; action: string | null };

// The CSRF token of the signed-in session: every change made with the cookie sends it back.

/** Staff calls: the cookie goes by itself, changes carry the CSRF header. */
export const staffApi = {
  get: api.get,
  post: <T>(path: string, body: unknown = {}) => api.post<T>(path, body, csrf()),
};

export const consoleKeys = {
  me: STAFF_ME_KEY,
  queues: ['console', 'queues'] as const,
  lists: ['console', 'list'] as const,
  list: (queue: string, q: string) => ['console', 'list', queue, q] as const,
  case: (id: string) => ['console', 'case', id] as const,
  macros: ['console', 'macros'] as const,
};

export function useMe() {
  return useQuery({
    queryKey: consoleKeys.me,
    queryFn: ({ signal }) => fetchMe<Me>(signal),
    retry: false,
    staleTime: 60_000,
  });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) => api.post<Me>('/api/v1/auth/login', input),
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      qc.setQueryData(consoleKeys.me, me);
    },
  });
}

/** Always answers the same neutral sentence: the server never says whether the address is known. */
export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (email: string) => api.post<{ message: string }>('/api/v1/auth/password-reset', { email }),
  });
}

export function useConfirmPasswordReset() {
  return useMutation({
    mutationFn: (input: { token: string; password: string }) =>
      api.post<null>('/api/v1/auth/password-reset/confirm', input),
  });
}

export function useQueueCounts() {
  return useQuery({
    queryKey: consoleKeys.queues,
    queryFn: ({ signal }) => staffApi.get<Record<string, number>>('/api/v1/console/queues', { signal }),
  });
}

export function useQueueRows(queue: Queue, q: string) {
  return useInfiniteQuery({
    queryKey: consoleKeys.list(queue, q),
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ queue, limit: '25' });
      if (q) params.set('q', q);
      if (pageParam) params.set('cursor', pageParam);
      return staffApi.get<{ data: QueueRow[]; nextCursor: string | null }>(
        `/api/v1/console/returns?${params}`,
        { signal },
      );
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** One case; the policy's explanation comes in the agent's language (`lang`). */
export function useCase(id: string) {
  const { locale } = useI18n();
  return useQuery({
    // The language last: invalidating `consoleKeys.case(id)` still reaches every language's copy.
    queryKey: [...consoleKeys.case(id), locale],
    queryFn: ({ signal }) =>
      staffApi.get<CaseView>(`/api/v1/console/returns/${encodeURIComponent(id)}?lang=${locale}`, { signal }),
  });
}

export function useMacros() {
  return useQuery({
    queryKey: consoleKeys.macros,
    queryFn: ({ signal }) => staffApi.get<{ data: Macro[] }>('/api/v1/macros', { signal }),
  });
}

export type BulkResult = {
  id: string;
  ok: boolean;
  status?: string;
  error?: { code: string; message: string };
};

export function useBulk() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { ids: string[]; action: 'approve' | 'reject'; note?: string }) =>
      staffApi.post<{ results: BulkResult[] }>('/api/v1/returns/bulk', input),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: consoleKeys.queues });
      void qc.invalidateQueries({ queryKey: consoleKeys.lists });
    },
  });
}

/** Every change to a case: refetches the case (and the queues) whether it worked or not. */
export function useCaseMutation<I>(id: string, run: (input: I) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: consoleKeys.case(id) });
      void qc.invalidateQueries({ queryKey: consoleKeys.queues });
      void qc.invalidateQueries({ queryKey: consoleKeys.lists });
    },
  });
}

const retPath = (id: string) => `/api/v1/returns/${encodeURIComponent(id)}`;

export const caseCalls = {
  action: (id: string) => (input: { action: string; body: Record<string, unknown> }) =>
    staffApi.post(`${retPath(id)}/actions/${input.action}`, input.body),
  note: (id: string) => (note: string) => staffApi.post(`${retPath(id)}/notes`, { note }),
  reply: (id: string) => (message: string) => staffApi.post(`${retPath(id)}/messages`, { message }),
  macro: (id: string) => (input: { macroId: string; expectedVersion: number; message?: string }) =>
    staffApi.post(`${retPath(id)}/apply-macro`, input),
};

export type MacroPreview = { message: string; action: 'approve' | 'reject' | null; allowed: boolean };

/** A macro's text filled in for the case, and the decision it carries: nothing is sent. */
export function useMacroPreview(id: string) {
  return useMutation({
    mutationFn: (macroId: string) => staffApi.post<MacroPreview>(`${retPath(id)}/macro-preview`, { macroId }),
  });
}

export type Viewer = { userId: string; name: string; at: number };

/**
 * While a case is open: says "viewing" every 15 s (and "left" on the way out), listens to the
 * case's stream for the others on it and for changes, and refetches after a reconnect.
 */
export function useCasePresence(id: string, selfId: string | undefined): Viewer[] {
  const qc = useQueryClient();
  const [viewers, setViewers] = useState<Record<string, Viewer>>({});

  useEffect(() => {
    const say = (state: 'viewing' | 'left') =>
      staffApi.post(`${retPath(id)}/presence`, { state }).catch(() => {});
    // Closing the tab or reloading: a keep-alive request still gets out while the page unloads.
    const onHide = () =>
      void fetch(`${retPath(id)}/presence`, {
        method: 'POST',
        keepalive: true,
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'X-CSRF-Token': csrfHeader() },
        body: JSON.stringify({ state: 'left' }),
      }).catch(() => {});
    window.addEventListener('pagehide', onHide);
    const beat = setInterval(() => void say('viewing'), 15_000);
    const known = new Set<string>();
    const expire = setInterval(() => {
      const now = Date.now();
      setViewers((v) => {
        const kept = Object.entries(v).filter(([, x]) => now - x.at < 40_000);
        known.clear();
        for (const [userId] of kept) known.add(userId);
        return Object.fromEntries(kept);
      });
    }, 5_000);
    let source: EventSource | null = null;
    if (typeof EventSource === 'undefined') void say('viewing');
    else {
      source = new EventSource(`/api/v1/console/returns/${encodeURIComponent(id)}/stream`);
      let opened = false;
      const refetch = () => qc.invalidateQueries({ queryKey: consoleKeys.case(id) });
      // "viewing" once the stream is open, not before: the others answer at once, and an answer
      // that arrives before we listen is lost until the next beat 15 s later. Again after a
      // reconnect, for those who arrived while we were away.
      source.onopen = () => {
        void say('viewing');
        if (opened) void refetch();
        opened = true;
      };
      source.addEventListener('return.updated', () => void refetch());
      source.addEventListener('realtime.resync', () => void refetch());
      source.addEventListener('presence', (e) => {
        try {
          const p = JSON.parse((e as MessageEvent<string>).data) as {
            userId: string;
            name: string;
            state: string;
          };
          if (p.userId === selfId) return;
          // Someone new arrived: answer at once so they see us without waiting for a beat.
          if (p.state !== 'left' && !known.has(p.userId)) void say('viewing');
          if (p.state === 'left') known.delete(p.userId);
          else known.add(p.userId);
          setViewers((v) => {
            const next = { ...v };
            if (p.state === 'left') delete next[p.userId];
            else next[p.userId] = { userId: p.userId, name: p.name, at: Date.now() };
            return next;
          });
        } catch {
          // Not our shape: ignore.
        }
      });
    }
    return () => {
      clearInterval(beat);
      clearInterval(expire);
      source?.close();
      window.removeEventListener('pagehide', onHide);
      void say('left');
    };
  }, [id, selfId, qc]);

  return Object.values(viewers);
}

/** The signed-in person's stream: any changed return refreshes the queue counts and lists. */
export function useStaffStream(enabled: boolean) {
  const qc = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/me/stream');
    const refresh = () => {
      void qc.invalidateQueries({ queryKey: consoleKeys.queues });
      void qc.invalidateQueries({ queryKey: consoleKeys.lists });
    };
    source.addEventListener('return.updated', refresh);
    source.addEventListener('inbox.item', refresh);
    source.addEventListener('realtime.resync', refresh);
    return () => source.close();
  }, [enabled, qc]);
}
