/**
 * The API's limits (issue 7, item 4), over HTTP on a real PostgreSQL: the
 * per-key rate limit, the 64 kB body limit, a bound on every field of every
 * request the routes take, the statement timeout, and the security headers.
 */
import { Controller, Get, Module, type Type } from '@nestjs/common';
import { PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { DiscoveryModule, DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';
import { IsArray, IsInt, IsObject, IsString, getMetadataStorage } from 'class-validator';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { readLedgerConfig } from '#configuration';
import { createTestDatabase, type TestDatabase } from '#testing';
import { Roles } from '../apps/ledger-api/src/access/access.decorators.js';
import { loggedEventCount } from './support/logged-events.js';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';

const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
/** Issue 7: request bodies up to 64 kB. */
const BODY_LIMIT_BYTES = 64 * 1024;
/** Short, so a stuck statement is seen to end quickly; ordinary statements of these tests take milliseconds. */
const STATEMENT_TIMEOUT_MS = 500;

/** A statement that would run for 30 s, on the API's own pool (the DataSource the read routes use). */
@Controller('v1/limit-probes')
@Roles('admin')
class SlowStatementController {
  constructor(private readonly modules: ModuleRef) {}

  @Get('slow-statement')
  async slowStatement(): Promise<{ slept: true }> {
    await this.modules.get(DataSource, { strict: false }).query('SELECT pg_sleep(30)');
    return { slept: true };
  }
}

@Module({ controllers: [SlowStatementController] })
class SlowStatementProbeModule {}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
  readonly ms: number;
}

describe('limits', () => {
  let database: TestDatabase;
  let api: RunningLedgerApi;
  let brokerKey: string;

  const start = (env: Record<string, string> = {}): Promise<RunningLedgerApi> =>
    startLedgerApi(
      readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY, LEDGER_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), ...env }),
      { imports: [DiscoveryModule, SlowStatementProbeModule], enforceDeadlines: false },
    );
  /** Over the network, as a client sends it (not injected). */
  const call = async (instance: RunningLedgerApi, method: string, path: string, key: string | null, body?: string): Promise<Answer> => {
    const started = performance.now();
    const response = await fetch(`${instance.url}${path}`, {
      method,
      headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), ms: performance.now() - started };
  };
  const issueKey = async (instance: RunningLedgerApi, principalId: string, role: string): Promise<string> => {
    const answer = await call(instance, 'POST', '/v1/admin/api-keys', ADMIN_KEY, JSON.stringify({ role, principalId }));
    expect(answer.status).toBe(201);
    return answer.body.key as string;
  };
  const listing = (): Record<string, string> => ({
    sellerId: 'seller-limits',
    provider: 'openai',
    creditType: 'prepaid_api',
    providerOrgRef: 'org-limits-1',
    faceValueCents: '1000000',
    currency: 'USD',
    creditExpiresAt: '2030-06-01T00:00:00.000Z',
    askPriceCents: '600000',
  });

  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await start();
    brokerKey = await issueKey(api, 'broker-limits', 'broker');
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  describe('rate limit per API key (@nestjs/throttler)', () => {
    /** One request every 2 s on average, and a burst of 30. */
    const PER_MINUTE = 30;
    let limited: RunningLedgerApi;

    beforeAll(async () => {
      limited = await start({ LEDGER_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE) });
    });

    afterAll(async () => {
      await limited?.close();
    });

    it('answers a flooding key 429 RATE_LIMITED with Retry-After, while another key keeps being answered at once', async () => {
      const flooder = await issueKey(limited, 'broker-flood', 'broker');
      const calm = await issueKey(limited, 'broker-calm', 'broker');

      const flood = Promise.all(Array.from({ length: 150 }, () => call(limited, 'GET', '/v1/listings?limit=1', flooder)));
      const calmAnswers: Answer[] = [];
      for (let i = 0; i < 10; i++) calmAnswers.push(await call(limited, 'GET', '/v1/listings?limit=1', calm));
      const flooded = await flood;

      const accepted = flooded.filter((answer) => answer.status === 200);
      const refused = flooded.filter((answer) => answer.status === 429);
      expect(accepted.length + refused.length).toBe(flooded.length);
      // A minute's worth at once (and at most a token or two refilled while the flood ran), no more.
      expect(accepted.length).toBeGreaterThanOrEqual(PER_MINUTE);
      expect(accepted.length).toBeLessThanOrEqual(PER_MINUTE + 2);
      for (const answer of refused) {
        expect(answer.body).toEqual({ statusCode: 429, code: 'RATE_LIMITED', message: expect.any(String) });
        expect(answer.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
      }
      // The calm key is neither refused nor made to wait: a refusal costs the flood nothing but an answer.
      expect(calmAnswers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
      for (const answer of calmAnswers) expect(answer.ms).toBeLessThan(1_000);
    });

    it('takes the flooding key again once the Retry-After it was given has passed', async () => {
      const key = await issueKey(limited, 'broker-retry', 'broker');
      let refused: Answer | null = null;
      for (let i = 0; i < PER_MINUTE + 5 && refused === null; i++) {
        const answer = await call(limited, 'GET', '/v1/listings?limit=1', key);
        if (answer.status === 429) refused = answer;
      }
      expect(refused).not.toBeNull();
      const retryAfterSeconds = Number(refused!.headers.get('retry-after'));
      expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
      // No longer than the next token takes: a refused key is not shut out for the rest of the minute.
      expect(retryAfterSeconds).toBeLessThanOrEqual(60 / PER_MINUTE);

      await new Promise((resolve) => setTimeout(resolve, retryAfterSeconds * 1_000));

      expect((await call(limited, 'GET', '/v1/listings?limit=1', key)).status).toBe(200);
    });

    it('counts after authentication and before the role check: a key hammering a route it may not call is slowed too', async () => {
      const dashboard = await issueKey(limited, 'dashboard-hammer', 'dashboard');
      const statuses: number[] = [];
      // Until the first refusal for rate (a slow machine may have earned a token back meanwhile).
      while (statuses.length < PER_MINUTE + 5 && statuses.at(-1) !== 429) {
        statuses.push((await call(limited, 'POST', '/v1/listings', dashboard, JSON.stringify(listing()))).status);
      }
      expect(statuses.at(-1)).toBe(429);
      expect(statuses.length).toBeGreaterThan(PER_MINUTE);
      expect(new Set(statuses.slice(0, -1))).toEqual(new Set([403]));
      // An unknown key is refused as unknown, never as too frequent.
      expect((await call(limited, 'GET', '/v1/listings', 'lk_broker_unknownunknownunknownunknown00')).status).toBe(401);
    });
  });

  describe('body limit (64 kB)', () => {
    /** A valid listing command whose JSON is padded with trailing blanks (still valid JSON) to exactly `bytes`. */
    const listingOfSize = (bytes: number): string => {
      const json = JSON.stringify(listing());
      return json + ' '.repeat(bytes - Buffer.byteLength(json));
    };

    it('takes a command of exactly 64 kB', async () => {
      const answer = await call(api, 'POST', '/v1/listings', brokerKey, listingOfSize(BODY_LIMIT_BYTES));
      expect(answer.status).toBe(201);
    });

    it('answers one byte more with 413 PAYLOAD_TOO_LARGE in the error body, and records nothing', async () => {
      const before = await loggedEventCount(database.url);

      const answer = await call(api, 'POST', '/v1/listings', brokerKey, listingOfSize(BODY_LIMIT_BYTES + 1));

      expect(answer.status).toBe(413);
      expect(answer.body).toEqual({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) });
      expect(await loggedEventCount(database.url)).toBe(before);
    });
  });

  describe('bounded fields', () => {
    it('bounds every field of every request class the routes take: strings and lists by length, numbers by a maximum', () => {
      const dtos = requestClassesOfRoutes(api);

      // Discovery finds the routes' classes: bodies, query parameters and path parameters.
      for (const name of ['SubmitListingRequest', 'VerifyListingRequest', 'PlaceBuyRequestRequest', 'ListListingsParams', 'MatchSuggestionParams', 'CreateApiKeyDto', 'PrincipalParams']) {
        expect([...dtos.keys()].map((dto) => dto.name)).toContain(name);
      }
      const problems = [...dtos].flatMap(([dto, routes]) => unboundedFields(dto).map((problem) => `${problem} (${routes.join(', ')})`));
      expect(problems).toEqual([]);
    });

    it('would name a string without a maximum length, a list without a maximum size, a number without a maximum and a free-form object', () => {
      class Unbounded {
        @IsString() note!: string;
        @IsArray() @IsString({ each: true }) tags!: string[];
        @IsInt() count!: number;
        @IsObject() extra!: Record<string, unknown>;
      }
      expect(unboundedFields(Unbounded)).toEqual([
        'Unbounded.note: a string without a maximum length',
        'Unbounded.tags: a list without ArrayMaxSize',
        'Unbounded.tags: list items without a maximum length',
        'Unbounded.count: a number without a maximum',
        'Unbounded.extra: an object without a nested request class',
      ]);
    });
  });

  describe('statement timeout', () => {
    it('cancels a slow statement on the API’s pool and answers 503 DATABASE_TIMEOUT instead of hanging', async () => {
      const answer = await call(api, 'GET', '/v1/limit-probes/slow-statement', ADMIN_KEY);

      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({ statusCode: 503, code: 'DATABASE_TIMEOUT', message: expect.any(String) });
      expect(answer.ms).toBeLessThan(STATEMENT_TIMEOUT_MS + 4_000);
      // The pool's connections are fine afterwards.
      expect((await call(api, 'GET', '/v1/listings?limit=1', brokerKey)).status).toBe(200);
    });

    it('cancels a command whose append waits behind a lock on the event store’s pool, and takes it once the lock is gone', async () => {
      const locker = new pg.Client({ connectionString: database.url });
      await locker.connect();
      let answer: Answer;
      try {
        // SHARE mode: reads of the log go on, inserts wait.
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE ledger_events IN SHARE MODE');
        answer = await call(api, 'POST', '/v1/listings', brokerKey, JSON.stringify(listing()));
      } finally {
        await locker.query('ROLLBACK').catch(() => undefined);
        await locker.end();
      }

      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ statusCode: 503, code: 'DATABASE_TIMEOUT' });
      expect(answer.ms).toBeLessThan(STATEMENT_TIMEOUT_MS * 4 + 4_000);
      expect((await call(api, 'POST', '/v1/listings', brokerKey, JSON.stringify(listing()))).status).toBe(201);
    });
  });

  describe('security headers (helmet)', () => {
    it.each([
      ['a public route', '/health/live', false],
      ['an answer to a key', '/v1/listings?limit=1', true],
      ['an error answer (401)', '/v1/listings', false],
      ['a route nobody serves (404)', '/v1/nothing-here', true],
    ] as const)('are on %s', async (_case, path, withKey) => {
      const answer = await call(api, 'GET', path, withKey ? brokerKey : null);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('strict-transport-security')).toBe('max-age=31536000');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      const policy = new Map(
        (answer.headers.get('content-security-policy') ?? '').split(';').map((directive) => {
          const [name, ...sources] = directive.trim().split(/\s+/);
          return [name!, sources.join(' ')] as const;
        }),
      );
      // What a self-hosted dashboard with its own script files needs, and nothing from elsewhere or inline.
      expect(policy.get('default-src')).toBe("'self'");
      expect(policy.get('script-src')).toBe("'self'");
      expect(policy.get('connect-src')).toBe("'self'");
      expect(policy.get('object-src')).toBe("'none'");
      expect(policy.get('frame-ancestors')).toBe("'none'");
      expect(policy.has('upgrade-insecure-requests')).toBe(false);
    });
  });
});

