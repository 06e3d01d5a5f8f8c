import type { LogPosition } from '#event-store';

/** What every command answers (shared/API.md): the stream it changed, its revision, and the log position of the last event written. */
export interface CommandOutcome {
  readonly id: string;
  /** Revision of the stream's last event; null when the stream has none. */
  readonly streamRevision: bigint | null;
  /** Null when the command recorded nothing new (a repeat). */
  readonly position: LogPosition | null;
}
