/** Who asked, and within which request: becomes every resulting event's metadata. */
export interface CommandContext {
  readonly actorId: string;
  readonly actorRole: string;
  readonly correlationId: string;
  /**
   * The command message or event that caused these facts: one per command
   * message. The ids of the events it records derive from it, so the same
   * message run twice records its facts once.
   */
  readonly causationId: string;
}
