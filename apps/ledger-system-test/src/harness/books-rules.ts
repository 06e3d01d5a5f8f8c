/**
 * What the books must look like at every moment (shared/DOMAIN.md, "The
 * books"; libs/domain deal-journal.ts for the accounts): each currency's
 * balances sum to zero, and no account is on the side its meaning forbids.
 * Debits are positive, credits negative. Pure: the store checker applies it
 * to the stored balances, the conservation scenario to every answer of
 * GET /v1/ledger/accounts its readers get.
 */
export interface Balance {
  readonly account: string;
  readonly currency: string;
  readonly balanceCents: bigint;
}

/** The side each account may never cross to: `debit` accounts are never negative, `credit` accounts never positive. */
const ACCOUNT_SIDES: ReadonlyArray<{ readonly pattern: RegExp; readonly side: 'debit' | 'credit'; readonly why: string }> = [
  { pattern: /^cash$/, side: 'debit', why: 'the bank never pays out more than came in' },
  { pattern: /^escrow:buyer:/, side: 'credit', why: 'escrow holds buyer money; a refund never exceeds what was paid' },
  { pattern: /^payable:seller:/, side: 'credit', why: 'a seller is never paid more than delivery made payable' },
  { pattern: /^revenue:commission$/, side: 'credit', why: 'commission is earned, never owed' },
  { pattern: /^credits:reserved$/, side: 'debit', why: 'reservations never release more than was reserved' },
  { pattern: /^credits:delivered:/, side: 'debit', why: 'delivered credits are never taken back' },
  { pattern: /^credits:expired$/, side: 'debit', why: 'expired credits are never restored' },
  { pattern: /^credits:listed:/, side: 'credit', why: 'a listing never gets back more than its deals took' },
];

/** Every way the balances break the rules, in words; empty when the books are sound. */
export function booksViolations(balances: readonly Balance[]): string[] {
  const problems: string[] = [];
  const totals = new Map<string, bigint>();
  for (const { account, currency, balanceCents } of balances) {
    totals.set(currency, (totals.get(currency) ?? 0n) + balanceCents);
    const rule = ACCOUNT_SIDES.find((candidate) => candidate.pattern.test(account));
    if (rule === undefined) {
      problems.push(`unknown account ${account} (${currency})`);
      continue;
    }
    if ((rule.side === 'debit' && balanceCents < 0n) || (rule.side === 'credit' && balanceCents > 0n)) {
      problems.push(`${account} is ${balanceCents} ${currency}, on the wrong side: ${rule.why}`);
    }
  }
  for (const [currency, total] of totals) if (total !== 0n) problems.push(`the ${currency} balances sum to ${total}, not 0`);
  return problems;
}
