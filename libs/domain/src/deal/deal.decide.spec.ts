import { at, deciderSpec } from '../../../testing/src/given-when-then.js';
import { DomainError } from '../domain-error.js';
import { InvariantViolation } from '../invariant.js';
import { MAX_PAYMENTS_PER_DEAL, MAX_TERMS_VERSION, MAX_TRANSFER_ATTEMPTS } from '../limits.js';
import type {
  AmendDealTerms,
  ApproveDeal,
  CancelDeal,
  ConfirmCreditTransfer,
  DealParty,
  DisputeDeal,
  DisputeOutcome,
  ExpireDeal,
  FailCreditTransfer,
  IssueSellerPayout,
  OpenDeal,
  ReassignDealBroker,
  ReceiveBuyerPayment,
  RejectDeal,
  ResolveDispute,
  StartCreditTransfer,
} from './deal.commands.js';
import { decideDeal } from './deal.decide.js';
import { createDealDecider, dealDecider } from './deal.decider.js';
import type {
  BuyerPaymentReceived,
  BuyerRefunded,
  CreditTransferConfirmed,
  CreditTransferFailed,
  CreditTransferStarted,
  DealApproved,
  DealBrokerReassigned,
  DealCancelled,
  DealDeadline,
  DealDisputed,
  DealEvent,
  DealExpired,
  DealOpened,
  DealRejected,
  DealSettled,
  DealTermsAmended,
  DisputeResolved,
  RefundCause,
  SellerPayoutIssued,
} from './deal.events.js';
import { foldDealEvents } from './deal.evolve.js';

const DEAL_ID = 'deal-1';
const OPENED_AT = at('2026-03-01T00:00:00Z');
const NOW = at('2026-03-01T12:00:00Z');
/** Opening plus the default 48-hour approval window. */
const APPROVAL_DEADLINE = at('2026-03-03T00:00:00Z');
const CREDIT_EXPIRY = at('2026-04-01T00:00:00Z');
const AFTER_APPROVAL_DEADLINE = at('2026-03-05T00:00:00Z');

const spec = deciderSpec(dealDecider);

const dealOpened: DealOpened = {
  type: 'DealOpened',
  data: {
    dealId: DEAL_ID,
    listingId: 'listing-1',
    sellerId: 'seller-1',
    buyerId: 'buyer-1',
    brokerId: 'broker-1',
    currency: 'USD',
    faceValueCents: 1_000_000n,
    priceCents: 500_000n,
    commissionBps: 1_000,
    commissionCents: 50_000n,
    payoutCents: 450_000n,
    termsVersion: 1,
    approvalDeadline: APPROVAL_DEADLINE,
    creditExpiresAt: CREDIT_EXPIRY,
    openedAt: OPENED_AT,
  },
};

function approved(party: DealParty, termsVersion = 1, approvedAt = NOW): DealApproved {
  return { type: 'DealApproved', data: { dealId: DEAL_ID, party, termsVersion, approvedBy: `${party}-contact`, approvedAt } };
}

function termsAmended(termsVersion: number, priceCents: bigint): DealTermsAmended {
  const commissionCents = (priceCents * 1_000n) / 10_000n;
  return {
    type: 'DealTermsAmended',
    data: { dealId: DEAL_ID, termsVersion, faceValueCents: 1_000_000n, priceCents, commissionBps: 1_000, commissionCents, payoutCents: priceCents - commissionCents, amendedAt: NOW },
  };
}

function paymentReceived(amountCents: bigint, paymentRef = 'pay-1', receivedAt = NOW): BuyerPaymentReceived {
  return { type: 'BuyerPaymentReceived', data: { dealId: DEAL_ID, amountCents, paymentRef, receivedAt } };
}

function transferStarted(attempt = 1, startedAt = NOW): CreditTransferStarted {
  return { type: 'CreditTransferStarted', data: { dealId: DEAL_ID, mechanism: 'organization_membership', reference: `invite-${attempt}`, attempt, startedAt } };
}

const TRANSFER_EVIDENCE = { method: 'provider_console', reference: 'screenshot-7' };

function transferConfirmed(confirmedFaceValueCents = 1_000_000n, confirmedAt = NOW): CreditTransferConfirmed {
  return { type: 'CreditTransferConfirmed', data: { dealId: DEAL_ID, confirmedFaceValueCents, evidence: TRANSFER_EVIDENCE, confirmedAt } };
}

const transferFailed: CreditTransferFailed = { type: 'CreditTransferFailed', data: { dealId: DEAL_ID, reason: 'invite bounced', failedAt: NOW } };

function payoutIssued(issuedAt = NOW, payoutRef = 'payout-1'): SellerPayoutIssued {
  return { type: 'SellerPayoutIssued', data: { dealId: DEAL_ID, amountCents: 450_000n, commissionCents: 50_000n, payoutRef, issuedAt } };
}

function dealSettled(settledAt = NOW): DealSettled {
  return { type: 'DealSettled', data: { dealId: DEAL_ID, settledAt } };
}

const dealCancelled: DealCancelled = { type: 'DealCancelled', data: { dealId: DEAL_ID, reason: 'buyer changed plans', cancelledAt: NOW } };

function buyerRefunded(amountCents: bigint, cause: RefundCause, refundedAt = NOW): BuyerRefunded {
  return { type: 'BuyerRefunded', data: { dealId: DEAL_ID, amountCents, cause, refundedAt } };
}

function dealExpired(deadline: DealDeadline, expiredAt: Date): DealExpired {
  return { type: 'DealExpired', data: { dealId: DEAL_ID, deadline, expiredAt } };
}

const dealDisputed: DealDisputed = { type: 'DealDisputed', data: { dealId: DEAL_ID, reason: 'balance smaller than promised', disputedAt: NOW } };

