/**
 * A limit on everything (TIGER_STYLE). Each one is far above what a real
 * listing or deal needs and keeps a stream, and so a fold, small.
 */

/**
 * Ids of streams and parties. The HTTP edge accepts UUIDs for the ledger's
 * own ids and 1 to 100 characters for parties outside it
 * (apps/ledger-api/src/validation/field-rules.ts); the domain holds both to 100.
 */
export const MAX_ID_LENGTH = 100;

/** Free text a person wrote (reasons, references, evidence): the edge's `IsNote` bound. */
export const MAX_TEXT_LENGTH = 1_000;

/**
 * Deals that may ever reserve one listing (open and closed reservations
 * together). Partial fills rarely number more than a handful.
 */
export const MAX_RESERVATIONS_PER_LISTING = 1_000;

/** Buyer payments into one deal's escrow: instalments, not a payment plan. */
export const MAX_PAYMENTS_PER_DEAL = 100;

/** Terms versions of one deal (the opening terms are version 1). */
export const MAX_TERMS_VERSION = 100;

/** Transfer attempts of one deal: a failed transfer may start again, this often. */
export const MAX_TRANSFER_ATTEMPTS = 10;

/**
 * The earliest and latest instants the domain records. Stored times are ISO
 * 8601 strings with a four-digit year, so later instants could not be read back.
 */
export const EARLIEST_TIME_MS = Date.UTC(2000, 0, 1);
export const LATEST_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Basis points of a whole: commission rates lie in 0..10,000. */
export const MAX_BASIS_POINTS = 10_000;
