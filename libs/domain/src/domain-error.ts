/**
 * Business rejections: a command the rules refuse. Each carries a stable
 * upper-case code that clients may rely on (shared/API.md, "Errors"); the
 * HTTP edge maps every code to 409 except the *_NOT_FOUND ones (404) and the
 * NOT_*_OWNER ones (403: the actor may not manage what another broker opened).
 *
 * Broken invariants are not DomainErrors: they are plain assertion Errors
 * (see invariant.ts) and crash, because they mean the code is wrong, not the
 * request.
 */
export const DOMAIN_ERROR_CODES = [
  // Command fields the rules refuse whatever the state (the edge validates
  // them first; the domain refuses them again so that no bad fact is written).
  'INVALID_AMOUNT',
  'INVALID_COMMISSION_RATE',
  'INVALID_CURRENCY',
  'INVALID_PROVIDER',
  'INVALID_CREDIT_TYPE',
  'INVALID_ID',
  'INVALID_TEXT',
  'INVALID_TIME',
  'INVALID_CHOICE',
  'INVALID_PRICE_CEILING',
  'INVALID_DURATION',
  'INVALID_AMENDMENT',

  // Listings.
  'LISTING_ALREADY_EXISTS',
  'LISTING_NOT_FOUND',
  /** Verify, record a failed verification, reprice or withdraw: only the broker who submitted the listing, or an admin (listing.access.ts). */
  'NOT_LISTING_OWNER',
  'LISTING_NOT_SUBMITTED',
  'LISTING_ALREADY_VERIFIED',
  'LISTING_VERIFIED_FACE_VALUE_EXCEEDS_CLAIM',
  'LISTING_NOT_VERIFIED',
  'LISTING_NOT_AVAILABLE',
  'LISTING_CLOSED',
  'LISTING_EXPIRED',
  'LISTING_EXPIRY_NOT_REACHED',
  'INSUFFICIENT_AVAILABLE_CREDITS',
  'LISTING_ALREADY_RESERVED_FOR_DEAL',
  'LISTING_RESERVATION_LIMIT_REACHED',
  'RESERVATION_NOT_FOUND',
  'RESERVATION_CLOSED',
  'SALE_EXCEEDS_RESERVATION',

  // Deals.
  'DEAL_ALREADY_EXISTS',
  'DEAL_NOT_FOUND',
  'DEAL_CLOSED',
  'DEAL_DISPUTED',
  'DEAL_NOT_DISPUTED',
  'DEAL_NOT_AWAITING_APPROVALS',
  'DEAL_APPROVAL_DEADLINE_PASSED',
  'DEAL_TERMS_VERSION_STALE',
  'DEAL_ALREADY_APPROVED_BY_PARTY',
  'DEAL_TERMS_LOCKED',
  'DEAL_TERMS_UNCHANGED',
  'DEAL_BROKER_UNCHANGED',
  'DEAL_AMENDMENT_LIMIT_REACHED',
  'DEAL_FACE_VALUE_EXCEEDS_RESERVATION',
  'DEAL_NOT_APPROVED',
  'PAYMENT_EXCEEDS_PRICE',
  'PAYMENT_REF_REUSED',
  'DEAL_PAYMENT_LIMIT_REACHED',
  'DEAL_NOT_FUNDED',
  'TRANSFER_ALREADY_STARTED',
  'TRANSFER_NOT_STARTED',
  'TRANSFER_IN_PROGRESS',
  'TRANSFER_ALREADY_CONFIRMED',
  'TRANSFER_NOT_CONFIRMED',
  'TRANSFER_EXCEEDS_FACE_VALUE',
  'DEAL_TRANSFER_ATTEMPT_LIMIT_REACHED',
  'CREDITS_EXPIRED',
  /**
   * Reserved: no command raises it today, because every refund is computed
   * as "paid minus already refunded" (an assertion guards it). It stays in
   * the contract for an explicit partial-refund command.
   */
  'REFUND_EXCEEDS_PAID',
  'DEAL_DEADLINE_NOT_REACHED',

  // Buy requests.
  'BUY_REQUEST_ALREADY_EXISTS',
  'BUY_REQUEST_NOT_FOUND',
  /** Amend or cancel: only the broker who placed the request, or an admin (buy-request.access.ts). */
  'NOT_BUY_REQUEST_OWNER',
  'BUY_REQUEST_NOT_OPEN',
  'BUY_REQUEST_EXPIRED',
  'BUY_REQUEST_OVERFILLED',
  'BUY_REQUEST_ALREADY_FILLED_BY_DEAL',
  'BUY_REQUEST_FILL_LIMIT_REACHED',
  'BUY_REQUEST_DEADLINE_NOT_REACHED',
  /** POST /v1/deals naming a request the deal does not fit; `details.reasons` lists why (buy-request.policy.ts, DEAL_MISMATCHES). */
  'BUY_REQUEST_MISMATCH',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** Codes about the command's own fields, not the state: an edge may answer them with 400 VALIDATION_FAILED. */
export const INPUT_ERROR_CODES = [
  'INVALID_AMOUNT',
  'INVALID_COMMISSION_RATE',
  'INVALID_CURRENCY',
  'INVALID_PROVIDER',
  'INVALID_CREDIT_TYPE',
  'INVALID_ID',
  'INVALID_TEXT',
  'INVALID_TIME',
  'INVALID_CHOICE',
  'INVALID_PRICE_CEILING',
  'INVALID_DURATION',
  'INVALID_AMENDMENT',
] as const satisfies readonly DomainErrorCode[];

export type InputErrorCode = (typeof INPUT_ERROR_CODES)[number];

/** Facts about a rejection for the client: texts, or lists of codes (e.g. the reasons of BUY_REQUEST_MISMATCH). */
export type DomainErrorDetails = Readonly<Record<string, string | readonly string[]>>;

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: DomainErrorDetails,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

const domainErrorCodes: ReadonlySet<string> = new Set(DOMAIN_ERROR_CODES);
const inputErrorCodes: ReadonlySet<string> = new Set(INPUT_ERROR_CODES);

export function isDomainErrorCode(code: string): code is DomainErrorCode {
  return domainErrorCodes.has(code);
}

/** The codes the HTTP edge answers with 404 (all others but the forbidden ones: 409). */
export function isNotFoundCode(code: DomainErrorCode): boolean {
  return code.endsWith('_NOT_FOUND');
}

/** The codes the HTTP edge answers with 403: an actor managing what another broker opened. */
export function isForbiddenCode(code: DomainErrorCode): boolean {
  return /^NOT_[A-Z_]+_OWNER$/.test(code);
}

export function isInputErrorCode(code: DomainErrorCode): code is InputErrorCode {
  return inputErrorCodes.has(code);
}

/**
 * True for a DomainError, also one created by another copy of this module
 * (tests load sources while apps load compiled files), where `instanceof`
 * alone would miss it.
 */
export function isDomainError(error: unknown): error is DomainError {
  if (error instanceof DomainError) return true;
  if (!(error instanceof Error) || error.name !== 'DomainError') return false;
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === 'string' && isDomainErrorCode(code);
}
