/**
 * Configurable deal rules (LEDGER_APPROVAL_WINDOW_MS, shared/API.md).
 */
import { invariant } from '../invariant.js';

export interface DealPolicy {
  /**
   * How long both parties have to approve, from opening (shared/DOMAIN.md,
   * "Expiry enforcement": default 48 hours). Amendments do not move the
   * deadline: "matched within 24 hours, done in days".
   */
  readonly approvalWindowMs: number;
}

const HOUR_MS = 60 * 60 * 1000;

export const DEFAULT_DEAL_POLICY: DealPolicy = Object.freeze({ approvalWindowMs: 48 * HOUR_MS });

/** An approval window of more than 30 days is a configuration mistake: credits expire in months. */
const MAX_APPROVAL_WINDOW_MS = 30 * 24 * HOUR_MS;

export function assertDealPolicy(policy: DealPolicy): void {
  invariant(
    Number.isSafeInteger(policy.approvalWindowMs) && policy.approvalWindowMs > 0 && policy.approvalWindowMs <= MAX_APPROVAL_WINDOW_MS,
    `approvalWindowMs must be a whole number of milliseconds from 1 to ${MAX_APPROVAL_WINDOW_MS}, got ${policy.approvalWindowMs}`,
  );
}
