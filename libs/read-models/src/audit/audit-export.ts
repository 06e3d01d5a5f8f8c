/**
 * The compliance export: the global log as JSON Lines or CSV, streamed. One
 * page of the log is in memory at a time; a slow or gone reader holds the
 * walk back (back-pressure) or ends it, rather than piling pages up.
 *
 * Both the HTTP route and the CLI serve this one stream, so an export made
 * either way is byte for byte the same.
 */
import { Readable, pipeline } from 'node:stream';
import canonicalize from 'canonicalize';
import { stringify } from 'csv-stringify';
import type { EventStore } from '#event-store';
import { toAuditEvent, type AuditEvent } from './audit-event.js';
import { readAuditLogPages } from './audit-log-pages.js';

export const AUDIT_EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

export const AUDIT_EXPORT_CONTENT_TYPES: Readonly<Record<AuditExportFormat, string>> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** The CSV header, in the order of the audit event's fields. */
export const AUDIT_CSV_COLUMNS = ['stream', 'revision', 'position', 'id', 'type', 'data', 'metadata', 'recordedAt', 'prevHash', 'hash'] as const;

/** Which recordedAt times an export keeps: from inclusive, to exclusive; absent bounds are open. */
export interface RecordedWindow {
  readonly from?: Date;
  readonly to?: Date;
}

export interface AuditExportOptions {
  readonly format: AuditExportFormat;
  readonly window?: RecordedWindow;
  /** Events per read of the log; default AUDIT_PAGE_SIZE. */
  readonly pageSize?: number;
}

export function isInWindow(recordedAt: Date, window: RecordedWindow): boolean {
  if (window.from !== undefined && recordedAt < window.from) return false;
  if (window.to !== undefined && recordedAt >= window.to) return false;
  return true;
}

/**
 * The audit events of the whole log in log order, kept when recorded in the
 * window. The walk does not stop at the first event past `to`: recordedAt is
 * the committing transaction's clock, and log order is commit order, so a
 * later position may carry an earlier recordedAt (within one commit window).
 * Reading to the end costs a full pass but never drops such an event.
 */
export async function* readAuditEvents(
  store: EventStore,
  window: RecordedWindow = {},
  pageSize?: number,
): AsyncGenerator<AuditEvent> {
  for await (const page of readAuditLogPages(store, { pageSize })) {
    for (const event of page) {
      if (isInWindow(event.recordedAt, window)) yield toAuditEvent(event);
    }
  }
}

/** One JSON Lines record: RFC 8785 canonical JSON, so a line is the same bytes whoever writes it. */
export function auditJsonLine(event: AuditEvent): string {
  const text = canonicalize(event);
  if (text === undefined) throw new TypeError(`audit event ${event.id} cannot be canonicalised`);
  return `${text}\n`;
}

/** One CSV record: data and metadata as canonical JSON text; the CSV library does the quoting. */
export function auditCsvRecord(event: AuditEvent): string[] {
  return AUDIT_CSV_COLUMNS.map((column) => {
    const value = event[column];
    if (typeof value === 'string') return value;
    const text = canonicalize(value);
    if (text === undefined) throw new TypeError(`audit event ${event.id}: ${column} cannot be canonicalised`);
    return text;
  });
}

async function* jsonLines(events: AsyncIterable<AuditEvent>): AsyncGenerator<string> {
  for await (const event of events) yield auditJsonLine(event);
}

async function* csvRecords(events: AsyncIterable<AuditEvent>): AsyncGenerator<string[]> {
  for await (const event of events) yield auditCsvRecord(event);
}

/**
 * The export as a byte stream. Destroying it (a client that hangs up) ends
 * the walk of the log; a store error destroys it with that error.
 */
export function openAuditExport(store: EventStore, options: AuditExportOptions): Readable {
  const events = readAuditEvents(store, options.window, options.pageSize);
  switch (options.format) {
    case 'jsonl':
      return Readable.from(jsonLines(events), { objectMode: false });
    case 'csv': {
      const csv = stringify({ header: true, columns: [...AUDIT_CSV_COLUMNS], record_delimiter: 'unix' });
      // pipeline, not pipe: an error on either side destroys the other.
      pipeline(Readable.from(csvRecords(events)), csv, () => undefined);
      return csv;
    }
  }
}
