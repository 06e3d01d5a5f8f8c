/**
 * The deadlines a stream holds open (shared/DOMAIN.md, "Expiry enforcement"),
 * as pure functions of its folded state: the deadlines read model stores
 * them, and the deadline enforcer turns each one that fell due into the
 * stream's expiry command. Which deadlines are open follows exactly what the
 * deciders would expire:
 *
 * | kind                      | stream      | open while                                         | expiry command   |
 * |---------------------------|-------------|----------------------------------------------------|------------------|
 * | `listing_matchable_until` | listing     | submitted or available                             | ExpireListing    |
 * | `deal_approval`           | deal        | awaiting approvals (again, after an amendment)     | ExpireDeal       |
 * | `deal_credit_expiry`      | deal        | awaiting approvals, approved, funded, transferring | ExpireDeal       |
 * | `buy_request_deadline`    | buy request | open (again, after a fill was released)            | ExpireBuyRequest |
 *
 * A disputed deal holds no deadline (ExpireDeal refuses it; its resolution
 * decides), nor does a transferred one (its credits were delivered).
 *
 * `deadlineAt` is the instant the stream's facts name. For a listing that is
 * its credit expiry: the listing falls due the expiry margin earlier
 * (matchableUntil), and the margin is configuration (LEDGER_EXPIRY_MARGIN_MS)
 * that the decider applies when it decides, not a fact. Keeping it out of the
 * stored deadline keeps the read model a fold of the log alone: a margin
 * changed between restarts needs no rebuild, and instances never disagree
 * about a row.
 */
import { assertNever, invariant } from '../invariant.js';
import type { BuyRequestState } from '../buy-request/buy-request.state.js';
import type { ExpireBuyRequest } from '../buy-request/buy-request.commands.js';
import type { ExpireDeal } from '../deal/deal.commands.js';
import type { DealState } from '../deal/deal.state.js';
import type { ExpireListing } from '../listing/listing.commands.js';
import { type ListingPolicy, matchableUntil } from '../listing/listing.policy.js';
import type { ListingState } from '../listing/listing.state.js';

export const DEADLINE_KINDS = ['listing_matchable_until', 'deal_approval', 'deal_credit_expiry', 'buy_request_deadline'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export function isDeadlineKind(value: string): value is DeadlineKind {
  return (DEADLINE_KINDS as readonly string[]).includes(value);
}

export interface OpenDeadline {
  readonly kind: DeadlineKind;
  /** The instant the facts name (see the module comment); a listing's falls due the expiry margin earlier. */
  readonly deadlineAt: Date;
}

/** The stream prefix of each kind: the stream id is `<prefix><entity id>`. */
const STREAM_PREFIXES: Readonly<Record<DeadlineKind, string>> = {
  listing_matchable_until: 'listing-',
  deal_approval: 'deal-',
  deal_credit_expiry: 'deal-',
  buy_request_deadline: 'buy-request-',
};

export function listingDeadlines(state: ListingState): OpenDeadline[] {
  switch (state.status) {
    case 'submitted':
    case 'available':
      // The claimed expiry until verification, the verified one after (evolve keeps creditExpiresAt so).
      return [{ kind: 'listing_matchable_until', deadlineAt: state.creditExpiresAt }];
    case 'none':
    case 'sold_out':
    case 'rejected':
    case 'withdrawn':
    case 'expired':
      return [];
    default:
      return assertNever(state);
  }
}

export function dealDeadlines(state: DealState): OpenDeadline[] {
  switch (state.status) {
    case 'awaiting_approvals':
      return [
        { kind: 'deal_approval', deadlineAt: state.approvalDeadline },
        { kind: 'deal_credit_expiry', deadlineAt: state.creditExpiresAt },
      ];
    case 'approved':
    case 'funded':
    case 'transferring':
      return [{ kind: 'deal_credit_expiry', deadlineAt: state.creditExpiresAt }];
    case 'none':
    case 'transferred':
    case 'disputed':
    case 'settled':
    case 'rejected':
    case 'cancelled':
    case 'expired':
      return [];
    default:
      return assertNever(state);
  }
}

export function buyRequestDeadlines(state: BuyRequestState): OpenDeadline[] {
  switch (state.status) {
    case 'open':
      return [{ kind: 'buy_request_deadline', deadlineAt: state.deadline }];
    case 'none':
    case 'filled':
    case 'cancelled':
    case 'expired':
      return [];
    default:
      return assertNever(state);
  }
}

/** How long before its `deadlineAt` a deadline of this kind falls due: the expiry margin for a listing, nothing otherwise. */
export function deadlineLeadMs(kind: DeadlineKind, listingPolicy: ListingPolicy): number {
  return kind === 'listing_matchable_until' ? listingPolicy.expiryMarginMs : 0;
}

/** When the deadline falls due: from then on its expiry command records the expiry. */
export function deadlineDueAt(deadline: OpenDeadline, listingPolicy: ListingPolicy): Date {
  return deadline.kind === 'listing_matchable_until' ? matchableUntil(deadline.deadlineAt, listingPolicy) : deadline.deadlineAt;
}

/**
 * What the expiry facts of a deadline are derived from: the stream, the kind
 * and the instant. Whoever enforces the same deadline, however often, derives
 * the same event ids; a deadline that moved (an amended buy-request deadline)
 * is another deadline with another key.
 */
export function deadlineExpiryKey(streamId: string, deadline: OpenDeadline): string {
  return `${streamId}/${deadline.kind}/${deadline.deadlineAt.toISOString()}`;
}

export type ExpiryCommand = ExpireListing | ExpireDeal | ExpireBuyRequest;

/** The command that records the expiry of a deadline of `kind` on stream `streamId`. */
export function expiryCommandOf(kind: DeadlineKind, streamId: string): ExpiryCommand {
  const prefix = STREAM_PREFIXES[kind];
  invariant(streamId.startsWith(prefix) && streamId.length > prefix.length, `a ${kind} deadline on stream ${streamId}`);
  const id = streamId.slice(prefix.length);
  switch (kind) {
    case 'listing_matchable_until':
      return { type: 'ExpireListing', listingId: id };
    case 'deal_approval':
    case 'deal_credit_expiry':
      return { type: 'ExpireDeal', dealId: id };
    case 'buy_request_deadline':
      return { type: 'ExpireBuyRequest', buyRequestId: id };
    default:
      return assertNever(kind);
  }
}
