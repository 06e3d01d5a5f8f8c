/**
 * Deny by default, checked against what really runs: every route the API
 * serves (Fastify's route table, joined to Nest's handlers found by
 * discovery) declares who may call it, appears in docs/security/access-matrix.md,
 * and every cell of that table (route x caller) holds over HTTP on a real
 * PostgreSQL. Refused callers, and the dashboard and compliance keys, record
 * no fact.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Module, RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryModule, DiscoveryService, HttpAdapterHost, MetadataScanner, Reflector } from '@nestjs/core';
import type { FastifyInstance, RouteOptions } from 'fastify';
import pg from 'pg';
import { readLedgerConfig } from '#configuration';
import { createTestDatabase, type TestDatabase } from '#testing';
import { declaredAccess } from '../apps/ledger-api/src/access/access.decorators.js';
import type { Role } from '../apps/ledger-api/src/access/principal.js';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';
import { EdgeProbeModule } from './support/edge-probe.module.js';

const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
const MATRIX_FILE = join(process.cwd(), 'docs/security/access-matrix.md');
const CALLERS = ['anonymous', 'bad key', 'revoked key', 'broker', 'compliance', 'dashboard', 'admin'] as const;
type Caller = (typeof CALLERS)[number];
/** Callers that must never record a fact: every call they make is measured against the log. */
const NON_RECORDING_CALLERS: readonly Caller[] = ['anonymous', 'bad key', 'revoked key', 'dashboard', 'compliance'];
const CREDITS_EXPIRE_AT = '2030-06-01T00:00:00.000Z';
const BROKER_ID = 'broker-matrix';

/** Fastify's own table of what it serves: recorded from its onRoute hook, which is in place before Nest registers any route. */
const ROUTE_TABLE = Symbol('ROUTE_TABLE');
const fastifyRoutes: string[] = [];

@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: ROUTE_TABLE,
      inject: [HttpAdapterHost],
      useFactory: (host: HttpAdapterHost): string[] => {
        const fastify = host.httpAdapter.getInstance<FastifyInstance>();
        fastify.addHook('onRoute', (route: RouteOptions) => {
          for (const method of [route.method].flat()) fastifyRoutes.push(`${method} ${route.url}`);
        });
        return fastifyRoutes;
      },
    },
  ],
})
class RouteTableModule {}

/** A route someone forgot to declare: the check below must name it, and the guard must refuse it. */
@Controller('v1/probes/undeclared')
class UndeclaredRouteController {
  @Get()
  reached(): { reached: true } {
    return { reached: true };
  }
}

@Module({ controllers: [UndeclaredRouteController] })
class UndeclaredRouteModule {}

/** Modules mounted only by tests: their routes are checked for a declaration but are not in the product's table. */
const TEST_ONLY_MODULES: ReadonlyArray<Type<unknown>> = [EdgeProbeModule, UndeclaredRouteModule, RouteTableModule];

interface HandledRoute {
  /** `METHOD /path` as Fastify registers it, e.g. `POST /v1/deals/:id/terms`. */
  readonly route: string;
  readonly access: 'public' | readonly Role[] | null;
  readonly handler: string;
  readonly testOnly: boolean;
}

/** Every route of every controller Nest knows, with what it declares (read as the guard reads it). */
function handledRoutes(api: RunningLedgerApi): HandledRoute[] {
  const discovery = api.app.get(DiscoveryService);
  const reflector = api.app.get(Reflector);
  const scanner = new MetadataScanner();
  const routes: HandledRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as Type<unknown> | null;
    if (controller === null) continue;
    const testOnly = TEST_ONLY_MODULES.includes(wrapper.host?.metatype as Type<unknown>);
    const prototype = controller.prototype as Record<string, (...args: unknown[]) => unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name]!;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      for (const base of pathsOf(Reflect.getMetadata(PATH_METADATA, controller))) {
        for (const path of pathsOf(Reflect.getMetadata(PATH_METADATA, handler))) {
          routes.push({
            route: `${RequestMethod[method]} ${joinPath(base, path)}`,
            access: declaredAccess(reflector, handler, controller),
            handler: `${controller.name}.${name}`,
            testOnly,
          });
        }
      }
    }
  }
  return routes;
}

