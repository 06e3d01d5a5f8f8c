/** The JSON answers of the compliance routes (shared/API.md: lists are `{ items, nextCursor }`). */
import { formatPosition, type ChainVerification, type RecordedEvent } from '#event-store';
import { toAuditEvent, type AuditEvent } from '#read-models';

export interface AuditPage {
  readonly items: AuditEvent[];
  readonly nextCursor: string | null;
}

export interface VerificationAnswer {
  readonly valid: boolean;
  readonly events: number;
  readonly brokenAt?: number;
  readonly reason?: string;
}

/** A full page may have more after it: the cursor is the next revision to read. */
export function streamPage(events: readonly RecordedEvent[], limit: number): AuditPage {
  const last = events.at(-1);
  return {
    items: events.map(toAuditEvent),
    nextCursor: last !== undefined && events.length === limit ? (last.revision + 1n).toString() : null,
  };
}

/** A full page may have more after it: the cursor is the last position read, for `fromPosition` (exclusive). */
export function logPage(events: readonly RecordedEvent[], limit: number): AuditPage {
  const last = events.at(-1);
  return {
    items: events.map(toAuditEvent),
    nextCursor: last !== undefined && events.length === limit ? formatPosition(last.position) : null,
  };
}

export function verificationAnswer(result: ChainVerification): VerificationAnswer {
  return {
    valid: result.valid,
    events: result.events,
    // A number like `events`: a stream long enough to pass 2^53 revisions cannot be read in a lifetime.
    ...(result.brokenAt === undefined ? {} : { brokenAt: Number(result.brokenAt) }),
    ...(result.reason === undefined ? {} : { reason: result.reason }),
  };
}
