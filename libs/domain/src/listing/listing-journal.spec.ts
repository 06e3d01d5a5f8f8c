import fc from 'fast-check';
import { at } from '../../../testing/src/given-when-then.js';
import { isDomainError } from '../domain-error.js';
import { EXPIRED_CREDITS_ACCOUNT, type JournalEntry, listedCreditsAccount } from '../deal/deal-journal.js';
import type { ListingCommand } from './listing.commands.js';
import { decideListing } from './listing.decide.js';
import type { ListingEvent } from './listing.events.js';
import { evolveListing } from './listing.evolve.js';
import { type ListingBooks, evolveListingBooks, listingBooksOf, listingJournalEntries } from './listing-journal.js';
import { type ListingState, initialListingState } from './listing.state.js';

const LISTING_ID = 'listing-1';
const SUBMITTED_AT = at('2026-03-01T00:00:00Z');
const CREDIT_EXPIRY = at('2026-06-01T00:00:00Z');
/** The default 72-hour margin before the credit expiry: the listing may expire from then on. */
const MATCHABLE_UNTIL = at('2026-05-29T00:00:00Z');
const MATCH = { buyerId: 'buyer-1', brokerId: 'broker-1', commissionBps: 1_000, buyRequestId: null } as const;

const submit: ListingCommand = {
  type: 'SubmitListing',
  submittedBy: 'broker-ana',
  listingId: LISTING_ID,
  sellerId: 'seller-1',
  provider: 'openai',
  creditType: 'prepaid_api',
  providerOrgRef: 'org-1',
  currency: 'EUR',
  claimedFaceValueCents: 1_000_000n,
  creditExpiresAt: CREDIT_EXPIRY,
  askPriceCents: 600_000n,
};
const verify = (faceValueCents = 900_000n): ListingCommand => ({
  type: 'VerifyListing',
  listingId: LISTING_ID,
  verifiedBy: 'ops',
  verifiedFaceValueCents: faceValueCents,
  verifiedExpiresAt: CREDIT_EXPIRY,
  evidence: { method: 'provider_console', reference: 'ticket-1', checkedAt: SUBMITTED_AT },
});
const reserve = (dealId: string, faceValueCents: bigint): ListingCommand => ({ type: 'ReserveListing', listingId: LISTING_ID, dealId, faceValueCents, priceCents: 1_000n, match: MATCH });
const release = (dealId: string): ListingCommand => ({ type: 'ReleaseListingReservation', listingId: LISTING_ID, dealId, reason: 'deal_expired' });
const sell = (dealId: string, faceValueCents: bigint): ListingCommand => ({ type: 'SellListingReservation', listingId: LISTING_ID, dealId, faceValueCents });
const expire: ListingCommand = { type: 'ExpireListing', listingId: LISTING_ID };

/** Decides each command at its time, in order, and returns every entry the listing's facts post, with the final state. */
function post(steps: ReadonlyArray<readonly [ListingCommand, Date]>): { entries: JournalEntry[]; state: ListingState; books: ListingBooks | null } {
  let state = initialListingState;
  let books: ListingBooks | null = null;
  const entries: JournalEntry[] = [];
  for (const [command, now] of steps) {
    for (const event of decideListing(state, command, now)) {
      entries.push(...listingJournalEntries(books, event));
      state = evolveListing(state, event);
      books = evolveListingBooks(books, event);
    }
  }
  return { entries, state, books };
}

const writtenOff = (faceValueCents: bigint): JournalEntry => ({
  kind: 'credits_expired',
  currency: 'EUR',
  postings: [
    { account: EXPIRED_CREDITS_ACCOUNT, amountCents: faceValueCents },
    { account: listedCreditsAccount('seller-1'), amountCents: -faceValueCents },
  ],
});

