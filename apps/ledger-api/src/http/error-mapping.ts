/**
 * The one table from errors to HTTP answers (shared/API.md, Errors). Pure, so
 * the table has a unit test of its own; ApiExceptionFilter only sends what
 * this decides.
 */
import { HttpException } from '@nestjs/common';
import { ConcurrencyError, DuplicateEventIdError, EventStoreUnavailableError } from '#event-store';
import { ApiError, type ErrorDetails } from './api-error.js';
import { isDatabaseUnavailable, isStatementCancelled } from './unavailable-errors.js';

export interface ErrorBody {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
  readonly details?: ErrorDetails;
}

export interface ErrorAnswer {
  readonly body: ErrorBody;
  /** Sent as Retry-After (429, and 503 READ_MODEL_BEHIND). */
  readonly retryAfterSeconds?: number;
  /** A fault of ours: logged with its stack; the client only learns that it happened. */
  readonly fault: boolean;
}

/** Business rejections use stable upper-snake codes (e.g. LISTING_NOT_VERIFIED). */
const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
/**
 * Rejections of an actor managing what another broker opened (NOT_LISTING_OWNER,
 * NOT_BUY_REQUEST_OWNER): 403, under their own stable code. libs/domain's
 * isForbiddenCode says the same.
 */
const NOT_OWNER = /^NOT_[A-Z0-9_]+_OWNER$/;
/**
 * Rejections of a command's own fields whatever the state (libs/domain's
 * INPUT_ERROR_CODES: INVALID_AMOUNT, INVALID_TEXT, ...): 400
 * VALIDATION_FAILED, as if the edge had caught them, which it should have.
 */
const INVALID_INPUT = /^INVALID_[A-Z0-9_]+$/;

/** Codes for the statuses an HttpException (Nest's or Fastify's, mapped by Nest) may carry. */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  411: 'LENGTH_REQUIRED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
};

