import { at } from '../../../testing/src/given-when-then.js';
import { DomainError } from '../domain-error.js';
import type { Actor } from '../stream-owner.js';
import { LISTING_OWNER_COMMANDS, refuseListingNonOwner } from './listing.access.js';
import type { ListingCommand } from './listing.commands.js';
import type { ListingSubmitted } from './listing.events.js';
import { foldListingEvents } from './listing.evolve.js';

const LISTING_ID = 'listing-1';
const CREDIT_EXPIRY = at('2026-06-01T00:00:00Z');

function submitted(submittedBy: string | null): ListingSubmitted {
  return {
    type: 'ListingSubmitted',
    data: {
      listingId: LISTING_ID,
      sellerId: 'seller-1',
      provider: 'openai',
      creditType: 'prepaid_api',
      providerOrgRef: 'org-1',
      currency: 'USD',
      claimedFaceValueCents: 1_000_000n,
      creditExpiresAt: CREDIT_EXPIRY,
      askPriceCents: 600_000n,
      submittedBy,
      submittedAt: at('2026-03-01T00:00:00Z'),
    },
  };
}

const ownersListing = foldListingEvents([submitted('broker-ana')]);
/** Recorded before submitters were: decoded with submittedBy null. */
const legacyListing = foldListingEvents([submitted(null)]);

const ownerCommands: ListingCommand[] = [
  {
    type: 'VerifyListing',
    listingId: LISTING_ID,
    verifiedBy: 'broker-ana',
    verifiedFaceValueCents: 1_000_000n,
    verifiedExpiresAt: CREDIT_EXPIRY,
    evidence: { method: 'provider_console', reference: 'ticket-1', checkedAt: at('2026-03-01T01:00:00Z') },
  },
  { type: 'FailListingVerification', listingId: LISTING_ID, reason: 'no such organisation' },
  { type: 'RepriceListing', listingId: LISTING_ID, askPriceCents: 500_000n },
  { type: 'WithdrawListing', listingId: LISTING_ID, reason: 'seller used the credits' },
];

/** The shared part of the board: any broker reserves, the system releases, sells and expires. */
const sharedCommands: ListingCommand[] = [
  {
    type: 'ReserveListing',
    listingId: LISTING_ID,
    dealId: 'deal-1',
    faceValueCents: 100_000n,
    priceCents: 60_000n,
    match: { buyerId: 'buyer-1', brokerId: 'broker-ben', commissionBps: 1_000, buyRequestId: null },
  },
  { type: 'ReleaseListingReservation', listingId: LISTING_ID, dealId: 'deal-1', reason: 'deal_rejected' },
  { type: 'SellListingReservation', listingId: LISTING_ID, dealId: 'deal-1', faceValueCents: 100_000n },
  { type: 'ExpireListing', listingId: LISTING_ID },
];

const actor = (actorId: string, actorRole: string): Actor => ({ actorId, actorRole });
const owner = actor('broker-ana', 'broker');
const admin = actor('admin', 'admin');

function refusal(run: () => void): string | null {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('who may change a listing', () => {
  it('names every command that changes the offer itself', () => {
    expect(ownerCommands.map((command) => command.type)).toEqual([...LISTING_OWNER_COMMANDS]);
  });

  it.each(ownerCommands.map((command) => [command.type, command] as const))('lets the submitting broker and an admin %s', (_type, command) => {
    expect(refusal(() => refuseListingNonOwner(ownersListing, command, owner))).toBeNull();
    expect(refusal(() => refuseListingNonOwner(ownersListing, command, admin))).toBeNull();
  });

  it.each(ownerCommands.map((command) => [command.type, command] as const))('refuses anyone else %s with NOT_LISTING_OWNER', (_type, command) => {
    for (const other of [actor('broker-ben', 'broker'), actor('broker-ana', 'compliance'), actor('broker-ana', 'dashboard'), actor('reservation-process-manager', 'system')]) {
      expect(refusal(() => refuseListingNonOwner(ownersListing, command, other))).toBe('NOT_LISTING_OWNER');
    }
  });

  it('says which listing, and not who owns it', () => {
    try {
      refuseListingNonOwner(ownersListing, ownerCommands[2]!, actor('broker-ben', 'broker'));
      throw new Error('not refused');
    } catch (error) {
      expect(error).toMatchObject({ code: 'NOT_LISTING_OWNER', details: { listingId: LISTING_ID } });
      expect(JSON.stringify((error as DomainError).details)).not.toContain('broker-ana');
    }
  });

  it('leaves a listing recorded before submitters were to an admin alone', () => {
    for (const command of ownerCommands) {
      expect(refusal(() => refuseListingNonOwner(legacyListing, command, admin))).toBeNull();
      expect(refusal(() => refuseListingNonOwner(legacyListing, command, owner))).toBe('NOT_LISTING_OWNER');
    }
  });

  it.each(sharedCommands.map((command) => [command.type, command] as const))('lets every broker and the system %s', (_type, command) => {
    for (const anyone of [owner, actor('broker-ben', 'broker'), actor('deadline-enforcer', 'system'), admin]) {
      expect(refusal(() => refuseListingNonOwner(ownersListing, command, anyone))).toBeNull();
      expect(refusal(() => refuseListingNonOwner(legacyListing, command, anyone))).toBeNull();
    }
  });

  it('leaves a listing that does not exist to the decider (LISTING_NOT_FOUND)', () => {
    expect(refusal(() => refuseListingNonOwner(foldListingEvents([]), ownerCommands[0]!, actor('broker-ben', 'broker')))).toBeNull();
  });
});
