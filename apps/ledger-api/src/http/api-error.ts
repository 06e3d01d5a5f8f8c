/**
 * A refusal decided at the HTTP edge (access, validation, idempotency, rate
 * limit), with its status and stable code. The one exception filter turns it
 * into the error body of shared/API.md; nothing else writes error answers.
 */
export type ErrorDetails = Readonly<Record<string, unknown>>;

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetails,
    /** Seconds a client should wait before trying again (429: sent as Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function validationFailed(message: string, details?: ErrorDetails): ApiError {
  return new ApiError(400, 'VALIDATION_FAILED', message, details);
}

export function unauthenticated(message: string): ApiError {
  return new ApiError(401, 'UNAUTHENTICATED', message);
}

export function forbidden(message: string): ApiError {
  return new ApiError(403, 'FORBIDDEN', message);
}

export function notFound(message: string): ApiError {
  return new ApiError(404, 'NOT_FOUND', message);
}

export function unsupportedMediaType(contentType: string | undefined): ApiError {
  return new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `Request bodies are JSON in UTF-8 (Content-Type: application/json), not ${contentType === undefined ? 'a body without a Content-Type' : JSON.stringify(contentType.slice(0, 100))}`);
}

export function rateLimited(retryAfterSeconds: number): ApiError {
  return new ApiError(429, 'RATE_LIMITED', `Too many requests for this API key: retry in ${retryAfterSeconds} s`, undefined, retryAfterSeconds);
}