/** The classes the routes validate requests into: whole @Body(), @Query() and @Param() arguments, with the routes that take each. */
function requestClassesOfRoutes(api: RunningLedgerApi): Map<Type<unknown>, string[]> {
  const validated = new Set<number>([RouteParamtypes.BODY, RouteParamtypes.QUERY, RouteParamtypes.PARAM]);
  const scanner = new MetadataScanner();
  const classes = new Map<Type<unknown>, string[]>();
  for (const wrapper of api.app.get(DiscoveryService).getControllers()) {
    const controller = wrapper.metatype as Type<unknown> | null;
    if (controller === null || controller === undefined) continue;
    for (const method of scanner.getAllMethodNames(controller.prototype as object)) {
      const handler = (controller.prototype as Record<string, unknown>)[method];
      if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, { index: number; data?: unknown }>;
      const types = (Reflect.getMetadata('design:paramtypes', controller.prototype as object, method) ?? []) as unknown[];
      for (const [key, arg] of Object.entries(args)) {
        const type = types[arg.index];
        if (!validated.has(Number(key.split(':')[0])) || arg.data !== undefined || !isRequestClass(type)) continue;
        classes.set(type, [...(classes.get(type) ?? []), `${controller.name}.${method}`]);
      }
    }
  }
  return classes;
}

