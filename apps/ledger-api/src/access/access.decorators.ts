import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Principal, Role } from './principal.js';

/**
 * Every route declares who may call it, on the route or on its controller:
 * @Public() or @Roles(...). A route that declares neither is refused to every
 * caller (deny by default: 401 without a valid key, else 403), so a route
 * added without thought is closed, not open; test/access-matrix.spec.ts
 * names any such route.
 */

export const PUBLIC_ROUTE = 'ledger:public-route';
export const ALLOWED_ROLES = 'ledger:allowed-roles';

/** The route answers without an API key (health probes, metrics). Every other route needs one. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/**
 * Only these roles may call the route (403 FORBIDDEN for the others). On a
 * controller it covers each route; on a route it replaces the controller's.
 */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator => SetMetadata(ALLOWED_ROLES, roles);

/** A route handler or a controller class, as Reflector reads metadata from them. */
type MetadataTarget = Parameters<Reflector['getAllAndOverride']>[1][number];

/**
 * What a route declares, read as the guard reads it: 'public', the roles that
 * may call it, or null when it declares nothing (refused). @Public() wins
 * over @Roles(); a route's declaration replaces its controller's.
 */
export function declaredAccess(reflector: Reflector, route: MetadataTarget, controller: MetadataTarget): 'public' | readonly Role[] | null {
  const targets = [route, controller];
  if (reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets) === true) return 'public';
  return reflector.getAllAndOverride<readonly Role[] | undefined>(ALLOWED_ROLES, targets) ?? null;
}

/** The authenticated principal `{ principalId, role }`; only on routes that are not @Public(). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
  if (principal === undefined) throw new Error('@CurrentPrincipal() on a route without an authenticated principal (is it @Public()?)');
  return principal;
});
