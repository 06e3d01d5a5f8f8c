import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal, Role } from './principal.js';

export const PUBLIC_ROUTE = 'ledger:public-route';
export const ALLOWED_ROLES = 'ledger:allowed-roles';

/** The route answers without an API key (health probes). Every other route needs one. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/**
 * Only these roles may call the route (403 FORBIDDEN for the others). On a
 * controller it covers each route; on a route it replaces the controller's.
 * A route without it is open to every authenticated principal.
 */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator => SetMetadata(ALLOWED_ROLES, roles);

/** The authenticated principal `{ principalId, role }`; only on routes that are not @Public(). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
  if (principal === undefined) throw new Error('@CurrentPrincipal() on a route without an authenticated principal (is it @Public()?)');
  return principal;
});
