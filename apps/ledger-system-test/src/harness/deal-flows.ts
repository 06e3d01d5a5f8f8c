/**
 * A broker's work as the scenarios drive it: a listing submitted and
 * verified, then deals on it taken through the lifecycle to one of its ends
 * (settled, cancelled before or after payment, rejected, disputed and
 * resolved either way, a failed transfer tried again, a partial delivery).
 * Every command must get the answer the lifecycle promises (201 or 200); any
 * other answer breaks the flow (FlowBroken) and is the scenario's finding.
 *
 * How a command is sent (plainly, with an Idempotency-Key and re-sends,
 * until answered through faults) is the scenario's CommandChannel. What each
 * acknowledged command must have recorded is written down in ExpectedFacts
 * (stream-expectations.ts) and what it moved in the books in a DealRecord,
 * so a scenario can check afterwards that nothing was lost or doubled.
 */
import { type Answer, type CommandAnswerBody, type LedgerClient, json } from './ledger-client.js';
import type { SeededRandom } from './system-test-scale.js';
import type { ExpectedFacts } from './stream-expectations.js';

/** Far enough ahead that no deadline of the default policies falls during a run. */
export const CREDITS_EXPIRE_AT = '2031-06-01T00:00:00.000Z';
export const CURRENCY = 'USD';
/** Commission of every deal: 10 %, so a price in whole dimes splits exactly. */
export const COMMISSION_BPS = 1_000;

/**
 * Every scenario deals between the same few parties, so the books of a whole
 * run keep a few dozen accounts: GET /v1/ledger/accounts answers them all in
 * one page, which is one consistent snapshot (the conservation readers rely
 * on it).
 */
export const SELLERS = 6;
export const BUYERS = 8;

export function randomSeller(random: SeededRandom): string {
  return `seller-${random.integer(0, SELLERS - 1)}`;
}

export function randomBuyer(random: SeededRandom): string {
  return `buyer-${random.integer(0, BUYERS - 1)}`;
}

export interface CommandStep {
  /** What the step is, for reports: `approve seller`. */
  readonly label: string;
  readonly path: string;
  readonly body: unknown;
  /** The status the lifecycle promises. */
  readonly expectedStatus: 200 | 201;
}

/** How a scenario sends a command; answers the final answer. */
export interface CommandChannel {
  send(client: LedgerClient, step: CommandStep): Promise<Answer>;
}

/** A command got another answer than the lifecycle promises. */
export class FlowBroken extends Error {
  override readonly name = 'FlowBroken';

  constructor(
    readonly step: CommandStep,
    readonly answer: Answer,
  ) {
    super(`${step.label} (POST ${step.path}) answered ${answer.status} instead of ${step.expectedStatus}: ${answer.body.slice(0, 300)}`);
  }
}

export type DealEnding =
  | 'settle'
  | 'settle_partial_delivery'
  | 'settle_after_failed_transfer'
  | 'cancel_before_payment'
  | 'cancel_after_payment'
  | 'reject'
  | 'dispute_refund_before_delivery'
  | 'dispute_refund_after_delivery'
  | 'dispute_pay_seller';

/** How often each ending is chosen: mostly settlements, some of everything else. */
const ENDING_WEIGHTS: ReadonlyArray<readonly [DealEnding, number]> = [
  ['settle', 50],
  ['settle_partial_delivery', 6],
  ['settle_after_failed_transfer', 6],
  ['cancel_before_payment', 8],
  ['cancel_after_payment', 8],
  ['reject', 6],
  ['dispute_refund_before_delivery', 5],
  ['dispute_refund_after_delivery', 5],
  ['dispute_pay_seller', 6],
];

export interface DealPlan {
  readonly buyerId: string;
  readonly faceValueCents: bigint;
  readonly priceCents: bigint;
  /** Amend the price before the approvals (terms version 2). */
  readonly amend: boolean;
  /** Pay in two parts. */
  readonly splitPayment: boolean;
  readonly ending: DealEnding;
}

