import { buyRequestDecider, createDealDecider, createListingDecider, type BuyRequestDecider, type DealDecider, type ListingDecider } from '#domain';

/** Injection tokens of the command side. */
export const LEDGER_DECIDERS = Symbol('LEDGER_DECIDERS');
export const LEDGER_CLOCK = Symbol('LEDGER_CLOCK');

/** The clock every decision reads: injected, so tests and replays control time. */
export type Clock = () => Date;

export interface LedgerDeciders {
  readonly listing: ListingDecider;
  readonly deal: DealDecider;
  readonly buyRequest: BuyRequestDecider;
}

export interface LedgerPolicySettings {
  /** LEDGER_EXPIRY_MARGIN_MS: how long before credit expiry a listing stops being matchable. */
  readonly expiryMarginMs: number;
  /** LEDGER_APPROVAL_WINDOW_MS: how long both parties have to approve a new deal. */
  readonly approvalWindowMs: number;
}

export function createLedgerDeciders(settings: LedgerPolicySettings): LedgerDeciders {
  return {
    listing: createListingDecider({ expiryMarginMs: settings.expiryMarginMs }),
    deal: createDealDecider({ approvalWindowMs: settings.approvalWindowMs }),
    buyRequest: buyRequestDecider,
  };
}
