/**
 * The per-stream hash chain. Each event's hash covers its identity, place and
 * content plus the hash of the event before it, so changing, removing or
 * reordering any stored event breaks every hash after it. The canonical form
 * is RFC 8785 (JSON Canonicalization Scheme) so any language can re-verify an
 * export.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { EventMetadata, JsonObject, RecordedEvent } from './event-store.port.js';

/** The `prevHash` of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export interface HashedFields {
  readonly id: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
  readonly prevHash: string;
}

export function canonicalEventJson(fields: HashedFields): string {
  const text = canonicalize({
    id: fields.id,
    stream: fields.streamId,
    // A decimal string: revisions are unsigned 64-bit and JSON numbers are not.
    revision: fields.revision.toString(),
    type: fields.type,
    data: fields.data,
    metadata: fields.metadata,
    prevHash: fields.prevHash,
  });
  if (text === undefined) throw new TypeError(`event ${fields.id} cannot be canonicalised`);
  return text;
}

export function hashEvent(fields: HashedFields): string {
  return createHash('sha256').update(canonicalEventJson(fields), 'utf8').digest('hex');
}

export interface ChainVerification {
  readonly valid: boolean;
  /** How many events were checked. */
  readonly events: number;
  /** The first revision whose hash, link or place is wrong. */
  readonly brokenAt?: bigint;
  readonly reason?: 'revision_gap' | 'prev_hash_mismatch' | 'hash_mismatch';
}

/**
 * Verifies a stream read from its first event. `events` must be the whole
 * stream from revision 0, or a continuation given the hash of the event
 * before it in `prevHash`.
 */
export function verifyChain(
  events: Iterable<RecordedEvent>,
  start: { readonly revision: bigint; readonly prevHash: string } = { revision: 0n, prevHash: GENESIS_HASH },
): ChainVerification {
  let expectedRevision = start.revision;
  let prevHash = start.prevHash;
  let checked = 0;
  for (const event of events) {
    if (event.revision !== expectedRevision) {
      return { valid: false, events: checked, brokenAt: expectedRevision, reason: 'revision_gap' };
    }
    if (event.prevHash !== prevHash) {
      return { valid: false, events: checked, brokenAt: event.revision, reason: 'prev_hash_mismatch' };
    }
    if (hashEvent({ ...event, prevHash }) !== event.hash) {
      return { valid: false, events: checked, brokenAt: event.revision, reason: 'hash_mismatch' };
    }
    prevHash = event.hash;
    expectedRevision += 1n;
    checked += 1;
  }
  return { valid: true, events: checked };
}
