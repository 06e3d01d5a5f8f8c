/**
 * docker/: what can be checked without a Docker engine (none runs on our
 * machines or in CI). The compose file is parsed and validated against the
 * Compose specification's JSON schema (as shipped by the `dclint` package),
 * then checked against the code: health checks to wait on, only variables the
 * service reads, the database roles of the production shape (the init script
 * run by the machine's psql against a fresh PostgreSQL, and the API started
 * on the login it makes), and the Dockerfile's stages and paths against the
 * build output. The images are never built and the containers never started.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import pg from 'pg';
import { parse } from 'yaml';
import { readLedgerConfig } from '#configuration';
import { INSUFFICIENT_PRIVILEGE, LEDGER_WRITER_ROLE, startEmbeddedPostgres, type RunningPostgres } from '#event-store';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';

const ROOT = process.cwd();
const COMPOSE_FILE = join(ROOT, 'docker/docker-compose.yml');
const DOCKERFILE = join(ROOT, 'docker/Dockerfile');
const INIT_SCRIPT = join(ROOT, 'docker/postgres-init/10-ledger-roles.sh');
const HEALTHCHECK_SCRIPT = join(ROOT, 'docker/healthcheck.js');
/** The Compose specification's schema, as the dclint package ships it (node_modules, a dev dependency). */
const COMPOSE_SCHEMA = join(ROOT, 'node_modules/dclint/schemas/compose.schema.json');
/** Services built from our Dockerfile: they run our code and read our configuration. */
const LEDGER_SERVICES = ['api', 'worker'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context: string; readonly dockerfile: string };
  readonly command?: string[];
  readonly environment?: Record<string, string | number>;
  readonly depends_on?: Record<string, { condition: string }>;
  readonly healthcheck?: { readonly test: string[] };
  readonly restart?: string;
  readonly volumes?: string[];
  readonly deploy?: { readonly replicas?: number };
}

interface ComposeFile {
  readonly services: Record<string, ComposeService>;
  readonly volumes: Record<string, unknown>;
}

function composeDocument(): JsonObject {
  // `<<` merge keys (YAML 1.1), as Docker Compose reads them.
  return parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as JsonObject;
}

/**
 * Compose's interpolation of one string: $$, ${NAME}, ${NAME:-default},
 * ${NAME-default}, ${NAME:?error}, ${NAME?error}, ${NAME:+other}, ${NAME+other}.
 */
function interpolateText(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced?: string, operator?: string, argument?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const name = (braced ?? bare)!;
    const value = env[name];
    const unsetOrEmpty = operator?.startsWith(':') === true ? value === undefined || value === '' : value === undefined;
    switch (operator?.replace(':', '')) {
      case '-':
        return unsetOrEmpty ? argument! : value!;
      case '?':
        if (unsetOrEmpty) throw new Error(`required variable ${name} is missing: ${argument}`);
        return value!;
      case '+':
        return unsetOrEmpty ? '' : argument!;
      default:
        return value ?? '';
    }
  });
}

function interpolate(node: Json, env: Readonly<Record<string, string>>): Json {
  if (typeof node === 'string') return interpolateText(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolate(item, env));
  if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolate(value, env)]));
  return node;
}

/** The variables a deployment sets for the compose file (its README instructions): URL-safe passwords, an admin key. */
const DEPLOYMENT_ENV = {
  LEDGER_ADMIN_KEY: randomBytes(24).toString('hex'),
  LEDGER_OWNER_DB_PASSWORD: randomBytes(16).toString('hex'),
  LEDGER_APP_DB_PASSWORD: randomBytes(16).toString('hex'),
  POSTGRES_PASSWORD: randomBytes(16).toString('hex'),
};

function composeFile(env: Readonly<Record<string, string>> = DEPLOYMENT_ENV): ComposeFile {
  return interpolate(composeDocument(), env) as unknown as ComposeFile;
}

function environmentOf(service: ComposeService): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([name, value]) => [name, String(value)]));
}

