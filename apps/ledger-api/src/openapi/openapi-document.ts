/**
 * The OpenAPI document of the API, built from the application itself.
 *
 * Three sources, each where the knowledge lives:
 * - @nestjs/swagger scans the controllers: every route, its path and query
 *   parameters and its request body. The DTOs' fields are documented by the
 *   field rules that validate them (validation/field-rules.ts), and the
 *   If-Match and X-Min-Position headers by the parameter decorators that
 *   read them (http/if-match.ts, http/min-position.ts).
 * - route-answers.ts: what each route answers on success (answer-schemas.ts).
 * - Here, the refusals and headers of the HTTP edge. They come from rules
 *   that apply by how a route is declared, not from the route's code: the
 *   access guard (a key, 401/403/429, unless @Public()), the validation pipe
 *   and the body hooks (400, 413, 415), Idempotency-Key (POST and DELETE
 *   under /v1 but the admin routes: isIdempotentCommandRoute), the error
 *   mapping (404 for *_NOT_FOUND, 409 for business rejections, 503). They are
 *   derived from the same declarations the edge reads, so a route declared
 *   differently is documented differently.
 *
 * The plugin of the Nest CLI, which infers much of this from types, does not
 * run: the build is plain tsc.
 */
import type { INestApplication, Type } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import {
  DECORATORS,
  DocumentBuilder,
  SwaggerModule,
  type HeaderObject,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type ResponseObject,
  type SchemaObject,
} from '@nestjs/swagger';
import { DOMAIN_ERROR_CODES, isForbiddenCode, isInputErrorCode, isNotFoundCode } from '#domain';
import { declaredAccess } from '../access/access.decorators.js';
import type { Role } from '../access/principal.js';
import { ANSWER_SCHEMAS } from './answer-schemas.js';
import { ROUTE_DOCUMENTATION, type RouteAnswer } from './route-answers.js';

export const BEARER_SCHEME = 'api-key';

/** A route Nest serves, as the access guard and the idempotency interceptor see it. */
export interface DocumentedRoute {
  /** `METHOD /path/:param`, as Fastify registers it. */
  readonly route: string;
  readonly method: string;
  readonly openApiPath: string;
  readonly access: 'public' | readonly Role[] | null;
}

/** Edge refusals that are the same for every route: one reusable response each. */
const EDGE_REFUSALS = {
  ValidationFailed: refusal(400, 'Invalid request: a malformed field, parameter or header (`details` names each)', ['VALIDATION_FAILED']),
  Unauthenticated: refusal(401, 'No API key, or an unknown or revoked one', ['UNAUTHENTICATED']),
  Forbidden: refusal(403, "The caller's role may not call this route, or the caller may not manage what another broker opened", [
    'FORBIDDEN',
    ...DOMAIN_ERROR_CODES.filter(isForbiddenCode),
  ]),
  NotFound: refusal(404, "No such stream or resource (another broker's deal answers exactly as a missing one)", ['NOT_FOUND', ...DOMAIN_ERROR_CODES.filter(isNotFoundCode)]),
  Conflict: refusal(409, 'A business rejection (stable code), If-Match that no longer holds, or an Idempotency-Key used for another request', [
    ...DOMAIN_ERROR_CODES.filter((code) => !isNotFoundCode(code) && !isForbiddenCode(code) && !isInputErrorCode(code)),
    'CONCURRENCY_CONFLICT',
    'DUPLICATE_EVENT_ID',
    'IDEMPOTENCY_KEY_REUSED',
    'IDEMPOTENCY_REQUEST_IN_PROGRESS',
    'PRINCIPAL_EXISTS',
    'CONFLICT',
  ]),
  PayloadTooLarge: refusal(413, 'The request body is over 64 kB', ['PAYLOAD_TOO_LARGE']),
  UnsupportedMediaType: refusal(415, 'The request body is not JSON in UTF-8', ['UNSUPPORTED_MEDIA_TYPE']),
  RateLimited: refusal(429, 'Too many requests for this API key: wait Retry-After seconds', ['RATE_LIMITED'], true),
  Unavailable: refusal(503, 'The event store or database is unavailable, a statement ran past its time limit, or the read models did not reach X-Min-Position in time', [
    'UNAVAILABLE',
    'DATABASE_TIMEOUT',
    'READ_MODEL_BEHIND',
  ], true),
  InternalError: refusal(500, "A fault of ours, logged under the answer's X-Correlation-Id", ['INTERNAL_ERROR']),
} as const;