/** What a deal moved, as the client knows it from its acknowledged commands (for the books model). */
export interface DealRecord {
  readonly dealId: string;
  readonly listingId: string;
  readonly sellerId: string;
  readonly buyerId: string;
  /** Reserved at opening (amendments here change the price only). */
  readonly faceValueCents: bigint;
  priceCents: bigint;
  commissionCents: bigint;
  paidCents: bigint;
  refundedBeforeDeliveryCents: bigint;
  refundedAfterDeliveryCents: bigint;
  payoutCents: bigint;
  /** Confirmed face value; null until delivery. */
  deliveredFaceValueCents: bigint | null;
  /** The reservation went back to the listing (rejected, cancelled, refunded before delivery). */
  returned: boolean;
  ended: boolean;
  /** Commands acknowledged for this deal. */
  commands: number;
}

export function randomEnding(random: SeededRandom): DealEnding {
  const total = ENDING_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random.next() * total;
  for (const [ending, weight] of ENDING_WEIGHTS) {
    roll -= weight;
    if (roll < 0) return ending;
  }
  return 'settle';
}

/** A deal of 100,000 to 300,000 cents of face value at 50-70 % of it, in whole dollars. */
export function randomDealPlan(random: SeededRandom, buyerId: string, ending = randomEnding(random)): DealPlan {
  const faceValueCents = BigInt(random.integer(10, 30)) * 10_000n;
  const priceCents = ((faceValueCents * BigInt(random.integer(50, 70))) / 100n / 100n) * 100n;
  return { buyerId, faceValueCents, priceCents, amend: random.chance(0.25), splitPayment: random.chance(0.3), ending };
}

export function commissionOf(priceCents: bigint): bigint {
  return (priceCents * BigInt(COMMISSION_BPS)) / 10_000n;
}

/** One broker's flows, sending through a channel and writing down what each acknowledged command recorded. */
export class BrokerFlows {
  constructor(
    private readonly client: LedgerClient,
    private readonly channel: CommandChannel,
    private readonly facts: ExpectedFacts,
    /** Makes providerOrgRef unique per listing, so duplicates of a submission can be found (`<scenario>-<broker>`). */
    private readonly tag: string,
  ) {}

  private listings = 0;
  /** Commands acknowledged so far (the scenario's command budget). */
  commands = 0;

  /** Submits and verifies a listing of `faceValueCents`; answers its id. */
  async verifiedListing(sellerId: string, faceValueCents: bigint): Promise<string> {
    this.listings += 1;
    const submitted = await this.step({
      label: 'submit listing',
      path: '/v1/listings',
      expectedStatus: 201,
      body: {
        sellerId,
        provider: 'openai',
        creditType: 'prepaid_api',
        providerOrgRef: `org-${this.tag}-${this.listings}`,
        faceValueCents: String(faceValueCents),
        currency: CURRENCY,
        creditExpiresAt: CREDITS_EXPIRE_AT,
        askPriceCents: String((faceValueCents * 6n) / 10n),
      },
    });
    const listingStream = `listing-${submitted.id}`;
    this.facts.expect(listingStream, ['ListingSubmitted'], 'unordered');
    await this.step({
      label: 'verify listing',
      path: `/v1/listings/${submitted.id}/verification`,
      expectedStatus: 200,
      body: {
        verifiedFaceValueCents: String(faceValueCents),
        verifiedExpiresAt: CREDITS_EXPIRE_AT,
        evidence: { method: 'provider_dashboard', reference: `screenshot-${this.tag}-${this.listings}`, checkedAt: '2026-01-01T00:00:00Z' },
      },
    });
    this.facts.expect(listingStream, ['ListingVerified'], 'unordered');
    return submitted.id;
  }

