import { dealDecider, dealJournalEntries, type DealCommand, type DealState } from '#domain';
import { booksViolations, type Balance } from './books-rules.js';

/**
 * The system test trusts booksViolations to tell sound books from broken
 * ones after every scenario. Here it meets the domain's own posting rules:
 * books built from real deal flows must pass at every step, and each way of
 * breaking them must be named.
 */
const NOW = new Date('2026-11-23T10:00:00.000Z');
const opened = (dealId: string): DealCommand => ({
  type: 'OpenDeal',
  dealId,
  listingId: `listing-of-${dealId}`,
  sellerId: 'seller-acme',
  buyerId: 'buyer-globex',
  brokerId: 'broker-ana',
  currency: 'USD',
  faceValueCents: 200_000n,
  priceCents: 120_000n,
  commissionBps: 1_000,
  creditExpiresAt: new Date('2027-06-01T00:00:00.000Z'),
});
const approved = (dealId: string): DealCommand[] => [
  { type: 'ApproveDeal', dealId, party: 'seller', termsVersion: 1, approvedBy: 'seller-contact' },
  { type: 'ApproveDeal', dealId, party: 'buyer', termsVersion: 1, approvedBy: 'buyer-contact' },
];
const paid = (dealId: string): DealCommand => ({ type: 'ReceiveBuyerPayment', dealId, amountCents: 120_000n, paymentRef: `wire-${dealId}` });

/** Folds the deals' commands through the decider and the journal rules; the balances after every fact. */
function booksAfterEachFact(flows: ReadonlyArray<readonly DealCommand[]>): Balance[][] {
  const balances = new Map<string, Balance>();
  const snapshots: Balance[][] = [];
  for (const commands of flows) {
    let state: DealState = dealDecider.initialState;
    for (const command of commands) {
      for (const event of dealDecider.decide(state, command, NOW)) {
        for (const entry of dealJournalEntries(state, event)) {
          for (const posting of entry.postings) {
            const key = `${posting.account} ${entry.currency}`;
            const before = balances.get(key)?.balanceCents ?? 0n;
            balances.set(key, { account: posting.account, currency: entry.currency, balanceCents: before + posting.amountCents });
          }
        }
        state = dealDecider.evolve(state, event);
        snapshots.push([...balances.values()]);
      }
    }
  }
  return snapshots;
}

describe('booksViolations', () => {
  const flows: DealCommand[][] = [
    // Settled: reserved, paid, delivered in part, paid out.
    [
      opened('d1'),
      ...approved('d1'),
      paid('d1'),
      { type: 'StartCreditTransfer', dealId: 'd1', mechanism: 'organization_membership', reference: 'invite-1' },
      { type: 'ConfirmCreditTransfer', dealId: 'd1', confirmedFaceValueCents: 150_000n, evidence: { method: 'console', reference: 'member' } },
      { type: 'IssueSellerPayout', dealId: 'd1', payoutRef: 'payout-1' },
    ],
    // Cancelled after payment: the credits go back, the buyer is refunded.
    [opened('d2'), ...approved('d2'), paid('d2'), { type: 'CancelDeal', dealId: 'd2', reason: 'buyer walked away' }],
    // Rejected before any money.
    [opened('d3'), { type: 'RejectDeal', dealId: 'd3', party: 'buyer', reason: 'price', rejectedBy: 'buyer-contact' }],
  ];

  it('finds nothing wrong in books built by the domain posting rules, after every fact of settled, cancelled and rejected deals', () => {
    const snapshots = booksAfterEachFact(flows);
    expect(snapshots.length).toBeGreaterThan(10);
    for (const [step, balances] of snapshots.entries()) expect({ step, problems: booksViolations(balances) }).toEqual({ step, problems: [] });
    // The flows did reach the accounts the rules speak of.
    const accounts = new Set(snapshots.at(-1)!.map((balance) => balance.account));
    for (const account of ['cash', 'revenue:commission', 'credits:reserved', 'escrow:buyer:buyer-globex', 'payable:seller:seller-acme', 'credits:delivered:buyer-globex', 'credits:listed:seller-acme']) {
      expect(accounts).toContain(account);
    }
  });

  it('names an account on its forbidden side, a currency that does not sum to zero, and an account it does not know', () => {
    const sound = booksAfterEachFact(flows).at(-1)!;
    const cash = sound.find((balance) => balance.account === 'cash')!;
    const overdrawn = sound.map((balance) => (balance === cash ? { ...balance, balanceCents: -1n } : balance));
    expect(booksViolations(overdrawn)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^cash is -1 USD, on the wrong side/), expect.stringMatching(/^the USD balances sum to -?\d+, not 0$/)]),
    );

    const escrowPositive = [
      { account: 'escrow:buyer:b', currency: 'EUR', balanceCents: 5n },
      { account: 'cash', currency: 'EUR', balanceCents: -5n },
    ];
    expect(booksViolations(escrowPositive)).toEqual([
      expect.stringMatching(/^escrow:buyer:b is 5 EUR, on the wrong side/),
      expect.stringMatching(/^cash is -5 EUR, on the wrong side/),
    ]);

    expect(booksViolations([{ account: 'suspense', currency: 'USD', balanceCents: 0n }])).toEqual(['unknown account suspense (USD)']);
  });
});
