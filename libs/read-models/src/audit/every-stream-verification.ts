/**
 * Verifies the hash chain of every stream in the store: one walk of the
 * global log finds the streams, and each is verified from its first event
 * the first time the walk meets it (verifyStoredStream reads it page by page).
 */
import { verifyStoredStream, type EventStore } from '#event-store';
import { readAuditLogPages } from './audit-log-pages.js';

/**
 * How many distinct streams one walk remembers (about 100 bytes each, so
 * about 100 MB at the limit). A store with more streams needs a walk that
 * pages through stream ids instead; past the limit the walk stops with an
 * error rather than growing without bound.
 */
export const MAX_STREAMS_PER_VERIFICATION = 1_000_000;

export interface BrokenStream {
  readonly stream: string;
  readonly brokenAt: bigint;
  readonly reason: string;
}

export interface EveryStreamVerification {
  readonly valid: boolean;
  readonly streams: number;
  readonly events: number;
  /** Broken streams in the order the walk met them: the first is the first broken. */
  readonly broken: readonly BrokenStream[];
}

export interface EveryStreamVerificationOptions {
  /** Called after each stream is verified (progress output). */
  readonly onStream?: (stream: string, valid: boolean) => void;
  readonly maxStreams?: number;
}

export async function verifyEveryStream(store: EventStore, options: EveryStreamVerificationOptions = {}): Promise<EveryStreamVerification> {
  const maxStreams = options.maxStreams ?? MAX_STREAMS_PER_VERIFICATION;
  const verified = new Set<string>();
  const broken: BrokenStream[] = [];
  let events = 0;
  for await (const page of readAuditLogPages(store)) {
    for (const { streamId } of page) {
      if (verified.has(streamId)) continue;
      if (verified.size >= maxStreams) {
        throw new RangeError(`more than ${maxStreams} streams: verification stops rather than remember them all`);
      }
      verified.add(streamId);
      const result = await verifyStoredStream(store, streamId);
      events += result.events;
      if (!result.valid) broken.push({ stream: streamId, brokenAt: result.brokenAt!, reason: result.reason! });
      options.onStream?.(streamId, result.valid);
    }
  }
  return { valid: broken.length === 0, streams: verified.size, events, broken };
}
