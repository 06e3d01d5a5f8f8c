import { at } from '../../../testing/src/given-when-then.js';
import { isDomainError } from '../domain-error.js';
import type { BuyRequestCommand } from '../buy-request/buy-request.commands.js';
import { decideBuyRequest } from '../buy-request/buy-request.decide.js';
import { evolveBuyRequest } from '../buy-request/buy-request.evolve.js';
import { type BuyRequestState, initialBuyRequestState } from '../buy-request/buy-request.state.js';
import type { DealCommand } from '../deal/deal.commands.js';
import { decideDeal } from '../deal/deal.decide.js';
import { evolveDeal } from '../deal/deal.evolve.js';
import { type DealState, initialDealState } from '../deal/deal.state.js';
import type { ListingCommand } from '../listing/listing.commands.js';
import { decideListing } from '../listing/listing.decide.js';
import { evolveListing } from '../listing/listing.evolve.js';
import { DEFAULT_LISTING_POLICY, type ListingPolicy } from '../listing/listing.policy.js';
import { type ListingState, initialListingState } from '../listing/listing.state.js';
import {
  type OpenDeadline,
  buyRequestDeadlines,
  dealDeadlines,
  deadlineDueAt,
  deadlineExpiryKey,
  deadlineLeadMs,
  expiryCommandOf,
  listingDeadlines,
} from './deadlines.js';

const SUBMITTED_AT = at('2026-03-01T00:00:00Z');
const CREDIT_EXPIRY = at('2026-06-01T00:00:00Z');
/** The default 72-hour margin before the credit expiry. */
const MATCHABLE_UNTIL = at('2026-05-29T00:00:00Z');
/** Opening at SUBMITTED_AT plus the default 48-hour approval window. */
const APPROVAL_DEADLINE = at('2026-03-03T00:00:00Z');
const BUY_REQUEST_DEADLINE = at('2026-04-01T00:00:00Z');
const MATCH = { buyerId: 'buyer-1', brokerId: 'broker-1', commissionBps: 1_000, buyRequestId: null } as const;

function listingAfter(commands: readonly ListingCommand[], now = SUBMITTED_AT): ListingState {
  return commands.reduce((state, command) => decideListing(state, command, now).reduce(evolveListing, state), initialListingState);
}

function dealAfter(commands: readonly DealCommand[], now = SUBMITTED_AT): DealState {
  return commands.reduce((state, command) => decideDeal(state, command, now).reduce(evolveDeal, state), initialDealState);
}

function buyRequestAfter(commands: readonly BuyRequestCommand[], now = SUBMITTED_AT): BuyRequestState {
  return commands.reduce((state, command) => decideBuyRequest(state, command, now).reduce(evolveBuyRequest, state), initialBuyRequestState);
}

const submit: ListingCommand = {
  type: 'SubmitListing',
  submittedBy: 'broker-ana',
  listingId: 'listing-1',
  sellerId: 'seller-1',
  provider: 'openai',
  creditType: 'prepaid_api',
  providerOrgRef: 'org-1',
  currency: 'USD',
  claimedFaceValueCents: 1_000_000n,
  creditExpiresAt: at('2026-07-01T00:00:00Z'),
  askPriceCents: 600_000n,
};
const verify: ListingCommand = {
  type: 'VerifyListing',
  listingId: 'listing-1',
  verifiedBy: 'ops',
  verifiedFaceValueCents: 1_000_000n,
  verifiedExpiresAt: CREDIT_EXPIRY,
  evidence: { method: 'provider_console', reference: 'ticket-1', checkedAt: SUBMITTED_AT },
};
const reserveAll: ListingCommand = { type: 'ReserveListing', listingId: 'listing-1', dealId: 'deal-1', faceValueCents: 1_000_000n, priceCents: 600_000n, match: MATCH };

const open: DealCommand = {
  type: 'OpenDeal',
  dealId: 'deal-1',
  listingId: 'listing-1',
  sellerId: 'seller-1',
  buyerId: 'buyer-1',
  brokerId: 'broker-1',
  currency: 'USD',
  faceValueCents: 100_000n,
  priceCents: 60_000n,
  commissionBps: 1_000,
  creditExpiresAt: CREDIT_EXPIRY,
};
const approve = (party: 'seller' | 'buyer', termsVersion = 1): DealCommand => ({ type: 'ApproveDeal', dealId: 'deal-1', party, termsVersion, approvedBy: `${party}-contact` });
const pay: DealCommand = { type: 'ReceiveBuyerPayment', dealId: 'deal-1', amountCents: 60_000n, paymentRef: 'wire-1' };
const startTransfer: DealCommand = { type: 'StartCreditTransfer', dealId: 'deal-1', mechanism: 'organization_membership', reference: 'invite-1' };
const confirmTransfer: DealCommand = { type: 'ConfirmCreditTransfer', dealId: 'deal-1', confirmedFaceValueCents: 100_000n, evidence: { method: 'console', reference: 'member' } };