function disputeResolved(outcome: DisputeOutcome): DisputeResolved {
  return { type: 'DisputeResolved', data: { dealId: DEAL_ID, outcome, resolvedAt: NOW } };
}

const dealRejected: DealRejected = { type: 'DealRejected', data: { dealId: DEAL_ID, party: 'buyer', reason: 'price too high', rejectedBy: 'buyer-contact', rejectedAt: NOW } };

const approvedDeal: DealEvent[] = [dealOpened, approved('seller'), approved('buyer')];
const fundedDeal: DealEvent[] = [...approvedDeal, paymentReceived(500_000n)];
const transferringDeal: DealEvent[] = [...fundedDeal, transferStarted()];
const transferredDeal: DealEvent[] = [...transferringDeal, transferConfirmed()];
const settledDeal: DealEvent[] = [...transferredDeal, payoutIssued(), dealSettled()];
const disputedFundedDeal: DealEvent[] = [...fundedDeal, dealDisputed];

function openDeal(overrides: Partial<OpenDeal> = {}): OpenDeal {
  return {
    type: 'OpenDeal',
    dealId: DEAL_ID,
    listingId: 'listing-1',
    sellerId: 'seller-1',
    buyerId: 'buyer-1',
    brokerId: 'broker-1',
    currency: 'USD',
    faceValueCents: 1_000_000n,
    priceCents: 500_000n,
    commissionBps: 1_000,
    creditExpiresAt: CREDIT_EXPIRY,
    ...overrides,
  };
}

function amendTerms(overrides: Partial<AmendDealTerms> = {}): AmendDealTerms {
  return { type: 'AmendDealTerms', dealId: DEAL_ID, priceCents: 450_000n, reservedFaceValueCents: 1_000_000n, ...overrides };
}

function approveDeal(party: DealParty, termsVersion = 1, overrides: Partial<ApproveDeal> = {}): ApproveDeal {
  return { type: 'ApproveDeal', dealId: DEAL_ID, party, termsVersion, approvedBy: `${party}-contact`, ...overrides };
}

function rejectDeal(overrides: Partial<RejectDeal> = {}): RejectDeal {
  return { type: 'RejectDeal', dealId: DEAL_ID, party: 'buyer', reason: 'price too high', rejectedBy: 'buyer-contact', ...overrides };
}

function receivePayment(amountCents: bigint, paymentRef = 'pay-1'): ReceiveBuyerPayment {
  return { type: 'ReceiveBuyerPayment', dealId: DEAL_ID, amountCents, paymentRef };
}

function startTransfer(overrides: Partial<StartCreditTransfer> = {}): StartCreditTransfer {
  return { type: 'StartCreditTransfer', dealId: DEAL_ID, mechanism: 'organization_membership', reference: 'invite-1', ...overrides };
}

function confirmTransfer(confirmedFaceValueCents = 1_000_000n, evidence = TRANSFER_EVIDENCE): ConfirmCreditTransfer {
  return { type: 'ConfirmCreditTransfer', dealId: DEAL_ID, confirmedFaceValueCents, evidence };
}

function failTransfer(reason = 'invite bounced'): FailCreditTransfer {
  return { type: 'FailCreditTransfer', dealId: DEAL_ID, reason };
}

function issuePayout(payoutRef = 'payout-1'): IssueSellerPayout {
  return { type: 'IssueSellerPayout', dealId: DEAL_ID, payoutRef };
}

function cancelDeal(reason = 'buyer changed plans'): CancelDeal {
  return { type: 'CancelDeal', dealId: DEAL_ID, reason };
}

const expireDeal: ExpireDeal = { type: 'ExpireDeal', dealId: DEAL_ID };

function disputeDeal(reason = 'balance smaller than promised'): DisputeDeal {
  return { type: 'DisputeDeal', dealId: DEAL_ID, reason };
}

function resolveDispute(outcome: DisputeOutcome, payoutRef?: string): ResolveDispute {
  return { type: 'ResolveDispute', dealId: DEAL_ID, outcome, ...(payoutRef === undefined ? {} : { payoutRef }) };
}

describe('OpenDeal', () => {
  it('opens the deal with its commission fixed and the approval deadline 48 hours away', () => {
    const state = spec.given().when(openDeal(), OPENED_AT).then(dealOpened);
    expect(state).toMatchObject({ status: 'awaiting_approvals', termsVersion: 1, approvals: {}, paidCents: 0n, reservedFaceValueCents: 1_000_000n });
  });

  it('names the buy request it fills', () => {
    spec
      .given()
      .when(openDeal({ buyRequestId: 'request-1' }), OPENED_AT)
      .then({ ...dealOpened, data: { ...dealOpened.data, buyRequestId: 'request-1' } });
  });

  it('follows the configured approval window', () => {
    deciderSpec(createDealDecider({ approvalWindowMs: 60 * 60 * 1000 }))
      .given()
      .when(openDeal(), OPENED_AT)
      .then({ ...dealOpened, data: { ...dealOpened.data, approvalDeadline: at('2026-03-01T01:00:00Z') } });
  });

  it('refuses a deal that exists', () => {
    spec.given(dealOpened).when(openDeal(), NOW).thenFails('DEAL_ALREADY_EXISTS');
  });

  it('refuses credits that already expired', () => {
    spec.given().when(openDeal(), CREDIT_EXPIRY).thenFails('CREDITS_EXPIRED');
  });

  it.each([
    ['INVALID_ID', { dealId: 'has space' }],
    ['INVALID_ID', { buyRequestId: '' }],
    ['INVALID_CURRENCY', { currency: 'US' }],
    ['INVALID_AMOUNT', { faceValueCents: 0n }],
    ['INVALID_AMOUNT', { priceCents: 10n ** 15n + 1n }],
    ['INVALID_COMMISSION_RATE', { commissionBps: 10_001 }],
    ['INVALID_COMMISSION_RATE', { commissionBps: 12.5 }],
    ['INVALID_TIME', { creditExpiresAt: new Date(Number.NaN) }],
  ] as const)('refuses with %s a command field out of bounds: %p', (code, overrides) => {
    spec.given().when(openDeal(overrides), OPENED_AT).thenFails(code);
  });
});

