/**
 * The listing stream's decider as one value, the shape libs/commands'
 * runner and the given/when/then specs take.
 */
import type { Decider } from '../decider.js';
import type { ListingCommand } from './listing.commands.js';
import { decodeListingEvent, encodeListingEvent } from './listing.codec.js';
import { decideListing } from './listing.decide.js';
import type { ListingEvent } from './listing.events.js';
import { evolveListing } from './listing.evolve.js';
import { DEFAULT_LISTING_POLICY, type ListingPolicy } from './listing.policy.js';
import { type ListingState, initialListingState } from './listing.state.js';

export type ListingDecider = Decider<ListingState, ListingCommand, ListingEvent>;

/** A listing decider bound to a policy (LEDGER_EXPIRY_MARGIN_MS from the configuration). */
export function createListingDecider(policy: ListingPolicy = DEFAULT_LISTING_POLICY): ListingDecider {
  return {
    initialState: initialListingState,
    decide: (state, command, now) => decideListing(state, command, now, policy),
    evolve: evolveListing,
    encode: encodeListingEvent,
    decode: decodeListingEvent,
  };
}

export const listingDecider: ListingDecider = createListingDecider();
