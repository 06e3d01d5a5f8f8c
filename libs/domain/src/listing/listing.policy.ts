/**
 * Configurable listing rules (LEDGER_EXPIRY_MARGIN_MS, shared/API.md).
 */
import { invariant } from '../invariant.js';
import type { ListingState } from './listing.state.js';

export interface ListingPolicy {
  /**
   * A listing stops being matchable this long before its credits expire,
   * so that a matched deal still has time to approve, pay and transfer
   * (shared/DOMAIN.md, "Expiry enforcement": default 72 hours).
   */
  readonly expiryMarginMs: number;
}

const HOUR_MS = 60 * 60 * 1000;

export const DEFAULT_LISTING_POLICY: ListingPolicy = Object.freeze({ expiryMarginMs: 72 * HOUR_MS });

/** A margin of a year would keep almost every credit off the market: a configuration mistake. */
const MAX_EXPIRY_MARGIN_MS = 365 * 24 * HOUR_MS;

export function assertListingPolicy(policy: ListingPolicy): void {
  invariant(
    Number.isSafeInteger(policy.expiryMarginMs) && policy.expiryMarginMs >= 0 && policy.expiryMarginMs <= MAX_EXPIRY_MARGIN_MS,
    `expiryMarginMs must be a whole number of milliseconds from 0 to ${MAX_EXPIRY_MARGIN_MS}, got ${policy.expiryMarginMs}`,
  );
}

/** The first instant at which credits expiring at `creditExpiresAt` are no longer matchable. */
export function matchableUntil(creditExpiresAt: Date, policy: ListingPolicy = DEFAULT_LISTING_POLICY): Date {
  return new Date(creditExpiresAt.getTime() - policy.expiryMarginMs);
}

/** Whether a deal may reserve this listing now: verified, on the market, something left, and not yet expiring. */
export function isListingMatchable(state: ListingState, now: Date, policy: ListingPolicy = DEFAULT_LISTING_POLICY): boolean {
  return state.status === 'available' && state.availableFaceValueCents > 0n && now < matchableUntil(state.creditExpiresAt, policy);
}
