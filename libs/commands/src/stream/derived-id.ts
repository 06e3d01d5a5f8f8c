import { parse as parseUuid, v5 as uuidV5 } from 'uuid';

/**
 * Name-based (v5) UUIDs: the same cause and purpose always give the same id.
 * Events get ids derived from the command message that caused them (and
 * new entities from the Idempotency-Key that created them), so a command
 * that runs again after a crash derives the same ids, and the event store
 * returns the original result instead of writing the fact twice.
 */
const LEDGER_EVENT_NAMESPACE = '6f1d3c1e-8a61-4d7b-9c55-2f3e0c8b9a41';
// Parsed once, and the name handed over as UTF-8 bytes: the library's own string paths (parse, and
// unescape(encodeURIComponent()) per character) cost more than the SHA-1 on every command.
const NAMESPACE_BYTES = parseUuid(LEDGER_EVENT_NAMESPACE);

export function derivedId(causeId: string, purpose: string): string {
  return uuidV5(Buffer.from(`${causeId.toLowerCase()}/${purpose}`, 'utf8'), NAMESPACE_BYTES);
}