type Refusal = keyof typeof EDGE_REFUSALS;

const CORRELATION_ID: ParameterObject = {
  name: 'X-Correlation-Id',
  in: 'header',
  required: false,
  description: "Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one",
  schema: { type: 'string', maxLength: 100 },
};

const IDEMPOTENCY_KEY: ParameterObject = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal',
  schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x20-\\x7E]+$' },
};

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('AI-credit ledger API')
    .setDescription(
      'The system of record for brokered AI-credit deals (shared/API.md). Amounts are decimal strings of whole cents; times are ISO 8601. ' +
        'Commands answer `{id, streamRevision, position}`: send `streamRevision` back as If-Match, and `position` as X-Min-Position to read your own write.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <api key>` (POST /v1/admin/api-keys issues them)' }, BEARER_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    autoTagControllers: false,
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...ANSWER_SCHEMAS },
    responses: Object.fromEntries(Object.entries(EDGE_REFUSALS).map(([name, { response }]) => [name, response])),
    headers: { 'X-Correlation-Id': { description: "The request's correlation id", schema: { type: 'string' } } },
  };
  for (const route of documentedRoutes(app)) {
    const operation = document.paths[route.openApiPath]?.[route.method.toLowerCase() as 'get' | 'post' | 'delete'];
    if (operation !== undefined) describeEdge(operation, route);
  }
  document.paths = Object.fromEntries(Object.entries(document.paths).sort(([a], [b]) => a.localeCompare(b)));
  return document;
}

/** Every route of every controller in the document (not @ApiExcludeController()), read as the edge reads it. */
export function documentedRoutes(app: INestApplication): DocumentedRoute[] {
  const reflector = app.get(Reflector);
  const scanner = new MetadataScanner();
  const routes: DocumentedRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (controller === null || Reflect.getMetadata(DECORATORS.API_EXCLUDE_CONTROLLER, controller)?.[0] === true) continue;
      const prototype = controller.prototype as Record<string, (...args: unknown[]) => unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name]!;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        for (const base of pathsOf(Reflect.getMetadata(PATH_METADATA, controller))) {
          for (const path of pathsOf(Reflect.getMetadata(PATH_METADATA, handler))) {
            const fastifyPath = joinPath(base, path);
            routes.push({
              route: `${RequestMethod[method]} ${fastifyPath}`,
              method: RequestMethod[method],
              openApiPath: fastifyPath.replace(/:(\w+)/g, '{$1}'),
              access: declaredAccess(reflector, handler, controller),
            });
          }
        }
      }
    }
  }
  return routes;
}