/** Every variable readLedgerConfig reads: it is handed an environment that records each name asked for. */
function variablesTheServiceReads(): ReadonlySet<string> {
  const read = new Set<string>();
  readLedgerConfig(
    new Proxy({} as Record<string, string | undefined>, {
      get: (_target, name) => {
        if (typeof name === 'string') read.add(name);
        return undefined;
      },
    }),
  );
  return read;
}

function schemaValidator() {
  // The schema names draft 07 as https://json-schema.org/draft-07/schema, an id Ajv does not know by
  // that spelling: it is Ajv's default draft, so the reference is dropped rather than resolved.
  const { $schema: draft, ...schema } = JSON.parse(readFileSync(COMPOSE_SCHEMA, 'utf8')) as { $schema: string };
  expect(draft).toMatch(/draft-07/);
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  return ajv.compile(schema);
}

function schemaErrors(document: Json): string[] {
  const validate = schemaValidator();
  return validate(document) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

describe('docker/docker-compose.yml', () => {
  it('is valid by the Compose specification schema, which does catch a misspelt key and an unknown condition', () => {
    expect(schemaErrors(composeDocument())).toEqual([]);
    expect(schemaErrors(composeFile() as unknown as Json)).toEqual([]);

    const misspelt = composeDocument();
    const services = misspelt.services as Record<string, JsonObject>;
    services.api = { ...services.api, helthcheck: services.api!.healthcheck! };
    expect(schemaErrors(misspelt).join('\n')).toMatch(/additional properties/);

    const unknownCondition = composeDocument();
    (unknownCondition.services as Record<string, JsonObject>).worker!.depends_on = { postgres: { condition: 'service_ready' } };
    expect(schemaErrors(unknownCondition).join('\n')).toMatch(/\/services\/worker\/depends_on.*allowed values/);
  });

  it('runs the production shape: EventStoreDB, PostgreSQL, two API instances and two workers, with volumes and restart policies', () => {
    const { services, volumes } = composeFile();
    expect(Object.keys(services).sort()).toEqual(['api', 'eventstoredb', 'postgres', 'worker']);
    expect(services.api!.deploy?.replicas).toBe(2);
    expect(services.worker!.deploy?.replicas).toBe(2);
    expect(services.worker!.command).toEqual(['node', 'dist/apps/ledger-worker/src/main.js']);
    for (const name of LEDGER_SERVICES) {
      expect(services[name]!.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
      expect(environmentOf(services[name]!)).toMatchObject({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://eventstoredb:2113?tls=false' });
    }
    for (const [name, service] of Object.entries(services)) expect([name, service.restart]).toEqual([name, 'unless-stopped']);

    // The stores keep their data in named volumes, declared at the top level.
    const namedVolumes = (service: ComposeService) => (service.volumes ?? []).map((volume) => volume.split(':')[0]!).filter((source) => !source.startsWith('.'));
    expect(namedVolumes(services.eventstoredb!)).toContain('eventstore-data');
    expect(namedVolumes(services.postgres!)).toEqual(['postgres-data']);
    for (const volume of Object.values(services).flatMap(namedVolumes)) expect(Object.keys(volumes)).toContain(volume);
    // The init script is mounted where the postgres image runs it.
    expect(services.postgres!.volumes).toContain('./postgres-init:/docker-entrypoint-initdb.d:ro');
    expect(existsSync(join(ROOT, 'docker/postgres-init'))).toBe(true);
  });

  it('has a health check on every service another waits on, and on every service it builds', () => {
    const { services } = composeFile();
    const waitedOn = new Set<string>();
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect([name, dependency, condition]).toEqual([name, dependency, 'service_healthy']);
        expect(Object.keys(services)).toContain(dependency);
        waitedOn.add(dependency);
      }
    }
    expect([...waitedOn].sort()).toEqual(['eventstoredb', 'postgres']);
    for (const name of [...waitedOn, ...LEDGER_SERVICES]) {
      const test = services[name]!.healthcheck?.test ?? [];
      expect([name, test.length > 1 && test[0] !== 'NONE']).toEqual([name, true]);
    }
    // The ledger's own checks run the probe the image ships, on the port the service listens on.
    expect(services.api!.healthcheck!.test).toEqual(['CMD', 'node', 'docker/healthcheck.js', '/health/ready', 'PORT']);
    expect(environmentOf(services.api!).PORT).toBe('3000');
    // The worker serves no HTTP: its check is that the process it runs is alive.
    expect(services.worker!.healthcheck!.test).toEqual(['CMD', 'node', 'docker/healthcheck.js', '--process', services.worker!.command![1]]);
  });

  it('sets on the API and the worker only variables the service reads, which it accepts, and refuses to start without an admin key', () => {
    const { services } = composeFile();
    const read = variablesTheServiceReads();
    for (const name of LEDGER_SERVICES) {
      const environment = environmentOf(services[name]!);
      for (const variable of Object.keys(environment)) expect([name, variable, read.has(variable)]).toEqual([name, variable, true]);
      expect(() => readLedgerConfig(environment)).not.toThrow();
    }
    const api = readLedgerConfig(environmentOf(services.api!));
    expect(api).toMatchObject({ eventStore: 'eventstoredb', host: '0.0.0.0', port: 3000, adminKey: DEPLOYMENT_ENV.LEDGER_ADMIN_KEY });
    // The admin key is the API's alone: the worker serves no requests.
    expect(environmentOf(services.worker!).LEDGER_ADMIN_KEY).toBeUndefined();
    // Production shape: the runtime logs in as neither the owner that migrates nor the superuser.
    const runtimeLogin = new URL(api.databaseUrl!).username;
    expect(runtimeLogin).toBe('ledger_app');
    expect(new URL(api.migrationDatabaseUrl!).username).toBe('ledger_owner');
    expect(environmentOf(services.postgres!).POSTGRES_USER).not.toBe(runtimeLogin);

    const { LEDGER_ADMIN_KEY: _omitted, ...withoutKey } = DEPLOYMENT_ENV;
    expect(() => composeFile(withoutKey)).toThrow(/LEDGER_ADMIN_KEY/);
  });
});

/** Runs a command to its end: exit code and what it printed. */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const probe = (path: string, port: number | string) => run(process.execPath, [HEALTHCHECK_SCRIPT, path, 'PROBED_PORT'], { PATH: process.env.PATH, PROBED_PORT: String(port) });

describe('the production shape on PostgreSQL: the init script, the runtime login and the health probe', () => {
  let server: RunningPostgres;
  let api: RunningLedgerApi | undefined;
  let urlOnServer: (url: string) => string;

  beforeAll(async () => {
    server = await startEmbeddedPostgres({ dataDir: await mkdtemp(join(tmpdir(), 'ledger-compose-pg-')), ephemeral: true, unsafeFast: true });
    const superuser = new URL(server.url);
    // Run as the postgres image runs it, with the machine's psql (Debian's postgresql-client).
    const init = await run('sh', [INIT_SCRIPT], {
      PATH: process.env.PATH,
      PGHOST: superuser.hostname,
      PGPORT: superuser.port,
      PGPASSWORD: decodeURIComponent(superuser.password),
      POSTGRES_USER: decodeURIComponent(superuser.username),
      POSTGRES_DB: 'postgres',
      LEDGER_OWNER_DB_PASSWORD: DEPLOYMENT_ENV.LEDGER_OWNER_DB_PASSWORD,
      LEDGER_APP_DB_PASSWORD: DEPLOYMENT_ENV.LEDGER_APP_DB_PASSWORD,
    });
    if (init.code !== 0) throw new Error(`docker/postgres-init/10-ledger-roles.sh failed (exit ${init.code}; it needs psql on the PATH):\n${init.output}`);
    // The compose service names are host names on the compose network; here they are this server.
    urlOnServer = (url) => {
      const parsed = new URL(url);
      parsed.hostname = superuser.hostname;
      parsed.port = superuser.port;
      return parsed.toString();
    };
  });

  afterAll(async () => {
    await api?.close();
    await server?.stop();
  });

  it('makes a login that holds only the writer role, and the API migrates as the owner and runs on that login', async () => {
    const environment = environmentOf(composeFile().services.api!);
    const config = readLedgerConfig({
      ...environment,
      DATABASE_URL: urlOnServer(environment.DATABASE_URL!),
      LEDGER_MIGRATION_DATABASE_URL: urlOnServer(environment.LEDGER_MIGRATION_DATABASE_URL!),
      // No EventStoreDB here: the events go to PostgreSQL, which the roles protect all the same.
      EVENT_STORE: 'postgres',
      EVENTSTORE_CONNECTION_STRING: '',
      HOST: '127.0.0.1',
      PORT: '0',
    });
    api = await startLedgerApi(config);
    expect(api.database.writer).toMatchObject({ via: 'login', login: 'ledger_app', loginIsSuperuser: false });
    expect(api.database.appliedMigrations.length).toBeGreaterThan(0);

    // A command appends as the runtime login; the projections (the API's worker thread) write the read model as it too.
    const headers = { authorization: `Bearer ${DEPLOYMENT_ENV.LEDGER_ADMIN_KEY}` };
    const submitted = await api.app.inject({
      method: 'POST',
      url: '/v1/listings',
      headers,
      payload: { sellerId: 'seller-acme', provider: 'openai', creditType: 'prepaid_api', providerOrgRef: 'org-1', faceValueCents: '100000', currency: 'USD', creditExpiresAt: '2031-01-01T00:00:00Z', askPriceCents: '60000' },
    });
    expect(submitted.statusCode).toBe(201);
    const { id, position } = submitted.json<{ id: string; position: string }>();
    const read = await api.app.inject({ method: 'GET', url: `/v1/listings/${id}`, headers: { ...headers, 'x-min-position': position } });
    expect(read.statusCode).toBe(200);

    // Whatever SQL the runtime login runs, recorded events stay as they are.
    const runtime = new pg.Client({ connectionString: config.databaseUrl! });
    await runtime.connect();
    try {
      const roles = await runtime.query<{ rolname: string }>(
        'SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = current_user)',
      );
      expect(roles.rows.map((row) => row.rolname)).toEqual([LEDGER_WRITER_ROLE]);
      await expect(runtime.query('UPDATE ledger_events SET event_type = event_type')).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });
      await expect(runtime.query('DELETE FROM ledger_events')).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });
      await expect(runtime.query('CREATE TABLE intruder (id int)')).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });
    } finally {
      await runtime.end();
    }
  });

  it('the health probe the containers run passes on the ready API, and fails on a 503 and on a port nobody listens on', async () => {
    expect(api).toBeDefined();
    const apiPort = new URL(api!.url).port;
    expect(await probe('/health/ready', apiPort)).toMatchObject({ code: 0 });

    const unavailable: Server = createServer((_request, response) => response.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"unavailable"}'));
    await new Promise<void>((resolve) => unavailable.listen(0, '127.0.0.1', resolve));
    const unavailablePort = (unavailable.address() as AddressInfo).port;
    try {
      const answer = await probe('/health/ready', unavailablePort);
      expect(answer.code).toBe(1);
      expect(answer.output).toContain('503');
    } finally {
      await new Promise((resolve) => unavailable.close(resolve));
    }
    // The port just closed: nothing answers.
    expect(await probe('/health/ready', unavailablePort)).toMatchObject({ code: 1 });
    expect(await probe('/health/ready', 'not-a-port')).toMatchObject({ code: 1 });
  });

  it('the process-level probe passes while a process runs the named script, and fails once it has stopped', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ledger-probe-'));
    const script = join(folder, 'long-running.js');
    writeFileSync(script, 'setInterval(() => {}, 1000);\n');
    const processProbe = () => run(process.execPath, [HEALTHCHECK_SCRIPT, '--process', script], { PATH: process.env.PATH });
    const running = spawn(process.execPath, [script], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => running.once('spawn', resolve));
      expect(await processProbe()).toMatchObject({ code: 0 });
    } finally {
      running.kill();
      await new Promise((resolve) => running.once('exit', resolve));
    }
    const stopped = await processProbe();
    expect(stopped.code).toBe(1);
    expect(stopped.output).toContain(`no process runs ${script}`);
  });
});

