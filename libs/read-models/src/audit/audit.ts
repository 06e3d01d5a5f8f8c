/** The compliance side of the read models: straight from the event store, no projection. */
export { toAuditEvent, type AuditEvent } from './audit-event.js';
export { AUDIT_PAGE_SIZE, readAuditLogPages, type AuditLogPagesOptions } from './audit-log-pages.js';
export {
  AUDIT_CSV_COLUMNS,
  AUDIT_EXPORT_CONTENT_TYPES,
  AUDIT_EXPORT_FORMATS,
  auditCsvRecord,
  auditJsonLine,
  isInWindow,
  openAuditExport,
  readAuditEvents,
  type AuditExportFormat,
  type AuditExportOptions,
  type RecordedWindow,
} from './audit-export.js';
export { readDealTimeline, listingIdOf, mergeInLogOrder, namesDeal, type DealTimeline } from './deal-timeline.js';
export {
  MAX_STREAMS_PER_VERIFICATION,
  verifyEveryStream,
  type BrokenStream,
  type EveryStreamVerification,
  type EveryStreamVerificationOptions,
} from './every-stream-verification.js';
