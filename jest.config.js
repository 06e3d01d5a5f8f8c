/**
 * Jest in ESM mode (NestJS 12 is ESM-only): run through `npm test`, which
 * starts node with --experimental-vm-modules. Library aliases (`#domain`, ...)
 * resolve to TypeScript sources here and to dist/ at run time.
 */
const libraries = ['api-client', 'commands', 'configuration', 'domain', 'event-store', 'read-models', 'testing'];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: {
    ...Object.fromEntries(libraries.map((name) => [`^#${name}$`, `<rootDir>/libs/${name}/src/index.ts`])),
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // CommonJS requiring the ES-module-only NestJS 12, which Jest cannot load: see that file.
    '^@nestjs/throttler$': '<rootDir>/libs/testing/jest/nestjs-throttler.js',
  },
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  globalSetup: '<rootDir>/libs/testing/jest/global-setup.js',
  globalTeardown: '<rootDir>/libs/testing/jest/global-teardown.js',
  testTimeout: 60_000,
};