function describeEdge(operation: OperationObject, route: DocumentedRoute): void {
  const documentation = ROUTE_DOCUMENTATION[route.route];
  const isPublic = route.access === 'public';
  const hasBody = operation.requestBody !== undefined;
  const idempotent = isIdempotentCommand(route);
  const names = new Set((operation.parameters ?? []).map((parameter) => (parameter as ParameterObject).name));
  operation.tags = [tagOf(route.openApiPath)];
  if (documentation !== undefined) operation.summary = documentation.summary;
  operation.security = isPublic ? [] : [{ [BEARER_SCHEME]: [] }];
  if (!isPublic) {
    const roles = route.access === null ? 'none: every caller is refused' : route.access.join(', ');
    operation.description = [operation.description, `Roles: ${roles}.`].filter(Boolean).join('\n\n');
  }
  operation.parameters = [...(operation.parameters ?? []).map(ledgerIdParameter), ...(idempotent ? [IDEMPOTENCY_KEY] : []), CORRELATION_ID];

  const refusals: Refusal[] = [];
  const takesInput = hasBody || idempotent || names.size > 0;
  if (takesInput) refusals.push('ValidationFailed');
  if (!isPublic) refusals.push('Unauthenticated', 'Forbidden');
  if (route.openApiPath.includes('{') || documentation?.notFoundFromBody === true) refusals.push('NotFound');
  if (route.method === 'POST') refusals.push('Conflict');
  if (hasBody) refusals.push('PayloadTooLarge', 'UnsupportedMediaType');
  if (!isPublic) refusals.push('RateLimited', 'Unavailable');
  refusals.push('InternalError');

  const responses: Record<string, ResponseObject | ReferenceObject> = {};
  for (const [status, answer] of Object.entries(documentation?.answers ?? {})) responses[status] = successResponse(answer, idempotent);
  for (const name of refusals) {
    const status = String(EDGE_REFUSALS[name].status);
    if (responses[status] === undefined) responses[status] = { $ref: `#/components/responses/${name}` };
  }
  operation.responses = responses;
}

/**
 * Path parameter `id` names a stream of the ledger on every route that has
 * one, parsed by ParseUUIDPipe (a malformed one is 400): a UUID.
 */
function ledgerIdParameter(parameter: ParameterObject | ReferenceObject): ParameterObject | ReferenceObject {
  if ('$ref' in parameter || parameter.in !== 'path' || parameter.name !== 'id') return parameter;
  return { ...parameter, schema: { type: 'string', format: 'uuid' } };
}

function successResponse(answer: RouteAnswer, idempotent: boolean): ResponseObject {
  const headers: Record<string, HeaderObject | ReferenceObject> = { 'X-Correlation-Id': { $ref: '#/components/headers/X-Correlation-Id' } };
  if (idempotent) headers['Idempotent-Replayed'] = { description: 'true: the answer replays the first request with this Idempotency-Key', schema: { type: 'string', enum: ['true'] } };
  const content = answer.schema !== undefined ? { 'application/json': { schema: { $ref: `#/components/schemas/${answer.schema}` } } } : answer.content;
  return { description: answer.description, headers, ...(content === undefined ? {} : { content: { ...content } }) };
}

/** As IdempotencyInterceptor decides it (isIdempotentCommandRoute): POST and DELETE under /v1, but not the admin routes. */
function isIdempotentCommand(route: DocumentedRoute): boolean {
  const path = route.route.slice(route.method.length + 1);
  return (route.method === 'POST' || route.method === 'DELETE') && path.startsWith('/v1/') && !path.startsWith('/v1/admin/');
}

function tagOf(path: string): string {
  const [first, second] = path.split('/').filter((segment) => segment !== '');
  return first === 'v1' ? (second ?? 'v1') : 'operations';
}

function refusal(status: number, description: string, codes: readonly string[], retryAfter = false): { status: number; response: ResponseObject } {
  const errorBody: SchemaObject = {
    allOf: [{ $ref: '#/components/schemas/ErrorBody' }, { type: 'object', properties: { statusCode: { type: 'integer', enum: [status] }, code: { type: 'string', enum: [...new Set(codes)] } } }],
  };
  const headers: Record<string, HeaderObject | ReferenceObject> = { 'X-Correlation-Id': { $ref: '#/components/headers/X-Correlation-Id' } };
  if (retryAfter) headers['Retry-After'] = { description: 'Seconds to wait before trying again', schema: { type: 'integer' } };
  return { status, response: { description: `${description}. Codes: ${[...new Set(codes)].join(', ')}`, headers, content: { 'application/json': { schema: errorBody } } } };
}

function pathsOf(metadata: unknown): string[] {
  if (metadata === undefined) return [''];
  return [metadata as string | string[]].flat();
}

function joinPath(...parts: string[]): string {
  return `/${parts.flatMap((part) => part.split('/')).filter((segment) => segment !== '').join('/')}`;
}
