/**
 * What `demo` does, decided up front as plain data (no I/O, no clock: `now`
 * and the run id come in), so the progress bar knows its total and a test
 * can tell what the dashboard must show afterwards.
 *
 * A broker's day: listings of every credit type (one fails verification, one
 * is repriced), buy requests (one amended, one cancelled), deals that fill
 * each listing in parts and some of the requests, and every way a deal goes:
 * settled (one after amended terms, one through a dispute resolved for the
 * seller), left at each step of the way, rejected, cancelled after payment
 * (refunded), disputed. Two things expire while the demo runs, with the
 * server's configuration as it is:
 * - a buy request placed with a deadline EXPIRING_REQUEST_DEADLINE_MS ahead
 *   (any server: a request's deadline only has to be ahead when placed);
 * - a listing whose credits expire EXPIRING_LISTING_SLACK_MS after the
 *   default LEDGER_EXPIRY_MARGIN_MS (72 h), so it stops being matchable a
 *   few seconds in. A server with a longer margin refuses it (the demo says
 *   so and goes on); with a shorter one it stays on the market.
 */
import { CREDIT_TYPES, type CreditType } from '#domain';

export const DEFAULT_DEMO_DEALS = 24;
/** Below this, not every way a deal goes fits in; above, one run writes more than a demo needs. */
export const MIN_DEMO_DEALS = 8;
export const MAX_DEMO_DEALS = 2_000;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** LEDGER_EXPIRY_MARGIN_MS's default (libs/domain listing.policy.ts). */
export const DEFAULT_EXPIRY_MARGIN_MS = 72 * HOUR_MS;
/** Long enough to place the request and take no fill; short enough that the enforcer expires it within the demo. */
export const EXPIRING_REQUEST_DEADLINE_MS = 4_000;
/** Long enough to submit and verify the listing before it stops being matchable. */
export const EXPIRING_LISTING_SLACK_MS = 6_000;

/** How a deal of the demo ends up. */
export const DEMO_DEAL_OUTCOMES = [
  'settled',
  'cancelled',
  'disputed',
  'amended_then_settled',
  'rejected',
  'awaiting_approvals',
  'dispute_resolved_for_seller',
  'approved',
  'funded',
  'transferring',
  'transferred',
  'settled',
] as const;
export type DemoDealOutcome = (typeof DEMO_DEAL_OUTCOMES)[number];

/** The deal status each outcome leaves in the read model. */
export const STATUS_OF_OUTCOME: Readonly<Record<DemoDealOutcome, string>> = {
  settled: 'settled',
  amended_then_settled: 'settled',
  dispute_resolved_for_seller: 'settled',
  cancelled: 'cancelled',
  disputed: 'disputed',
  rejected: 'rejected',
  awaiting_approvals: 'awaiting_approvals',
  approved: 'approved',
  funded: 'funded',
  transferring: 'transferring',
  transferred: 'transferred',
};

export const DEMO_BROKERS = ['ana', 'ben', 'chen'] as const;
const SELLERS = ['seller-acme', 'seller-initech', 'seller-umbrella', 'seller-hooli', 'seller-vandelay', 'seller-wonka', 'seller-stark'] as const;
const BUYERS = ['buyer-globex', 'buyer-soylent', 'buyer-tyrell', 'buyer-cyberdyne'] as const;
/** Claimed face values, cents: $6,000 to $80,000. */
const FACE_VALUES_CENTS = [2_500_000n, 4_000_000n, 1_200_000n, 8_000_000n, 600_000n, 3_000_000n, 5_500_000n] as const;
/** Days until the credits expire: every window of the dashboard (7, 30, 90 days) and beyond. */
const EXPIRY_DAYS = [5, 12, 26, 45, 75, 120, 200, 330] as const;
/** Asks, basis points of face value: 40 % to 65 %, as brokers see them. */
const ASK_BPS = [5_000n, 6_000n, 4_500n, 6_500n, 4_000n, 5_500n] as const;
const BPS = 10_000n;
/** Every fourth deal fills a buy request. */
const FILL_EVERY = 4;
/** The price ceiling of the demo's buy requests, above every ask. */
export const REQUEST_MAX_PRICE_BPS = 7_000;
/** The least remaining validity the demo's buy requests ask for, below every listing's. */
export const REQUEST_MIN_VALIDITY_DAYS = 3;