describe('AmendDealTerms', () => {
  it('raises the terms version, recomputes the commission and voids the approvals', () => {
    const state = spec.given(dealOpened, approved('seller')).when(amendTerms(), NOW).then(termsAmended(2, 450_000n));
    expect(state).toMatchObject({ status: 'awaiting_approvals', termsVersion: 2, approvals: {}, priceCents: 450_000n, commissionCents: 45_000n, payoutCents: 405_000n });
  });

  it('sends an approved deal back to awaiting approvals while nothing is paid', () => {
    const state = spec.given(...approvedDeal).when(amendTerms(), NOW).then(termsAmended(2, 450_000n));
    expect(state.status).toBe('awaiting_approvals');
    expect(state).not.toHaveProperty('approvedAt');
  });

  it('keeps the terms left out', () => {
    spec
      .given(dealOpened)
      .when(amendTerms({ priceCents: undefined, commissionBps: 500, faceValueCents: 900_000n, reservedFaceValueCents: 1_000_000n }), NOW)
      .then({
        type: 'DealTermsAmended',
        data: { dealId: DEAL_ID, termsVersion: 2, faceValueCents: 900_000n, priceCents: 500_000n, commissionBps: 500, commissionCents: 25_000n, payoutCents: 475_000n, amendedAt: NOW },
      });
  });

  it('refuses an unknown deal', () => {
    spec.given().when(amendTerms(), NOW).thenFails('DEAL_NOT_FOUND');
  });

  it('refuses a closed deal', () => {
    spec.given(dealOpened, dealRejected).when(amendTerms(), NOW).thenFails('DEAL_CLOSED');
  });

  it('refuses a closed deal whose reservation the listing already released as closed, not as invalid input', () => {
    spec.given(dealOpened, dealRejected).when(amendTerms({ reservedFaceValueCents: 0n }), NOW).thenFails('DEAL_CLOSED');
  });

  it('refuses any face value of an open deal the listing holds no reservation for', () => {
    spec.given(dealOpened).when(amendTerms({ reservedFaceValueCents: 0n }), NOW).thenFails('DEAL_FACE_VALUE_EXCEEDS_RESERVATION');
  });

  it('refuses a disputed deal', () => {
    spec.given(...approvedDeal, dealDisputed).when(amendTerms(), NOW).thenFails('DEAL_DISPUTED');
  });

  it('refuses once anything is paid', () => {
    spec.given(...approvedDeal, paymentReceived(1n)).when(amendTerms(), NOW).thenFails('DEAL_TERMS_LOCKED');
    spec.given(...fundedDeal).when(amendTerms(), NOW).thenFails('DEAL_TERMS_LOCKED');
  });

  it('refuses after the approval deadline: the new terms could not be approved', () => {
    spec.given(dealOpened).when(amendTerms(), APPROVAL_DEADLINE).thenFails('DEAL_APPROVAL_DEADLINE_PASSED');
  });

  it('refuses a face value beyond the reservation', () => {
    spec.given(dealOpened).when(amendTerms({ faceValueCents: 1_000_001n }), NOW).thenFails('DEAL_FACE_VALUE_EXCEEDS_RESERVATION');
  });

  it('refuses a face value beyond what the deal reserved at opening, whatever the listing reports', () => {
    spec
      .given(dealOpened)
      .when(amendTerms({ faceValueCents: 1_000_001n, reservedFaceValueCents: 2_000_000n }), NOW)
      .thenFails('DEAL_FACE_VALUE_EXCEEDS_RESERVATION');
  });

  it('refuses an amendment that changes nothing', () => {
    spec.given(dealOpened).when(amendTerms({ priceCents: 500_000n }), NOW).thenFails('DEAL_TERMS_UNCHANGED');
  });

  it(`refuses terms version ${MAX_TERMS_VERSION + 1}`, () => {
    const amendments = Array.from({ length: MAX_TERMS_VERSION - 1 }, (_, index) => termsAmended(index + 2, 400_000n + BigInt(index)));
    spec.given(dealOpened, ...amendments).when(amendTerms(), NOW).thenFails('DEAL_AMENDMENT_LIMIT_REACHED');
  });

  it.each([
    ['INVALID_AMOUNT', { priceCents: 0n }],
    ['INVALID_AMOUNT', { faceValueCents: -5n }],
    ['INVALID_COMMISSION_RATE', { commissionBps: -1 }],
  ] as const)('refuses with %s a command field out of bounds: %p', (code, overrides) => {
    spec.given(dealOpened).when(amendTerms(overrides), NOW).thenFails(code);
  });
});

