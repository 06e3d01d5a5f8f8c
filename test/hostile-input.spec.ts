/**
 * Hostile input gets a 4xx and writes nothing (issue 7, item 5): fast-check
 * fuzzes every command route of the running API, found at run time from
 * Nest's discovery, so a new POST route is fuzzed without a change here.
 * Every answer must be 400, 413, 415 or 422 in the error body of
 * shared/API.md, the global log and the key table must not move, and no
 * prototype may gain a property.
 *
 * The bodies are mostly a valid body of the route with one thing made
 * hostile (a field of the wrong type, an amount that is no amount, a
 * prototype key, the wrong content type), so that the hostile part is the
 * only reason to refuse; the valid bodies are checked against their DTOs
 * first. A route without a valid body here (a new one) is still fuzzed from
 * its DTO's field names.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import { readLedgerConfig } from '#configuration';
import { createTestDatabase, type TestDatabase } from '#testing';
import { declaredAccess } from '../apps/ledger-api/src/access/access.decorators.js';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';

const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
const BROKER_ID = 'broker-fuzz';
/**
 * Fixed, so every run sends the same requests; fast-check prints it with any
 * counterexample. HOSTILE_INPUT_SEED=<n> explores other requests (or replays a failure found with it).
 */
const SEED = Number(process.env.HOSTILE_INPUT_SEED ?? 20_260_707);
/** Runs per property: about 3,300 requests in all with the fixed cases, 20 s on two cores. HOSTILE_INPUT_RUNS=<n> searches longer. */
const RUNS = Number(process.env.HOSTILE_INPUT_RUNS ?? 250);
const CREDITS_EXPIRE_AT = '2030-06-01T00:00:00Z';
/** Statuses a refused hostile request may get (issue 7): never 409 (it would have reached the domain) nor 5xx. */
const REFUSALS = [400, 413, 415, 422];

type Json = null | boolean | number | string | RawJson | Json[] | { [key: string]: Json };

/** JSON text sent as it is: numbers JSON.stringify cannot write (1e309, 2^53 + 1). */
class RawJson {
  constructor(readonly text: string) {}
}
const raw = (text: string): RawJson => new RawJson(text);

