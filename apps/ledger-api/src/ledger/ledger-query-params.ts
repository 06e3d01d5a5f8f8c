/**
 * The query and path parameters of the books' routes, parsed strictly:
 * anything malformed is 400 VALIDATION_FAILED naming the parameter.
 */
import { ApiParam, ApiQuery } from '@nestjs/swagger';
import { decodeAccountCursor, decodeLogCursor, type AccountCursor, type LogCursor } from '#read-models';
import { validationFailed } from '../http/api-error.js';

/** Page size of the books' lists: 50 unless asked, at most 200 (issue 4: bounded page sizes). */
export const DEFAULT_LEDGER_PAGE_LIMIT = 50;
export const MAX_LEDGER_PAGE_LIMIT = 200;

const LIMIT_TEXT = /^[1-9][0-9]{0,2}$/;
/** Account names are `cash`, `revenue:commission`, `escrow:buyer:<id>`...: ids of PRINCIPAL_ID_PATTERN's alphabet after a short prefix. */
const ACCOUNT_TEXT = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$/;
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An ISO 8601 instant with its offset: a bare date or a local time would depend on the server's zone. */
const INSTANT_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The parameters above in the OpenAPI document, with the same patterns and
 * bounds: these routes parse by hand, so the swagger scan sees no DTO.
 */
export const LedgerParameterDocs = {
  account: () => ApiParam({ name: 'account', description: 'An account name: cash, revenue:commission, escrow:buyer:<id>, ...', schema: { type: 'string', pattern: ACCOUNT_TEXT.source } }),
  limit: () => ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LEDGER_PAGE_LIMIT, default: DEFAULT_LEDGER_PAGE_LIMIT } }),
  cursor: () => ApiQuery({ name: 'cursor', required: false, description: 'The nextCursor of the page before, unchanged', schema: { type: 'string' } }),
  dealId: () => ApiQuery({ name: 'dealId', required: false, description: "One deal's entries", schema: { type: 'string', format: 'uuid' } }),
  asOf: () => ApiQuery({ name: 'asOf', required: false, description: 'The balance as of this instant (ISO 8601 with offset)', schema: { type: 'string', format: 'date-time', pattern: INSTANT_TEXT.source } }),
};

function single(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw validationFailed(`${name} must be given once`, { [name]: 'must be a single value' });
  return value;
}

export function parseLedgerPageLimit(value: unknown): number {
  const text = single('limit', value);
  if (text === undefined) return DEFAULT_LEDGER_PAGE_LIMIT;
  if (!LIMIT_TEXT.test(text) || Number(text) > MAX_LEDGER_PAGE_LIMIT) {
    throw validationFailed(`limit must be a whole number from 1 to ${MAX_LEDGER_PAGE_LIMIT}`, { limit: text });
  }
  return Number(text);
}

export function parseAccount(value: unknown): string {
  const text = single('account', value);
  if (text === undefined || !ACCOUNT_TEXT.test(text)) throw validationFailed('account must be an account name such as cash or escrow:buyer:<id>', { account: 'malformed account' });
  return text;
}

export function parseDealIdFilter(value: unknown): string | null {
  const text = single('dealId', value);
  if (text === undefined) return null;
  if (!UUID_TEXT.test(text)) throw validationFailed('dealId must be a deal id (UUID)', { dealId: text });
  return text.toLowerCase();
}

export function parseLogCursor(value: unknown): LogCursor | null {
  const text = single('cursor', value);
  if (text === undefined) return null;
  const cursor = decodeLogCursor(text);
  if (cursor === null) throw validationFailed('cursor is not one this list gave', { cursor: 'malformed cursor' });
  return cursor;
}

export function parseAccountCursor(value: unknown): AccountCursor | null {
  const text = single('cursor', value);
  if (text === undefined) return null;
  const cursor = decodeAccountCursor(text);
  if (cursor === null) throw validationFailed('cursor is not one this list gave', { cursor: 'malformed cursor' });
  return cursor;
}

export function parseAsOf(value: unknown): Date | null {
  const text = single('asOf', value);
  if (text === undefined) return null;
  const instant = INSTANT_TEXT.test(text) ? new Date(text) : null;
  if (instant === null || Number.isNaN(instant.getTime())) {
    throw validationFailed('asOf must be an ISO 8601 instant with its offset, e.g. 2026-01-31T00:00:00Z', { asOf: text });
  }
  return instant;
}
