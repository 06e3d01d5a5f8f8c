/**
 * The audit event of shared/API.md: a recorded event as compliance sees it,
 * in plain JSON. Revisions and positions are decimal strings because both
 * are unsigned 64-bit and JSON numbers are not; the revision is written the
 * way the hash chain hashes it, so an auditor can re-hash an exported line.
 */
import { formatPosition, type EventMetadata, type JsonObject, type RecordedEvent } from '#event-store';

export interface AuditEvent {
  readonly stream: string;
  readonly revision: string;
  readonly position: string;
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
  readonly recordedAt: string;
  readonly prevHash: string;
  readonly hash: string;
}

export function toAuditEvent(event: RecordedEvent): AuditEvent {
  return {
    stream: event.streamId,
    revision: event.revision.toString(),
    position: formatPosition(event.position),
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt.toISOString(),
    prevHash: event.prevHash,
    hash: event.hash,
  };
}