describe('ApproveDeal', () => {
  it('records one party’s approval of the current terms; the deal still awaits the other', () => {
    const state = spec.given(dealOpened).when(approveDeal('seller'), NOW).then(approved('seller'));
    expect(state.status).toBe('awaiting_approvals');
  });

  it('approves the deal once both parties approved the current terms', () => {
    const state = spec.given(dealOpened, approved('seller')).when(approveDeal('buyer'), NOW).then(approved('buyer'));
    expect(state).toMatchObject({ status: 'approved', approvedAt: NOW });
  });

  it('records the evidence of an approval', () => {
    spec
      .given(dealOpened)
      .when(approveDeal('buyer', 1, { evidence: { method: 'email', reference: 'msg-2026-03-01' } }), NOW)
      .then({ ...approved('buyer'), data: { ...approved('buyer').data, evidence: { method: 'email', reference: 'msg-2026-03-01' } } });
  });

  it('approves amended terms under their version', () => {
    const state = spec.given(dealOpened, approved('seller'), termsAmended(2, 450_000n), approved('seller', 2)).when(approveDeal('buyer', 2), NOW).then(approved('buyer', 2));
    expect(state.status).toBe('approved');
  });

  it('refuses an unknown deal', () => {
    spec.given().when(approveDeal('seller'), NOW).thenFails('DEAL_NOT_FOUND');
  });

  it('refuses a closed deal', () => {
    spec.given(dealOpened, dealRejected).when(approveDeal('seller'), NOW).thenFails('DEAL_CLOSED');
  });

  it('refuses a disputed deal', () => {
    spec.given(...approvedDeal, dealDisputed).when(approveDeal('seller'), NOW).thenFails('DEAL_DISPUTED');
  });

  it('refuses a deal past approvals', () => {
    spec.given(...fundedDeal).when(approveDeal('seller'), NOW).thenFails('DEAL_NOT_AWAITING_APPROVALS');
  });

  it('refuses at the approval deadline even when no expiry was recorded', () => {
    spec.given(dealOpened, approved('seller')).when(approveDeal('buyer'), APPROVAL_DEADLINE).thenFails('DEAL_APPROVAL_DEADLINE_PASSED');
  });

  it('refuses an approval of terms that were amended since', () => {
    spec.given(dealOpened, termsAmended(2, 450_000n)).when(approveDeal('buyer', 1), NOW).thenFails('DEAL_TERMS_VERSION_STALE');
  });

  it('refuses a second approval by the same party', () => {
    spec.given(dealOpened, approved('seller')).when(approveDeal('seller'), NOW).thenFails('DEAL_ALREADY_APPROVED_BY_PARTY');
    spec.given(...approvedDeal).when(approveDeal('buyer'), NOW).thenFails('DEAL_ALREADY_APPROVED_BY_PARTY');
  });

  it.each([
    ['INVALID_CHOICE', approveDeal('broker' as DealParty)],
    ['INVALID_ID', approveDeal('seller', 1, { approvedBy: '' })],
    ['INVALID_TEXT', approveDeal('seller', 1, { evidence: { method: '', reference: 'msg-1' } })],
  ] as const)('refuses with %s a command field out of bounds', (code, command) => {
    spec.given(dealOpened).when(command, NOW).thenFails(code);
  });
});

describe('RejectDeal', () => {
  it('closes the deal', () => {
    const state = spec.given(dealOpened, approved('seller')).when(rejectDeal(), NOW).then(dealRejected);
    expect(state).toMatchObject({ status: 'rejected', closedAt: NOW });
  });

  it('refuses an unknown deal', () => {
    spec.given().when(rejectDeal(), NOW).thenFails('DEAL_NOT_FOUND');
  });

  it('refuses a closed deal', () => {
    spec.given(dealOpened, dealRejected).when(rejectDeal(), NOW).thenFails('DEAL_CLOSED');
  });

  it('refuses a disputed deal', () => {
    spec.given(...approvedDeal, dealDisputed).when(rejectDeal(), NOW).thenFails('DEAL_DISPUTED');
  });

  it('refuses once both parties approved: the way out is a cancellation', () => {
    spec.given(...approvedDeal).when(rejectDeal(), NOW).thenFails('DEAL_NOT_AWAITING_APPROVALS');
  });

  it('refuses after the approval deadline: the deal expired', () => {
    spec.given(dealOpened).when(rejectDeal(), APPROVAL_DEADLINE).thenFails('DEAL_APPROVAL_DEADLINE_PASSED');
  });

  it.each([
    ['INVALID_CHOICE', rejectDeal({ party: 'broker' as DealParty })],
    ['INVALID_TEXT', rejectDeal({ reason: '' })],
    ['INVALID_ID', rejectDeal({ rejectedBy: '' })],
  ] as const)('refuses with %s a command field out of bounds', (code, command) => {
    spec.given(dealOpened).when(command, NOW).thenFails(code);
  });
});

