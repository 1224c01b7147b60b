import { OPTIONAL_VARS, REQUIRED_VARS, type TemplateField, type TemplateLocale } from '@contract/notify.ts';
import type { DecisionOutcome } from '@contract/policy.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { csrf, fetchMe, STAFF_ME_KEY } from '../../../lib/staff-session.ts';

export type AdminMe = {
  user: { id: string; email: string; name: string; role: string; tenantId: string };
  tenant: { name: string; handle: string; kind: string };
  csrfToken: string;
};

export type PolicyVersion = {
  version: number;
  createdAt: string;
  createdBy: string;
  /** Who published it: a staff member or API key by name (null once removed), or the system. */
  publishedBy: { type: 'staff' | 'api' | 'system'; id: string | null; name: string | null };
  policy: Record<string, unknown>;
};

/** A preview's verdict on a past return: the policy's decision, or not returnable at all. */
export type Outcome = DecisionOutcome | 'ineligible';
export type PolicyPreview = {
  window: { from: string; to: string };
  evaluated: number;
  truncated: boolean;
  changed: number;
  /** Returns whose decision stays but whose money changes. */
  amountOnly: number;
  outcomes: { before: Record<Outcome, number>; after: Record<Outcome, number> };
  transitions: { from: string; to: string; count: number }[];
  refunds: { currency: string; before: number; after: number }[];
  samples: {
    returnId: string;
    rmaNumber: string;
    before: Outcome;
    after: Outcome;
    beforeTotal: number;
    afterTotal: number;
    currency: string;
    changes: ('decision' | 'amount')[];
  }[];
};

// The CSRF token of the signed-in session: every change made with the cookie sends it back.

/** Staff calls: the cookie goes by itself, changes carry the CSRF header. */
export const adminApi = {
  get: api.get,
  post: <T>(path: string, body: unknown = {}) => api.post<T>(path, body, csrf()),
  put: <T>(path: string, body: unknown) => api.put<T>(path, body, csrf()),
  delete: <T>(path: string) => api.delete<T>(path, csrf()),
};

export const adminKeys = {
  me: STAFF_ME_KEY,
  policy: ['admin', 'policy'] as const,
  versions: ['admin', 'policy', 'versions'] as const,
  users: ['admin', 'users'] as const,
  keys: ['admin', 'api-keys'] as const,
};

export function useAdminMe() {
  return useQuery({
    queryKey: adminKeys.me,
    queryFn: ({ signal }) => fetchMe<AdminMe>(signal),
    retry: false,
    staleTime: 60_000,
  });
}

export function usePolicy(enabled: boolean) {
  return useQuery({
    queryKey: adminKeys.policy,
    queryFn: ({ signal }) => adminApi.get<PolicyVersion>('/api/v1/policy', { signal }),
    enabled,
    // The editor holds its own copy: a refetch must not replace what the admin is typing.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function usePolicyVersions() {
  return useQuery({
    queryKey: adminKeys.versions,
    queryFn: ({ signal }) => adminApi.get<{ data: PolicyVersion[] }>('/api/v1/policy/versions', { signal }),
  });
}

export function usePreview() {
  return useMutation({
    mutationFn: (policy: unknown) => adminApi.post<PolicyPreview>('/api/v1/policy/preview', policy),
  });
}

export function usePublish() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (policy: unknown) => adminApi.put<PolicyVersion>('/api/v1/policy', policy),
    onSuccess: (v) => {
      qc.setQueryData(adminKeys.policy, v);
      void qc.invalidateQueries({ queryKey: adminKeys.versions });
    },
  });
}

/** Publishes the document of an earlier version as the next version (after its preview). */
export function useRollBack() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (version: number) =>
      adminApi.post<PolicyVersion>(`/api/v1/policy/versions/${version}/rollback`),
    onSuccess: (v) => {
      qc.setQueryData(adminKeys.policy, v);
      void qc.invalidateQueries({ queryKey: adminKeys.versions });
    },
  });
}

/** The policy guide (docs/policy.md), served as text by the API; the editor links to it. */
export const POLICY_GUIDE_URL = '/api/v1/policy/guide';

export const ROLES = ['admin', 'supervisor', 'agent', 'warehouse'] as const;
export type StaffUser = { id: string; email: string; name: string; role: string; createdAt: string };

export function useUsers() {
  return useQuery({
    queryKey: adminKeys.users,
    queryFn: ({ signal }) => adminApi.get<{ data: StaffUser[] }>('/api/v1/users', { signal }),
  });
}

/** Every change to the staff list refetches it, whether it worked or not. */
export function useUserMutation<I, R>(run: (input: I) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () => void qc.invalidateQueries({ queryKey: adminKeys.users }),
  });
}

const userPath = (id: string) => `/api/v1/users/${encodeURIComponent(id)}`;
export const userCalls = {
  add: (input: { email: string; name: string; role: string; password: string }) =>
    adminApi.post<StaffUser>('/api/v1/users', input),
  setRole: (input: { id: string; role: string }) =>
    adminApi.put<StaffUser>(userPath(input.id), { role: input.role }),
  remove: (id: string) => adminApi.delete<null>(userPath(id)),
};

export type ApiKey = {
  id: string;
  name: string;
  hint: string;
  createdAt: string;
  revokedAt: string | null;
  apiKey?: string;
};

export function useApiKeys() {
  return useQuery({
    queryKey: adminKeys.keys,
    queryFn: ({ signal }) => adminApi.get<{ data: ApiKey[] }>('/api/v1/api-keys', { signal }),
  });
}

export function useKeyMutation<I, R>(run: (input: I) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () => void qc.invalidateQueries({ queryKey: adminKeys.keys }),
  });
}

