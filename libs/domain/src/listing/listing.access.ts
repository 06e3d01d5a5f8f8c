/**
 * Who may change a listing. The board is shared: every broker reads every
 * listing and may reserve on it (POST /v1/deals), and the process managers
 * and the deadline enforcer release, sell and expire. Changing the offer
 * itself (verify it, record a failed verification, reprice, withdraw) is for
 * the broker who submitted it, or an admin.
 */
import { DomainError } from '../domain-error.js';
import { type Actor, mayManageOwnedStream } from '../stream-owner.js';
import type { ListingCommand, ListingCommandType } from './listing.commands.js';
import type { ListingState } from './listing.state.js';

/** The commands only the listing's submitter or an admin may send. */
export const LISTING_OWNER_COMMANDS = ['VerifyListing', 'FailListingVerification', 'RepriceListing', 'WithdrawListing'] as const satisfies readonly ListingCommandType[];

function isOwnerCommand(type: ListingCommandType): boolean {
  return (LISTING_OWNER_COMMANDS as readonly string[]).includes(type);
}

/**
 * Throws NOT_LISTING_OWNER when the actor may not send this command on the
 * listing as it is. A listing that does not exist is the decider's to refuse
 * (LISTING_NOT_FOUND): the board is public, so who owns what is no secret.
 */
export function refuseListingNonOwner(state: ListingState, command: ListingCommand, actor: Actor): void {
  if (state.status === 'none' || !isOwnerCommand(command.type)) return;
  if (mayManageOwnedStream(state.submittedBy, actor)) return;
  throw new DomainError('NOT_LISTING_OWNER', `only the broker who submitted listing ${state.listingId}, or an admin, may verify, reprice or withdraw it`, {
    listingId: state.listingId,
  });
}
