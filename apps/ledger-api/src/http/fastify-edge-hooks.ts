import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { unsupportedMediaType, validationFailed } from './api-error.js';
import { CORRELATION_ID_HEADER, correlationIdFrom } from './correlation.js';
import { settleIdempotencyClaim } from './idempotency/idempotency.interceptor.js';
import { IdempotencyStore } from './idempotency/idempotency.store.js';
import { bodyProblem, carriesBody, isJsonInUtf8 } from './validation.js';

/**
 * The parts of the edge that must see every request and every answer, also
 * those Nest never routes (unknown routes, bodies Fastify refuses): Fastify
 * hooks, added while Nest initialises, before the server is ready.
 * - onRequest: the correlation id, echoed in X-Correlation-Id; a body in
 *   anything but JSON in UTF-8 is 415 UNSUPPORTED_MEDIA_TYPE before a parser
 *   reads it.
 * - preValidation: a parsed body nested too deep, or holding null, a
 *   prototype key or text the ledger cannot store, is 400 VALIDATION_FAILED
 *   before anything walks it by recursion (the DTO pipe, the idempotency hash).
 * - onSend: the exact bytes of the answer to a request that claimed an
 *   Idempotency-Key, stored before they leave.
 */
@Injectable()
export class FastifyEdgeHooks implements OnModuleInit {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly idempotency: IdempotencyStore,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, reply, done) => {
      const correlationId = correlationIdFrom(request.headers[CORRELATION_ID_HEADER]);
      request.correlationId = correlationId;
      void reply.header(CORRELATION_ID_HEADER, correlationId);
      const contentType = request.headers['content-type'];
      done(carriesBody(request.headers) && !isJsonInUtf8(contentType) ? unsupportedMediaType(contentType) : undefined);
    });
    fastify.addHook('preValidation', (request, _reply, done) => {
      const found = bodyProblem(request.body);
      done(found === null ? undefined : validationFailed(`Invalid request: ${found.path} ${found.problem}`, { [found.path]: found.problem }));
    });
    fastify.addHook('onSend', async (request, reply, payload) => {
      const claim = request.idempotencyClaim;
      if (claim === undefined) return payload;
      request.idempotencyClaim = undefined;
      const contentType = reply.getHeader('content-type');
      await settleIdempotencyClaim(this.idempotency, this.logger, claim, {
        status: reply.statusCode,
        contentType: typeof contentType === 'string' ? contentType : null,
        payload,
      });
      return payload;
    });
  }
}