describe('ReceiveBuyerPayment', () => {
  it('records a part payment; the deal stays approved', () => {
    const state = spec.given(...approvedDeal).when(receivePayment(200_000n), NOW).then(paymentReceived(200_000n));
    expect(state).toMatchObject({ status: 'approved', paidCents: 200_000n });
  });

  it('funds the deal when payments add up to the price', () => {
    const state = spec.given(...approvedDeal, paymentReceived(200_000n)).when(receivePayment(300_000n, 'pay-2'), NOW).then(paymentReceived(300_000n, 'pay-2'));
    expect(state).toMatchObject({ status: 'funded', paidCents: 500_000n, fundedAt: NOW });
  });

  it('records nothing for a payment reference already recorded with the same amount', () => {
    spec.given(...fundedDeal).when(receivePayment(500_000n), NOW).then();
  });

  it('refuses a payment reference already recorded with another amount', () => {
    spec.given(...approvedDeal, paymentReceived(200_000n)).when(receivePayment(300_000n), NOW).thenFails('PAYMENT_REF_REUSED');
  });

  it('refuses an unknown deal', () => {
    spec.given().when(receivePayment(1n), NOW).thenFails('DEAL_NOT_FOUND');
  });

  it('refuses a closed deal', () => {
    spec.given(...approvedDeal, dealCancelled).when(receivePayment(1n), NOW).thenFails('DEAL_CLOSED');
  });

  it('refuses a disputed deal', () => {
    spec.given(...approvedDeal, dealDisputed).when(receivePayment(1n), NOW).thenFails('DEAL_DISPUTED');
  });

  it('refuses before both approvals', () => {
    spec.given(dealOpened, approved('seller')).when(receivePayment(1n), NOW).thenFails('DEAL_NOT_APPROVED');
  });

  it('refuses when an amendment voided the approvals', () => {
    spec.given(...approvedDeal, termsAmended(2, 450_000n), approved('seller', 2)).when(receivePayment(1n), NOW).thenFails('DEAL_NOT_APPROVED');
  });

  it('refuses more than the rest of the price', () => {
    spec.given(...approvedDeal, paymentReceived(200_000n)).when(receivePayment(300_001n, 'pay-2'), NOW).thenFails('PAYMENT_EXCEEDS_PRICE');
    spec.given(...fundedDeal).when(receivePayment(1n, 'pay-2'), NOW).thenFails('PAYMENT_EXCEEDS_PRICE');
  });

  it('refuses at the credit expiry', () => {
    spec.given(...approvedDeal).when(receivePayment(1n), CREDIT_EXPIRY).thenFails('CREDITS_EXPIRED');
  });

  it(`refuses payment number ${MAX_PAYMENTS_PER_DEAL + 1}`, () => {
    const payments = Array.from({ length: MAX_PAYMENTS_PER_DEAL }, (_, index) => paymentReceived(1n, `pay-${index}`));
    spec.given(...approvedDeal, ...payments).when(receivePayment(1n, 'pay-last'), NOW).thenFails('DEAL_PAYMENT_LIMIT_REACHED');
  });

  it.each([
    ['INVALID_AMOUNT', receivePayment(0n)],
    ['INVALID_TEXT', receivePayment(1n, '')],
  ] as const)('refuses with %s a command field out of bounds', (code, command) => {
    spec.given(...approvedDeal).when(command, NOW).thenFails(code);
  });
});

describe('StartCreditTransfer', () => {
  it('starts a transfer of a funded deal', () => {
    const state = spec.given(...fundedDeal).when(startTransfer(), NOW).then(transferStarted());
    expect(state).toMatchObject({ status: 'transferring', transferAttempts: 1 });
  });

  it('starts again after a failed transfer', () => {
    spec.given(...transferringDeal, transferFailed).when(startTransfer({ reference: 'invite-2' }), NOW).then(transferStarted(2));
  });

  it('refuses an unknown deal', () => {
    spec.given().when(startTransfer(), NOW).thenFails('DEAL_NOT_FOUND');
  });

  it('refuses a closed deal', () => {
    spec.given(...fundedDeal, dealCancelled).when(startTransfer(), NOW).thenFails('DEAL_CLOSED');
  });

  it('refuses a disputed deal', () => {
    spec.given(...disputedFundedDeal).when(startTransfer(), NOW).thenFails('DEAL_DISPUTED');
  });

  it('refuses before the whole price is paid', () => {
    spec.given(dealOpened).when(startTransfer(), NOW).thenFails('DEAL_NOT_FUNDED');
    spec.given(...approvedDeal, paymentReceived(499_999n)).when(startTransfer(), NOW).thenFails('DEAL_NOT_FUNDED');
  });

  it('refuses a second transfer under way or done', () => {
    spec.given(...transferringDeal).when(startTransfer(), NOW).thenFails('TRANSFER_ALREADY_STARTED');
    spec.given(...transferredDeal).when(startTransfer(), NOW).thenFails('TRANSFER_ALREADY_STARTED');
  });

  it('refuses at the credit expiry', () => {
    spec.given(...fundedDeal).when(startTransfer(), CREDIT_EXPIRY).thenFails('CREDITS_EXPIRED');
  });

  it(`refuses transfer attempt ${MAX_TRANSFER_ATTEMPTS + 1}`, () => {
    const attempts = Array.from({ length: MAX_TRANSFER_ATTEMPTS }, (_, index) => [transferStarted(index + 1), transferFailed]).flat();
    spec.given(...fundedDeal, ...attempts).when(startTransfer(), NOW).thenFails('DEAL_TRANSFER_ATTEMPT_LIMIT_REACHED');
  });

  it.each([
    ['INVALID_CHOICE', startTransfer({ mechanism: 'gift_card' as StartCreditTransfer['mechanism'] })],
    ['INVALID_TEXT', startTransfer({ reference: '' })],
  ] as const)('refuses with %s a command field out of bounds', (code, command) => {
    spec.given(...fundedDeal).when(command, NOW).thenFails(code);
  });
});

