/**
 * Rules for the fields of a command, whatever the state. The HTTP edge
 * checks the same rules first; the domain checks them again because a fact,
 * once written, is never corrected, and commands also come from process
 * managers and tests.
 */
import { DomainError } from './domain-error.js';
import { EARLIEST_TIME_MS, LATEST_TIME_MS, MAX_BASIS_POINTS, MAX_ID_LENGTH, MAX_TEXT_LENGTH } from './limits.js';
import { type Cents, MAX_CENTS } from './money.js';

/** Ids of streams and parties: the edge's party-id alphabet, which UUIDs satisfy too. */
const ID_TEXT = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;
/** ISO 4217 alphabetic code. */
const CURRENCY_TEXT = /^[A-Z]{3}$/;
/** "openai first; any lower-case provider slug is accepted" (shared/API.md). */
const PROVIDER_TEXT = /^[a-z][a-z0-9-]{1,49}$/;

export const CREDIT_TYPES = ['prepaid_api', 'enterprise_commitment', 'chatgpt_seats', 'startup_program', 'accelerator_partner', 'fine_tuning'] as const;
export type CreditType = (typeof CREDIT_TYPES)[number];

export function requireId(value: string, field: string): void {
  if (typeof value !== 'string' || value.length > MAX_ID_LENGTH || !ID_TEXT.test(value)) {
    throw new DomainError('INVALID_ID', `${field} must be 1 to ${MAX_ID_LENGTH} letters, digits or ._:@- (starting with a letter or digit)`, { field });
  }
}

export function requireText(value: string, field: string): void {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > MAX_TEXT_LENGTH) {
    throw new DomainError('INVALID_TEXT', `${field} must be 1 to ${MAX_TEXT_LENGTH} characters, not only blanks`, { field });
  }
}

export function requireOptionalText(value: string | undefined, field: string): void {
  if (value !== undefined) requireText(value, field);
}

/** A positive amount of cents up to MAX_CENTS: zero credits or a free deal is never a fact worth recording. */
export function requirePositiveCents(value: Cents, field: string): void {
  if (typeof value !== 'bigint' || value <= 0n || value > MAX_CENTS) {
    throw new DomainError('INVALID_AMOUNT', `${field} must be a whole number of cents from 1 to ${MAX_CENTS}`, { field });
  }
}

export function requireCommissionBps(value: number, field = 'commissionBps'): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_BASIS_POINTS) {
    throw new DomainError('INVALID_COMMISSION_RATE', `${field} must be a whole number of basis points from 0 to ${MAX_BASIS_POINTS}`, { field });
  }
}

export function requireCurrency(value: string, field = 'currency'): void {
  if (typeof value !== 'string' || !CURRENCY_TEXT.test(value)) {
    throw new DomainError('INVALID_CURRENCY', `${field} must be an ISO 4217 code such as USD`, { field });
  }
}

export function requireProvider(value: string, field = 'provider'): void {
  if (typeof value !== 'string' || !PROVIDER_TEXT.test(value)) {
    throw new DomainError('INVALID_PROVIDER', `${field} must be a lower-case provider slug such as openai`, { field });
  }
}

export function requireCreditType(value: CreditType, field = 'creditType'): void {
  if (!CREDIT_TYPES.includes(value)) {
    throw new DomainError('INVALID_CREDIT_TYPE', `${field} must be one of ${CREDIT_TYPES.join(', ')}`, { field });
  }
}

export function requireChoice<Choice extends string>(value: Choice, choices: readonly Choice[], field: string): void {
  if (!choices.includes(value)) {
    throw new DomainError('INVALID_CHOICE', `${field} must be one of ${choices.join(', ')}`, { field });
  }
}

/** A valid instant between EARLIEST_TIME_MS and LATEST_TIME_MS, so that it can be stored and read back. */
export function requireTime(value: Date, field: string): void {
  const timeMs = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(timeMs) || timeMs < EARLIEST_TIME_MS || timeMs > LATEST_TIME_MS) {
    throw new DomainError('INVALID_TIME', `${field} must be a valid time between the years 2000 and 9999`, { field });
  }
}
