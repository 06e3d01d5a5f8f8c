/**
 * Who may change a buy request. Requests are shared like listings: every
 * broker reads them and may fill one with a deal (that is how matches are
 * found), and the process managers and the deadline enforcer record fills,
 * releases and expiries. Changing the demand itself (amend, cancel) is for
 * the broker who placed it, or an admin.
 */
import { DomainError } from '../domain-error.js';
import { type Actor, mayManageOwnedStream } from '../stream-owner.js';
import type { BuyRequestCommand, BuyRequestCommandType } from './buy-request.commands.js';
import type { BuyRequestState } from './buy-request.state.js';

/** The commands only the request's placer or an admin may send. */
export const BUY_REQUEST_OWNER_COMMANDS = ['AmendBuyRequest', 'CancelBuyRequest'] as const satisfies readonly BuyRequestCommandType[];

function isOwnerCommand(type: BuyRequestCommandType): boolean {
  return (BUY_REQUEST_OWNER_COMMANDS as readonly string[]).includes(type);
}

/**
 * Throws NOT_BUY_REQUEST_OWNER when the actor may not send this command on
 * the request as it is. A request that does not exist is the decider's to
 * refuse (BUY_REQUEST_NOT_FOUND).
 */
export function refuseBuyRequestNonOwner(state: BuyRequestState, command: BuyRequestCommand, actor: Actor): void {
  if (state.status === 'none' || !isOwnerCommand(command.type)) return;
  if (mayManageOwnedStream(state.placedBy, actor)) return;
  throw new DomainError('NOT_BUY_REQUEST_OWNER', `only the broker who placed buy request ${state.buyRequestId}, or an admin, may amend or cancel it`, {
    buyRequestId: state.buyRequestId,
  });
}
