import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { csrf, fetchMe } from '../../../lib/staff-session.ts';

export type AdminMe = {
  user: { id: string; email: string; name: string; role: string; tenantId: string };
  tenant: { name: string };
  csrfToken: string;
};

export type PolicyVersion = {
  version: number;
  createdAt: string;
  createdBy: string;
  policy: Record<string, unknown>;
};

export type Outcome = 'approved' | 'needs_review' | 'rejected' | 'ineligible';
export type PolicyPreview = {
  window: { from: string; to: string };
  evaluated: number;
  truncated: boolean;
  changed: number;
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
  me: ['admin', 'me'] as const,
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
