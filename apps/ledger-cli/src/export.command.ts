import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError } from 'commander';
import type { EventStore } from '#event-store';
import { AUDIT_EXPORT_FORMATS, openAuditExport, type AuditExportFormat, type RecordedWindow } from '#read-models';

export interface ExportCommandOptions {
  readonly format: AuditExportFormat;
  readonly from?: Date;
  readonly to?: Date;
  /** Absent: standard output. */
  readonly out?: string;
}

/** An ISO 8601 instant with its offset, as the HTTP export takes it. */
const INSTANT_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function parseInstantOption(text: string): Date {
  const instant = INSTANT_TEXT.test(text) ? new Date(text) : null;
  if (instant === null || Number.isNaN(instant.getTime())) throw new InvalidArgumentError('expected an ISO 8601 instant such as 2026-01-31T00:00:00Z');
  return instant;
}

export function parseFormatOption(text: string): AuditExportFormat {
  const format = AUDIT_EXPORT_FORMATS.find((candidate) => candidate === text);
  if (format === undefined) throw new InvalidArgumentError(`expected one of ${AUDIT_EXPORT_FORMATS.join(', ')}`);
  return format;
}

/** `export`: the same bytes as GET /v1/audit/export, to a file or standard output. */
export async function runExport(store: EventStore, options: ExportCommandOptions): Promise<void> {
  const window: RecordedWindow = { from: options.from, to: options.to };
  const destination = options.out === undefined ? process.stdout : createWriteStream(options.out);
  await pipeline(openAuditExport(store, { format: options.format, window }), destination);
}