const INTERNAL_MESSAGE = "Internal error: it was logged under this request's X-Correlation-Id";
const UNAVAILABLE_MESSAGE = 'A dependency of the ledger is unavailable: try again shortly';
const DATABASE_TIMEOUT_MESSAGE = 'A database statement of this request ran past its time limit and was cancelled: try again shortly';
/** A rate limit from elsewhere than our limiter (which always says) gets the shortest wait. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

export function describeError(error: unknown): ErrorAnswer {
  if (error instanceof ApiError) {
    return {
      body: body(error.statusCode, error.code, error.message, error.details),
      retryAfterSeconds: error.retryAfterSeconds,
      fault: error.statusCode >= 500,
    };
  }
  const rejection = asDomainRejection(error) ?? asUnreadableAmount(error);
  if (rejection !== null && INVALID_INPUT.test(rejection.code)) {
    const field = rejection.details?.field;
    return { body: body(400, 'VALIDATION_FAILED', rejection.message, typeof field === 'string' ? { [field]: rejection.message } : rejection.details), fault: false };
  }
  if (rejection !== null) {
    const notFound = rejection.code === 'NOT_FOUND' || rejection.code.endsWith('_NOT_FOUND');
    const statusCode = notFound ? 404 : NOT_OWNER.test(rejection.code) ? 403 : 409;
    return { body: body(statusCode, rejection.code, rejection.message, rejection.details), fault: false };
  }
  if (error instanceof ConcurrencyError || hasNameAndCode(error, 'ConcurrencyError', 'CONCURRENCY_CONFLICT')) {
    const conflict = error as ConcurrencyError;
    return {
      body: body(409, 'CONCURRENCY_CONFLICT', 'The stream has moved on since the expected revision: read it again and decide again', {
        expectedRevision: revisionText(conflict.expected),
        ...(conflict.actual === null || conflict.actual === undefined ? {} : { actualRevision: revisionText(conflict.actual) }),
      }),
      fault: false,
    };
  }
  if (error instanceof DuplicateEventIdError || hasNameAndCode(error, 'DuplicateEventIdError', 'DUPLICATE_EVENT_ID')) {
    return { body: body(409, 'DUPLICATE_EVENT_ID', 'An id in this request is already used by another recorded fact'), fault: false };
  }
  if (hasNameAndCode(error, 'ReadModelBehindError', 'READ_MODEL_BEHIND')) {
    // libs/read-models' ReadModelBehindError, by shape. Not a fault: the write is recorded and the projections will reach it.
    const behind = error as Error & { details?: ErrorDetails; retryAfterSeconds?: number };
    return {
      body: body(503, 'READ_MODEL_BEHIND', behind.message, behind.details),
      retryAfterSeconds: behind.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
      fault: false,
    };
  }
  if (isStatementCancelled(error)) {
    // LEDGER_STATEMENT_TIMEOUT_MS ended a statement (its transaction rolled back). A fault, so logged: a slow
    // statement is ours to look into. A command retried with its Idempotency-Key is safe.
    return { body: body(503, 'DATABASE_TIMEOUT', DATABASE_TIMEOUT_MESSAGE), fault: true };
  }
  if (error instanceof EventStoreUnavailableError || hasNameAndCode(error, 'EventStoreUnavailableError', 'UNAVAILABLE') || isDatabaseUnavailable(error)) {
    // Logged as a fault too: an operator wants to know, the client only that it may retry.
    return { body: body(503, 'UNAVAILABLE', UNAVAILABLE_MESSAGE), fault: true };
  }
  if (error instanceof HttpException) return describeHttpStatus(error.getStatus(), httpExceptionMessage(error));
  const fastifyError = asFastifyClientError(error);
  if (fastifyError !== null) return describeHttpStatus(fastifyError.statusCode, fastifyError.message);
  return { body: body(500, 'INTERNAL_ERROR', INTERNAL_MESSAGE), fault: true };
}

function describeHttpStatus(statusCode: number, message: string): ErrorAnswer {
  if (statusCode === 503) return { body: body(503, 'UNAVAILABLE', UNAVAILABLE_MESSAGE), fault: true };
  if (statusCode < 400 || statusCode >= 500) return { body: body(500, 'INTERNAL_ERROR', INTERNAL_MESSAGE), fault: true };
  const code = CODE_BY_STATUS[statusCode] ?? 'REQUEST_REJECTED';
  return {
    body: body(statusCode, code, message),
    ...(statusCode === 429 ? { retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS } : {}),
    fault: false,
  };
}

function body(statusCode: number, code: string, message: string, details?: ErrorDetails): ErrorBody {
  return details === undefined ? { statusCode, code, message } : { statusCode, code, message, details };
}

interface DomainRejection {
  readonly code: string;
  readonly message: string;
  readonly details?: ErrorDetails;
}

/**
 * libs/domain's DomainError, recognised by shape rather than by class: the
 * edge need not load the domain to map its rejections.
 */
function asDomainRejection(error: unknown): DomainRejection | null {
  if (typeof error !== 'object' || error === null) return null;
  const candidate = error as { name?: unknown; code?: unknown; message?: unknown; details?: unknown };
  if (candidate.name !== 'DomainError' || typeof candidate.code !== 'string' || !UPPER_SNAKE.test(candidate.code)) return null;
  const details = candidate.details;
  return {
    code: candidate.code,
    message: typeof candidate.message === 'string' && candidate.message !== '' ? candidate.message : candidate.code,
    ...(typeof details === 'object' && details !== null && !Array.isArray(details) ? { details: details as ErrorDetails } : {}),
  };
}

/** libs/domain's InvalidAmountError (parseCents), by shape: an amount the edge let through unread. */
function asUnreadableAmount(error: unknown): DomainRejection | null {
  if (!hasNameAndCode(error, 'InvalidAmountError', 'INVALID_AMOUNT')) return null;
  return { code: 'INVALID_AMOUNT', message: (error as Error).message };
}

function hasNameAndCode(error: unknown, name: string, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name && (error as { code?: unknown }).code === code;
}

function revisionText(revision: unknown): string {
  return typeof revision === 'bigint' ? revision.toString() : String(revision);
}

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && message.every((item) => typeof item === 'string')) return message.join('; ');
  return exception.message;
}

/** A Fastify client error (FST_ERR_*, 4xx) that reached the filter without Nest's mapping. */
function asFastifyClientError(error: unknown): { statusCode: number; message: string } | null {
  if (!(error instanceof Error)) return null;
  const { code, statusCode } = error as Error & { code?: unknown; statusCode?: unknown };
  if (typeof code !== 'string' || !code.startsWith('FST_') || typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return null;
  return { statusCode, message: error.message };
}
