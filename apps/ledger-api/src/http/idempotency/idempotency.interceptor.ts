import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { of, type Observable } from 'rxjs';
import { ApiError, validationFailed } from '../api-error.js';
import { IdempotencyStore, type IdempotencyScope } from './idempotency.store.js';
import { hashCommandRequest } from './request-hash.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
/** A client's key is an opaque token; 200 is the idempotency_keys column CHECK. */
const IDEMPOTENCY_KEY = /^[\x20-\x7E]{1,200}$/;
/**
 * How long a duplicate waits for the first request with its key to finish
 * before it is told to come back (409 IDEMPOTENCY_REQUEST_IN_PROGRESS). A
 * command takes milliseconds; 5 s covers a slow one without holding a
 * client's connection for long.
 */
const MAX_WAIT_FOR_FIRST_MS = 5_000;
/**
 * A claim older than this belongs to a request whose instance died, or
 * whose answer could not be stored while the database was away: the next
 * duplicate takes it over and runs the command again, which records nothing
 * twice (ids derive from the key), so a lease that ends early costs a second
 * run, never a second fact. A command is a handful of statements, each cut
 * at LEDGER_STATEMENT_TIMEOUT_MS (5 s by default), so 20 s outlasts a slow
 * one while a client retrying after a crash waits 20 s, not a minute.
 */
export const IDEMPOTENCY_CLAIM_LEASE_MS = 20_000;
const POLL_INTERVAL_MS = 50;

/**
 * Idempotency-Key on commands (shared/API.md, Commands): POST and DELETE
 * under /v1, except the admin routes. Runs after the access guard, so the
 * principal is known and keys are scoped per principal.
 *
 * The key is claimed (row `in_progress`) before the handler runs; the answer
 * is recorded by the onSend hook (FastifyEdgeHooks -> settleIdempotencyClaim)
 * from the exact bytes sent, whatever produced them (handler, pipe, filter).
 * A claim left `in_progress` by an instance that died mid-command is taken
 * over after IDEMPOTENCY_CLAIM_LEASE_MS by the next duplicate, which runs the
 * command again: commands sent with a key derive their entity and event ids
 * from it (see commandContext), so whatever the first run recorded is not
 * recorded again. Before the lease ends, duplicates get 409
 * IDEMPOTENCY_REQUEST_IN_PROGRESS.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly store: IdempotencyStore) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = request.principal;
    if (principal === undefined || !isIdempotentCommandRoute(request)) return next.handle();
    const idempotencyKey = parseIdempotencyKey(request.headers[IDEMPOTENCY_KEY_HEADER]);
    if (idempotencyKey === undefined) return next.handle();

    const scope: IdempotencyScope = { principalId: principal.principalId, idempotencyKey };
    const requestHash = hashCommandRequest({ method: request.method, path: request.url, principalId: principal.principalId, body: request.body });
    const waitUntilMs = Date.now() + MAX_WAIT_FOR_FIRST_MS;
    for (;;) {
      const found = await this.store.claimOrFind(scope, requestHash);
      if (found === 'claimed') {
        request.idempotencyClaim = scope;
        return next.handle();
      }
      if (found !== null && found.requestHash !== requestHash) {
        throw new ApiError(409, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for another request: use a new key for a new request');
      }
      if (found?.state === 'in_progress' && (await this.store.takeOverStale(scope, requestHash, IDEMPOTENCY_CLAIM_LEASE_MS))) {
        request.idempotencyClaim = scope;
        return next.handle();
      }
      if (found?.state === 'completed') {
        const reply = context.switchToHttp().getResponse<FastifyReply>();
        void reply.status(found.status).header(IDEMPOTENT_REPLAYED_HEADER, 'true');
        if (found.contentType !== null) void reply.header('content-type', found.contentType);
        return of(found.body === '' ? undefined : Buffer.from(found.body, 'utf8'));
      }
      if (Date.now() >= waitUntilMs) {
        throw new ApiError(409, 'IDEMPOTENCY_REQUEST_IN_PROGRESS', 'The first request with this Idempotency-Key has not finished: retry shortly');
      }
      // Null: the first request failed and gave its claim up; claim it at once.
      if (found !== null) await delay(POLL_INTERVAL_MS);
    }
  }
}

export function isIdempotentCommandRoute(request: FastifyRequest): boolean {
  if (request.method !== 'POST' && request.method !== 'DELETE') return false;
  const route = request.routeOptions.url ?? request.url;
  return route.startsWith('/v1/') && !route.startsWith('/v1/admin/');
}

/** The header's key, undefined when absent; 400 VALIDATION_FAILED when it is not 1 to 200 printable characters. */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header === 'string' && IDEMPOTENCY_KEY.test(header)) return header;
  throw validationFailed('Idempotency-Key must be 1 to 200 printable ASCII characters', {
    'Idempotency-Key': 'must be 1 to 200 printable ASCII characters',
  });
}

/**
 * Records the answer to a claimed request, from the onSend hook, before the
 * answer leaves: a 2xx or 4xx answer is stored byte for byte for replay,
 * except a 400 (the request was refused as invalid, nothing decided or
 * recorded); a 400 or 5xx answer gives the claim up so a retry (a corrected
 * one after a 400) can run the command. An answer
 * that cannot be stored as text (a stream, non-UTF-8 bytes) gives it up too.
 * A failure to store is logged and the answer still goes out: the claim then
 * stays `in_progress` (see IdempotencyInterceptor), never re-running a
 * command that did run.
 */
export async function settleIdempotencyClaim(
  store: IdempotencyStore,
  logger: Logger,
  claim: IdempotencyScope,
  answer: { readonly status: number; readonly contentType: string | null; readonly payload: unknown },
): Promise<void> {
  try {
    // Kept: what the command answered, a business refusal included (a replay gives the same). Given up, so a
    // retry with the same key runs: a 5xx (the command may not have finished) and a 400 (the request was refused
    // before or instead of deciding anything, nothing was recorded: the client corrects it and resends with its key).
    const body = answer.status >= 500 || answer.status === 400 ? null : payloadText(answer.payload);
    if (body === null) await store.release(claim);
    else await store.complete(claim, { status: answer.status, contentType: answer.contentType, body });
  } catch (error) {
    logger.error(`could not settle Idempotency-Key of ${claim.principalId}: it stays in progress`, error instanceof Error ? error.stack : String(error));
  }
}

function payloadText(payload: unknown): string | null {
  if (payload === undefined || payload === null) return '';
  // PostgreSQL text holds no NUL character; JSON escapes it, so only a non-JSON answer could carry one.
  if (typeof payload === 'string') return payload.includes('\u0000') ? null : payload;
  if (!Buffer.isBuffer(payload)) return null;
  const text = payload.toString('utf8');
  return Buffer.from(text, 'utf8').equals(payload) && !text.includes('\u0000') ? text : null;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
