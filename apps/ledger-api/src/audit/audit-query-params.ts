/**
 * The query and path parameters of the compliance routes, parsed strictly:
 * anything malformed is 400 VALIDATION_FAILED naming the parameter.
 */
import { ApiParam, ApiQuery } from '@nestjs/swagger';
import { parsePosition, type LogPosition } from '#event-store';
import { AUDIT_EXPORT_FORMATS, type AuditExportFormat, type RecordedWindow } from '#read-models';
import { validationFailed } from '../http/api-error.js';

/** Page size of the audit lists: 100 unless asked, at most 1,000 (issue 4: bounded page sizes). */
export const DEFAULT_AUDIT_PAGE_LIMIT = 100;
export const MAX_AUDIT_PAGE_LIMIT = 1_000;

/** Stream ids the ledger writes (`deal-<uuid>`, `listing-<uuid>`, ...) and room for others: no spaces, slashes or control characters. */
const STREAM_NAME = /^[A-Za-z0-9._:@-]{1,200}$/;
const REVISION_TEXT = /^(0|[1-9][0-9]{0,19})$/;
const LIMIT_TEXT = /^[1-9][0-9]{0,3}$/;
/** An ISO 8601 instant with its offset: a bare date or a local time would depend on the server's zone. */
const INSTANT_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
/** Revisions are unsigned 64-bit in either store. */
const REVISION_LIMIT = 2n ** 64n;

/**
 * The parameters above in the OpenAPI document, with the same patterns and
 * bounds: these routes parse by hand, so the swagger scan sees no DTO.
 */
export const AuditParameterDocs = {
  stream: () => ApiParam({ name: 'stream', description: 'A stream id, e.g. deal-<uuid>', schema: { type: 'string', pattern: STREAM_NAME.source, maxLength: 200 } }),
  limit: () => ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_AUDIT_PAGE_LIMIT, default: DEFAULT_AUDIT_PAGE_LIMIT } }),
  fromRevision: () => ApiQuery({ name: 'fromRevision', required: false, description: 'The first revision to read (a nextCursor)', schema: { type: 'string', pattern: REVISION_TEXT.source } }),
  fromPosition: () =>
    ApiQuery({ name: 'fromPosition', required: false, description: 'Read after this log position (exclusive; a nextCursor)', schema: { type: 'string', pattern: '^[0-9]+\\.[0-9]+$' } }),
  format: () => ApiQuery({ name: 'format', required: false, schema: { type: 'string', enum: [...AUDIT_EXPORT_FORMATS], default: 'jsonl' } }),
  from: () => ApiQuery({ name: 'from', required: false, description: 'Recorded at or after (ISO 8601 with offset)', schema: { type: 'string', format: 'date-time', pattern: INSTANT_TEXT.source } }),
  to: () => ApiQuery({ name: 'to', required: false, description: 'Recorded before (ISO 8601 with offset)', schema: { type: 'string', format: 'date-time', pattern: INSTANT_TEXT.source } }),
};

function single(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw validationFailed(`${name} must be given once`, { [name]: 'must be a single value' });
  return value;
}

export function parseStreamName(value: unknown): string {
  const text = single('stream', value);
  if (text === undefined || !STREAM_NAME.test(text)) {
    throw validationFailed('stream must be 1 to 200 characters of letters, digits and . _ : @ -', { stream: 'malformed stream name' });
  }
  return text;
}

export function parseAuditPageLimit(value: unknown): number {
  const text = single('limit', value);
  if (text === undefined) return DEFAULT_AUDIT_PAGE_LIMIT;
  if (!LIMIT_TEXT.test(text) || Number(text) > MAX_AUDIT_PAGE_LIMIT) {
    throw validationFailed(`limit must be a whole number from 1 to ${MAX_AUDIT_PAGE_LIMIT}`, { limit: text });
  }
  return Number(text);
}

export function parseFromRevision(value: unknown): bigint {
  const text = single('fromRevision', value);
  if (text === undefined) return 0n;
  const revision = REVISION_TEXT.test(text) ? BigInt(text) : null;
  if (revision === null || revision >= REVISION_LIMIT) {
    throw validationFailed('fromRevision must be a non-negative integer stream revision', { fromRevision: text });
  }
  return revision;
}

/** Undefined: from the start of the log. */
export function parseFromPosition(value: unknown): LogPosition | undefined {
  const text = single('fromPosition', value);
  if (text === undefined) return undefined;
  const position = parsePosition(text);
  if (position === null) throw validationFailed('fromPosition must be a log position such as 1234.5678', { fromPosition: text });
  return position;
}

export function parseExportFormat(value: unknown): AuditExportFormat {
  const text = single('format', value);
  if (text === undefined) return 'jsonl';
  const format = AUDIT_EXPORT_FORMATS.find((candidate) => candidate === text);
  if (format === undefined) throw validationFailed(`format must be one of ${AUDIT_EXPORT_FORMATS.join(', ')}`, { format: text });
  return format;
}

function parseInstant(name: string, value: unknown): Date | undefined {
  const text = single(name, value);
  if (text === undefined) return undefined;
  const instant = INSTANT_TEXT.test(text) ? new Date(text) : null;
  if (instant === null || Number.isNaN(instant.getTime())) {
    throw validationFailed(`${name} must be an ISO 8601 instant with its offset, e.g. 2026-01-31T00:00:00Z`, { [name]: text });
  }
  return instant;
}

/** `from` inclusive, `to` exclusive. */
export function parseRecordedWindow(from: unknown, to: unknown): RecordedWindow {
  const window = { from: parseInstant('from', from), to: parseInstant('to', to) };
  if (window.from !== undefined && window.to !== undefined && window.from > window.to) {
    throw validationFailed('from must not be after to', { from: window.from.toISOString(), to: window.to.toISOString() });
  }
  return window;
}
