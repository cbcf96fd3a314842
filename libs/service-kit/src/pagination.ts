// The one list convention of every Vigil API: `{ items, nextCursor }`, paged by keyset cursors.
// A cursor is the list's sort key plus the row id of the last item returned, as base64url JSON:
// opaque to clients, stable under inserts (no offsets), and checked when it comes back.
import { Type, type TSchema } from '@sinclair/typebox';
import { AppError } from './errors.js';

/** One value of a cursor key: a sort column's value or the row id. */
export type CursorValue = string | number | boolean | null;
export type CursorKey = readonly CursorValue[];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  cursor?: string;
  limit: number;
}

/** The response schema of a list endpoint: `{ items: [item], nextCursor }`. */
export const PageOf = <T extends TSchema>(item: T, options: { description?: string } = {}) =>
  Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last page' }),
    },
    { description: options.description },
  );

/** The `cursor` and `limit` query parameters of a list endpoint (spread into its querystring). */
export const pageQuery = (o: { limit: number; maxLimit: number }) => ({
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'nextCursor of the previous page' })),
  limit: Type.Integer({ minimum: 1, maximum: o.maxLimit, default: o.limit, description: 'Items per page' }),
});

/** A querystring with only `cursor` and `limit`. */
export const PageQuery = (o: { limit: number; maxLimit: number }) => Type.Object(pageQuery(o));

export const encodeCursor = (key: readonly unknown[]): string => Buffer.from(JSON.stringify(key)).toString('base64url');

export const cursorInvalid = (detail = 'the cursor is not one this list returned') => new AppError(400, 'CURSOR_INVALID', `\`cursor\` in querystring: ${detail}`);

/**
 * The key a cursor carries, checked against the list's key length (sort columns + id).
 * Undefined for the first page.
 */
export function decodeCursor(cursor: string | undefined, length: number): CursorKey | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw cursorInvalid();
  }
  if (!Array.isArray(key) || key.length !== length || !key.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) throw cursorInvalid();
  return key as CursorKey;
}

/**
 * A page from rows fetched with LIMIT limit + 1 in the key's order (the extra row only says
 * there is a next page). `keyOf` reads the key from a raw row, `map` turns a row into an item.
 */
export function keysetPage<R, T = R>(rows: R[], limit: number, keyOf: (row: R) => readonly unknown[], map: (row: R) => T = (r) => r as unknown as T): Page<T> {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { items: shown.map(map), nextCursor: more ? encodeCursor(keyOf(shown[shown.length - 1]!)) : null };
}

export type Direction = 'asc' | 'desc';

const compareValue = (a: CursorValue, b: CursorValue): number => {
  if (a === b) return 0;
  if (a === null) return 1; // nulls last, as PostgreSQL sorts them ascending
  if (b === null) return -1;
  return a < b ? -1 : 1;
};

/**
 * Keyset paging of a list that is already whole in memory (bounded per tenant: configuration,
 * registries, aggregates). Items are ordered by `keyOf` with one direction per key column; the
 * page holds the items after the cursor's key, so it stays correct when items come and go.
 */
export function pageInMemory<T>(all: readonly T[], req: PageRequest, keyOf: (item: T) => CursorKey, directions: readonly Direction[]): Page<T> {
  const cmp = (a: CursorKey, b: CursorKey): number => {
    for (let i = 0; i < a.length; i++) {
      const c = compareValue(a[i]!, b[i]!);
      if (c !== 0) return directions[i] === 'desc' ? -c : c;
    }
    return 0;
  };
  const after = decodeCursor(req.cursor, directions.length);
  const keyed = all.map((item) => ({ item, key: keyOf(item) })).sort((a, b) => cmp(a.key, b.key));
  const rest = after ? keyed.filter((k) => cmp(k.key, after) > 0) : keyed;
  return keysetPage(rest.slice(0, req.limit + 1), req.limit, (k) => k.key, (k) => k.item);
}
