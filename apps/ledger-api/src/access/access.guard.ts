import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { forbidden, rateLimited, unauthenticated } from '../http/api-error.js';
import { declaredAccess } from './access.decorators.js';
import { bearerKey } from './api-key.js';
import { ApiKeyStore } from './api-key.store.js';
import { PerKeyRateLimit } from './per-key-rate-limit.js';

/**
 * The global guard (APP_GUARD): every route is closed unless marked
 * @Public(). In order: who is calling (401), how often (429, per key), may
 * this role call this route (403, also when the route declares no roles:
 * deny by default). The rate limit comes before the role check so that a key
 * hammering routes it may not call is still slowed down.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyStore,
    private readonly limiter: PerKeyRateLimit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = declaredAccess(this.reflector, context.getHandler(), context.getClass());
    if (access === 'public') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = bearerKey(request.headers.authorization);
    if (key === null) throw unauthenticated('An API key is required: Authorization: Bearer <api key>');
    const principal = await this.keys.authenticate(key);
    if (principal === null) throw unauthenticated('The API key is unknown or revoked');
    request.principal = principal;
    const retryAfterSeconds = await this.limiter.take(principal.principalId);
    if (retryAfterSeconds !== null) throw rateLimited(retryAfterSeconds);
    // Deny by default: a route that declares no roles is closed to every caller, not open to all.
    if (access === null) throw forbidden('No role may call this route: it declares none');
    if (!access.includes(principal.role)) {
      throw forbidden(`Role ${principal.role} may not call this route (allowed: ${access.join(', ')})`);
    }
    return true;
  }
}
