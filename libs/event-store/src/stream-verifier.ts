import type { EventStore } from './event-store.port.js';
import { MAX_READ_COUNT } from './event-store.port.js';
import { GENESIS_HASH, verifyChain, type ChainVerification } from './hash-chain.js';

/**
 * Verifies a whole stream page by page, so a long stream never sits in memory
 * at once. Names the first broken revision.
 */
export async function verifyStoredStream(store: EventStore, streamId: string): Promise<ChainVerification> {
  let revision = 0n;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const page = await store.readStream(streamId, { fromRevision: revision, maxCount: MAX_READ_COUNT });
    const result = verifyChain(page, { revision, prevHash });
    checked += result.events;
    if (!result.valid) return { ...result, events: checked };
    if (page.length < MAX_READ_COUNT) return { valid: true, events: checked };
    const last = page[page.length - 1]!;
    revision = last.revision + 1n;
    prevHash = last.hash;
  }
}
