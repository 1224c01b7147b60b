import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { BreakdownRow } from '../../../components/breakdown-table.tsx';
import { api } from '../../../lib/api.ts';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import type { Conversion, ItemisedRow } from '../../../lib/sourcing.ts';

/** GET /api/v1/track/:token — the public view of one return (no personal data). */
export type TrackingView = {
  rmaNumber: string;
  /** The shop the return belongs to (the header shows it). */
  shop: { name: string; handle: string } | null;
  status: string;
  returnless: boolean;
  timeline: { status: string; action: string; note: string | null; at: string }[];
  upcoming: string[];
  items: { title: string; quantity: number }[];
  refund: {
    currency: string;
    /** Integer minor units. */
    total: number;
    method: string;
    bonus: number;
    status: string | null;
    breakdown: BreakdownRow[];
  };
  explanation: string[];
  /** While the parcel is expected: the last day to send it (a UTC calendar date) and whether it is past. */
  shipBy: { date: string; passed: boolean } | null;
  /** The shop's return address (null when none is configured or nothing travels back). */
  returnAddress: { name: string; lines: string[] } | null;
  /** Purchasing agents only (null for a shop): each item's stage and clocks, the refund itemised. */
  sourcing?: {
    refundTo: string;
    display: Conversion;
    itemised: ItemisedRow[];
    stages: {
      title: string;
      stage: string;
      route: string | null;
      sellerDeadline: string | null;
      customerDeadline: string | null;
    }[];
  } | null;
  createdAt: string;
  updatedAt: string;
};

export type InboxItem = {
  id: string;
  returnId: string | null;
  event: string;
  title: string;
  body: string;
  url: string | null;
  readAt: string | null;
  createdAt: string;
};
export type Inbox = { data: InboxItem[]; unreadCount: number };

export type ChannelName = 'email' | 'sms' | 'in_app';
export type Preferences = {
  locale: string | null;
  timeZone: string | null;
  phone: string | null;
  channels: Partial<Record<ChannelName, { enabled?: boolean; categories?: Record<string, boolean> }>>;
};
export type PreferencesInput = {
  locale?: string | null;
  phone?: string | null;
  channels?: Partial<Record<ChannelName, { enabled: boolean }>>;
};

const base = (token: string) => `/api/v1/track/${encodeURIComponent(token)}`;

export const trackingKeys = {
  all: (token: string) => ['tracking', token] as const,
  view: (token: string) => ['tracking', token, 'view'] as const,
  inbox: (token: string) => ['tracking', token, 'inbox'] as const,
  preferences: (token: string) => ['tracking', token, 'preferences'] as const,
  wallet: (token: string) => ['tracking', token, 'wallet'] as const,
};

/** A purchasing agent's wallet for the customer behind the link (src/modules/sourcing/routes.ts). */
export type TrackedWallet = {
  displayCurrency: string | null;
  balances: { currency: string; balance: number; display: Conversion }[];
  withdrawals: {
    id: string;
    amount: number;
    currency: string;
    status: string;
    fx: Conversion;
    createdAt: string;
  }[];
};

export function useWallet(token: string, enabled: boolean) {
  return useQuery({
    queryKey: trackingKeys.wallet(token),
    queryFn: ({ signal }) => api.get<TrackedWallet>(`${base(token)}/wallet`, { signal }),
    enabled,
  });
}

export function useWithdraw(token: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { amount: number; currency: string }) =>
      api.post<TrackedWallet['withdrawals'][number]>(`${base(token)}/wallet/withdrawals`, input, {
        headers: { 'Idempotency-Key': crypto.randomUUID() },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: trackingKeys.wallet(token) }),
  });
}

export function useTracking(token: string) {
  // The server writes the decision's explanation in the page's language.
  const { locale } = useI18n();
  return useQuery({
    queryKey: [...trackingKeys.view(token), locale],
    queryFn: ({ signal }) =>
      api.get<TrackingView>(`${base(token)}?lang=${encodeURIComponent(locale)}`, { signal }),
  });
}

export function useInbox(token: string, enabled: boolean) {
  return useQuery({
    queryKey: trackingKeys.inbox(token),
    queryFn: ({ signal }) => api.get<Inbox>(`${base(token)}/inbox`, { signal }),
    enabled,
  });
}

export function useMarkInboxRead(token: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<Inbox>(`${base(token)}/inbox/read`, { all: true }),
    onSuccess: (inbox) => qc.setQueryData(trackingKeys.inbox(token), inbox),
  });
}

export function usePreferences(token: string, enabled: boolean) {
  return useQuery({
    queryKey: trackingKeys.preferences(token),
    queryFn: ({ signal }) => api.get<Preferences>(`${base(token)}/preferences`, { signal }),
    enabled,
  });
}

export function useSavePreferences(token: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: PreferencesInput) => api.put<Preferences>(`${base(token)}/preferences`, input),
    onSuccess: (prefs) => qc.setQueryData(trackingKeys.preferences(token), prefs),
  });
}

export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * Keeps the page current over Server-Sent Events: a changed return refetches the view, a new
 * message refetches the inbox, and a resync (the server lost track of what it sent) or a
 * reconnect (events may have been missed meanwhile) refetches everything.
 */
export function useTrackingStream(token: string, enabled: boolean): LiveState {
  const qc = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource(`${base(token)}/stream`);
    let opened = false;
    setState('connecting');
    const refetchAll = () => qc.invalidateQueries({ queryKey: trackingKeys.all(token) });
    source.onopen = () => {
      if (opened) void refetchAll();
      opened = true;
      setState('live');
    };
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    source.addEventListener('return.updated', () => {
      void qc.invalidateQueries({ queryKey: trackingKeys.view(token) });
      // A status change usually comes with a message in the inbox a moment later.
      void qc.invalidateQueries({ queryKey: trackingKeys.inbox(token) });
    });
    source.addEventListener('inbox.item', () =>
      qc.invalidateQueries({ queryKey: trackingKeys.inbox(token) }),
    );
    source.addEventListener('realtime.resync', () => void refetchAll());
    return () => source.close();
  }, [token, enabled, qc]);

  return enabled ? state : 'connecting';
}
