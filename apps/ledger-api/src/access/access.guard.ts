import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { forbidden, rateLimited, unauthenticated } from '../http/api-error.js';
import { ALLOWED_ROLES, PUBLIC_ROUTE } from './access.decorators.js';
import { bearerKey } from './api-key.js';
import { ApiKeyStore } from './api-key.store.js';
import type { Role } from './principal.js';
import { TokenBucketRateLimiter } from './rate-limiter.js';

/**
 * The global guard (APP_GUARD): every route is closed unless marked
 * @Public(). In order: who is calling (401), how often (429, per key), may
 * this role call this route (403). The rate limit comes before the role check
 * so that a key hammering routes it may not call is still slowed down.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyStore,
    private readonly limiter: TokenBucketRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets) === true) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = bearerKey(request.headers.authorization);
    if (key === null) throw unauthenticated('An API key is required: Authorization: Bearer <api key>');
    const principal = await this.keys.authenticate(key);
    if (principal === null) throw unauthenticated('The API key is unknown or revoked');
    request.principal = principal;
    const retryAfterSeconds = this.limiter.take(principal.principalId);
    if (retryAfterSeconds !== null) throw rateLimited(retryAfterSeconds);
    const roles = this.reflector.getAllAndOverride<readonly Role[] | undefined>(ALLOWED_ROLES, targets);
    if (roles !== undefined && !roles.includes(principal.role)) {
      throw forbidden(`Role ${principal.role} may not call this route (allowed: ${roles.join(', ')})`);
    }
    return true;
  }
}