export interface DemoListing {
  readonly key: string;
  /** Index into DEMO_BROKERS: the broker who submits (and so verifies) it. */
  readonly broker: number;
  readonly sellerId: string;
  readonly creditType: CreditType;
  readonly currency: 'USD' | 'EUR';
  readonly faceValueCents: bigint;
  /** What verification confirms: the claim, or a little less. Null: verification fails. */
  readonly verifiedFaceValueCents: bigint | null;
  readonly creditExpiresAt: Date;
  readonly askPriceCents: bigint;
  /** A new ask after verification, or null. */
  readonly repricedAskCents: bigint | null;
}

export interface DemoBuyRequest {
  readonly key: string;
  readonly broker: number;
  readonly buyerId: string;
  readonly creditTypes: readonly CreditType[];
  readonly faceValueCents: bigint;
  readonly deadline: Date;
  /** After placement: raise the face value wanted to this. */
  readonly amendedFaceValueCents: bigint | null;
  readonly cancelled: boolean;
  /** Placed with a deadline seconds away, and left to expire. */
  readonly expires: boolean;
}

export interface DemoDeal {
  readonly broker: number;
  readonly listingKey: string;
  readonly buyerId: string;
  readonly buyRequestKey: string | null;
  readonly faceValueCents: bigint;
  readonly priceCents: bigint;
  readonly commissionBps: number;
  readonly outcome: DemoDealOutcome;
}

export interface DemoPlan {
  readonly runId: string;
  readonly listings: readonly DemoListing[];
  /** Verified at once; stops being matchable a few seconds later under the default margin. */
  readonly expiringListing: DemoListing;
  readonly buyRequests: readonly DemoBuyRequest[];
  readonly deals: readonly DemoDeal[];
}

/** One outcome per deal, the first DEMO_DEAL_OUTCOMES.length covering every way a deal goes. */
export function demoOutcomes(deals: number): DemoDealOutcome[] {
  return Array.from({ length: deals }, (_, index) => DEMO_DEAL_OUTCOMES[index % DEMO_DEAL_OUTCOMES.length]!);
}

/** The deal statuses the demo leaves, counted (what the dashboard's pipeline shows for a run on an empty ledger). */
export function demoStatusCounts(deals: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of demoOutcomes(deals)) counts[STATUS_OF_OUTCOME[outcome]] = (counts[STATUS_OF_OUTCOME[outcome]] ?? 0) + 1;
  return counts;
}