const place: BuyRequestCommand = {
  type: 'PlaceBuyRequest',
  placedBy: 'broker-ana',
  buyRequestId: 'request-1',
  buyerId: 'buyer-1',
  provider: 'openai',
  creditTypes: ['prepaid_api'],
  faceValueCents: 500_000n,
  maxPriceBps: 7_000,
  minValidityDays: 30,
  deadline: BUY_REQUEST_DEADLINE,
};

describe('the deadlines a listing holds open', () => {
  it('holds its matchable-until deadline, at the claimed expiry while submitted and the verified one after', () => {
    expect(listingDeadlines(listingAfter([submit]))).toEqual([{ kind: 'listing_matchable_until', deadlineAt: at('2026-07-01T00:00:00Z') }]);
    expect(listingDeadlines(listingAfter([submit, verify]))).toEqual([{ kind: 'listing_matchable_until', deadlineAt: CREDIT_EXPIRY }]);
    // Fully reserved, it is still available: a released reservation could put it back on the market.
    expect(listingDeadlines(listingAfter([submit, verify, reserveAll]))).toHaveLength(1);
  });

  it('falls due the expiry margin before the credit expiry, as the decider computes it', () => {
    const [deadline] = listingDeadlines(listingAfter([submit, verify])) as [OpenDeadline];
    expect(deadlineDueAt(deadline, DEFAULT_LISTING_POLICY)).toEqual(MATCHABLE_UNTIL);
    const noMargin: ListingPolicy = { expiryMarginMs: 0 };
    expect(deadlineDueAt(deadline, noMargin)).toEqual(CREDIT_EXPIRY);
    expect(deadlineLeadMs('listing_matchable_until', DEFAULT_LISTING_POLICY)).toBe(72 * 3_600_000);
    expect(deadlineLeadMs('deal_approval', DEFAULT_LISTING_POLICY)).toBe(0);
  });

  it('holds none once the listing is closed: rejected, withdrawn, sold out or expired', () => {
    expect(listingDeadlines(initialListingState)).toEqual([]);
    expect(listingDeadlines(listingAfter([submit, { type: 'FailListingVerification', listingId: 'listing-1', reason: 'no such org' }]))).toEqual([]);
    expect(listingDeadlines(listingAfter([submit, verify, { type: 'WithdrawListing', listingId: 'listing-1', reason: 'sold elsewhere' }]))).toEqual([]);
    expect(listingDeadlines(listingAfter([submit, verify, reserveAll, { type: 'SellListingReservation', listingId: 'listing-1', dealId: 'deal-1', faceValueCents: 1_000_000n }]))).toEqual([]);
    const expired = decideListing(listingAfter([submit, verify]), { type: 'ExpireListing', listingId: 'listing-1' }, MATCHABLE_UNTIL).reduce(evolveListing, listingAfter([submit, verify]));
    expect(listingDeadlines(expired)).toEqual([]);
  });
});

