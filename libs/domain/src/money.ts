/**
 * Money is an integer number of minor units (cents) of one currency, a
 * `bigint` in code and a decimal string in JSON and events. Never a float.
 */
export type Cents = bigint;

/** 10,000 basis points make the whole. */
export const BASIS_POINTS_PER_WHOLE = 10_000n;
/**
 * The largest amount the ledger accepts: 10^15 cents (ten trillion in major
 * units). Far above any credit deal, and a sum of many such amounts stays
 * exact in PostgreSQL's bigint.
 */
export const MAX_CENTS = 10n ** 15n;

const CENTS_TEXT = /^(0|[1-9][0-9]{0,15})$/;

export class InvalidAmountError extends Error {
  readonly code = 'INVALID_AMOUNT';
  constructor(readonly text: string) {
    super(`not an amount of cents: "${text}" (a whole number from 0 to ${MAX_CENTS}, as a decimal string)`);
    this.name = 'InvalidAmountError';
  }
}

/** Parses the decimal-string form; refuses signs, fractions, exponents, leading zeros and amounts above MAX_CENTS. */
export function parseCents(text: string): Cents {
  if (!CENTS_TEXT.test(text)) throw new InvalidAmountError(text);
  const cents = BigInt(text);
  if (cents > MAX_CENTS) throw new InvalidAmountError(text);
  return cents;
}

export function formatCents(cents: Cents): string {
  return cents.toString();
}

/** Commission is floor(price x bps / 10,000), so commission + payout is exactly the price. */
export function commissionCents(priceCents: Cents, commissionBps: number): Cents {
  if (!Number.isInteger(commissionBps) || commissionBps < 0 || commissionBps > 10_000) {
    throw new RangeError(`commissionBps must be a whole number from 0 to 10000, got ${commissionBps}`);
  }
  if (priceCents < 0n) throw new RangeError(`price must not be negative, got ${priceCents}`);
  return (priceCents * BigInt(commissionBps)) / BASIS_POINTS_PER_WHOLE;
}

export function payoutCents(priceCents: Cents, commissionBps: number): Cents {
  return priceCents - commissionCents(priceCents, commissionBps);
}
