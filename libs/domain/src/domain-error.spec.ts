import { DOMAIN_ERROR_CODES, DomainError, INPUT_ERROR_CODES, isDomainError, isDomainErrorCode, isForbiddenCode, isInputErrorCode, isNotFoundCode } from './domain-error.js';
import { InvalidAmountError } from './money.js';

describe('domain error codes', () => {
  it('are unique, stable UPPER_SNAKE words', () => {
    expect(new Set(DOMAIN_ERROR_CODES).size).toBe(DOMAIN_ERROR_CODES.length);
    for (const code of DOMAIN_ERROR_CODES) expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
  });

  it('include the code money.ts gives an unreadable amount', () => {
    expect(isDomainErrorCode(new InvalidAmountError('x').code)).toBe(true);
  });

  it('map to 404 only for things that do not exist', () => {
    expect(DOMAIN_ERROR_CODES.filter(isNotFoundCode)).toEqual(['LISTING_NOT_FOUND', 'RESERVATION_NOT_FOUND', 'DEAL_NOT_FOUND', 'BUY_REQUEST_NOT_FOUND']);
  });

  it('map to 403 only for an actor managing what another broker opened', () => {
    expect(DOMAIN_ERROR_CODES.filter(isForbiddenCode)).toEqual(['NOT_LISTING_OWNER', 'NOT_BUY_REQUEST_OWNER']);
  });

  it('tell the command’s own fields from the state', () => {
    expect(DOMAIN_ERROR_CODES.filter(isInputErrorCode)).toEqual([...INPUT_ERROR_CODES]);
    expect(isInputErrorCode('DEAL_CLOSED')).toBe(false);
  });
});

describe('isDomainError', () => {
  it('recognises a DomainError, also one from another copy of the module', () => {
    expect(isDomainError(new DomainError('DEAL_CLOSED', 'closed', { dealId: 'd' }))).toBe(true);
    const foreign = Object.assign(new Error('closed'), { name: 'DomainError', code: 'DEAL_CLOSED' });
    expect(isDomainError(foreign)).toBe(true);
  });

  it('refuses anything else', () => {
    expect(isDomainError(new Error('boom'))).toBe(false);
    expect(isDomainError(Object.assign(new Error('x'), { name: 'DomainError', code: 'NOT_A_CODE' }))).toBe(false);
    expect(isDomainError({ name: 'DomainError', code: 'DEAL_CLOSED' })).toBe(false);
  });
});