/** JSON text of a body; own `__proto__` keys (made with Object.fromEntries) are written like any other. */
function jsonText(value: Json): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${jsonText(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A copy of `body` with `value` at `path` (own properties only, whatever the key). */
function withValueAt(body: Json, path: readonly string[], value: Json): Json {
  const [key, ...rest] = path;
  if (key === undefined) return value;
  const object = body !== null && typeof body === 'object' && !Array.isArray(body) && !(body instanceof RawJson) ? body : {};
  const inner = Object.hasOwn(object, key) ? object[key]! : {};
  return Object.fromEntries([...Object.entries(object).filter(([name]) => name !== key), [key, withValueAt(inner, rest, value)]]);
}

interface FieldShape {
  readonly name: string;
  readonly kind: 'string' | 'number' | 'array' | 'object';
  /** Money: decimal strings of whole cents. Units last (shared/STYLE.md), so the name says it. */
  readonly cents: boolean;
  readonly instant: boolean;
  /** A rule refuses the empty string (a minimum length, a pattern, a set of values): blanks must be refused too. */
  readonly nonEmpty: boolean;
  /** The fields of an object field's class. */
  readonly nested: readonly FieldShape[];
}

interface CommandRoute {
  /** As Nest declares it: `/v1/deals/:id/terms`. */
  readonly path: string;
  readonly dto: (new () => object) | undefined;
  readonly fields: readonly FieldShape[];
  /** Who may call it, read as the access guard reads it. */
  readonly access: ReturnType<typeof declaredAccess>;
}

const STRING_RULES = new Set(['isString', 'isLength', 'matches', 'isIn', 'isCents', 'isEntityId', 'isIso8601', 'isNote', 'maxLength', 'minLength']);
const NUMBER_RULES = new Set(['isInt', 'isNumber', 'min', 'max']);
const NON_EMPTY_RULES = new Set(['matches', 'isIn', 'isCents', 'isEntityId', 'isIso8601', 'isNote', 'minLength']);

/** The validated fields of a DTO class, from class-validator's metadata and the emitted design types. */
function fieldsOf(dto: new () => object, depth = 0): FieldShape[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const names = [...new Set(metadata.map((rule) => rule.propertyName))];
  return names.map((name) => {
    const rules = metadata.filter((rule) => rule.propertyName === name);
    const ruleNames = new Set(rules.map((rule) => rule.name ?? rule.type));
    const designType = Reflect.getMetadata('design:type', dto.prototype, name) as unknown;
    const nestedClass = ruleNames.has('nestedValidation') && typeof designType === 'function' && designType !== Object && designType !== Array ? (designType as new () => object) : null;
    const kind: FieldShape['kind'] = ruleNames.has('isArray') || designType === Array
      ? 'array'
      : nestedClass !== null || ruleNames.has('isObject')
        ? 'object'
        : [...ruleNames].some((rule) => NUMBER_RULES.has(rule)) || designType === Number
          ? 'number'
          : 'string';
    const minimumLength = rules.find((rule) => rule.name === 'isLength')?.constraints?.[0] as number | undefined;
    return {
      name,
      kind,
      cents: kind === 'string' && /Cents$/.test(name),
      instant: ruleNames.has('isIso8601'),
      nonEmpty: [...ruleNames].some((rule) => NON_EMPTY_RULES.has(rule)) || (minimumLength ?? 0) >= 1 || ![...ruleNames].some((rule) => STRING_RULES.has(rule)),
      nested: nestedClass !== null && depth < 3 ? fieldsOf(nestedClass, depth + 1) : [],
    };
  });
}

/** Every POST route of the application, with its body's DTO and who may call it, from Nest's discovery. */
function discoverCommandRoutes(api: RunningLedgerApi): CommandRoute[] {
  const scanner = new MetadataScanner();
  const reflector = api.app.get(Reflector);
  const routes: CommandRoute[] = [];
  for (const wrapper of api.app.get(DiscoveryService).getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
    if (controller === null || typeof controller !== 'function') continue;
    const controllerPaths = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined ?? ''].flat();
    for (const methodName of scanner.getAllMethodNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[methodName] as (...args: unknown[]) => unknown;
      if (Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.POST) continue;
      const methodPaths = [Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined ?? ''].flat();
      const argumentsMetadata = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, methodName) ?? {}) as Record<string, { index: number }>;
      // Keys are `${RouteParamtypes}:${index}`.
      const bodyArgument = Object.entries(argumentsMetadata).find(([key]) => key.split(':')[0] === String(RouteParamtypes.BODY))?.[1];
      const parameterTypes = (Reflect.getMetadata('design:paramtypes', controller.prototype, methodName) ?? []) as unknown[];
      const bodyType = bodyArgument === undefined ? undefined : parameterTypes[bodyArgument.index];
      const dto = typeof bodyType === 'function' && bodyType !== Object ? (bodyType as new () => object) : undefined;
      const access = declaredAccess(reflector, handler, controller);
      for (const controllerPath of controllerPaths) {
        for (const methodPath of methodPaths) {
          const path = `/${[controllerPath, methodPath].flatMap((part) => part.split('/')).filter((part) => part !== '').join('/')}`;
          routes.push({ path, dto, fields: dto === undefined ? [] : fieldsOf(dto), access });
        }
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path));
}

// ---- values no route may accept -------------------------------------------------------------

const HOSTILE_AMOUNTS: readonly Json[] = [
  -1, 0, 0.5, -0.5, raw('1e309'), raw('-1e309'), raw('9007199254740993'), raw('1e3'), raw('-0'), 125000,
  '-1', '0', '00', '0.5', '1.00', 'NaN', 'Infinity', '1e309', '9007199254740993', '9'.repeat(40), `1${'0'.repeat(39)}`,
  '1000000000000001', '0x1f', ' 12', '12 ', '1e3', '+5', '', ' ', '1_000', '١٢', '１２', '12\u0000',
  null, true, [], {}, ['100'], { cents: '100' },
];

const HOSTILE_INSTANTS: readonly Json[] = [
  '0001-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '1999-12-31T23:59:59.999Z', '10000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01', '2026-01-01T00:00:00', 'now', '',
  '1767225600000', 1767225600000, null,
];

const BLANK_STRINGS: readonly string[] = ['', ' ', '   ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\ufeff'];

/** Strings nothing may store: a NUL (PostgreSQL text and jsonb refuse it), lone surrogates (not Unicode), over every length bound. */
const unstorableString: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })).map(([before, after]) => `${before}x\u0000${after}`),
  fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff')).map(([text, half]) => `${text}x${half}`),
  fc.integer({ min: 1_001, max: 20_000 }).map((length) => 'x'.repeat(length)),
  // 1,001 to 2,000 UTF-16 code units, but only half as many characters.
  fc.integer({ min: 501, max: 1_000 }).map((length) => '\u{1F600}'.repeat(length)),
);