function isRequestClass(type: unknown): type is Type<unknown> {
  return typeof type === 'function' && ![Object, String, Number, Boolean, Array].includes(type as never);
}

/**
 * Validators that bound a value's length, by the name they register: a
 * maximum length, a finite set of values, or a format that fixes the length
 * (a UUID is 36 characters, an amount at most 16 digits; a note names its
 * maximum as its constraint).
 */
const LENGTH_BOUNDING_VALIDATORS: Readonly<Record<string, (constraints: readonly unknown[]) => boolean>> = {
  maxLength: (constraints) => typeof constraints[0] === 'number',
  isLength: (constraints) => typeof constraints[1] === 'number',
  isIn: (constraints) => Array.isArray(constraints[0]),
  isEnum: () => true,
  isUuid: () => true,
  isEntityId: () => true,
  isCents: () => true,
  isNote: (constraints) => typeof constraints[0] === 'number',
};

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** What is unbounded in a request class (and the classes nested in it), one line each; empty when everything is bounded. */
function unboundedFields(dto: Type<unknown>, path = dto.name): string[] {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(dto, '', true, false);
  const nameOf = (metadata: ValidationMetadata): string => metadata.name ?? storage.getTargetValidatorConstraints(metadata.constraintCls)[0]?.name ?? metadata.type;
  const bounds = (metadata: ValidationMetadata): boolean => LENGTH_BOUNDING_VALIDATORS[nameOf(metadata)]?.(metadata.constraints ?? []) ?? false;
  const problems: string[] = [];
  for (const property of [...new Set(metadatas.map((metadata) => metadata.propertyName))]) {
    const own = metadatas.filter((metadata) => metadata.propertyName === property);
    const whole = own.filter((metadata) => !metadata.each);
    const items = own.filter((metadata) => metadata.each);
    const type = Reflect.getMetadata('design:type', dto.prototype as object, property) as unknown;
    const where = `${path}.${property}`;
    const nested = whole.some((metadata) => metadata.type === 'nestedValidation');
    // A union of string literals (a role, a credit type) has the design type Object: its validators say it is text.
    const text = type === String || whole.some((metadata) => nameOf(metadata) === 'isString');
    if (text && !whole.some(bounds)) problems.push(`${where}: a string without a maximum length`);
    if (type === Array) {
      if (!whole.some((metadata) => nameOf(metadata) === 'arrayMaxSize')) problems.push(`${where}: a list without ArrayMaxSize`);
      if (!items.some(bounds)) problems.push(`${where}: list items without a maximum length`);
    }
    if (type === Number && !whole.some((metadata) => nameOf(metadata) === 'max' || nameOf(metadata) === 'isIn')) problems.push(`${where}: a number without a maximum`);
    if (type === Object && !text && !nested && !whole.some(bounds)) problems.push(`${where}: an object without a nested request class`);
    if (nested && isRequestClass(type)) problems.push(...unboundedFields(type, where));
  }
  return problems;
}