function pathsOf(metadata: unknown): string[] {
  if (metadata === undefined) return [''];
  return [metadata as string | string[]].flat();
}

function joinPath(...parts: string[]): string {
  return `/${parts.flatMap((part) => part.split('/')).filter((segment) => segment !== '').join('/')}`;
}

/** Fastify's routes, without the HEAD routes it adds beside each GET (they run the GET's handler, guard included). */
function servedRoutes(): string[] {
  const served = new Set(fastifyRoutes);
  return [...served].filter((route) => !(route.startsWith('HEAD ') && served.has(`GET ${route.slice('HEAD '.length)}`))).sort();
}

type Cell = 'allowed' | '401' | '403';

/** The table of docs/security/access-matrix.md: route -> caller -> expected outcome. */
function readMatrix(): Map<string, Record<Caller, Cell>> {
  const rows = readFileSync(MATRIX_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim().replaceAll('`', '')));
  const [header, separator, ...body] = rows;
  expect(header).toEqual(['route', ...CALLERS]);
  expect(separator!.every((cell) => /^:?-+:?$/.test(cell))).toBe(true);
  const matrix = new Map<string, Record<Caller, Cell>>();
  for (const [route, ...cells] of body) {
    expect({ route, cells: cells.filter((cell) => !['allowed', '401', '403'].includes(cell)) }).toEqual({ route, cells: [] });
    expect(matrix.has(route!)).toBe(false);
    matrix.set(route!, Object.fromEntries(CALLERS.map((caller, index) => [caller, cells[index]])) as Record<Caller, Cell>);
  }
  return matrix;
}

