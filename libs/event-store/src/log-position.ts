/**
 * A place in the global log. Both stores order their log by a pair:
 * EventStoreDB by (commit, prepare) position of its transaction file; the
 * PostgreSQL store by (transaction id, sequence), because a sequence number
 * alone is handed out before commit and commits land out of that order.
 * Positions compare commit first, then prepare.
 */
export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const START_POSITION: LogPosition = Object.freeze({ commit: 0n, prepare: 0n });

export function comparePositions(a: LogPosition, b: LogPosition): -1 | 0 | 1 {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** The text form used in HTTP answers, headers and checkpoints: `commit.prepare`. */
export function formatPosition(position: LogPosition): string {
  return `${position.commit}.${position.prepare}`;
}

const POSITION_TEXT = /^(0|[1-9][0-9]{0,19})\.(0|[1-9][0-9]{0,19})$/;

/** Parses `formatPosition` output; returns null for anything else. */
export function parsePosition(text: string): LogPosition | null {
  const match = POSITION_TEXT.exec(text);
  if (match === null) return null;
  const commit = BigInt(match[1]!);
  const prepare = BigInt(match[2]!);
  // Both parts are unsigned 64-bit in either store.
  if (commit >= 2n ** 64n || prepare >= 2n ** 64n) return null;
  return { commit, prepare };
}
