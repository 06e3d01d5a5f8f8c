import type { ValidationError } from '@nestjs/common';
import { validationError } from './validation.js';

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
