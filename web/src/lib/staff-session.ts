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
