/**
 * Cursor pagination of the read-model lists (issue 4, item 3): rows in a
 * stable order by (time, id), where the time is the listing's submission
 * or the deal's opening, and a cursor that is the opaque base64url form of
 * the last row's sort key. The next page is everything strictly after it,
 * so rows written meanwhile neither repeat nor shift a page.
 */

/** Page size unless asked, and the most a page holds. */
export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

/** A cursor is a short key: anything longer is not one of ours. */
export const MAX_CURSOR_LENGTH = 400;

export interface PageCursor {
  /** Millisecond precision: the views store times written from JavaScript Dates. */
  readonly at: Date;
  readonly id: string;
}

export interface Page<Item> {
  readonly items: Item[];
  readonly nextCursor: string | null;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MAX_ID_LENGTH = 200;

export function encodePageCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.at.toISOString(), cursor.id]), 'utf8').toString('base64url');
}

/** Null for anything encodePageCursor did not write. */
export function decodePageCursor(text: string): PageCursor | null {
  if (text.length === 0 || text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(key) || key.length !== 2) return null;
  const [at, id] = key as unknown[];
  if (typeof at !== 'string' || !ISO_INSTANT.test(at) || typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) return null;
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime()) || instant.toISOString() !== at) return null;
  const cursor = { at: instant, id };
  // Only the canonical text: base64url decoding forgives stray bits, a cursor must not.
  return encodePageCursor(cursor) === text ? cursor : null;
}

/** Rows were read with one more than the limit: the extra one only says another page exists. */
export function pageOf<Row, Item>(rows: readonly Row[], limit: number, toItem: (row: Row) => Item, sortKey: (row: Row) => PageCursor): Page<Item> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? encodePageCursor(sortKey(last)) : null,
  };
}
