import fc from 'fast-check';
import { InvalidAmountError, MAX_CENTS, commissionCents, formatCents, parseCents, payoutCents } from './money.js';

describe('money', () => {
  it('parses decimal strings of whole cents', () => {
    expect(parseCents('0')).toBe(0n);
    expect(parseCents('125000')).toBe(125_000n);
    expect(parseCents(MAX_CENTS.toString())).toBe(MAX_CENTS);
  });

  it.each(['', '-1', '+1', '1.5', '1e3', '01', ' 1', '0x10', (MAX_CENTS + 1n).toString(), '99999999999999999'])('refuses %p', (text) => {
    expect(() => parseCents(text)).toThrow(InvalidAmountError);
  });

  it('round-trips every amount through its text form', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: MAX_CENTS }), (cents) => parseCents(formatCents(cents)) === cents));
  });

  it('rounds commission down, so commission and payout always add up to the price', () => {
    expect(commissionCents(99_999n, 1_250)).toBe(12_499n);
    expect(payoutCents(99_999n, 1_250)).toBe(87_500n);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_CENTS }), fc.integer({ min: 0, max: 10_000 }), (price, bps) => {
        const commission = commissionCents(price, bps);
        return commission >= 0n && commission <= price && commission + payoutCents(price, bps) === price;
      }),
    );
  });

  it.each([-1, 10_001, 12.5, Number.NaN])('refuses a commission rate of %p basis points', (bps) => {
    expect(() => commissionCents(100n, bps)).toThrow(RangeError);
  });
});
