/** Who asked, and within which request: becomes every resulting event's metadata. */
export interface CommandContext {
  readonly actorId: string;
  readonly actorRole: string;
  readonly correlationId: string;
  /** The command message or event that caused these facts. */
  readonly causationId: string;
}