describe('the access matrix', () => {
  let api: RunningLedgerApi;
  let database: TestDatabase;
  let routes: HandledRoute[];
  const keys = new Map<Caller, string | null>();
  const seeded = { listingId: '', dealId: '', buyRequestId: '' };

  const bearer = (key: string | null): Record<string, string> => (key === null ? {} : { authorization: `Bearer ${key}` });
  const post = async (url: string, payload: object, key: string): Promise<Record<string, unknown>> => {
    const response = await api.app.inject({ method: 'POST', url, payload, headers: bearer(key) });
    expect({ url, ok: response.statusCode === 200 || response.statusCode === 201, body: response.json() }).toMatchObject({ url, ok: true });
    return response.json<Record<string, unknown>>();
  };
  const issueKey = async (principalId: string, role: Role): Promise<string> => (await post('/v1/admin/api-keys', { role, principalId }, ADMIN_KEY)).key as string;
  const eventCount = async (): Promise<{ events: string; lastSequence: string | null }> => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const result = await client.query<{ events: string; last_sequence: string | null }>('SELECT count(*) AS events, max(global_seq) AS last_sequence FROM ledger_events');
      return { events: result.rows[0]!.events, lastSequence: result.rows[0]!.last_sequence };
    } finally {
      await client.end();
    }
  };

  /** A request that would record a fact if the caller were let through: ids of seeded streams, bodies that pass validation. */
  function requestOf(route: string): { method: 'GET' | 'POST' | 'DELETE'; url: string; payload?: object } {
    const [method, pattern] = route.split(' ') as ['GET' | 'POST' | 'DELETE', string];
    const url = pattern.replace(/:(\w+)/g, (_match, name: string) => {
      if (name === 'stream') return `deal-${seeded.dealId}`;
      if (name === 'account') return 'cash';
      if (name === 'principalId') return 'nobody-has-this-principal';
      if (pattern.startsWith('/v1/listings/')) return seeded.listingId;
      if (pattern.startsWith('/v1/buy-requests/')) return seeded.buyRequestId;
      return seeded.dealId;
    });
    return method === 'GET' ? { method, url } : { method, url, payload: bodyOf(route) };
  }

  function bodyOf(route: string): object {
    const deal = { listingId: seeded.listingId, buyerId: 'buyer-globex', brokerId: BROKER_ID, faceValueCents: '100000', priceCents: '60000', commissionBps: 1_000 };
    const bodies: Record<string, object> = {
      'POST /v1/listings': listingBody(),
      'POST /v1/listings/:id/verification': verificationBody(),
      'POST /v1/listings/:id/verification-failure': { reason: 'the provider console shows less' },
      'POST /v1/listings/:id/price': { askPriceCents: '550000' },
      'POST /v1/listings/:id/withdrawal': { reason: 'the seller keeps the credits' },
      'POST /v1/deals': deal,
      'POST /v1/deals/quote': deal,
      'POST /v1/deals/:id/terms': { priceCents: '61000' },
      'POST /v1/deals/:id/approvals': { party: 'seller', termsVersion: 1 },
      'POST /v1/deals/:id/rejections': { party: 'buyer', reason: 'the buyer changed its mind' },
      'POST /v1/deals/:id/payments': { amountCents: '1000', paymentRef: 'wire-matrix' },
      'POST /v1/deals/:id/transfer': { mechanism: 'organization_membership', reference: 'org-invite-matrix' },
      'POST /v1/deals/:id/transfer/confirmation': { confirmedFaceValueCents: '100000', evidence: { method: 'provider_console', reference: 'member-added' } },
      'POST /v1/deals/:id/transfer/failure': { reason: 'the invitation bounced' },
      'POST /v1/deals/:id/payout': { payoutRef: 'payout-matrix' },
      'POST /v1/deals/:id/cancellation': { reason: 'the buyer walked away' },
      'POST /v1/deals/:id/disputes': { reason: 'the credits never arrived' },
      'POST /v1/deals/:id/disputes/resolution': { outcome: 'refund_buyer' },
      'POST /v1/deals/:id/broker': { brokerId: 'broker-matrix-successor' },
      'POST /v1/buy-requests': buyRequestBody(),
      'POST /v1/buy-requests/:id/amendment': { faceValueCents: '500000' },
      'POST /v1/buy-requests/:id/cancellation': { reason: 'the buyer found credits elsewhere' },
      'POST /v1/admin/api-keys': { role: 'admin', principalId: 'promoted-by-matrix' },
    };
    return bodies[route] ?? {};
  }

  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await startLedgerApi(
      readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY, LEDGER_RATE_LIMIT_PER_MINUTE: '1000000' }),
      { imports: [RouteTableModule, EdgeProbeModule, UndeclaredRouteModule] },
    );
    routes = handledRoutes(api);

    keys.set('anonymous', null);
    keys.set('bad key', `lk_broker_${randomBytes(24).toString('base64url')}`);
    keys.set('revoked key', await issueKey('broker-revoked', 'broker'));
    expect((await api.app.inject({ method: 'DELETE', url: '/v1/admin/api-keys/broker-revoked', headers: bearer(ADMIN_KEY) })).statusCode).toBe(204);
    keys.set('broker', await issueKey(BROKER_ID, 'broker'));
    keys.set('compliance', await issueKey('compliance-matrix', 'compliance'));
    keys.set('dashboard', await issueKey('dashboard-matrix', 'dashboard'));
    keys.set('admin', ADMIN_KEY);

    // Streams the broker owns, so that a refused call naming them would change them were it let through.
    const broker = keys.get('broker')!;
    seeded.listingId = (await post('/v1/listings', listingBody(), broker)).id as string;
    await post(`/v1/listings/${seeded.listingId}/verification`, verificationBody(), broker);
    const { brokerId: _brokerId, ...dealBody } = bodyOf('POST /v1/deals') as Record<string, unknown>;
    seeded.dealId = (await post('/v1/deals', dealBody, broker)).id as string;
    seeded.buyRequestId = (await post('/v1/buy-requests', buyRequestBody(), broker)).id as string;
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('serves through Fastify exactly the routes of Nest controllers, so none bypasses the access guard', () => {
    expect(servedRoutes()).toEqual([...new Set(routes.map((route) => route.route))].sort());
  });

  it('finds a declaration on every route: @Public() or @Roles(...), on the route or its controller', () => {
    const undeclared = routes.filter((route) => route.access === null && !route.handler.startsWith(UndeclaredRouteController.name));
    expect(undeclared.map((route) => `${route.route} (${route.handler})`)).toEqual([]);
  });

  it('names a route without a declaration, and the guard refuses it to every caller at run time', async () => {
    expect(routes.filter((route) => route.access === null).map((route) => route.route)).toEqual(['GET /v1/probes/undeclared']);
    for (const caller of CALLERS) {
      const response = await api.app.inject({ method: 'GET', url: '/v1/probes/undeclared', headers: bearer(keys.get(caller)!) });
      const expected = ['anonymous', 'bad key', 'revoked key'].includes(caller) ? { statusCode: 401, code: 'UNAUTHENTICATED' } : { statusCode: 403, code: 'FORBIDDEN' };
      expect({ caller, answer: response.json() }).toMatchObject({ caller, answer: expected });
    }
  });

  it('has one row in the matrix for every route of the product, and no row that no route serves', () => {
    const product = new Set(routes.filter((route) => !route.testOnly).map((route) => route.route));
    const rows = new Set(readMatrix().keys());
    expect({
      routesMissingFromTheMatrix: [...product].filter((route) => !rows.has(route)),
      rowsNoRouteServes: [...rows].filter((route) => !product.has(route)),
    }).toEqual({ routesMissingFromTheMatrix: [], rowsNoRouteServes: [] });
  });

  it('answers every route to every caller as the matrix says, and the refused callers, dashboard and compliance record no fact', async () => {
    const matrix = readMatrix();
    const mismatches: string[] = [];
    const call = async (route: string, caller: Caller): Promise<void> => {
      const expected = matrix.get(route)![caller];
      const response = await api.app.inject({ ...requestOf(route), headers: bearer(keys.get(caller)!) });
      const outcome = response.statusCode === 401 || response.statusCode === 403 ? String(response.statusCode) : 'allowed';
      const code = outcome === 'allowed' ? undefined : response.json<{ code: string }>().code;
      const expectedCode = { allowed: undefined, '401': 'UNAUTHENTICATED', '403': 'FORBIDDEN' }[expected];
      if (outcome !== expected || code !== expectedCode) mismatches.push(`${route} as ${caller}: expected ${expected}, got ${response.statusCode} ${code ?? ''}`.trim());
    };

    const before = await eventCount();
    for (const caller of NON_RECORDING_CALLERS) for (const route of matrix.keys()) await call(route, caller);
    const afterNonRecording = await eventCount();
    for (const caller of CALLERS.filter((one) => !NON_RECORDING_CALLERS.includes(one))) for (const route of matrix.keys()) await call(route, caller);

    expect(mismatches).toEqual([]);
    expect(afterNonRecording).toEqual(before);
    // The broker and the admin did get through to the commands: the same requests recorded facts for them.
    expect(Number((await eventCount()).events)).toBeGreaterThan(Number(before.events));
  });
});

function listingBody(): object {
  return {
    sellerId: 'seller-acme',
    provider: 'openai',
    creditType: 'prepaid_api',
    providerOrgRef: 'org-acme-123',
    faceValueCents: '1000000',
    currency: 'USD',
    creditExpiresAt: CREDITS_EXPIRE_AT,
    askPriceCents: '600000',
  };
}

function verificationBody(): object {
  return {
    verifiedFaceValueCents: '1000000',
    verifiedExpiresAt: CREDITS_EXPIRE_AT,
    evidence: { method: 'provider_dashboard', reference: 'screenshot-42', checkedAt: '2026-11-20T09:00:00Z' },
  };
}

function buyRequestBody(): object {
  return {
    buyerId: 'buyer-globex',
    provider: 'openai',
    creditTypes: ['prepaid_api'],
    faceValueCents: '1000000',
    maxPriceBps: 6_000,
    minValidityDays: 30,
    deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  };
}