describe('the deadlines a deal holds open', () => {
  it('awaiting approvals: the approval deadline and the credit expiry', () => {
    expect(dealDeadlines(dealAfter([open]))).toEqual([
      { kind: 'deal_approval', deadlineAt: APPROVAL_DEADLINE },
      { kind: 'deal_credit_expiry', deadlineAt: CREDIT_EXPIRY },
    ]);
    expect(dealDeadlines(dealAfter([open, approve('seller')]))).toHaveLength(2);
  });

  it('approved, funded or transferring: the credit expiry only', () => {
    const creditExpiry = [{ kind: 'deal_credit_expiry', deadlineAt: CREDIT_EXPIRY }];
    expect(dealDeadlines(dealAfter([open, approve('seller'), approve('buyer')]))).toEqual(creditExpiry);
    expect(dealDeadlines(dealAfter([open, approve('seller'), approve('buyer'), pay]))).toEqual(creditExpiry);
    expect(dealDeadlines(dealAfter([open, approve('seller'), approve('buyer'), pay, startTransfer]))).toEqual(creditExpiry);
  });

  it('an amendment voids the approvals: the approval deadline is open again, unmoved', () => {
    const amended = dealAfter([open, approve('seller'), approve('buyer'), { type: 'AmendDealTerms', dealId: 'deal-1', priceCents: 55_000n, reservedFaceValueCents: 100_000n }]);
    expect(dealDeadlines(amended)).toEqual([
      { kind: 'deal_approval', deadlineAt: APPROVAL_DEADLINE },
      { kind: 'deal_credit_expiry', deadlineAt: CREDIT_EXPIRY },
    ]);
  });

  it('none once the credits were delivered, while disputed, or once the deal is closed', () => {
    expect(dealDeadlines(initialDealState)).toEqual([]);
    expect(dealDeadlines(dealAfter([open, approve('seller'), approve('buyer'), pay, startTransfer, confirmTransfer]))).toEqual([]);
    expect(dealDeadlines(dealAfter([open, approve('seller'), approve('buyer'), { type: 'DisputeDeal', dealId: 'deal-1', reason: 'terms' }]))).toEqual([]);
    expect(dealDeadlines(dealAfter([open, { type: 'RejectDeal', dealId: 'deal-1', party: 'buyer', reason: 'too dear', rejectedBy: 'buyer-contact' }]))).toEqual([]);
    expect(dealDeadlines(dealAfter([open, { type: 'CancelDeal', dealId: 'deal-1', reason: 'withdrawn' }]))).toEqual([]);
    const awaiting = dealAfter([open]);
    expect(dealDeadlines(decideDeal(awaiting, { type: 'ExpireDeal', dealId: 'deal-1' }, APPROVAL_DEADLINE).reduce(evolveDeal, awaiting))).toEqual([]);
  });
});

describe('the deadlines a buy request holds open', () => {
  it('open: its deadline; an amendment moves it', () => {
    expect(buyRequestDeadlines(buyRequestAfter([place]))).toEqual([{ kind: 'buy_request_deadline', deadlineAt: BUY_REQUEST_DEADLINE }]);
    const moved = at('2026-05-01T00:00:00Z');
    expect(buyRequestDeadlines(buyRequestAfter([place, { type: 'AmendBuyRequest', buyRequestId: 'request-1', deadline: moved }]))).toEqual([{ kind: 'buy_request_deadline', deadlineAt: moved }]);
  });

  it('none once cancelled, expired or filled', () => {
    expect(buyRequestDeadlines(initialBuyRequestState)).toEqual([]);
    expect(buyRequestDeadlines(buyRequestAfter([place, { type: 'CancelBuyRequest', buyRequestId: 'request-1', reason: 'bought elsewhere' }]))).toEqual([]);
    const placed = buyRequestAfter([place]);
    expect(buyRequestDeadlines(decideBuyRequest(placed, { type: 'ExpireBuyRequest', buyRequestId: 'request-1' }, BUY_REQUEST_DEADLINE).reduce(evolveBuyRequest, placed))).toEqual([]);
    expect(buyRequestDeadlines(buyRequestAfter([place, { type: 'RecordBuyRequestFill', buyRequestId: 'request-1', dealId: 'deal-1', faceValueCents: 500_000n }]))).toEqual([]);
  });
});

