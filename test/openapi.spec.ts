/**
 * The OpenAPI document (issue 9, item 3), against the running API on a real
 * PostgreSQL:
 * - GET /docs-json is a valid OpenAPI document (@readme/openapi-parser: the
 *   OpenAPI schema and the rules beyond it, e.g. path parameters declared);
 * - it is complete: every route Fastify serves is in it with its method, and
 *   every operation in it is served; every route says what it answers on
 *   success and which refusals it can give, and the refusals the edge really
 *   gives (probed over HTTP) are among them, with the error body documented;
 * - the answers of a deal's flow conform to the documented schemas;
 * - it cannot drift: the committed apps/ledger-api/openapi.json and the typed
 *   client's generated types are exactly what this server produces now.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, ResponseObject } from '@nestjs/swagger';
import { compileErrors, validate as validateOpenApi } from '@readme/openapi-parser';
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { createLedgerApiClient, type LedgerApiClient } from '#api-client';
import { readLedgerConfig } from '#configuration';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';
import { apiClientTypesOf } from '../apps/ledger-api/src/openapi/api-client-types.js';
import { API_CLIENT_TYPES_FILE, OPENAPI_DOCUMENT_FILE, buildOfflineOpenApiDocument, openApiDocumentText } from '../apps/ledger-api/src/openapi/offline-openapi-document.js';

const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
const CREDITS_EXPIRE_AT = '2030-06-01T00:00:00.000Z';
/**
 * Pages, not API routes, left out of the document on purpose
 * (@ApiExcludeController()): the document itself and its Swagger UI
 * (openapi.controller.ts), and the dashboard page (dashboard-page.controller.ts).
 * Public, and in the access matrix like every route.
 */
const PAGE_ROUTES = ['GET /docs', 'GET /docs-json', 'GET /docs/:file', 'GET /docs/swagger-ui-start.js', 'GET /dashboard', 'GET /dashboard/assets/:file'];
/** A value of each header its parser refuses with 400 VALIDATION_FAILED naming the header in `details`. */
const MALFORMED_HEADERS = { 'If-Match': 'not-a-revision', 'X-Min-Position': 'not-a-position', 'Idempotency-Key': 'k'.repeat(201) };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Fastify's own table of what it serves, from its onRoute hook (in place before Nest registers any route). */
const fastifyRoutes: string[] = [];
@Module({
  providers: [
    {
      provide: 'OPENAPI_SPEC_ROUTE_TABLE',
      inject: [HttpAdapterHost],
      useFactory: (host: HttpAdapterHost): string[] => {
        host.httpAdapter.getInstance<FastifyInstance>().addHook('onRoute', (route: RouteOptions) => {
          for (const method of [route.method].flat()) fastifyRoutes.push(`${method} ${route.url}`);
        });
        return fastifyRoutes;
      },
    },
  ],
})
class RouteTableModule {}

interface Operation {
  readonly route: string;
  readonly path: string;
  readonly method: (typeof METHODS)[number];
  readonly operation: OperationObject;
}

