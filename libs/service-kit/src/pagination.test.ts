import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { decodeCursor, encodeCursor, keysetPage, pageInMemory } from './pagination.js';

describe('keyset cursors', () => {
  it('round-trip a key as opaque base64url and refuse anything else', () => {
    const cursor = encodeCursor(['2026-12-01 10:30:20.123456+00', 'a1b2']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 2)).toEqual(['2026-12-01 10:30:20.123456+00', 'a1b2']);
    expect(decodeCursor(undefined, 2)).toBeUndefined();
    for (const bad of ['not base64 at all!', encodeCursor(['only one']), Buffer.from('{"a":1}').toString('base64url'), encodeCursor([{ nested: true } as never, 'x'])]) {
      const e = (() => {
        try {
          decodeCursor(bad, 2);
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(AppError);
      expect(e).toMatchObject({ status: 400, code: 'CURSOR_INVALID' });
    }
  });

  it('keysetPage uses the extra row only to say there is a next page', () => {
    const rows = [{ id: 3 }, { id: 2 }, { id: 1 }];
    expect(keysetPage(rows, 3, (r) => [r.id])).toEqual({ items: rows, nextCursor: null });
    const page = keysetPage(rows, 2, (r) => [r.id]);
    expect(page.items).toEqual([{ id: 3 }, { id: 2 }]);
    expect(decodeCursor(page.nextCursor!, 1)).toEqual([2]);
  });

  it('pageInMemory walks every item once, in key order, and stays correct when items come and go', () => {
    const all = Array.from({ length: 7 }, (_, i) => ({ name: `n${i % 3}`, id: i }));
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = pageInMemory(all, { cursor, limit: 3 }, (x) => [x.name, x.id], ['desc', 'asc']);
      seen.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([2, 5, 1, 4, 0, 3, 6]);
    const first = pageInMemory(all, { limit: 2 }, (x) => [x.name, x.id], ['desc', 'asc']);
    // The last item shown is deleted before the next page is read: the page still starts after it.
    const rest = all.filter((x) => x.id !== 5);
    expect(pageInMemory(rest, { cursor: first.nextCursor!, limit: 2 }, (x) => [x.name, x.id], ['desc', 'asc']).items.map((x) => x.id)).toEqual([1, 4]);
  });
});
