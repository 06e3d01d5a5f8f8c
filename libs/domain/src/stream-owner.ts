/**
 * Who may manage a stream a broker opened (a listing it submitted, a buy
 * request it placed): that broker, or an admin. The board is shared by every
 * broker (each reads every listing and request and matches deals against
 * them), but changing an offer or a standing demand is its owner's business.
 * Pure: the command handlers pass the actor of the command in.
 */

/** Who asks: a principal of shared/API.md (Access), or `system` for the ledger's own process managers. */
export interface Actor {
  readonly actorId: string;
  readonly actorRole: string;
}

/**
 * True when the actor may manage what `ownerId` opened. A null owner is a
 * stream recorded before owners were recorded: no broker is known to own it,
 * so only an admin may manage it. Anyone else (another broker, compliance,
 * dashboard, a system actor) may not: deny unless allowed.
 */
export function mayManageOwnedStream(ownerId: string | null, actor: Actor): boolean {
  if (actor.actorRole === 'admin') return true;
  return actor.actorRole === 'broker' && ownerId !== null && ownerId === actor.actorId;
}