  /** Opens a deal on the listing and takes it to the plan's ending; answers what it moved. */
  async deal(listingId: string, sellerId: string, plan: DealPlan, maxCommands = Number.POSITIVE_INFINITY): Promise<DealRecord> {
    const listingStream = `listing-${listingId}`;
    const opened = await this.step({
      label: 'open deal',
      path: '/v1/deals',
      expectedStatus: 201,
      body: { listingId, buyerId: plan.buyerId, faceValueCents: String(plan.faceValueCents), priceCents: String(plan.priceCents), commissionBps: COMMISSION_BPS },
    });
    this.facts.expect(listingStream, ['ListingReserved'], 'unordered');
    const dealStream = `deal-${opened.id}`;
    this.facts.expect(dealStream, ['DealOpened'], 'ordered');
    const deal: DealRecord = {
      dealId: opened.id,
      listingId,
      sellerId,
      buyerId: plan.buyerId,
      faceValueCents: plan.faceValueCents,
      priceCents: plan.priceCents,
      commissionCents: commissionOf(plan.priceCents),
      paidCents: 0n,
      refundedBeforeDeliveryCents: 0n,
      refundedAfterDeliveryCents: 0n,
      payoutCents: 0n,
      deliveredFaceValueCents: null,
      returned: false,
      ended: false,
      commands: 1,
    };
    const url = `/v1/deals/${opened.id}`;
    const run = async (step: CommandStep, dealFacts: readonly string[], listingFacts: readonly string[] = []): Promise<boolean> => {
      if (deal.commands >= maxCommands) return false;
      await this.step(step);
      deal.commands += 1;
      this.facts.expect(dealStream, dealFacts, 'ordered');
      if (listingFacts.length > 0) this.facts.expect(listingStream, listingFacts, 'unordered');
      return true;
    };
    const refundFacts = (): string[] => (deal.paidCents - deal.refundedBeforeDeliveryCents > 0n ? ['BuyerRefunded'] : []);

    let termsVersion = 1;
    if (plan.amend) {
      const priceCents = plan.priceCents + 1_000n;
      if (!(await run({ label: 'amend terms', path: `${url}/terms`, expectedStatus: 200, body: { priceCents: String(priceCents) } }, ['DealTermsAmended']))) return deal;
      deal.priceCents = priceCents;
      deal.commissionCents = commissionOf(priceCents);
      termsVersion = 2;
    }
    if (plan.ending === 'reject') {
      if (await run({ label: 'reject deal', path: `${url}/rejections`, expectedStatus: 200, body: { party: 'buyer', reason: 'changed their mind' } }, ['DealRejected'], ['ListingReservationReleased'])) {
        deal.returned = true;
        deal.ended = true;
      }
      return deal;
    }
    for (const party of ['seller', 'buyer'] as const) {
      const approve = { label: `approve ${party}`, path: `${url}/approvals`, expectedStatus: 200 as const, body: { party, termsVersion, evidence: { method: 'email', reference: `${party}-ok` } } };
      if (!(await run(approve, ['DealApproved']))) return deal;
    }
    if (plan.ending === 'cancel_before_payment') {
      if (await run({ label: 'cancel deal', path: `${url}/cancellation`, expectedStatus: 200, body: { reason: 'buyer withdrew' } }, ['DealCancelled'], ['ListingReservationReleased'])) {
        deal.returned = true;
        deal.ended = true;
      }
      return deal;
    }
    const parts = plan.splitPayment ? [deal.priceCents / 2n, deal.priceCents - deal.priceCents / 2n] : [deal.priceCents];
    for (const [index, amountCents] of parts.entries()) {
      const pay = { label: 'receive payment', path: `${url}/payments`, expectedStatus: 200 as const, body: { amountCents: String(amountCents), paymentRef: `wire-${opened.id}-${index}` } };
      if (!(await run(pay, ['BuyerPaymentReceived']))) return deal;
      deal.paidCents += amountCents;
    }
    if (plan.ending === 'cancel_after_payment') {
      const facts = ['DealCancelled', ...refundFacts()];
      if (await run({ label: 'cancel deal', path: `${url}/cancellation`, expectedStatus: 200, body: { reason: 'buyer withdrew' } }, facts, ['ListingReservationReleased'])) {
        deal.refundedBeforeDeliveryCents = deal.paidCents;
        deal.returned = true;
        deal.ended = true;
      }
      return deal;
    }
    if (plan.ending === 'dispute_refund_before_delivery') {
      if (!(await run({ label: 'dispute deal', path: `${url}/disputes`, expectedStatus: 200, body: { reason: 'terms contested' } }, ['DealDisputed']))) return deal;
      const facts = ['DisputeResolved', ...refundFacts()];
      if (await run({ label: 'resolve dispute', path: `${url}/disputes/resolution`, expectedStatus: 200, body: { outcome: 'refund_buyer' } }, facts, ['ListingReservationReleased'])) {
        deal.refundedBeforeDeliveryCents = deal.paidCents;
        deal.returned = true;
        deal.ended = true;
      }
      return deal;
    }
    const transfer = { label: 'start transfer', path: `${url}/transfer`, expectedStatus: 200 as const, body: { mechanism: 'organization_membership', reference: `invite-${opened.id}` } };
    if (plan.ending === 'settle_after_failed_transfer') {
      if (!(await run(transfer, ['CreditTransferStarted']))) return deal;
      if (!(await run({ label: 'fail transfer', path: `${url}/transfer/failure`, expectedStatus: 200, body: { reason: 'invite bounced' } }, ['CreditTransferFailed']))) return deal;
    }
    if (!(await run({ ...transfer, body: { mechanism: 'reseller_arrangement', reference: `reseller-${opened.id}` } }, ['CreditTransferStarted']))) return deal;
    const delivered = plan.ending === 'settle_partial_delivery' ? plan.faceValueCents - 10_000n : plan.faceValueCents;
    const confirm = {
      label: 'confirm transfer',
      path: `${url}/transfer/confirmation`,
      expectedStatus: 200 as const,
      body: { confirmedFaceValueCents: String(delivered), evidence: { method: 'provider_console', reference: `member-${opened.id}` } },
    };
    if (!(await run(confirm, ['CreditTransferConfirmed']))) return deal;
    deal.deliveredFaceValueCents = delivered;
    if (plan.ending === 'dispute_refund_after_delivery' || plan.ending === 'dispute_pay_seller') {
      if (!(await run({ label: 'dispute deal', path: `${url}/disputes`, expectedStatus: 200, body: { reason: 'credits short' } }, ['DealDisputed']))) return deal;
      if (plan.ending === 'dispute_refund_after_delivery') {
        if (await run({ label: 'resolve dispute', path: `${url}/disputes/resolution`, expectedStatus: 200, body: { outcome: 'refund_buyer' } }, ['DisputeResolved', 'BuyerRefunded'], ['ListingSold'])) {
          deal.refundedAfterDeliveryCents = deal.paidCents;
          deal.ended = true;
        }
        return deal;
      }
      const resolve = { label: 'resolve dispute', path: `${url}/disputes/resolution`, expectedStatus: 200 as const, body: { outcome: 'pay_seller', payoutRef: `payout-${opened.id}` } };
      if (await run(resolve, ['DisputeResolved', 'SellerPayoutIssued', 'DealSettled'], ['ListingSold'])) {
        deal.payoutCents = deal.priceCents - deal.commissionCents;
        deal.ended = true;
      }
      return deal;
    }
    if (await run({ label: 'pay out', path: `${url}/payout`, expectedStatus: 200, body: { payoutRef: `payout-${opened.id}` } }, ['SellerPayoutIssued', 'DealSettled'], ['ListingSold'])) {
      deal.payoutCents = deal.priceCents - deal.commissionCents;
      deal.ended = true;
    }
    return deal;
  }

  private async step(step: CommandStep): Promise<CommandAnswerBody> {
    const answer = await this.channel.send(this.client, step);
    if (answer.status !== step.expectedStatus) throw new FlowBroken(step, answer);
    this.commands += 1;
    return json<CommandAnswerBody>(answer);
  }
}
