import type { DealState } from '#domain';
import type { CommandContext } from '../stream/command-context.js';

/**
 * A broker sees and acts only on the deals it brokers now (a reassignment
 * moves a deal to another broker). For anyone else such a deal does not
 * exist (shared/API.md: NOT_FOUND, also for another broker's deal): its
 * commands are decided as on a deal with no events, so the refusal, and an
 * If-Match conflict, are exactly those of a missing deal. Admins and the
 * system's own process managers see every deal.
 */
export function dealVisibleTo(context: CommandContext): (state: DealState) => boolean {
  return (state) => context.actorRole !== 'broker' || state.status === 'none' || state.brokerId === context.actorId;
}
