import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containing, decodeCursor, encodeCursor, pageById, pageOf } from './cursor.ts';

describe('cursors', () => {
  it('round-trips any time and id (property)', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), fc.stringMatching(/^[a-z]{3}_[0-9a-z]{26}$/), (d, id) => {
        const at = d.toISOString();
        expect(decodeCursor(encodeCursor(at, id))).toEqual({ at, id });
      }),
    );
  });

  it('answers 400 invalid_cursor for one it did not give out', () => {
    for (const bad of ['', 'bm9wZQ', Buffer.from('not-a-date|x').toString('base64url')]) {
      expect(() => decodeCursor(bad)).toThrow(
        expect.objectContaining({ status: 400, code: 'invalid_cursor' }),
      );
    }
  });

  it('pages limit rows and names the last one only when there are more', () => {
    const rows = [1, 2, 3].map((n) => ({ at: `2026-01-0${n}T00:00:00.000Z`, id: `r${n}` }));
    const key = (r: { at: string; id: string }): [string, string] => [r.at, r.id];
    const first = pageOf(rows, 2, key);
    expect(first.page).toEqual(rows.slice(0, 2));
    expect(decodeCursor(first.nextCursor!)).toEqual({ at: rows[1]!.at, id: 'r2' });
    expect(pageOf(rows, 3, key).nextCursor).toBeNull();
  });

  it('looks for typed wildcards as nothing more than the rest of the text', () => {
    expect(containing('50%_off\\')).toBe('%50off%');
  });

  it('pages a list by id: walking the cursors visits every row once, in order (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[0-9a-z]{6}$/), { maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        (ids, limit) => {
          const all = [...ids]
            .sort()
            .reverse()
            .map((id) => ({ id }));
          const seen: string[] = [];
          let cursor: string | null = null;
          do {
            const below: string | null = cursor;
            const rows: { id: string }[] = all
              .filter((r) => below === null || r.id < below)
              .slice(0, limit + 1);
            const { page, nextCursor }: { page: { id: string }[]; nextCursor: string | null } = pageById(
              rows,
              limit,
            );
            seen.push(...page.map((r) => r.id));
            cursor = nextCursor;
          } while (cursor !== null);
          expect(seen).toEqual(all.map((r) => r.id));
        },
      ),
    );
  });
});
