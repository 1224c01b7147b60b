import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from './api.ts';

/**
 * The signed-in staff member's CSRF token, shared by every staff page (console, admin): changes
 * made with the session cookie must echo it as X-CSRF-Token.
 */
let csrfToken = '';

/** One cache entry for "who is signed in", shared by the console and admin pages. */
export const STAFF_ME_KEY = ['staff', 'me'] as const;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Request options that carry the CSRF header. */
export const csrf = () => ({ headers: { 'X-CSRF-Token': csrfToken } });

export const csrfHeader = () => csrfToken;

/** `GET /api/v1/auth/me`: who is signed in (and their CSRF token), or null when nobody is. */
export async function fetchMe<T extends { csrfToken: string }>(signal?: AbortSignal): Promise<T | null> {
  try {
    const me = await api.get<T>('/api/v1/auth/me', { signal });
    csrfToken = me.csrfToken;
    return me;
  } catch (e) {
    if ((e as { status?: number }).status === 401) return null;
    throw e;
  }
}

/** Signs the staff member out; nothing they saw stays in memory (the whole query cache goes). */
export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<unknown>('/api/v1/auth/logout', {}, csrf()),
    onSettled: () => {
      csrfToken = '';
      qc.clear();
      qc.setQueryData(STAFF_ME_KEY, null);
    },
  });
}

/** Who may move lines and add QC photos (the server's warehouse roles). */
export const WAREHOUSE_ROLES: readonly string[] = ['warehouse', 'supervisor', 'admin'];

/** The staff areas a role may open, in the order the bar lists them. */
export function staffAreas(role: string): ('console' | 'warehouse' | 'analytics' | 'admin')[] {
  const areas: ('console' | 'warehouse' | 'analytics' | 'admin')[] = ['console'];
  if (WAREHOUSE_ROLES.includes(role)) areas.push('warehouse');
  if (['supervisor', 'admin'].includes(role)) areas.push('analytics');
  if (role === 'admin') areas.push('admin');
  return areas;
}