describe('ConfirmCreditTransfer', () => {
  it('records the delivered face value', () => {
    const state = spec.given(...transferringDeal).when(confirmTransfer(), NOW).then(transferConfirmed());
    expect(state).toMatchObject({ status: 'transferred', confirmedFaceValueCents: 1_000_000n, transferredAt: NOW });
  });

  it('records a face value short of the deal’s', () => {
    spec.given(...transferringDeal).when(confirmTransfer(900_000n), NOW).then(transferConfirmed(900_000n));
  });

  it('refuses an unknown deal', () => {
    spec.given().when(confirmTransfer(), NOW).thenFails('DEAL_NOT_FOUND');
  });

  it('refuses a closed deal', () => {
    spec.given(...settledDeal).when(confirmTransfer(), NOW).thenFails('DEAL_CLOSED');
  });

  it('refuses a disputed deal', () => {
    spec.given(...transferringDeal, dealDisputed).when(confirmTransfer(), NOW).thenFails('DEAL_DISPUTED');
  });

  it('refuses without a transfer under way', () => {
    spec.given(...fundedDeal).when(confirmTransfer(), NOW).thenFails('TRANSFER_NOT_STARTED');
  });

  it('refuses a second confirmation', () => {
    spec.given(...transferredDeal).when(confirmTransfer(), NOW).thenFails('TRANSFER_ALREADY_CONFIRMED');
  });

  it('refuses at the credit expiry: credits that expired on the way were not delivered', () => {
    spec.given(...transferringDeal).when(confirmTransfer(), CREDIT_EXPIRY).thenFails('CREDITS_EXPIRED');
  });

  it('refuses more face value than the deal’s', () => {
    spec.given(...transferringDeal).when(confirmTransfer(1_000_001n), NOW).thenFails('TRANSFER_EXCEEDS_FACE_VALUE');
  });

  it.each([
    ['INVALID_AMOUNT', confirmTransfer(0n)],
    ['INVALID_TEXT', confirmTransfer(1n, { method: 'provider_console', reference: ' ' })],
  ] as const)('refuses with %s a command field out of bounds', (code, command) => {
    spec.given(...transferringDeal).when(command, NOW).thenFails(code);
  });
});

describe('FailCreditTransfer', () => {
  it('returns the deal to funded', () => {
    const state = spec.given(...transferringDeal).when(failTransfer(), NOW).then(transferFailed);
    expect(state).toMatchObject({ status: 'funded', lastTransferFailure: { reason: 'invite bounced', failedAt: NOW } });
  });

  it('refuses an unknown deal', () => {
    spec.given().when(failTransfer(), NOW).thenFails('DEAL_NOT_FOUND');
  });

  it('refuses a closed deal', () => {
    spec.given(...settledDeal).when(failTransfer(), NOW).thenFails('DEAL_CLOSED');
  });

  it('refuses a disputed deal', () => {
    spec.given(...transferringDeal, dealDisputed).when(failTransfer(), NOW).thenFails('DEAL_DISPUTED');
  });

  it('refuses without a transfer under way', () => {
    spec.given(...fundedDeal).when(failTransfer(), NOW).thenFails('TRANSFER_NOT_STARTED');
  });

  it('refuses a confirmed transfer', () => {
    spec.given(...transferredDeal).when(failTransfer(), NOW).thenFails('TRANSFER_ALREADY_CONFIRMED');
  });

  it('refuses an empty reason', () => {
    spec.given(...transferringDeal).when(failTransfer(''), NOW).thenFails('INVALID_TEXT');
  });
});

describe('IssueSellerPayout', () => {
  it('pays the seller the price minus the commission, then settles', () => {
    const state = spec.given(...transferredDeal).when(issuePayout(), NOW).then(payoutIssued(), dealSettled());
    expect(state).toMatchObject({ status: 'settled', paidOutCents: 450_000n, closedAt: NOW });
  });

  it('pays out after the credit expiry: the credits were delivered before it', () => {
    const later = at('2026-04-02T00:00:00Z');
    spec.given(...transferredDeal).when(issuePayout(), later).then(payoutIssued(later), dealSettled(later));
  });

  it('refuses an unknown deal', () => {
    spec.given().when(issuePayout(), NOW).thenFails('DEAL_NOT_FOUND');
  });

  it('refuses a settled deal', () => {
    spec.given(...settledDeal).when(issuePayout('payout-2'), NOW).thenFails('DEAL_CLOSED');
  });

  it('refuses a disputed deal', () => {
    spec.given(...transferredDeal, dealDisputed).when(issuePayout(), NOW).thenFails('DEAL_DISPUTED');
  });

  it('refuses before a confirmed transfer', () => {
    spec.given(...transferringDeal).when(issuePayout(), NOW).thenFails('TRANSFER_NOT_CONFIRMED');
    spec.given(...approvedDeal).when(issuePayout(), NOW).thenFails('TRANSFER_NOT_CONFIRMED');
  });

  it('refuses an empty payout reference', () => {
    spec.given(...transferredDeal).when(issuePayout(''), NOW).thenFails('INVALID_TEXT');
  });
});

describe('CancelDeal', () => {
  it('cancels before anything is paid, refunding nothing', () => {
    const state = spec.given(dealOpened).when(cancelDeal(), NOW).then(dealCancelled);
    expect(state).toMatchObject({ status: 'cancelled', cancellationReason: 'buyer changed plans' });
  });

  it('refunds what was paid, part payments included', () => {
    const state = spec.given(...approvedDeal, paymentReceived(200_000n)).when(cancelDeal(), NOW).then(dealCancelled, buyerRefunded(200_000n, 'deal_cancelled'));
    expect(state).toMatchObject({ status: 'cancelled', paidCents: 200_000n, refundedCents: 200_000n });
  });

  it('refunds a funded deal (also after a failed transfer)', () => {
    spec.given(...transferringDeal, transferFailed).when(cancelDeal(), NOW).then(dealCancelled, buyerRefunded(500_000n, 'deal_cancelled'));
  });

  it('refuses an unknown deal', () => {
    spec.given().when(cancelDeal(), NOW).thenFails('DEAL_NOT_FOUND');
  });

  it('refuses a closed deal', () => {
    spec.given(dealOpened, dealCancelled).when(cancelDeal(), NOW).thenFails('DEAL_CLOSED');
  });

  it('refuses a disputed deal', () => {
    spec.given(...disputedFundedDeal).when(cancelDeal(), NOW).thenFails('DEAL_DISPUTED');
  });

  it('refuses while a transfer is under way', () => {
    spec.given(...transferringDeal).when(cancelDeal(), NOW).thenFails('TRANSFER_IN_PROGRESS');
  });

  it('refuses after the credits were delivered', () => {
    spec.given(...transferredDeal).when(cancelDeal(), NOW).thenFails('TRANSFER_ALREADY_CONFIRMED');
  });

  it('refuses an empty reason', () => {
    spec.given(dealOpened).when(cancelDeal(''), NOW).thenFails('INVALID_TEXT');
  });
});