const rawNumbers: fc.Arbitrary<Json> = fc.constantFrom(raw('1e309'), raw('-1e309'), raw('9007199254740993'), raw('1E400'));
const jsonValue: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<Json>;
const notString: fc.Arbitrary<Json> = fc.oneof(jsonValue.filter((value) => typeof value !== 'string'), rawNumbers, fc.constantFrom(raw('-0'), raw('1.5e2')));
const notNumber: fc.Arbitrary<Json> = fc.oneof(jsonValue.filter((value) => typeof value !== 'number'), fc.constantFrom('5', '1', '0', '1e3', 'NaN'));
/** Every number field is a whole number from 0 to 10,000 at most (basis points, days, terms versions). */
const wrongNumber: fc.Arbitrary<Json> = fc.oneof(
  notNumber,
  rawNumbers,
  fc.integer({ max: -1 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).filter((value) => !Number.isInteger(value)),
  fc.integer({ min: 10_001 }),
  fc.constantFrom(2 ** 53, 1e20, Number.MAX_VALUE),
);
const wrongArray: fc.Arbitrary<Json> = fc.oneof(
  jsonValue.filter((value) => !Array.isArray(value)),
  fc.constantFrom<Json>([], [null], [1], [[]], [{}], ['prepaid_api', 'prepaid_api'], ['nothing'], Array.from({ length: 50 }, () => 'prepaid_api')),
  fc.array(unstorableString, { minLength: 1, maxLength: 3 }),
);

function wrongValue(field: FieldShape): fc.Arbitrary<Json> {
  switch (field.kind) {
    case 'number':
      return wrongNumber;
    case 'array':
      return wrongArray;
    case 'object': {
      const notObject = jsonValue.filter((value) => value === null || typeof value !== 'object' || Array.isArray(value));
      if (field.nested.length === 0) return notObject;
      // An object whose own fields are hostile, one level down.
      const nestedWrong = fc.constantFrom(...field.nested).chain((inner) => wrongValue(inner).map((value) => Object.fromEntries([[inner.name, value]]) as Json));
      return fc.oneof(notObject, nestedWrong, prototypeKeyed(fc.constant<Json>({ polluted: 'yes' })));
    }
    case 'string': {
      const options: Array<fc.Arbitrary<Json>> = [notString, unstorableString];
      if (field.nonEmpty) options.push(fc.constantFrom(...BLANK_STRINGS));
      if (field.cents) options.push(fc.constantFrom(...HOSTILE_AMOUNTS));
      if (field.instant) options.push(fc.constantFrom(...HOSTILE_INSTANTS));
      return fc.oneof(...options);
    }
  }
}

/** Keys that reach for a prototype; JSON.parse makes each an own property. */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const POLLUTION: Json = { polluted: 'yes', isAdmin: true, role: 'admin', toString: 'x' };

function prototypeKeyed(inner: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  return fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS), inner).map(([key, value]) =>
    Object.fromEntries([[key, key === 'constructor' ? { prototype: value } : value]]),
  );
}

/** A prototype key somewhere: at the top, in a nested object or an array, under a real field or an unknown one. */
function pollutingBody(route: CommandRoute, base: Json): fc.Arbitrary<Json> {
  const poison = prototypeKeyed(fc.constantFrom<Json>(POLLUTION, 'yes', [POLLUTION], null));
  const fieldPaths: string[][] = route.fields.flatMap((field) => [[field.name], ...field.nested.map((inner) => [field.name, inner.name])]);
  return fc.oneof(
    poison.map((object) => Object.fromEntries([...Object.entries(object as Record<string, Json>), ...Object.entries(base as Record<string, Json>)]) as Json),
    fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS), poison).map(([key, object]) => withValueAt(base, [key], object)),
    fieldPaths.length === 0 ? poison : fc.tuple(fc.constantFrom(...fieldPaths), poison, fc.boolean()).map(([path, object, inArray]) => withValueAt(base, path, inArray ? [object] : object)),
  );
}

/** One field (or a field of an object field) given a value no rule accepts. */
function wrongFieldBody(route: CommandRoute, base: Json): fc.Arbitrary<Json> {
  const targets: Array<{ path: string[]; field: FieldShape }> = route.fields.flatMap((field) => [
    { path: [field.name], field },
    ...field.nested.map((inner) => ({ path: [field.name, inner.name], field: inner })),
  ]);
  if (targets.length === 0) return fc.constant(withValueAt(base, ['unexpected'], 'field'));
  return fc.constantFrom(...targets).chain(({ path, field }) => wrongValue(field).map((value) => withValueAt(base, path, value)));
}

