import fc from 'fast-check';
import { at } from '../../../testing/src/given-when-then.js';
import { isDomainError } from '../domain-error.js';
import { MAX_CENTS } from '../money.js';
import { type JournalEntry, dealJournalEntries } from './deal-journal.js';
import { type DealQuoteRequest, faceValueDiscountBps, quoteDeal } from './deal-quote.js';
import type { DealCommand } from './deal.commands.js';
import { decideDeal } from './deal.decide.js';
import type { DealEvent } from './deal.events.js';
import { evolveDeal } from './deal.evolve.js';
import { type DealState, initialDealState } from './deal.state.js';

const request: DealQuoteRequest = { faceValueCents: 1_000_000n, priceCents: 500_000n, commissionBps: 1_000, sellerId: 'seller-1', buyerId: 'buyer-1', currency: 'USD' };

describe('quoteDeal', () => {
  it('answers the discount, the commission, the payout and the entries of the whole deal', () => {
    expect(quoteDeal(request)).toEqual({
      faceValueCents: 1_000_000n,
      priceCents: 500_000n,
      currency: 'USD',
      discountBps: 5_000,
      commissionBps: 1_000,
      commissionCents: 50_000n,
      payoutCents: 450_000n,
      journal: [
        {
          kind: 'credits_reserved',
          currency: 'USD',
          postings: [
            { account: 'credits:reserved', amountCents: 1_000_000n },
            { account: 'credits:listed:seller-1', amountCents: -1_000_000n },
          ],
        },
        {
          kind: 'buyer_payment',
          currency: 'USD',
          postings: [
            { account: 'cash', amountCents: 500_000n },
            { account: 'escrow:buyer:buyer-1', amountCents: -500_000n },
          ],
        },
        {
          kind: 'credits_delivered',
          currency: 'USD',
          postings: [
            { account: 'credits:delivered:buyer-1', amountCents: 1_000_000n },
            { account: 'credits:reserved', amountCents: -1_000_000n },
          ],
        },
        {
          kind: 'escrow_released',
          currency: 'USD',
          postings: [
            { account: 'escrow:buyer:buyer-1', amountCents: 500_000n },
            { account: 'payable:seller:seller-1', amountCents: -450_000n },
            { account: 'revenue:commission', amountCents: -50_000n },
          ],
        },
        {
          kind: 'seller_payout',
          currency: 'USD',
          postings: [
            { account: 'payable:seller:seller-1', amountCents: 450_000n },
            { account: 'cash', amountCents: -450_000n },
          ],
        },
      ],
    });
  });

  it('leaves out postings of zero: no commission, or a commission of the whole price', () => {
    const noCommission = quoteDeal({ ...request, commissionBps: 0 });
    expect(noCommission.journal.flatMap((entry) => entry.postings).some((posting) => posting.account === 'revenue:commission')).toBe(false);
    const wholeCommission = quoteDeal({ ...request, commissionBps: 10_000 });
    expect(wholeCommission.payoutCents).toBe(0n);
    expect(wholeCommission.journal.map((entry) => entry.kind)).toEqual(['credits_reserved', 'buyer_payment', 'credits_delivered', 'escrow_released']);
  });

  it('agrees with the books of a deal that runs its course', () => {
    const now = at('2026-03-01T00:00:00Z');
    const commands: DealCommand[] = [
      { type: 'OpenDeal', dealId: 'deal-1', listingId: 'listing-1', sellerId: 'seller-1', buyerId: 'buyer-1', brokerId: 'broker-1', currency: 'USD', faceValueCents: 1_000_000n, priceCents: 500_000n, commissionBps: 1_000, creditExpiresAt: at('2026-04-01T00:00:00Z') },
      { type: 'ApproveDeal', dealId: 'deal-1', party: 'seller', termsVersion: 1, approvedBy: 'seller-contact' },
      { type: 'ApproveDeal', dealId: 'deal-1', party: 'buyer', termsVersion: 1, approvedBy: 'buyer-contact' },
      { type: 'ReceiveBuyerPayment', dealId: 'deal-1', amountCents: 500_000n, paymentRef: 'pay-1' },
      { type: 'StartCreditTransfer', dealId: 'deal-1', mechanism: 'organization_membership', reference: 'invite-1' },
      { type: 'ConfirmCreditTransfer', dealId: 'deal-1', confirmedFaceValueCents: 1_000_000n, evidence: { method: 'provider_console', reference: 'screenshot-1' } },
      { type: 'IssueSellerPayout', dealId: 'deal-1', payoutRef: 'payout-1' },
    ];
    let state: DealState = initialDealState;
    const journal: JournalEntry[] = [];
    for (const command of commands) {
      for (const event of decideDeal(state, command, now) as DealEvent[]) {
        journal.push(...dealJournalEntries(state, event));
        state = evolveDeal(state, event);
      }
    }
    expect(state.status).toBe('settled');
    expect(journal).toEqual(quoteDeal(request).journal);
  });

  it('balances every entry of every quote', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_CENTS }), fc.bigInt({ min: 1n, max: MAX_CENTS }), fc.integer({ min: 0, max: 10_000 }), (faceValueCents, priceCents, commissionBps) => {
        const quote = quoteDeal({ ...request, faceValueCents, priceCents, commissionBps });
        expect(quote.commissionCents + quote.payoutCents).toBe(priceCents);
        for (const entry of quote.journal) expect(entry.postings.reduce((sum, posting) => sum + posting.amountCents, 0n)).toBe(0n);
      }),
    );
  });

  it.each([
    ['INVALID_AMOUNT', { faceValueCents: 0n }],
    ['INVALID_AMOUNT', { priceCents: 0n }],
    ['INVALID_COMMISSION_RATE', { commissionBps: 10_001 }],
    ['INVALID_ID', { buyerId: '' }],
    ['INVALID_CURRENCY', { currency: 'dollars' }],
  ] as const)('refuses with %s a field a deal could not be opened with: %p', (code, overrides) => {
    expect(refusalCode(() => quoteDeal({ ...request, ...overrides }))).toBe(code);
  });
});

describe('faceValueDiscountBps', () => {
  it.each([
    [1_000_000n, 500_000n, 5_000],
    [1_000_000n, 1_000_000n, 0],
    [1_000_000n, 1n, 9_999],
    [3n, 2n, 3_333],
    [3n, 1n, 6_666],
    [1_000_000n, 1_000_001n, -1],
    [3n, 4n, -3_334],
    [100n, 300n, -20_000],
  ])('discounts face value %p sold at %p by %p basis points (rounded down)', (faceValueCents, priceCents, expected) => {
    expect(faceValueDiscountBps(faceValueCents, priceCents)).toBe(expected);
  });
});

function refusalCode(act: () => unknown): string | undefined {
  try {
    act();
    return undefined;
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return error.code;
  }
}