describe('each open deadline is one the decider expires at its due time, and no other', () => {
  /** Decides the kind's expiry command at `now`: the facts, or the refusal's code. */
  function expire(state: ListingState | DealState | BuyRequestState, deadline: OpenDeadline, streamId: string, now: Date): string[] {
    const command = expiryCommandOf(deadline.kind, streamId);
    try {
      switch (command.type) {
        case 'ExpireListing':
          return decideListing(state as ListingState, command, now).map((event) => event.type);
        case 'ExpireDeal':
          return decideDeal(state as DealState, command, now).map((event) => event.type);
        case 'ExpireBuyRequest':
          return decideBuyRequest(state as BuyRequestState, command, now).map((event) => event.type);
      }
    } catch (error) {
      if (isDomainError(error)) return [error.code];
      throw error;
    }
  }

  const justBefore = (instant: Date) => new Date(instant.getTime() - 1);

  it('a listing: refused a millisecond before matchable-until, expired at it', () => {
    const listing = listingAfter([submit, verify]);
    const [deadline] = listingDeadlines(listing) as [OpenDeadline];
    const due = deadlineDueAt(deadline, DEFAULT_LISTING_POLICY);
    expect(expire(listing, deadline, 'listing-listing-1', justBefore(due))).toEqual(['LISTING_EXPIRY_NOT_REACHED']);
    expect(expire(listing, deadline, 'listing-listing-1', due)).toEqual(['ListingExpired']);
  });

  it('a deal: each deadline records DealExpired from its due time on (and the refund, once paid)', () => {
    const awaiting = dealAfter([open]);
    for (const deadline of dealDeadlines(awaiting)) {
      expect(expire(awaiting, deadline, 'deal-deal-1', deadline.deadlineAt)).toEqual(['DealExpired']);
    }
    const funded = dealAfter([open, approve('seller'), approve('buyer'), pay]);
    const [creditExpiry] = dealDeadlines(funded) as [OpenDeadline];
    expect(expire(funded, creditExpiry, 'deal-deal-1', justBefore(creditExpiry.deadlineAt))).toEqual(['DEAL_DEADLINE_NOT_REACHED']);
    expect(expire(funded, creditExpiry, 'deal-deal-1', creditExpiry.deadlineAt)).toEqual(['DealExpired', 'BuyerRefunded']);
  });

  it('a deal approved just in time no longer holds the approval deadline: its expiry is refused then', () => {
    const approved = dealAfter([open, approve('seller'), approve('buyer')]);
    const approvalDeadline: OpenDeadline = { kind: 'deal_approval', deadlineAt: APPROVAL_DEADLINE };
    expect(dealDeadlines(approved).map((deadline) => deadline.kind)).not.toContain('deal_approval');
    expect(expire(approved, approvalDeadline, 'deal-deal-1', APPROVAL_DEADLINE)).toEqual(['DEAL_DEADLINE_NOT_REACHED']);
  });

  it('a buy request: BuyRequestExpired at its deadline', () => {
    const request = buyRequestAfter([place]);
    const [deadline] = buyRequestDeadlines(request) as [OpenDeadline];
    expect(expire(request, deadline, 'buy-request-request-1', justBefore(deadline.deadlineAt))).toEqual(['BUY_REQUEST_DEADLINE_NOT_REACHED']);
    expect(expire(request, deadline, 'buy-request-request-1', deadline.deadlineAt)).toEqual(['BuyRequestExpired']);
  });

  it('a stream already expired records nothing when its expiry is sent again', () => {
    const listing = listingAfter([submit, verify]);
    const [deadline] = listingDeadlines(listing) as [OpenDeadline];
    const expired = decideListing(listing, { type: 'ExpireListing', listingId: 'listing-1' }, MATCHABLE_UNTIL).reduce(evolveListing, listing);
    expect(expire(expired, deadline, 'listing-listing-1', CREDIT_EXPIRY)).toEqual([]);
  });
});

describe('the expiry key and command of a deadline', () => {
  it('names the stream, the kind and the instant, so a moved deadline is another key', () => {
    const deadline: OpenDeadline = { kind: 'buy_request_deadline', deadlineAt: BUY_REQUEST_DEADLINE };
    expect(deadlineExpiryKey('buy-request-request-1', deadline)).toBe('buy-request-request-1/buy_request_deadline/2026-04-01T00:00:00.000Z');
    expect(deadlineExpiryKey('buy-request-request-1', { ...deadline, deadlineAt: at('2026-04-02T00:00:00Z') })).not.toBe(deadlineExpiryKey('buy-request-request-1', deadline));
  });

  it('maps each kind to its stream\'s expiry command, and a stream of another kind is a programmer error', () => {
    expect(expiryCommandOf('listing_matchable_until', 'listing-l1')).toEqual({ type: 'ExpireListing', listingId: 'l1' });
    expect(expiryCommandOf('deal_approval', 'deal-d1')).toEqual({ type: 'ExpireDeal', dealId: 'd1' });
    expect(expiryCommandOf('deal_credit_expiry', 'deal-d1')).toEqual({ type: 'ExpireDeal', dealId: 'd1' });
    expect(expiryCommandOf('buy_request_deadline', 'buy-request-r1')).toEqual({ type: 'ExpireBuyRequest', buyRequestId: 'r1' });
    expect(() => expiryCommandOf('deal_approval', 'listing-l1')).toThrow(/invariant violated/);
  });
});
