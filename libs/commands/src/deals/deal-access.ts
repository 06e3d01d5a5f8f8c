import { DomainError, type DealState } from '#domain';
import type { CommandContext } from '../stream/command-context.js';

/**
 * A broker acts only on the deals it brokers; for anyone else such a deal
 * does not exist (shared/API.md: NOT_FOUND, also for another broker's deal).
 * Admins and the system's own process managers act on every deal.
 */
export function authorizeDealActor(context: CommandContext, dealId: string): (state: DealState) => void {
  return (state) => {
    if (context.actorRole !== 'broker') return;
    if (state.status !== 'none' && state.brokerId !== context.actorId) {
      throw new DomainError('DEAL_NOT_FOUND', `deal ${dealId} not found`, { dealId });
    }
  };
}