/** Fields the DTO does not declare: refused, not ignored. */
function unknownFieldBody(route: CommandRoute, base: Json): fc.Arbitrary<Json> {
  const known = new Set(route.fields.map((field) => field.name));
  return fc
    .tuple(fc.string({ minLength: 1, maxLength: 20 }).filter((key) => !known.has(key)), jsonValue)
    .map(([key, value]) => withValueAt(base, [key], value));
}

/** JSON text that does not parse: a valid body cut short, or with a byte it cannot hold. */
function malformedText(base: Json): fc.Arbitrary<string> {
  const text = jsonText(base);
  const fixed = ['{', '}', '[', '{"a":1,}', "{'a':1}", '{"a":01}', '{"a":NaN}', '{"a":Infinity}', '{"a":undefined}', '\ufeff{}', '{"a":1}{"b":2}',
    '{"a":"\\x41"}', '[1,]', '{"a" 1}', 'nul', 'tru', '"unterminated', '/* c */{}', '{"a":1}//', '{"a":"\u0001"}', '{"a":.5}', '{"a":-}', '{"a":1e}'];
  return fc.oneof(
    fc.constantFrom(...fixed),
    fc.integer({ min: 1, max: Math.max(1, text.length - 1) }).map((end) => text.slice(0, end)),
    fc.tuple(fc.nat({ max: text.length }), fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'x', '\u0000')).map(([at, char]) => `${text.slice(0, at)}${char}${text.slice(at)}`),
  ).filter((candidate) => !parses(candidate));
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

// ---- the test ----------------------------------------------------------------------------------

interface Answer {
  readonly statusCode: number;
  readonly body: string;
  readonly headers: Record<string, unknown>;
}

interface HostileRequest {
  readonly url: string;
  readonly key: string;
  readonly payload?: string;
  readonly contentType?: string | null;
  readonly headers?: Record<string, string>;
}