describe('ExpireDeal', () => {
  it('expires a deal not approved by both parties at its approval deadline', () => {
    const state = spec.given(dealOpened, approved('seller')).when(expireDeal, APPROVAL_DEADLINE).then(dealExpired('approval', APPROVAL_DEADLINE));
    expect(state).toMatchObject({ status: 'expired', expiredDeadline: 'approval', closedAt: APPROVAL_DEADLINE });
  });

  it('expires a funded deal at the credit expiry and refunds the buyer', () => {
    spec.given(...fundedDeal).when(expireDeal, CREDIT_EXPIRY).then(dealExpired('credit_expiry', CREDIT_EXPIRY), buyerRefunded(500_000n, 'deal_expired', CREDIT_EXPIRY));
  });

  it('expires a deal whose transfer is not confirmed before the credit expiry, and refunds the buyer', () => {
    spec.given(...transferringDeal).when(expireDeal, CREDIT_EXPIRY).then(dealExpired('credit_expiry', CREDIT_EXPIRY), buyerRefunded(500_000n, 'deal_expired', CREDIT_EXPIRY));
  });

  it('names the deadline that passed first', () => {
    spec.given(dealOpened).when(expireDeal, CREDIT_EXPIRY).then(dealExpired('approval', CREDIT_EXPIRY));
  });

  it('records nothing for a deal already expired (the worker may run again)', () => {
    spec.given(dealOpened, dealExpired('approval', APPROVAL_DEADLINE)).when(expireDeal, CREDIT_EXPIRY).then();
  });

  it('refuses an unknown deal', () => {
    spec.given().when(expireDeal, APPROVAL_DEADLINE).thenFails('DEAL_NOT_FOUND');
  });

  it('refuses a closed deal', () => {
    spec.given(...settledDeal).when(expireDeal, CREDIT_EXPIRY).thenFails('DEAL_CLOSED');
  });

  it('refuses a disputed deal: a resolution decides it', () => {
    spec.given(...disputedFundedDeal).when(expireDeal, CREDIT_EXPIRY).thenFails('DEAL_DISPUTED');
  });

  it('refuses a deal whose credits were delivered', () => {
    spec.given(...transferredDeal).when(expireDeal, CREDIT_EXPIRY).thenFails('TRANSFER_ALREADY_CONFIRMED');
  });

  it('refuses before a deadline has passed', () => {
    spec.given(dealOpened).when(expireDeal, at('2026-03-02T23:59:59.999Z')).thenFails('DEAL_DEADLINE_NOT_REACHED');
    spec.given(...approvedDeal).when(expireDeal, AFTER_APPROVAL_DEADLINE).thenFails('DEAL_DEADLINE_NOT_REACHED');
  });
});

describe('DisputeDeal', () => {
  it('puts an approved deal under dispute', () => {
    const state = spec.given(...fundedDeal).when(disputeDeal(), NOW).then(dealDisputed);
    expect(state).toMatchObject({ status: 'disputed', dispute: { disputedFrom: 'funded', reason: 'balance smaller than promised' } });
  });

  it('refuses an unknown deal', () => {
    spec.given().when(disputeDeal(), NOW).thenFails('DEAL_NOT_FOUND');
  });

  it('refuses a closed deal', () => {
    spec.given(...settledDeal).when(disputeDeal(), NOW).thenFails('DEAL_CLOSED');
  });

  it('refuses a deal already disputed', () => {
    spec.given(...disputedFundedDeal).when(disputeDeal(), NOW).thenFails('DEAL_DISPUTED');
  });

  it('refuses a deal still awaiting approvals: a party rejects instead', () => {
    spec.given(dealOpened).when(disputeDeal(), NOW).thenFails('DEAL_NOT_APPROVED');
  });

  it('refuses an empty reason', () => {
    spec.given(...fundedDeal).when(disputeDeal(''), NOW).thenFails('INVALID_TEXT');
  });
});

