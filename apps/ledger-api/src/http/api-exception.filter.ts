import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describeError } from './error-mapping.js';

/**
 * Every error answer of the API goes out here, in the body of shared/API.md:
 * `{ statusCode, code, message, details? }`. Registered globally (APP_FILTER),
 * so it also answers Fastify's own refusals (malformed JSON, body too large)
 * and unknown routes, which Nest routes to the global filters.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const answer = describeError(exception);
    if (answer.fault) {
      const where = `${request.method} ${request.url} correlation ${request.correlationId ?? 'none'}`;
      this.logger.error(`${answer.body.code} on ${where}`, exception instanceof Error ? exception.stack : String(exception));
    }
    if (reply.sent) return;
    if (answer.retryAfterSeconds !== undefined) void reply.header('retry-after', String(answer.retryAfterSeconds));
    void reply.status(answer.body.statusCode).header('content-type', 'application/json; charset=utf-8').send(answer.body);
  }
}