export const keyCalls = {
  create: (name: string) => adminApi.post<ApiKey>('/api/v1/api-keys', { name }),
  revoke: (id: string) => adminApi.delete<null>(`/api/v1/api-keys/${encodeURIComponent(id)}`),
};

// --- notification templates --------------------------------------------------------------

/** The server's own lists (@contract/notify.ts): the editor offers what the server accepts. */
export {
  TEMPLATE_FIELDS,
  TEMPLATE_LOCALES,
  type TemplateField,
  type TemplateLocale,
} from '@contract/notify.ts';
export const TEMPLATE_VARIABLES = [...REQUIRED_VARS, ...OPTIONAL_VARS] as const;
export type TemplateDraft = Record<TemplateField, string>;

export type TemplateRow = {
  event: string;
  locale: TemplateLocale;
  overridden: boolean;
  /** The shop's fields; one left out (or blank) uses the built-in text. */
  override: Partial<TemplateDraft> | null;
  /** What customers get where the shop has not rewritten a field: where the editor starts. */
  builtIn: TemplateDraft;
};
export type TemplatePreview = {
  subject: string;
  text: string;
  html: string;
  sms: string;
  smsSegments: { encoding: string; segments: number; units: number };
};

export const templateKeys = {
  list: ['admin', 'templates'] as const,
  preview: (event: string, locale: string, draft: TemplateDraft) =>
    ['admin', 'templates', 'preview', event, locale, draft] as const,
};

const templatePath = (event: string, locale: string) =>
  `/api/v1/notification-templates/${encodeURIComponent(event)}/${encodeURIComponent(locale)}`;

export function useTemplates() {
  return useQuery({
    queryKey: templateKeys.list,
    queryFn: ({ signal }) =>
      adminApi.get<{ data: TemplateRow[] }>('/api/v1/notification-templates', { signal }),
  });
}

/**
 * The rendered notification with the unsaved draft (sample values). An empty field renders the
 * built-in text, as it would after saving. A query, not a mutation: each draft has its own cache
 * entry, and an answer that arrives late for an older draft never replaces the newer one.
 */
export function useTemplatePreview(event: string | null, locale: TemplateLocale, draft: TemplateDraft) {
  return useQuery({
    queryKey: templateKeys.preview(event ?? '', locale, draft),
    queryFn: ({ signal }) =>
      api.post<TemplatePreview>(
        `${templatePath(event ?? '', locale)}/preview`,
        { template: draft },
        { ...csrf(), signal },
      ),
    enabled: event !== null,
    placeholderData: (previous) => previous,
    staleTime: 60_000,
  });
}

/**
 * A save or reset, then the list read again. The refetch is returned (not fired and forgotten) so
 * the caller's `onSuccess` runs once the list holds the new state: the editor then shows the
 * saved or built-in text at once instead of the old text for a moment.
 */
export function useTemplateMutation<I, R>(run: (input: I) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () => qc.invalidateQueries({ queryKey: templateKeys.list }),
  });
}

export const templateCalls = {
  /** Replaces the shop's version with `template`; a field left out uses the built-in text. */
  save: (input: { event: string; locale: string; template: Partial<TemplateDraft> }) =>
    adminApi.put<null>(templatePath(input.event, input.locale), input.template),
  reset: (input: { event: string; locale: string }) =>
    adminApi.delete<null>(templatePath(input.event, input.locale)),
};

// --- webhooks ------------------------------------------------------------------------------

/** What endpoints can subscribe to: the server's own list, so a new event shows up here too. */
export { WEBHOOK_EVENTS } from '@contract/notify.ts';

export type Webhook = {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  active: boolean;
  rotatingUntil: string | null;
  createdAt: string;
  updatedAt: string;
  secret?: string;
};
export type WebhookTestResult = {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseExcerpt: string | null;
};
export type Delivery = {
  id: string;
  event: string;
  /** Webhooks: the type the receiver gets (return.in_transit). */
  webhookType?: string | null;
  channel: string;
  recipient: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
};

export const webhookKeys = {
  list: ['admin', 'webhooks'] as const,
  deliveries: ['admin', 'webhooks', 'deliveries'] as const,
};

const webhookPath = (id: string) => `/api/v1/webhooks/${encodeURIComponent(id)}`;

export function useWebhooks() {
  return useQuery({
    queryKey: webhookKeys.list,
    queryFn: ({ signal }) => adminApi.get<{ data: Webhook[] }>('/api/v1/webhooks', { signal }),
  });
}

/** The latest webhook deliveries of the shop (every endpoint), newest first. */
export function useWebhookDeliveries() {
  return useQuery({
    queryKey: webhookKeys.deliveries,
    queryFn: ({ signal }) =>
      adminApi.get<{ data: Delivery[] }>('/api/v1/notifications?channel=webhook&limit=50', { signal }),
  });
}

export function useWebhookMutation<I, R>(run: (input: I) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () => void qc.invalidateQueries({ queryKey: webhookKeys.list }),
  });
}

export const webhookCalls = {
  create: (input: { url: string; events: string[]; description?: string }) =>
    adminApi.post<Webhook>('/api/v1/webhooks', input),
  setActive: (input: { id: string; active: boolean }) =>
    adminApi.put<Webhook>(webhookPath(input.id), { active: input.active }),
  rotate: (id: string) => adminApi.post<Webhook>(`${webhookPath(id)}/rotate-secret`),
  test: (id: string) => adminApi.post<WebhookTestResult>(`${webhookPath(id)}/test`),
  remove: (id: string) => adminApi.delete<null>(webhookPath(id)),
};