export function planDemo(deals: number, now: Date, runId: string): DemoPlan {
  if (!Number.isInteger(deals) || deals < MIN_DEMO_DEALS || deals > MAX_DEMO_DEALS) {
    throw new RangeError(`deals must be a whole number from ${MIN_DEMO_DEALS} to ${MAX_DEMO_DEALS}, got ${deals}`);
  }
  const at = (offsetMs: number): Date => new Date(now.getTime() + offsetMs);
  // Enough listings that each is filled in a few parts, and at least one of every credit type.
  const listingCount = Math.max(CREDIT_TYPES.length, Math.ceil(deals / 4));
  const listings: DemoListing[] = Array.from({ length: listingCount }, (_, index) => {
    const faceValueCents = FACE_VALUES_CENTS[index % FACE_VALUES_CENTS.length]!;
    // Every third listing is verified at 90 % of its claim: the provider console showed less.
    const verifiedFaceValueCents = index % 3 === 2 ? (faceValueCents * 9n) / 10n : faceValueCents;
    const askPriceCents = (verifiedFaceValueCents * ASK_BPS[index % ASK_BPS.length]!) / BPS;
    return {
      key: `listing-${index}`,
      broker: index % DEMO_BROKERS.length,
      sellerId: SELLERS[index % SELLERS.length]!,
      creditType: CREDIT_TYPES[index % CREDIT_TYPES.length]!,
      currency: index % 7 === 4 ? 'EUR' : 'USD',
      faceValueCents,
      verifiedFaceValueCents,
      creditExpiresAt: at(EXPIRY_DAYS[index % EXPIRY_DAYS.length]! * DAY_MS),
      askPriceCents,
      repricedAskCents: index === 1 ? (askPriceCents * 95n) / 100n : null,
    };
  });
  const unverified: DemoListing = {
    key: 'listing-unverified',
    broker: 0,
    sellerId: 'seller-shady',
    creditType: 'startup_program',
    currency: 'USD',
    faceValueCents: 9_000_000n,
    verifiedFaceValueCents: null,
    creditExpiresAt: at(60 * DAY_MS),
    askPriceCents: 2_000_000n,
    repricedAskCents: null,
  };
  const expiringListing: DemoListing = {
    key: 'listing-expiring',
    broker: 1,
    sellerId: 'seller-lastminute',
    creditType: 'prepaid_api',
    currency: 'USD',
    faceValueCents: 700_000n,
    verifiedFaceValueCents: 700_000n,
    creditExpiresAt: at(DEFAULT_EXPIRY_MARGIN_MS + EXPIRING_LISTING_SLACK_MS),
    askPriceCents: 300_000n,
    repricedAskCents: null,
  };

  const outcomes = demoOutcomes(deals);
  // USD only: a request names no currency, and a deal's price is checked against its ceiling in the listing's.
  const dealListings = listings.filter((listing) => listing.currency === 'USD');
  const dealsPerListing = new Map<string, number>();
  const listingOf = (index: number): DemoListing => dealListings[index % dealListings.length]!;
  outcomes.forEach((_, index) => dealsPerListing.set(listingOf(index).key, (dealsPerListing.get(listingOf(index).key) ?? 0) + 1));

  const fillingRequests = Math.max(2, Math.ceil(deals / (FILL_EVERY * 3)));
  const requestKey = (index: number): string => `request-${index}`;
  const planned: DemoDeal[] = outcomes.map((outcome, index) => {
    const listing = listingOf(index);
    // Each listing is filled in parts, and a part of it stays on the market.
    const share = listing.verifiedFaceValueCents! / BigInt(dealsPerListing.get(listing.key)! + 1);
    const faceValueCents = (share / 100n) * 100n;
    const buyRequest = index % FILL_EVERY === 0 ? (index / FILL_EVERY) % fillingRequests : null;
    return {
      broker: index % DEMO_BROKERS.length,
      listingKey: listing.key,
      buyerId: buyRequest === null ? BUYERS[index % BUYERS.length]! : BUYERS[buyRequest % BUYERS.length]!,
      buyRequestKey: buyRequest === null ? null : requestKey(buyRequest),
      faceValueCents,
      // A little under the ask, pro rata: the broker's margin comes from the commission.
      priceCents: (faceValueCents * ASK_BPS[index % ASK_BPS.length]!) / BPS,
      commissionBps: [800, 1_000, 1_200][index % 3]!,
      outcome,
    };
  });

  const buyRequests: DemoBuyRequest[] = Array.from({ length: fillingRequests }, (_, index) => {
    const fills = planned.filter((deal) => deal.buyRequestKey === requestKey(index)).reduce((sum, deal) => sum + deal.faceValueCents, 0n);
    return {
      key: requestKey(index),
      broker: index % DEMO_BROKERS.length,
      buyerId: BUYERS[index % BUYERS.length]!,
      creditTypes: CREDIT_TYPES,
      // Wants more than the demo fills: it stays open (filled in part), unless amended below.
      faceValueCents: fills + 1_000_000n,
      deadline: at(14 * DAY_MS),
      amendedFaceValueCents: index === 0 ? fills + 2_500_000n : null,
      cancelled: false,
      expires: false,
    };
  });
  buyRequests.push(
    { key: 'request-cancelled', broker: 2, buyerId: 'buyer-soylent', creditTypes: ['chatgpt_seats'], faceValueCents: 1_500_000n, deadline: at(7 * DAY_MS), amendedFaceValueCents: null, cancelled: true, expires: false },
    { key: 'request-expiring', broker: 0, buyerId: 'buyer-tyrell', creditTypes: ['fine_tuning'], faceValueCents: 800_000n, deadline: at(EXPIRING_REQUEST_DEADLINE_MS), amendedFaceValueCents: null, cancelled: false, expires: true },
  );

  return { runId, listings: [...listings, unverified], expiringListing, buyRequests, deals: planned };
}