interface DockerInstruction {
  readonly keyword: string;
  readonly args: string;
}

interface DockerStage {
  readonly name: string;
  readonly from: string;
  readonly instructions: readonly DockerInstruction[];
}

/** The Dockerfile's instructions by stage (continuation lines joined, comments dropped), ARG defaults substituted. */
function dockerStages(): DockerStage[] {
  const lines = readFileSync(DOCKERFILE, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const args = new Map<string, string>();
  const stages: Array<{ name: string; from: string; instructions: DockerInstruction[] }> = [];
  for (const line of lines) {
    const [, keyword, rest] = /^(\S+)\s+(.*)$/.exec(line)!;
    const text = rest!.replace(/\$\{(\w+)\}/g, (_whole, name: string) => args.get(name) ?? '');
    if (keyword!.toUpperCase() === 'ARG' && stages.length === 0) {
      const [name, value = ''] = text.split('=');
      args.set(name!, value);
    } else if (keyword!.toUpperCase() === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(text)!;
      stages.push({ name: name ?? String(stages.length), from: from!, instructions: [] });
    } else {
      stages.at(-1)!.instructions.push({ keyword: keyword!.toUpperCase(), args: text });
    }
  }
  return stages;
}

function jsonArgs(instruction: DockerInstruction | undefined): string[] {
  const json = instruction?.args.replace(/^.*?CMD\s+(?=\[)/, '');
  return JSON.parse(json ?? 'null') as string[];
}

describe('docker/Dockerfile', () => {
  const stages = dockerStages();
  const runtime = stages.at(-1)!;
  const find = (stage: DockerStage, keyword: string) => stage.instructions.filter((instruction) => instruction.keyword === keyword);

  /**
   * The files of the runtime image, as repository paths: what its COPY lines
   * take from the build context as it is, or from an earlier stage, whose
   * /app holds the repository's files and what `npm run build` made (dist/)
   * and `npm ci` installed (node_modules), as they do here after `npm test`'s build.
   */
  function inImage(path: string): boolean {
    return find(runtime, 'COPY').some(({ args }) => {
      const parts = args.split(/\s+/).filter((part) => !part.startsWith('--'));
      const destination = parts.at(-1)!.replace(/^\.\/?$/, '').replace(/\/$/, '');
      return parts.slice(0, -1).some((source) => {
        const repositoryPath = source.replace(/^\/app\//, '');
        const target = destination === '' ? repositoryPath : destination;
        return (path === target || path.startsWith(`${target}/`)) && existsSync(join(ROOT, repositoryPath, path.slice(target.length)));
      });
    });
  }

  it('builds with every dependency, runs with the production ones only, on Node 20, as a non-root user with a health check', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['build', 'production-dependencies', 'runtime']);
    for (const stage of stages) expect(stage.from).toMatch(/^node:20[-.]/);
    const runs = (stage: DockerStage) => find(stage, 'RUN').map((instruction) => instruction.args);
    expect(runs(stages[0]!)).toEqual(expect.arrayContaining([expect.stringMatching(/^npm ci\b(?!.*--omit=dev)/), 'npm run build']));
    expect(runs(stages[1]!).join(' ')).toMatch(/npm ci --omit=dev/);
    // Every COPY --from names an earlier stage; node_modules comes from the production install, the code from the build.
    const copiesFrom = find(runtime, 'COPY').filter(({ args }) => args.startsWith('--from='));
    for (const { args } of copiesFrom) expect(stages.slice(0, -1).map((stage) => stage.name)).toContain(/^--from=(\S+)/.exec(args)![1]);
    expect(copiesFrom.map(({ args }) => args)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^--from=production-dependencies \/app\/node_modules /), expect.stringMatching(/^--from=build \/app\/dist /)]),
    );
    expect(find(runtime, 'RUN')).toEqual([]);
    const user = find(runtime, 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user!.split(':')[0]);
    expect(jsonArgs(find(runtime, 'HEALTHCHECK').at(-1))).toEqual(['node', 'docker/healthcheck.js', '/health/ready', 'PORT']);
    expect(find(runtime, 'ENV').map(({ args }) => args).join(' ')).toMatch(/HOST=0\.0\.0\.0/);
  });

  it('copies what the build needs, and the image holds every file its commands and the compose file run', () => {
    // Every folder the type-check covers that the build does not exclude is in the build stage.
    const buildConfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { exclude: string[] };
    const checked = (JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { include: string[] }).include;
    const copiedToBuild = find(stages[0]!, 'COPY').flatMap(({ args }) => args.split(/\s+/).slice(0, -1));
    for (const folder of checked.filter((name) => !buildConfig.exclude.includes(name))) expect(copiedToBuild).toContain(folder);
    for (const source of stages.flatMap((stage) => find(stage, 'COPY')).filter(({ args }) => !args.startsWith('--from=')).flatMap(({ args }) => args.split(/\s+/).slice(0, -1))) {
      expect([source, existsSync(join(ROOT, source))]).toEqual([source, true]);
    }

    const { services } = composeFile();
    const commands = [jsonArgs(find(runtime, 'CMD').at(-1)), services.worker!.command!, services.api!.healthcheck!.test.slice(1), services.worker!.healthcheck!.test.slice(1)];
    for (const [executable, script] of commands) {
      expect(executable).toBe('node');
      expect([script, inImage(script!)]).toEqual([script, true]);
    }
    expect(jsonArgs(find(runtime, 'CMD').at(-1))).toEqual(['node', 'dist/apps/ledger-api/src/main.js']);
    expect(inImage('dist/apps/ledger-cli/src/main.js')).toBe(true);
    // What the code reads at run time besides dist/: the imports map, the dashboard page, production packages.
    const { imports } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { imports: Record<string, { default: string }> };
    expect(inImage('package.json')).toBe(true);
    for (const target of Object.values(imports)) expect([target.default, inImage(target.default.replace(/^\.\//, ''))]).toEqual([target.default, true]);
    expect(inImage('apps/ledger-api/public/dashboard/index.html')).toBe(true);
    expect(inImage('node_modules/chart.js/package.json')).toBe(true);
    // And what it does not hold: sources and tests stay out.
    expect(inImage('apps/ledger-api/src/main.ts')).toBe(false);
    expect(inImage('test/docker-compose.spec.ts')).toBe(false);
  });

  it('keeps node_modules, dist and local data out of the build context', () => {
    const ignored = readFileSync(join(ROOT, 'docker/Dockerfile.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.data', '.git']));
  });
});

describe('README', () => {
  it('documents every variable the service reads, with its default, in the configuration table', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = /^## Configuration\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
    const rows = section.split('\n').filter((line) => line.startsWith('| `'));
    const documented = new Map<string, string>();
    for (const row of rows) {
      const [names, defaults] = row.split('|').slice(1).map((cell) => cell.trim());
      for (const [, name] of names!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) documented.set(name!, defaults!);
    }
    const composeVariables = LEDGER_SERVICES.flatMap((name) => Object.keys(environmentOf(composeFile().services[name]!)));
    for (const variable of new Set([...variablesTheServiceReads(), ...composeVariables])) {
      expect([variable, documented.has(variable)]).toEqual([variable, true]);
      expect([variable, documented.get(variable)]).toEqual([variable, expect.stringMatching(/\S/)]);
    }
  });
});
