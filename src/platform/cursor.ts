import { AppError } from './errors.ts';

/**
 * Keyset pagination, as every list of the API pages: a cursor names the last row of a page by
 * its sort time and id, opaque to the caller (base64url of "time|id").
 */
export function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString('base64url');
}

/** The time and id a cursor names; 400 `invalid_cursor` for one this API did not give out. */
export function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !id || Number.isNaN(Date.parse(at))) {
    throw new AppError(400, 'invalid_cursor', 'The cursor is not one this API gave out.');
  }
  return { at, id };
}

/**
 * One page of rows fetched with `limit + 1`: the extra row only says there is a next page, whose
 * cursor names the page's last row by `key`.
 */
export function pageOf<T>(
  rows: T[],
  limit: number,
  key: (row: T) => [at: string, id: string],
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor(...key(last)) : null };
}

/** A LIKE pattern for "contains": wildcards a person typed are dropped, not taken as patterns. */
export const containing = (text: string) => `%${text.replace(/[%_\\]/g, '')}%`;

/**
 * `pageOf` for lists sorted by id alone, newest first (ids grow with time): the cursor is the
 * page's last id, and the next page asks for ids below it.
 */
export function pageById<T extends { id: string }>(
  rows: T[],
  limit: number,
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? last.id : null };
}
