import type { ValidationError } from '@nestjs/common';
import { bodyProblem, carriesBody, isJsonInUtf8, MAX_BODY_ARRAY_ITEMS, MAX_BODY_DEPTH, validationError } from './validation.js';

function fieldError(property: string, constraints?: Record<string, string>, children: ValidationError[] = []): ValidationError {
  return { property, constraints, children };
}

describe('VALIDATION_FAILED details', () => {
  it('names each field with all its messages, nested fields by path', () => {
    const error = validationError([
      fieldError('foo', { whitelistValidation: 'property foo should not exist' }),
      fieldError('amountCents', { isInt: 'amountCents must be an integer', min: 'amountCents must not be less than 0' }),
      fieldError('evidence', undefined, [fieldError('method', { isString: 'method must be a string' })]),
    ]);
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual({
      foo: 'property foo should not exist',
      amountCents: 'amountCents must be an integer; amountCents must not be less than 0',
      'evidence.method': 'method must be a string',
    });
    expect(error.message).toBe('Invalid request: foo, amountCents, evidence.method');
  });

  it('bounds the answer to a request with very many bad fields', () => {
    const errors = Array.from({ length: 5_000 }, (_, i) => fieldError(`f${i}`, { whitelistValidation: `property f${i} should not exist` }));
    const details = validationError(errors).details ?? {};
    expect(Object.keys(details)).toHaveLength(51);
    expect(details['...']).toBe('4950 more fields are invalid');
  });
});

describe('bodyProblem: what no command body may hold', () => {
  it('passes an ordinary body, and a request without one', () => {
    expect(bodyProblem({ reason: 'seller changed their mind', evidence: { method: 'email' }, creditTypes: ['prepaid_api'], commissionBps: 0 })).toBeNull();
    expect(bodyProblem(undefined)).toBeNull();
  });

  it.each([
    ['null for a field', { priceCents: null }, 'priceCents'],
    ['null as the body', null, '(body)'],
    ['null in an array', { creditTypes: [null] }, 'creditTypes[0]'],
    ['a NUL character', { reason: 'a\u0000b' }, 'reason'],
    ['a lone high surrogate', { evidence: { reference: 'x\ud800' } }, 'evidence.reference'],
    ['a lone low surrogate', { reason: '\udc00x' }, 'reason'],
    ['an infinite number', { commissionBps: Number.POSITIVE_INFINITY }, 'commissionBps'],
    ['constructor', { constructor: { prototype: { polluted: true } } }, 'constructor'],
    ['prototype', { evidence: { prototype: 1 } }, 'evidence.prototype'],
    ['toString', { toString: 'x' }, 'toString'],
    ['an own __proto__ (as JSON.parse makes it)', JSON.parse('{"a":{"__proto__":{"polluted":true}}}') as unknown, 'a.__proto__'],
  ])('refuses %s, by its path', (_case, body, path) => {
    expect(bodyProblem(body)).toEqual({ path, problem: expect.any(String) });
  });

  it('passes a surrogate pair (an emoji) and a body nested exactly to the bound', () => {
    expect(bodyProblem({ reason: 'thumbs \u{1F44D}' })).toBeNull();
    const depth = MAX_BODY_DEPTH - 1;
    expect(bodyProblem(JSON.parse(`{"a":${'['.repeat(depth)}1${']'.repeat(depth)}}`))).toBeNull();
  });

  it('refuses nesting past the bound without recursion, however deep', () => {
    expect(bodyProblem(JSON.parse(`{"a":${'['.repeat(MAX_BODY_DEPTH)}1${']'.repeat(MAX_BODY_DEPTH)}}`))).toEqual({ path: expect.any(String), problem: expect.stringContaining('deeper') });
    const depth = 200_000;
    const found = bodyProblem(JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));
    expect(found?.problem).toContain('deeper');
    expect(found!.path.length).toBeLessThanOrEqual(200);
  });

  it.each([
    ['an array', [{ reason: 'x' }]],
    ['a string', 'reason'],
    ['a number', 5],
    ['true', true],
  ])('refuses %s as the body: commands take an object of fields', (_case, body) => {
    expect(bodyProblem(body)).toEqual({ path: '(body)', problem: expect.stringContaining('object') });
  });

  it('refuses an array longer than the bound, and passes one at it', () => {
    expect(bodyProblem({ creditTypes: Array.from({ length: MAX_BODY_ARRAY_ITEMS }, () => 'prepaid_api') })).toBeNull();
    expect(bodyProblem({ creditTypes: Array.from({ length: MAX_BODY_ARRAY_ITEMS + 1 }, () => 'prepaid_api') })).toEqual({ path: 'creditTypes', problem: expect.any(String) });
  });
});

describe('isJsonInUtf8', () => {
  it.each(['application/json', 'Application/JSON', 'application/json; charset=utf-8', 'application/json;charset=UTF-8', 'application/json; charset="utf-8"', 'application/json; charset=utf8'])('accepts %s', (contentType) => {
    expect(isJsonInUtf8(contentType)).toBe(true);
  });

  it.each([undefined, '', 'text/plain', 'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/json-patch+json', 'application/jsonx', '*/*'])(
    'refuses %s',
    (contentType) => {
      expect(isJsonInUtf8(contentType)).toBe(false);
    },
  );
});

describe('carriesBody', () => {
  it('is true with a length above zero or a transfer encoding, false without either', () => {
    expect(carriesBody({ 'content-length': '12' })).toBe(true);
    expect(carriesBody({ 'transfer-encoding': 'chunked' })).toBe(true);
    expect(carriesBody({ 'content-length': '0' })).toBe(false);
    expect(carriesBody({})).toBe(false);
  });
});