describe('the books of a listing', () => {
  it('writes off the unsold, unreserved verified face value when the listing expires', () => {
    const { entries } = post([
      [submit, SUBMITTED_AT],
      [verify(), SUBMITTED_AT],
      [reserve('deal-1', 200_000n), SUBMITTED_AT],
      [expire, MATCHABLE_UNTIL],
    ]);
    expect(entries).toEqual([writtenOff(700_000n)]);
  });

  it('writes off what deals give back after the expiry: a released reservation, the undelivered part of a sale', () => {
    const { entries, state } = post([
      [submit, SUBMITTED_AT],
      [verify(), SUBMITTED_AT],
      [reserve('deal-1', 200_000n), SUBMITTED_AT],
      [reserve('deal-2', 300_000n), SUBMITTED_AT],
      [expire, MATCHABLE_UNTIL],
      [release('deal-1'), CREDIT_EXPIRY],
      [sell('deal-2', 250_000n), CREDIT_EXPIRY],
    ]);
    expect(entries).toEqual([writtenOff(400_000n), writtenOff(200_000n), writtenOff(50_000n)]);
    expect(state.status === 'expired' && state.expiredFaceValueCents).toBe(650_000n);
  });

  it('posts nothing for what deals give back before the expiry: the market has it again', () => {
    const { entries } = post([
      [submit, SUBMITTED_AT],
      [verify(), SUBMITTED_AT],
      [reserve('deal-1', 200_000n), SUBMITTED_AT],
      [release('deal-1'), SUBMITTED_AT],
      [reserve('deal-2', 300_000n), SUBMITTED_AT],
      [sell('deal-2', 300_000n), SUBMITTED_AT],
    ]);
    expect(entries).toEqual([]);
  });

  it('posts nothing for a listing that expires unverified (nothing was verified, nothing is lost), nor for a withdrawal', () => {
    expect(post([[submit, SUBMITTED_AT], [expire, MATCHABLE_UNTIL]]).entries).toEqual([]);
    expect(post([[submit, SUBMITTED_AT], [verify(), SUBMITTED_AT], [{ type: 'WithdrawListing', listingId: LISTING_ID, reason: 'sold elsewhere' }, SUBMITTED_AT]]).entries).toEqual([]);
  });

  it('writes off exactly the listing\'s expired face value, over random histories, and its books follow the fold', () => {
    const dealIds = ['deal-0', 'deal-1', 'deal-2', 'deal-3'];
    const command = fc.oneof(
      fc.record({ deal: fc.constantFrom(...dealIds), faceValue: fc.bigInt({ min: 1n, max: 400_000n }) }).map(({ deal, faceValue }) => reserve(deal, faceValue)),
      fc.constantFrom(...dealIds).map(release),
      fc.record({ deal: fc.constantFrom(...dealIds), part: fc.integer({ min: 0, max: 4 }) }).map(({ deal, part }) => ({ deal, part })),
      fc.constant(expire),
      fc.constant<ListingCommand>({ type: 'WithdrawListing', listingId: LISTING_ID, reason: 'withdrawn' }),
    );
    const history = fc.array(fc.record({ command, late: fc.boolean() }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(history, (steps) => {
        let state = initialListingState;
        let books: ListingBooks | null = null;
        let expiredCents = 0n;
        let listedCents = 0n;
        const apply = (next: ListingCommand, now: Date): void => {
          let events: ListingEvent[];
          try {
            events = decideListing(state, next, now);
          } catch (error) {
            if (isDomainError(error)) return;
            throw error;
          }
          for (const event of events) {
            for (const entry of listingJournalEntries(books, event)) {
              expect(entry.postings.reduce((sum, posting) => sum + posting.amountCents, 0n)).toBe(0n);
              for (const posting of entry.postings) {
                if (posting.account === EXPIRED_CREDITS_ACCOUNT) expiredCents += posting.amountCents;
                if (posting.account === listedCreditsAccount('seller-1')) listedCents += posting.amountCents;
              }
            }
            state = evolveListing(state, event);
            books = evolveListingBooks(books, event);
            expect(books).toEqual(listingBooksOf(state));
          }
        };
        apply(submit, SUBMITTED_AT);
        apply(verify(1_000_000n), SUBMITTED_AT);
        for (const step of steps) {
          const now = step.late ? CREDIT_EXPIRY : SUBMITTED_AT;
          if ('type' in step.command) {
            apply(step.command, now);
          } else {
            const reserved = state.status === 'none' ? undefined : state.reservations.get(step.command.deal);
            if (reserved !== undefined) apply(sell(step.command.deal, (reserved.faceValueCents * BigInt(step.command.part)) / 4n || 1n), now);
          }
        }
        if (state.status === 'none') return;
        expect(expiredCents).toBe(state.expiredFaceValueCents);
        expect(listedCents).toBe(-state.expiredFaceValueCents);
      }),
      { numRuns: 300 },
    );
  });
});