describe('hostile input on every command route', () => {
  let api: RunningLedgerApi;
  let database: TestDatabase;
  let pool: pg.Pool;
  let routes: CommandRoute[];
  const keys: Record<string, string> = {};
  const ids: Record<'listings' | 'deals' | 'buy-requests', string> = { listings: '', deals: '', 'buy-requests': '' };
  let validBodies: Map<string, Json>;
  let writesBefore: Record<string, string>;
  let prototypesBefore: string[];
  let guardedPrototypes: object[];
  let requestsSent = 0;
  /** The slowest refusal, printed at the end: a hostile body must not buy much work (not asserted: timings vary with the machine). */
  let slowest = { ms: 0, where: '' };

  const inject = (request: { method: 'POST'; url: string; key: string; payload?: string; headers?: Record<string, string> }): Promise<Answer> =>
    api.app.inject({
      method: request.method,
      url: request.url,
      headers: { authorization: `Bearer ${request.key}`, ...request.headers },
      ...(request.payload === undefined ? {} : { payload: request.payload }),
    }) as Promise<Answer>;

  const writes = async (): Promise<Record<string, string>> => {
    const result = await pool.query<{ events: string; last: string; keys: string }>(
      `SELECT (SELECT count(*) FROM ledger_events)::text AS events,
              (SELECT coalesce(max(global_seq), 0) FROM ledger_events)::text AS last,
              (SELECT count(*) FROM api_keys)::text AS keys`,
    );
    return { ...result.rows[0]! };
  };

  const prototypeKeys = (): string[] => guardedPrototypes.map((prototype) => Reflect.ownKeys(prototype).map(String).sort().join(','));

  function expectNoPollution(): void {
    expect(prototypeKeys()).toEqual(prototypesBefore);
    const plain = {} as Record<string, unknown>;
    for (const name of ['polluted', 'isAdmin', 'role']) {
      expect(plain[name]).toBeUndefined();
      expect(([] as unknown as Record<string, unknown>)[name]).toBeUndefined();
    }
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(typeof plain.toString).toBe('function');
  }

  /** The pass criteria of issue 7 for one answer. */
  function expectRefused(answer: Answer, request: HostileRequest): void {
    const contentType = request.contentType === undefined ? 'application/json' : (request.contentType ?? 'no content type');
    const where = `POST ${request.url} (${contentType}): ${answer.statusCode} ${answer.body.slice(0, 300)}`;
    expect({ where, refused: REFUSALS.includes(answer.statusCode) }).toEqual({ where, refused: true });
    expect(String(answer.headers['content-type'])).toMatch(/^application\/json/);
    // Exactly the error body of shared/API.md: no other key.
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    expect(body).toEqual({ statusCode: answer.statusCode, code: expect.stringMatching(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/), message: expect.any(String), ...(body.details === undefined ? {} : { details: expect.any(Object) }) });
    expectNoPollution();
  }

  async function sendHostile(request: HostileRequest): Promise<void> {
    const contentType = request.contentType === undefined ? 'application/json' : request.contentType;
    const startedMs = performance.now();
    const answer = await inject({
      method: 'POST',
      url: request.url,
      key: request.key,
      ...(request.payload === undefined ? {} : { payload: request.payload }),
      headers: {
        ...(contentType === null ? {} : { 'content-type': contentType }),
        ...request.headers,
        // A new key each time: the same key again with another body is 409 IDEMPOTENCY_KEY_REUSED, rightly.
        ...(request.headers?.['idempotency-key'] === undefined ? {} : { 'idempotency-key': randomUUID() }),
      },
    });
    requestsSent++;
    const ms = performance.now() - startedMs;
    if (ms > slowest.ms) slowest = { ms, where: `POST ${request.url}, ${request.payload?.length ?? 0} bytes` };
    expectRefused(answer, request);
  }

  /**
   * The keys that may call a route: a broker's where brokers may, an admin's where admins may. A route
   * that declares no role refuses both (403), and so fails here too: test/access-matrix.spec.ts names it.
   */
  const keysFor = (route: CommandRoute): string[] => {
    const allowed = (['broker', 'admin'] as const).filter((role) => route.access === 'public' || (route.access !== null && route.access.includes(role)));
    return allowed.length === 0 ? [keys.admin!] : allowed.map((role) => keys[role]!);
  };

  /** Replaced by a new key for each request (sendHostile). */
  const IDEMPOTENCY_KEY = 'new';
  /** The keys that may call a route in turn, so that both a broker's and an admin's requests are refused. */
  const keyAt = (route: CommandRoute, index: number): string => keysFor(route)[index % keysFor(route).length]!;

  const HOSTILE_IDS = ['__proto__', 'constructor', 'prototype', 'not-a-uuid', '0', '%00', '..%2F..%2Fetc'];

  /** URLs of a route: the existing stream of its kind, a UUID no stream has, and ids that are no ids. */
  function urlsFor(route: CommandRoute): fc.Arbitrary<string> {
    const family = route.path.split('/')[2] as keyof typeof ids;
    const existing = ids[family] === undefined ? Object.values(ids) : [ids[family]];
    const segments = route.path.split('/').map((segment) =>
      segment.startsWith(':') ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...existing) }, { weight: 3, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_IDS) }) : fc.constant(segment),
    );
    return fc.tuple(...segments).map((parts) => parts.join('/'));
  }

  /** Idempotency-Key and If-Match now and then: they take their own paths through the edge (a claim, a request hash). */
  const extraHeaders: fc.Arbitrary<Record<string, string>> = fc
    .record({ idempotencyKey: fc.boolean(), ifMatch: fc.option(fc.constantFrom('0', '"0"', '-1', 'x', '99999999999999999999'), { freq: 4 }) })
    .map(({ idempotencyKey, ifMatch }) => ({ ...(idempotencyKey ? { 'idempotency-key': IDEMPOTENCY_KEY } : {}), ...(ifMatch === null ? {} : { 'if-match': ifMatch }) }));

  /** A route, a URL for it, a key that may call it, and a body made hostile by `hostile`. */
  function hostileRequests(hostile: (route: CommandRoute, base: Json) => fc.Arbitrary<Json | string>): fc.Arbitrary<HostileRequest> {
    return fc.constantFrom(...routes).chain((route) =>
      fc
        .record({ url: urlsFor(route), key: fc.constantFrom(...keysFor(route)), body: hostile(route, validBodies.get(route.path) ?? {}), headers: extraHeaders })
        .map(({ url, key, body, headers }) => ({ url, key, payload: typeof body === 'string' ? body : jsonText(body), headers })),
    );
  }

  async function assertProperty(requests: fc.Arbitrary<HostileRequest>, numRuns = RUNS): Promise<void> {
    await fc.assert(
      fc.asyncProperty(requests, (request) => sendHostile(request)),
      // No shrinking: each step would be more requests, and the counterexample is already one request.
      { seed: SEED, numRuns, endOnFailure: true },
    );
  }

  beforeAll(async () => {
    database = await createTestDatabase([]);
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool.on('error', () => undefined);
    api = await startLedgerApi(
      readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY, LEDGER_RATE_LIMIT_PER_MINUTE: '1000000' }),
      // DiscoveryModule: the routes are read from Nest. No deadline enforcer: one writer fewer while the log must stand still.
      { imports: [DiscoveryModule], enforceDeadlines: false },
    );
    keys.admin = ADMIN_KEY;
    const issued = await inject({ method: 'POST', url: '/v1/admin/api-keys', key: ADMIN_KEY, payload: JSON.stringify({ role: 'broker', principalId: BROKER_ID }), headers: { 'content-type': 'application/json' } });
    expect(issued.statusCode).toBe(201);
    keys.broker = (JSON.parse(issued.body) as { key: string }).key;

    const command = async (url: string, body: Json, expectedStatus: number): Promise<string> => {
      const answer = await inject({ method: 'POST', url, key: keys.broker!, payload: jsonText(body), headers: { 'content-type': 'application/json' } });
      expect({ url, status: answer.statusCode, body: answer.body }).toMatchObject({ status: expectedStatus });
      return (JSON.parse(answer.body) as { id: string }).id;
    };
    const listing: Json = { sellerId: 'seller-fuzz', provider: 'openai', creditType: 'prepaid_api', providerOrgRef: 'org-fuzz', faceValueCents: '1000000', currency: 'USD', creditExpiresAt: CREDITS_EXPIRE_AT, askPriceCents: '600000' };
    const verification: Json = { verifiedFaceValueCents: '1000000', verifiedExpiresAt: CREDITS_EXPIRE_AT, evidence: { method: 'provider_dashboard', reference: 'screenshot-1', checkedAt: '2026-01-02T00:00:00Z' } };
    const buyRequest: Json = { buyerId: 'buyer-fuzz', provider: 'openai', creditTypes: ['prepaid_api'], faceValueCents: '500000', maxPriceBps: 8_000, minValidityDays: 30, deadline: '2029-01-01T00:00:00Z' };
    const deal: Json = { listingId: '', buyerId: 'buyer-fuzz', faceValueCents: '100000', priceCents: '60000', commissionBps: 1_000, brokerId: BROKER_ID };
    ids.listings = await command('/v1/listings', listing, 201);
    await command(`/v1/listings/${ids.listings}/verification`, verification, 200);
    ids['buy-requests'] = await command('/v1/buy-requests', buyRequest, 201);
    ids.deals = await command('/v1/deals', { ...deal, listingId: ids.listings }, 201);

    const evidence: Json = { method: 'email', reference: 'approved-by-mail' };
    // A body each known route would accept: the fuzzing changes one thing in it.
    validBodies = new Map<string, Json>([
      ['/v1/admin/api-keys', { role: 'broker', principalId: 'broker-never-issued', label: 'a label' }],
      ['/v1/listings', listing],
      ['/v1/listings/:id/verification', verification],
      ['/v1/listings/:id/verification-failure', { reason: 'no such organisation' }],
      ['/v1/listings/:id/price', { askPriceCents: '550000' }],
      ['/v1/listings/:id/withdrawal', { reason: 'seller changed their mind' }],
      ['/v1/deals', { ...deal, listingId: ids.listings }],
      ['/v1/deals/quote', { ...deal, listingId: ids.listings }],
      ['/v1/deals/:id/terms', { priceCents: '61000', faceValueCents: '100000', commissionBps: 900 }],
      ['/v1/deals/:id/approvals', { party: 'seller', termsVersion: 1, evidence }],
      ['/v1/deals/:id/rejections', { party: 'buyer', reason: 'too dear' }],
      ['/v1/deals/:id/payments', { amountCents: '60000', paymentRef: 'wire-1' }],
      ['/v1/deals/:id/transfer', { mechanism: 'organization_membership', reference: 'invite-1' }],
      ['/v1/deals/:id/transfer/confirmation', { confirmedFaceValueCents: '100000', evidence }],
      ['/v1/deals/:id/transfer/failure', { reason: 'invite bounced' }],
      ['/v1/deals/:id/payout', { payoutRef: 'payout-1' }],
      ['/v1/deals/:id/cancellation', { reason: 'buyer walked away' }],
      ['/v1/deals/:id/disputes', { reason: 'credits missing' }],
      ['/v1/deals/:id/broker', { brokerId: 'broker-other' }],
      ['/v1/deals/:id/disputes/resolution', { outcome: 'pay_seller', payoutRef: 'payout-2' }],
      ['/v1/buy-requests', buyRequest],
      ['/v1/buy-requests/:id/amendment', { provider: 'openai', creditTypes: ['prepaid_api', 'fine_tuning'], faceValueCents: '400000', maxPriceBps: 7_000, minValidityDays: 10, deadline: '2029-06-01T00:00:00Z' }],
      ['/v1/buy-requests/:id/cancellation', { reason: 'bought elsewhere' }],
    ]);

    routes = discoverCommandRoutes(api);
    guardedPrototypes = [
      Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype, Boolean.prototype,
      ...new Set(routes.flatMap((route) => (route.dto === undefined ? [] : [route.dto.prototype as object]))),
    ];
    prototypesBefore = prototypeKeys();
    // Nothing runs on its own after the setup (no deadlines are due), so the log stands still from here.
    writesBefore = await writes();
  });

  afterAll(async () => {
    process.stderr.write(
      `hostile-input: ${requestsSent} hostile requests over ${routes?.length ?? 0} command routes, seed ${SEED}; slowest ${slowest.ms.toLocaleString('en', { maximumFractionDigits: 0 })} ms (${slowest.where})\n`,
    );
    await pool?.end();
    await api?.close();
    await database?.drop();
  });

  it('finds every command route of shared/API.md at run time, each served by Fastify', () => {
    const paths = routes.map((route) => route.path);
    expect(paths).toEqual(expect.arrayContaining([...validBodies.keys()]));
    const fastify = api.app.getHttpAdapter().getInstance() as { hasRoute(route: { method: string; url: string }): boolean };
    for (const route of routes) expect({ route: route.path, served: fastify.hasRoute({ method: 'POST', url: route.path }) }).toEqual({ route: route.path, served: true });
  });

  it('has a body each known route accepts, so each fuzzed body has exactly one thing wrong', async () => {
    for (const route of routes) {
      const body = validBodies.get(route.path);
      if (body === undefined || route.dto === undefined) continue;
      const errors = await validate(plainToInstance(route.dto, body), { whitelist: true, forbidNonWhitelisted: true });
      expect({ route: route.path, errors: errors.map((error) => error.property) }).toEqual({ route: route.path, errors: [] });
    }
  });

  it('refuses any JSON value as a body', async () => {
    await assertProperty(hostileRequests(() => jsonValue));
  });

  it('refuses a field of the wrong type, an amount that is not whole cents, a time out of range, a blank or unstorable string', async () => {
    await assertProperty(hostileRequests(wrongFieldBody), RUNS * 3);
  });

  it('refuses every hostile amount in every amount field', async () => {
    for (const route of routes) {
      const base = validBodies.get(route.path) ?? {};
      const amountPaths = route.fields.flatMap((field) => [...(field.cents ? [[field.name]] : []), ...field.nested.filter((inner) => inner.cents).map((inner) => [field.name, inner.name])]);
      for (const path of amountPaths) {
        for (const [index, amount] of HOSTILE_AMOUNTS.entries()) {
          await sendHostile({ url: route.path.replace(/:[^/]+/g, () => pickId(route)), key: keyAt(route, index), payload: jsonText(withValueAt(base, path, amount)) });
        }
      }
    }
  });

  it('refuses fields the route does not declare', async () => {
    await assertProperty(hostileRequests(unknownFieldBody));
  });

  it('refuses __proto__, constructor and prototype keys anywhere, and no prototype changes', async () => {
    await assertProperty(hostileRequests(pollutingBody));
    for (const route of routes) {
      const base = jsonText(validBodies.get(route.path) ?? {});
      const literal = [
        `{"__proto__":{"polluted":"yes"},${base.slice(1)}`,
        `${base.slice(0, -1)},"constructor":{"prototype":{"polluted":"yes"}}}`,
        `${base.slice(0, -1)},"nested":{"__proto__":{"polluted":"yes"}}}`,
        `${base.slice(0, -1)},"list":[{"__proto__":{"isAdmin":true}}]}`,
        `${base.slice(0, -1)},"prototype":{"polluted":"yes"}}`,
      ];
      for (const payload of literal) await sendHostile({ url: route.path.replace(/:[^/]+/g, () => pickId(route)), key: keysFor(route)[0]!, payload });
    }
  });

  it('refuses malformed JSON', async () => {
    await assertProperty(hostileRequests((_route, base) => malformedText(base)));
  });

  it('refuses deep nesting without crashing', async () => {
    const nestings = (depth: number): string[] => [
      '['.repeat(depth),
      `${'['.repeat(depth)}${']'.repeat(depth)}`,
      `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
      `{"reason":${'['.repeat(depth)}"x"${']'.repeat(depth)}}`,
      `{"evidence":${'{"method":'.repeat(depth)}"x"${'}'.repeat(depth)}}`,
    ];
    // 10,000 levels, 30,000 (the most a 64 kB body holds) and 100,000 (a body over the limit).
    const payloads = [...nestings(10_000), ...nestings(30_000), ...nestings(100_000)];
    for (const route of routes) {
      for (const [index, payload] of payloads.entries()) {
        // With an Idempotency-Key: its request hash walks the body too.
        await sendHostile({ url: route.path.replace(/:[^/]+/g, () => pickId(route)), key: keyAt(route, index), payload, headers: { 'idempotency-key': IDEMPOTENCY_KEY } });
      }
    }
  });

  it('refuses any content type but JSON in UTF-8', async () => {
    const boundary = 'fuzzboundary';
    for (const route of routes) {
      const body = validBodies.get(route.path) ?? {};
      const json = jsonText(body);
      const form = new URLSearchParams(Object.entries(body as Record<string, Json>).map(([key, value]): [string, string] => [key, typeof value === 'string' ? value : jsonText(value)])).toString();
      const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="body"\r\nContent-Type: application/json\r\n\r\n${json}\r\n--${boundary}--\r\n`;
      const cases: Array<{ contentType: string | null; payload: string }> = [
        { contentType: 'text/plain', payload: json },
        { contentType: 'text/json', payload: json },
        { contentType: 'application/x-www-form-urlencoded', payload: form },
        { contentType: `multipart/form-data; boundary=${boundary}`, payload: multipart },
        { contentType: null, payload: json },
        { contentType: 'application/json; charset=latin1', payload: json },
        { contentType: 'application/json; charset=iso-8859-1', payload: json },
        { contentType: 'application/json; charset=utf-16', payload: json },
        { contentType: 'application/json; charset=utf-16le', payload: Buffer.from(json, 'utf16le').toString('latin1') },
        { contentType: 'application/json;charset=us-ascii', payload: json },
        { contentType: 'application/xml', payload: '<listing/>' },
        { contentType: 'application/json-patch+json', payload: json },
        { contentType: 'application/jsonx', payload: json },
        { contentType: 'application/octet-stream', payload: json },
        { contentType: '*/*', payload: json },
        { contentType: '', payload: json },
      ];
      for (const [index, { contentType, payload }] of cases.entries()) {
        await sendHostile({ url: route.path.replace(/:[^/]+/g, () => pickId(route)), key: keyAt(route, index), payload, contentType });
      }
    }
  });

  it('refuses huge bodies', async () => {
    for (const route of routes) {
      const base = validBodies.get(route.path) ?? {};
      const huge = [
        jsonText(withValueAt(base, ['padding'], 'x'.repeat(70_000))),
        jsonText(withValueAt(base, ['padding'], 'x'.repeat(300_000))),
        jsonText(withValueAt(base, ['padding'], Array.from({ length: 20_000 }, (_, index) => index))),
        jsonText(Object.fromEntries(Array.from({ length: 5_000 }, (_, index) => [`field${index}`, index]))),
        jsonText(Array.from({ length: 30_000 }, () => 0)),
        ...route.fields.filter((field) => field.kind === 'string').slice(0, 2).map((field) => jsonText(withValueAt(base, [field.name], 'x'.repeat(60_000)))),
        // Many members, distinct or not, within 64 kB: ArrayUnique compares each with each (7,000 took 100 ms before MAX_BODY_ARRAY_ITEMS).
        ...route.fields.filter((field) => field.kind === 'array').map((field) => jsonText(withValueAt(base, [field.name], Array.from({ length: 7_000 }, (_, index) => `t${index}`)))),
        ...route.fields.filter((field) => field.kind === 'array').map((field) => jsonText(withValueAt(base, [field.name], Array.from({ length: 4_000 }, () => 'fine_tuning')))),
      ];
      for (const payload of huge) await sendHostile({ url: route.path.replace(/:[^/]+/g, () => pickId(route)), key: keysFor(route)[0]!, payload });
    }
  });

  // Last, after every request above: Jest runs a file's tests in order.
  it('wrote nothing: the global log position and the key table are where they were', async () => {
    expect(requestsSent).toBeGreaterThan(1_000);
    expect(await writes()).toEqual(writesBefore);
    // And the probe sees a write when there is one: an honest request on the same stream moves the log.
    const repriced = await inject({ method: 'POST', url: `/v1/listings/${ids.listings}/price`, key: keys.broker!, payload: '{"askPriceCents":"550000"}', headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(repriced.statusCode).toBe(200);
    expect(await writes()).not.toEqual(writesBefore);
  });

  /** The existing stream of the route's kind (the one the fuzzing must not touch). */
  function pickId(route: CommandRoute): string {
    const family = route.path.split('/')[2] as keyof typeof ids;
    return ids[family] ?? randomUUID();
  }
});
