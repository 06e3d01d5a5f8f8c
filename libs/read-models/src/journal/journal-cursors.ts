/**
 * Opaque page cursors of the books' lists: base64url of a small JSON array.
 * Decoding is strict and answers null for anything it did not encode, so
 * the HTTP edge refuses a malformed cursor with 400 instead of guessing.
 */
import { parsePosition, type LogPosition } from '#event-store';

/** A place in log order: an entry's event position and its index within the event. */
export interface LogCursor {
  readonly position: LogPosition;
  readonly entryIndex: number;
}

/** A place in the accounts list, ordered by account then currency. */
export interface AccountCursor {
  readonly account: string;
  readonly currency: string;
}

/** Entries per event are a handful (two at most today); the bound only keeps the cursor a smallint. */
const MAX_ENTRY_INDEX = 32_767;
/** Cursors are short; a longer text is refused before it is decoded. */
const MAX_CURSOR_LENGTH = 1_024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeLogCursor(cursor: LogCursor): string {
  return encode([`${cursor.position.commit}.${cursor.position.prepare}`, cursor.entryIndex]);
}

export function decodeLogCursor(text: string): LogCursor | null {
  const value = decode(text);
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [positionText, entryIndex] = value as unknown[];
  if (typeof positionText !== 'string' || !Number.isInteger(entryIndex)) return null;
  const position = parsePosition(positionText);
  const index = entryIndex as number;
  if (position === null || index < 0 || index > MAX_ENTRY_INDEX) return null;
  return { position, entryIndex: index };
}

export function encodeAccountCursor(cursor: AccountCursor): string {
  return encode([cursor.account, cursor.currency]);
}

export function decodeAccountCursor(text: string): AccountCursor | null {
  const value = decode(text);
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [account, currency] = value as unknown[];
  if (typeof account !== 'string' || typeof currency !== 'string' || account.length === 0 || currency.length === 0) return null;
  return { account, currency };
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decode(text: string): unknown {
  if (text.length === 0 || text.length > MAX_CURSOR_LENGTH || !BASE64URL.test(text)) return null;
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}
