import { BadRequestException, HttpException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { ConcurrencyError, DuplicateEventIdError, EventStoreUnavailableError } from '#event-store';
import { ReadModelBehindError } from '#read-models';
import { ApiError, rateLimited, validationFailed } from './api-error.js';
import { describeError } from './error-mapping.js';

/** Shaped like libs/domain's DomainError: the table must recognise it without importing the domain. */
function domainError(code: string, message: string, details?: Record<string, unknown>): Error {
  return Object.assign(new Error(message), { name: 'DomainError', code, ...(details === undefined ? {} : { details }) });
}

function fastifyError(code: string, statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

describe('the error table (shared/API.md, Errors)', () => {
  it.each([
    ['a validation failure', validationFailed('Invalid request: foo', { foo: 'property foo should not exist' }), 400, 'VALIDATION_FAILED'],
    ['a missing or unknown key', new ApiError(401, 'UNAUTHENTICATED', 'no key'), 401, 'UNAUTHENTICATED'],
    ['a role that may not call the route', new ApiError(403, 'FORBIDDEN', 'no'), 403, 'FORBIDDEN'],
    ['a reused idempotency key', new ApiError(409, 'IDEMPOTENCY_KEY_REUSED', 'reused'), 409, 'IDEMPOTENCY_KEY_REUSED'],
    ['the rate limit', rateLimited(7), 429, 'RATE_LIMITED'],
    ['a business rejection', domainError('LISTING_NOT_VERIFIED', 'listing L is not verified'), 409, 'LISTING_NOT_VERIFIED'],
    ['a rejection for something missing', domainError('DEAL_NOT_FOUND', 'no deal D'), 404, 'DEAL_NOT_FOUND'],
    ['a deal that does not fit its buy request', domainError('BUY_REQUEST_MISMATCH', 'the deal does not fit'), 409, 'BUY_REQUEST_MISMATCH'],
    ['a deal naming a buy request that does not exist', domainError('BUY_REQUEST_NOT_FOUND', 'no buy request R'), 404, 'BUY_REQUEST_NOT_FOUND'],
    ['a broker changing a listing another broker submitted', domainError('NOT_LISTING_OWNER', 'not yours'), 403, 'NOT_LISTING_OWNER'],
    ['a broker changing a buy request another broker placed', domainError('NOT_BUY_REQUEST_OWNER', 'not yours'), 403, 'NOT_BUY_REQUEST_OWNER'],
    ['a reassignment to the broker the deal already has', domainError('DEAL_BROKER_UNCHANGED', 'same broker'), 409, 'DEAL_BROKER_UNCHANGED'],
    ['the event store’s concurrency error', new ConcurrencyError('deal-1', 2n, 4n), 409, 'CONCURRENCY_CONFLICT'],
    ['a reused event id', new DuplicateEventIdError('deal-1', ['e1']), 409, 'DUPLICATE_EVENT_ID'],
    ['an unavailable event store', new EventStoreUnavailableError('down'), 503, 'UNAVAILABLE'],
    ['a refused PostgreSQL connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), 503, 'UNAVAILABLE'],
    [
      'a PostgreSQL Unix socket that is gone (the server is down)',
      Object.assign(new Error('connect ENOENT /var/run/postgresql/.s.PGSQL.5432'), { code: 'ENOENT', syscall: 'connect' }),
      503,
      'UNAVAILABLE',
    ],
    ['a missing file, which is ours to fix', Object.assign(new Error("ENOENT: no such file or directory, open 'x.json'"), { code: 'ENOENT', syscall: 'open' }), 500, 'INTERNAL_ERROR'],
    ['a PostgreSQL shutting down (TypeORM-wrapped)', Object.assign(new Error('query failed'), { driverError: { code: '57P01' } }), 503, 'UNAVAILABLE'],
    ['a dropped connection', new Error('Connection terminated unexpectedly'), 503, 'UNAVAILABLE'],
    ['a statement past the statement timeout', Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }), 503, 'DATABASE_TIMEOUT'],
    ['a statement past the statement timeout (TypeORM-wrapped)', Object.assign(new Error('query failed'), { driverError: { code: '57014' } }), 503, 'DATABASE_TIMEOUT'],
    ['an unknown route', new NotFoundException('Cannot GET /v1/nothing'), 404, 'NOT_FOUND'],
    ['a body over the limit (Nest-mapped)', new PayloadTooLargeException('Request body is too large'), 413, 'PAYLOAD_TOO_LARGE'],
    ['a body over the limit (Fastify)', fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413, 'Request body is too large'), 413, 'PAYLOAD_TOO_LARGE'],
    ['malformed JSON (Fastify)', fastifyError('FST_ERR_CTP_INVALID_JSON_BODY', 400, 'Body is not valid JSON'), 400, 'VALIDATION_FAILED'],
    ['a bad request from a Nest pipe', new BadRequestException('Validation failed (uuid is expected)'), 400, 'VALIDATION_FAILED'],
    ['a 429 from elsewhere', new HttpException('slow down', 429), 429, 'RATE_LIMITED'],
    ['an unexpected error', new TypeError('Cannot read properties of undefined'), 500, 'INTERNAL_ERROR'],
    ['a thrown string', 'boom', 500, 'INTERNAL_ERROR'],
    ['a 500 HttpException', new HttpException('db password is hunter2', 500), 500, 'INTERNAL_ERROR'],
  ])('maps %s to %i %s', (_case, error, statusCode, code) => {
    const answer = describeError(error);
    expect(answer.body.statusCode).toBe(statusCode);
    expect(answer.body.code).toBe(code);
    expect(answer.fault).toBe(statusCode >= 500);
  });

  it('keeps the message and details of a business rejection', () => {
    expect(describeError(domainError('INSUFFICIENT_AVAILABLE_CREDITS', 'only 100 left', { availableFaceValueCents: '100' })).body).toEqual({
      statusCode: 409,
      code: 'INSUFFICIENT_AVAILABLE_CREDITS',
      message: 'only 100 left',
      details: { availableFaceValueCents: '100' },
    });
  });

  it.each([
    ['the domain refusing a field', domainError('INVALID_TEXT', 'reason must be 1 to 1000 characters, not only blanks', { field: 'reason' }), { reason: 'reason must be 1 to 1000 characters, not only blanks' }],
    ['money.ts refusing to read an amount', Object.assign(new Error('not an amount of cents: "0x1f"'), { name: 'InvalidAmountError', code: 'INVALID_AMOUNT' }), undefined],
  ])('answers %s as input the edge should have refused: 400 VALIDATION_FAILED, never 409 or 500', (_case, error, details) => {
    const answer = describeError(error);
    expect(answer.body).toEqual({ statusCode: 400, code: 'VALIDATION_FAILED', message: (error as Error).message, ...(details === undefined ? {} : { details }) });
    expect(answer.fault).toBe(false);
  });

  it('keeps a business rejection’s list of reasons', () => {
    expect(describeError(domainError('BUY_REQUEST_MISMATCH', 'misfit', { buyRequestId: 'R', reasons: ['buyer_differs', 'price_above_ceiling'] })).body).toEqual({
      statusCode: 409,
      code: 'BUY_REQUEST_MISMATCH',
      message: 'misfit',
      details: { buyRequestId: 'R', reasons: ['buyer_differs', 'price_above_ceiling'] },
    });
  });

  it.each([
    ['a name other than DomainError', Object.assign(new Error('x'), { code: 'LISTING_EXPIRED' })],
    ['a code that is not upper snake case', Object.assign(new Error('x'), { name: 'DomainError', code: 'listing-expired' })],
    ['a code that is not a string', Object.assign(new Error('x'), { name: 'DomainError', code: 42 })],
  ])('takes an error with %s for an unexpected one (500)', (_case, error) => {
    expect(describeError(error).body.code).toBe('INTERNAL_ERROR');
  });

  it('says nothing of an unexpected error’s internals', () => {
    const answer = describeError(new Error('password=hunter2 at /srv/app/secret.ts'));
    expect(JSON.stringify(answer.body)).not.toMatch(/hunter2|secret/);
    expect(answer.body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: expect.any(String) });
  });

  it('says nothing of what made a dependency unavailable', () => {
    const answer = describeError(new EventStoreUnavailableError('connect ECONNREFUSED 10.0.0.7:5432'));
    expect(JSON.stringify(answer.body)).not.toContain('10.0.0.7');
  });

  it('carries the validation details and the rate limit’s wait', () => {
    expect(describeError(validationFailed('bad', { foo: 'property foo should not exist' })).body.details).toEqual({ foo: 'property foo should not exist' });
    expect(describeError(rateLimited(7)).retryAfterSeconds).toBe(7);
    expect(describeError(new HttpException('slow down', 429)).retryAfterSeconds).toBe(1);
  });

  it('gives the revisions of a concurrency conflict, not the stream’s name', () => {
    const answer = describeError(new ConcurrencyError('deal-secret-stream', 2n, 4n));
    expect(answer.body.details).toEqual({ expectedRevision: '2', actualRevision: '4' });
    expect(JSON.stringify(answer.body)).not.toContain('deal-secret-stream');
  });

  it('answers a read whose projections are behind with 503 READ_MODEL_BEHIND and Retry-After, not as a fault', () => {
    const answer = describeError(new ReadModelBehindError({ commit: 9n, prepare: 9n }, ['deal-view'], 5_000));
    expect(answer).toMatchObject({ body: { statusCode: 503, code: 'READ_MODEL_BEHIND', details: { minPosition: '9.9', behind: ['deal-view'] } }, retryAfterSeconds: 1, fault: false });
  });
});