describe('ResolveDispute', () => {
  it('refunds the buyer and cancels the deal', () => {
    const state = spec.given(...disputedFundedDeal).when(resolveDispute('refund_buyer'), NOW).then(disputeResolved('refund_buyer'), buyerRefunded(500_000n, 'dispute_resolved'));
    expect(state).toMatchObject({ status: 'cancelled', refundedCents: 500_000n, dispute: { resolution: { outcome: 'refund_buyer' } } });
  });

  it('refunds nothing when nothing was paid', () => {
    spec.given(...approvedDeal, dealDisputed).when(resolveDispute('refund_buyer'), NOW).then(disputeResolved('refund_buyer'));
  });

  it('refunds the buyer even after delivery when the broker decides so', () => {
    spec.given(...transferredDeal, dealDisputed).when(resolveDispute('refund_buyer'), NOW).then(disputeResolved('refund_buyer'), buyerRefunded(500_000n, 'dispute_resolved'));
  });

  it('puts a deal disputed after delivery back to transferred when no payout reference is given', () => {
    const state = spec.given(...transferredDeal, dealDisputed).when(resolveDispute('pay_seller'), NOW).then(disputeResolved('pay_seller'));
    expect(state).toMatchObject({ status: 'transferred', dispute: { resolution: { outcome: 'pay_seller' } } });
    spec.given(...transferredDeal, dealDisputed, disputeResolved('pay_seller')).when(issuePayout(), NOW).then(payoutIssued(), dealSettled());
  });

  it('pays the seller out and settles a deal disputed after delivery', () => {
    const state = spec
      .given(...transferredDeal, dealDisputed)
      .when(resolveDispute('pay_seller', 'payout-1'), NOW)
      .then(disputeResolved('pay_seller'), payoutIssued(), dealSettled());
    expect(state).toMatchObject({ status: 'settled', paidOutCents: 450_000n });
  });

  it('refuses an unknown deal', () => {
    spec.given().when(resolveDispute('refund_buyer'), NOW).thenFails('DEAL_NOT_FOUND');
  });

  it('refuses a closed deal', () => {
    spec.given(...disputedFundedDeal, disputeResolved('refund_buyer'), buyerRefunded(500_000n, 'dispute_resolved')).when(resolveDispute('refund_buyer'), NOW).thenFails('DEAL_CLOSED');
  });

  it('refuses a deal that is not disputed', () => {
    spec.given(...fundedDeal).when(resolveDispute('refund_buyer'), NOW).thenFails('DEAL_NOT_DISPUTED');
  });

  it('refuses to pay the seller without a confirmed transfer', () => {
    spec.given(...disputedFundedDeal).when(resolveDispute('pay_seller', 'payout-1'), NOW).thenFails('TRANSFER_NOT_CONFIRMED');
  });

  it.each([
    ['INVALID_CHOICE', resolveDispute('split' as DisputeOutcome)],
    ['INVALID_TEXT', resolveDispute('pay_seller', '')],
  ] as const)('refuses with %s a command field out of bounds', (code, command) => {
    spec.given(...transferredDeal, dealDisputed).when(command, NOW).thenFails(code);
  });
});

describe('ReassignDealBroker', () => {
  const reassign = (brokerId = 'broker-2'): ReassignDealBroker => ({ type: 'ReassignDealBroker', dealId: DEAL_ID, brokerId });
  const reassigned = (fromBrokerId: string, toBrokerId: string, reassignedAt = NOW): DealBrokerReassigned => ({
    type: 'DealBrokerReassigned',
    data: { dealId: DEAL_ID, fromBrokerId, toBrokerId, reassignedAt },
  });

  it('hands a deal awaiting approvals to another broker, and changes nothing else', () => {
    const state = spec.given(dealOpened).when(reassign(), NOW).then(reassigned('broker-1', 'broker-2'));
    expect(state).toEqual({ ...foldDealEvents([dealOpened]), brokerId: 'broker-2' });
  });

  it('hands over a deal under way, and a disputed one (a dispute may be why)', () => {
    spec.given(...transferringDeal).when(reassign(), NOW).then(reassigned('broker-1', 'broker-2'));
    const state = spec.given(...disputedFundedDeal).when(reassign(), NOW).then(reassigned('broker-1', 'broker-2'));
    expect(state).toMatchObject({ status: 'disputed', brokerId: 'broker-2' });
  });

  it('hands a deal on again, and back', () => {
    spec.given(dealOpened, reassigned('broker-1', 'broker-2')).when(reassign('broker-1'), NOW).then(reassigned('broker-2', 'broker-1'));
  });

  it('refuses the broker the deal already has', () => {
    spec.given(dealOpened).when(reassign('broker-1'), NOW).thenFails('DEAL_BROKER_UNCHANGED');
    spec.given(dealOpened, reassigned('broker-1', 'broker-2')).when(reassign('broker-2'), NOW).thenFails('DEAL_BROKER_UNCHANGED');
  });

  it.each([
    ['settled', settledDeal],
    ['rejected', [dealOpened, dealRejected]],
    ['cancelled', [dealOpened, dealCancelled]],
    ['expired', [dealOpened, dealExpired('approval', AFTER_APPROVAL_DEADLINE)]],
  ] as const)('refuses a %s deal: it keeps the broker that closed it', (_status, history) => {
    spec.given(...history).when(reassign(), NOW).thenFails('DEAL_CLOSED');
  });

  it('refuses an unknown deal', () => {
    spec.given().when(reassign(), NOW).thenFails('DEAL_NOT_FOUND');
  });

  it.each(['', 'has spaces', 'x'.repeat(101)])('refuses with INVALID_ID a broker id out of bounds (%j)', (brokerId) => {
    spec.given(dealOpened).when(reassign(brokerId), NOW).thenFails('INVALID_ID');
  });

  it('crashes when folding a reassignment from a broker that did not have the deal', () => {
    expect(() => foldDealEvents([dealOpened, reassigned('broker-9', 'broker-2')])).toThrow(InvariantViolation);
    expect(() => foldDealEvents([...settledDeal, reassigned('broker-1', 'broker-2')])).toThrow(InvariantViolation);
  });
});

describe('programmer errors', () => {
  it('crash with an assertion, not a DomainError, when a command meets another deal’s state', () => {
    const decide = () => decideDeal(foldDealEvents([dealOpened]), { ...cancelDeal(), dealId: 'deal-2' }, NOW);
    expect(decide).toThrow(InvariantViolation);
    expect(decide).not.toThrow(DomainError);
  });

  it('crash when the policy is nonsense', () => {
    expect(() => decideDeal(foldDealEvents([]), openDeal(), NOW, { approvalWindowMs: 0 })).toThrow(InvariantViolation);
  });

  it('crash when folding a history decide could not have produced', () => {
    expect(() => foldDealEvents([dealOpened, paymentReceived(1n)])).toThrow(InvariantViolation);
    expect(() => foldDealEvents([...approvedDeal, paymentReceived(500_001n)])).toThrow(InvariantViolation);
    expect(() => foldDealEvents([...fundedDeal, payoutIssued()])).toThrow(InvariantViolation);
  });
});