describe('the OpenAPI document', () => {
  let database: TestDatabase;
  let api: RunningLedgerApi;
  let served: OpenAPIObject;
  let servedText: string;
  let operations: Operation[];
  let admin: LedgerApiClient;
  const ajv = new Ajv({ strict: false, validateFormats: false, validateSchema: false, allErrors: true });

  const responsesOf = (operation: OperationObject): Record<string, ResponseObject> =>
    Object.fromEntries(Object.entries(operation.responses).map(([status, response]) => [status, resolve<ResponseObject>(response!)]));
  function resolve<T>(value: T | ReferenceObject): T {
    if (typeof value !== 'object' || value === null || !('$ref' in value)) return value as T;
    const pointer = value.$ref.replace(/^#\//, '').split('/');
    return pointer.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key.replaceAll('~1', '/').replaceAll('~0', '~')], served) as T;
  }
  const validators = new Map<string, ValidateFunction>();
  /** Checks an answer against what its operation documents for its status: a documented status, and a body of the documented schema. */
  function conformance(route: string, status: number, contentType: string | null, body: string): string[] {
    const found = operations.find((one) => one.route === route);
    if (found === undefined) return [`${route}: not in the document`];
    const response = responsesOf(found.operation)[String(status)];
    if (response === undefined) return [`${route}: answered ${status}, which it does not document (${Object.keys(found.operation.responses).join(', ')}): ${body.slice(0, 200)}`];
    const json = response.content?.['application/json'];
    if (json === undefined) return [];
    if (!(contentType ?? '').startsWith('application/json')) return [`${route} ${status}: documented as JSON, answered ${contentType}`];
    const key = `${route} ${status}`;
    let validate = validators.get(key);
    if (validate === undefined) {
      const pointer = `/paths/${found.path.replaceAll('~', '~0').replaceAll('/', '~1')}/${found.method}/responses/${status}/content/application~1json/schema`;
      validate = ajv.compile({ $ref: `openapi.json#${pointer}` });
      validators.set(key, validate);
    }
    return validate(JSON.parse(body)) ? [] : [`${route} ${status}: ${ajv.errorsText(validate.errors)}`];
  }
  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await startLedgerApi(
      readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY, LEDGER_RATE_LIMIT_PER_MINUTE: '1000000' }),
      { imports: [RouteTableModule], enforceDeadlines: false },
    );
    const response = await fetch(`${api.url}/docs-json`);
    expect(response.status).toBe(200);
    servedText = await response.text();
    served = JSON.parse(servedText) as OpenAPIObject;
    ajv.addSchema(dereferencedResponses(served), 'openapi.json');
    operations = Object.entries(served.paths).flatMap(([path, item]) =>
      METHODS.flatMap((method) => {
        const operation = item[method];
        return operation === undefined ? [] : [{ route: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, path, method, operation }];
      }),
    );
    admin = createLedgerApiClient({ baseUrl: api.url, apiKey: ADMIN_KEY });
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('is a valid OpenAPI document, by @readme/openapi-parser', async () => {
    const result = await validateOpenApi(structuredClone(served) as never);
    expect(result.valid ? 'valid' : compileErrors(result)).toBe('valid');
    expect(result.warnings).toEqual([]);
    expect(served.openapi).toMatch(/^3\./);
  });

  it('is exactly the committed apps/ledger-api/openapi.json, and so is the document built offline by npm run openapi:client', async () => {
    const committed = readFileSync(join(process.cwd(), OPENAPI_DOCUMENT_FILE), 'utf8');
    // Not toEqual on the text (a diff of 7,000 lines): the first path or component that differs.
    expect(firstDifference(JSON.parse(committed), served)).toBeNull();
    expect(openApiDocumentText(served)).toBe(committed);
    expect(openApiDocumentText(await buildOfflineOpenApiDocument())).toBe(committed);
  });

  it('generates exactly the committed client types of libs/api-client', async () => {
    expect(await apiClientTypesOf(served)).toBe(readFileSync(join(process.cwd(), API_CLIENT_TYPES_FILE), 'utf8'));
  });

  it('documents every route Fastify serves with its method, and only those', () => {
    const all = new Set(fastifyRoutes);
    const servedRoutes = [...all].filter((route) => !(route.startsWith('HEAD ') && all.has(`GET ${route.slice('HEAD '.length)}`)));
    const documented = operations.map((one) => one.route);
    expect({
      servedButUndocumented: servedRoutes.filter((route) => !documented.includes(route) && !PAGE_ROUTES.includes(route)).sort(),
      documentedButNotServed: documented.filter((route) => !servedRoutes.includes(route)).sort(),
    }).toEqual({ servedButUndocumented: [], documentedButNotServed: [] });
    expect(PAGE_ROUTES.filter((route) => !servedRoutes.includes(route))).toEqual([]);
  });

  it('gives every operation its success answer, and every command and query the refusals it can give, with the error body', () => {
    const problems: string[] = [];
    for (const { route, operation } of operations) {
      const statuses = Object.keys(operation.responses);
      const headers = (operation.parameters ?? []).map((parameter) => (parameter as ParameterObject).name);
      const expect = (condition: boolean, what: string): void => {
        if (!condition) problems.push(`${route}: ${what}`);
      };
      expect(statuses.some((status) => /^2\d\d$/.test(status)), 'no success answer');
      for (const [status, response] of Object.entries(responsesOf(operation))) {
        expect(typeof response.description === 'string' && response.description !== '', `${status} without description`);
        if (/^2\d\d$/.test(status) && status !== '204') expect(response.content !== undefined, `${status} without a body schema`);
        if (/^[45]\d\d$/.test(status) && route !== 'GET /health/ready') {
          expect(JSON.stringify(response.content?.['application/json']?.schema ?? {}).includes('#/components/schemas/ErrorBody'), `${status} not an ErrorBody`);
        }
      }
      if (route.startsWith('GET /health') || route === 'GET /metrics') {
        expect(operation.security?.length === 0, 'a public route that asks for a key');
        continue;
      }
      expect(JSON.stringify(operation.security) === JSON.stringify([{ 'api-key': [] }]), 'no bearer key');
      for (const status of ['401', '403', '429', '503']) expect(statuses.includes(status), `no ${status}`);
      if (route.startsWith('POST /v1/')) {
        for (const status of ['400', '409', '413', '415']) expect(statuses.includes(status), `command without ${status}`);
        expect(operation.requestBody !== undefined, 'command without a body');
      }
      if (route.startsWith('POST /v1/') && !route.startsWith('POST /v1/admin/')) expect(headers.includes('Idempotency-Key'), 'command without Idempotency-Key');
      if (/^POST \/v1\/\w[\w-]*\/:id\//.test(route)) {
        expect(headers.includes('If-Match'), 'command on an existing stream without If-Match');
        expect(statuses.includes('404'), 'command on an existing stream without 404');
      }
      if (/^GET \/v1\/(listings|deals|buy-requests|dashboard)/.test(route)) expect(headers.includes('X-Min-Position'), 'read-model query without X-Min-Position');
      if (route.includes('/:')) expect(statuses.includes('404'), 'a route naming a resource without 404');
    }
    expect(problems).toEqual([]);
  });

  it('documents every refusal the edge gives, and the headers each route reads (probed over HTTP)', async () => {
    const problems: string[] = [];
    const headersRead: string[] = [];
    const call = async (route: string, init: { url: string; method: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> => {
      const response = await fetch(`${api.url}${init.url}`, { method: init.method, headers: init.headers, body: init.body });
      const body = await response.text();
      problems.push(...conformance(route, response.status, response.headers.get('content-type'), body));
      return { status: response.status, body };
    };
    for (const { route, method } of operations) {
      const url = route.slice(method.length + 1).replace(/:(\w+)/g, (_match, name: string) => (name === 'id' ? 'not-a-uuid' : 'no-such-thing'));
      const post = method === 'post';
      const json = { 'content-type': 'application/json' };
      // No key; a key and an empty body; a body of another type; malformed If-Match and X-Min-Position.
      await call(route, { url, method: method.toUpperCase(), ...(post ? { headers: json, body: '{}' } : {}) });
      await call(route, { url, method: method.toUpperCase(), headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(post ? json : {}) }, ...(post ? { body: '{}' } : {}) });
      if (post) await call(route, { url, method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'text/plain' }, body: 'hello' });
      for (const [header, value] of Object.entries(MALFORMED_HEADERS)) {
        const answer = await call(route, { url: url.replace('not-a-uuid', '00000000-0000-4000-8000-000000000000'), method: method.toUpperCase(), headers: { authorization: `Bearer ${ADMIN_KEY}`, [header]: value, ...(post ? json : {}) }, ...(post ? { body: '{}' } : {}) });
        const readsIt = answer.status === 400 && header in ((JSON.parse(answer.body) as { details?: object }).details ?? {});
        if (readsIt) headersRead.push(`${route} ${header}`);
        const documentsIt = (operations.find((one) => one.route === route)!.operation.parameters ?? []).some((parameter) => (parameter as ParameterObject).name === header);
        if (readsIt && !documentsIt) problems.push(`${route}: reads ${header} but does not document it`);
      }
    }
    expect(problems).toEqual([]);
    // The probe reaches the headers: routes that read each were found (and so checked).
    expect(headersRead).toEqual(expect.arrayContaining(['POST /v1/deals/:id/terms If-Match', 'GET /v1/listings X-Min-Position', 'POST /v1/listings Idempotency-Key']));
  });

  it('answers a deal flow, through the typed client, in the documented shapes', async () => {
    const problems: string[] = [];
    const checked = async <T extends { response: Response; data?: unknown; error?: unknown }>(route: string, pending: Promise<T>): Promise<T> => {
      const result = await pending;
      problems.push(...conformance(route, result.response.status, result.response.headers.get('content-type'), JSON.stringify(result.data ?? result.error ?? null)));
      return result;
    };
    const broker = createLedgerApiClient({
      baseUrl: api.url,
      apiKey: (await checked('POST /v1/admin/api-keys', admin.POST('/v1/admin/api-keys', { body: { role: 'broker', principalId: 'broker-openapi' } }))).data!.key,
    });
    const listing = (
      await checked(
        'POST /v1/listings',
        broker.POST('/v1/listings', {
          body: { sellerId: 'seller-acme', provider: 'openai', creditType: 'prepaid_api', providerOrgRef: 'org-1', faceValueCents: '1000000', currency: 'USD', creditExpiresAt: CREDITS_EXPIRE_AT, askPriceCents: '600000' },
        }),
      )
    ).data!;
    const path = { id: listing.id };
    await checked(
      'POST /v1/listings/:id/verification',
      broker.POST('/v1/listings/{id}/verification', {
        params: { path },
        body: { verifiedFaceValueCents: '1000000', verifiedExpiresAt: CREDITS_EXPIRE_AT, evidence: { method: 'console', reference: 'shot-1', checkedAt: '2026-01-01T00:00:00Z' } },
      }),
    );
    const deal = { listingId: listing.id, buyerId: 'buyer-globex', faceValueCents: '400000', priceCents: '240000', commissionBps: 1_000 };
    await checked('POST /v1/deals/quote', broker.POST('/v1/deals/quote', { body: deal }));
    const opened = (await checked('POST /v1/deals', broker.POST('/v1/deals', { body: deal }))).data!;
    await checked('POST /v1/buy-requests', broker.POST('/v1/buy-requests', { body: { buyerId: 'buyer-b', provider: 'openai', creditTypes: ['prepaid_api'], faceValueCents: '100000', maxPriceBps: 9_000, minValidityDays: 1, deadline: '2029-01-01T00:00:00Z' } }));
    const minPosition = { header: { 'X-Min-Position': opened.position! } };
    await checked('GET /v1/listings', admin.GET('/v1/listings', { params: minPosition }));
    await checked('GET /v1/listings/:id', admin.GET('/v1/listings/{id}', { params: { path, ...minPosition } }));
    await checked('GET /v1/listings/:id/matches', admin.GET('/v1/listings/{id}/matches', { params: { path, ...minPosition } }));
    await checked('GET /v1/deals', admin.GET('/v1/deals', { params: minPosition }));
    await checked('GET /v1/deals/:id', admin.GET('/v1/deals/{id}', { params: { path: { id: opened.id }, ...minPosition } }));
    const requests = (await checked('GET /v1/buy-requests', admin.GET('/v1/buy-requests', { params: minPosition }))).data!;
    await checked('GET /v1/buy-requests/:id/matches', admin.GET('/v1/buy-requests/{id}/matches', { params: { path: { id: requests.items[0]!.id } } }));
    await checked('GET /v1/dashboard/summary', admin.GET('/v1/dashboard/summary', { params: minPosition }));
    await checked('GET /v1/ledger/journal', admin.GET('/v1/ledger/journal', { params: { query: { dealId: opened.id } } }));
    await checked('GET /v1/ledger/accounts', admin.GET('/v1/ledger/accounts'));
    await checked('GET /v1/audit/events', admin.GET('/v1/audit/events'));
    await checked('GET /v1/audit/streams/:stream', admin.GET('/v1/audit/streams/{stream}', { params: { path: { stream: `deal-${opened.id}` } } }));
    await checked('GET /v1/audit/streams/:stream/verification', admin.GET('/v1/audit/streams/{stream}/verification', { params: { path: { stream: `deal-${opened.id}` } } }));
    await checked('GET /v1/audit/deals/:id/timeline', admin.GET('/v1/audit/deals/{id}/timeline', { params: { path: { id: opened.id } } }));
    await checked('GET /health/ready', admin.GET('/health/ready'));
    await checked('GET /health/live', admin.GET('/health/live'));
    expect(problems).toEqual([]);
    // The check has teeth: an answer of another shape is named.
    expect(conformance('GET /v1/listings/:id', 200, 'application/json', JSON.stringify({ ...listing, status: 'lost', faceValueCents: 1_000 }))).toEqual([
      expect.stringMatching(/^GET \/v1\/listings\/:id 200: .*status.*faceValueCents|^GET \/v1\/listings\/:id 200: .*faceValueCents.*status/),
    ]);
  });
});

/** The document with every response `$ref` replaced by its component, so a JSON pointer into paths reaches its schema. */
function dereferencedResponses(document: OpenAPIObject): OpenAPIObject {
  const copy = structuredClone(document);
  for (const item of Object.values(copy.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (response !== undefined && '$ref' in response) operation.responses[status] = copy.components!.responses![(response as ReferenceObject).$ref.split('/').pop()!]!;
      }
    }
  }
  return copy;
}

/** The first path (JSON pointer) at which two JSON values differ, or null. */
function firstDifference(expected: unknown, actual: unknown, at = ''): string | null {
  if (typeof expected !== 'object' || expected === null || typeof actual !== 'object' || actual === null) {
    return JSON.stringify(expected) === JSON.stringify(actual) ? null : `${at}: committed ${JSON.stringify(expected)?.slice(0, 200)}, served ${JSON.stringify(actual)?.slice(0, 200)}`;
  }
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const key of keys) {
    const found = firstDifference((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], `${at}/${key}`);
    if (found !== null) return found;
  }
  return null;
}
