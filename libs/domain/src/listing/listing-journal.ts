/**
 * The books of a listing (shared/DOMAIN.md, "The books"): face value lost to
 * expiry, written off from the seller's listing to `credits:expired` by the
 * `credits_expired` entry (Dr credits:expired X, Cr credits:listed:S X).
 *
 * What a listing counts as expired is written off when it is counted:
 * - ListingExpired -> X = its available face value then (the unsold,
 *   unreserved verified part; 0 for a listing never verified: no entry);
 * - on a listing already expired, ListingReservationReleased -> X = the
 *   released face value, and ListingSold -> X = the part the deal took but
 *   did not deliver: the listing can no longer sell what its deals give back.
 * The deal facts returned that face value to credits:listed:S first
 * (deal-journal.ts), so credits:expired is always the listings' expired
 * face value, counted once.
 *
 * The posting rule needs three things of the listing before each fact (its
 * seller, its currency, whether it has expired), so the journal keeps that,
 * not the whole folded listing: `ListingBooks`, evolved by evolveListingBooks.
 */
import { invariant } from '../invariant.js';
import { type JournalEntry, creditsWrittenOffEntry } from '../deal/deal-journal.js';
import type { ListingEvent } from './listing.events.js';
import type { ListingState } from './listing.state.js';

/** What the books need to know of a listing; null before ListingSubmitted. */
export interface ListingBooks {
  readonly sellerId: string;
  readonly currency: string;
  /** ListingExpired was recorded: final. */
  readonly expired: boolean;
}

export function evolveListingBooks(books: ListingBooks | null, event: ListingEvent): ListingBooks | null {
  switch (event.type) {
    case 'ListingSubmitted':
      invariant(books === null, `ListingSubmitted on listing ${event.data.listingId} that exists`);
      return { sellerId: event.data.sellerId, currency: event.data.currency, expired: false };
    case 'ListingExpired':
      invariant(books !== null && !books.expired, `ListingExpired on listing ${event.data.listingId} that is not open`);
      return { ...books, expired: true };
    default:
      invariant(books !== null, `${event.type} before ListingSubmitted on listing ${event.data.listingId}`);
      return books;
  }
}

/** The books' view of a folded listing (specs compare it with evolveListingBooks). */
export function listingBooksOf(state: ListingState): ListingBooks | null {
  return state.status === 'none' ? null : { sellerId: state.sellerId, currency: state.currency, expired: state.status === 'expired' };
}

/** The entries one listing fact posts, given the listing's books before the fact. */
export function listingJournalEntries(before: ListingBooks | null, event: ListingEvent): JournalEntry[] {
  if (before === null) return [];
  switch (event.type) {
    case 'ListingExpired':
      return creditsWrittenOffEntry(before, event.data.expiredFaceValueCents);
    case 'ListingReservationReleased':
      return before.expired ? creditsWrittenOffEntry(before, event.data.faceValueCents) : [];
    case 'ListingSold':
      return before.expired ? creditsWrittenOffEntry(before, event.data.unsoldFaceValueCents) : [];
    case 'ListingSubmitted':
    case 'ListingVerified':
    case 'ListingVerificationFailed':
    case 'ListingRepriced':
    case 'ListingWithdrawn':
    case 'ListingReserved':
      return [];
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}
