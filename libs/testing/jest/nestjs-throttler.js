/**
 * @nestjs/throttler as the tests load it (jest.config.js maps the package
 * here; the service loads the package itself).
 *
 * The package is CommonJS and requires @nestjs/common and @nestjs/core,
 * which NestJS 12 ships as ES modules only. Node loads them for it
 * (require(esm), Node >= 20.19); Jest 29's module runtime cannot ("Must use
 * import to load ES Module", also in Jest 30). So this module runs the
 * package's own files, unchanged, in the tests' realm, with a `require` that
 * answers those two with the ES modules imported here, the very instances
 * the application under test uses. Node's built-in modules come from Node.
 */
import { readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, resolve } from 'node:path';
import * as nestCommon from '@nestjs/common';
import * as nestCore from '@nestjs/core';

const nodeRequire = createRequire(import.meta.url);
const ES_MODULES = { '@nestjs/common': nestCommon, '@nestjs/core': nestCore };
const loaded = new Map();

function load(file) {
  const cached = loaded.get(file);
  if (cached !== undefined) return cached.exports;
  const module = { exports: {} };
  loaded.set(file, module);
  const requireHere = (id) => {
    if (id in ES_MODULES) return ES_MODULES[id];
    if (id.startsWith('.')) return load(nodeRequire.resolve(resolve(dirname(file), id)));
    if (isBuiltin(id)) return nodeRequire(id);
    throw new Error(`@nestjs/throttler requires ${id}: teach libs/testing/jest/nestjs-throttler.js how to load it`);
  };
  const body = new Function('exports', 'require', 'module', '__filename', '__dirname', readFileSync(file, 'utf8'));
  body(module.exports, requireHere, module, file, dirname(file));
  return module.exports;
}

// By its package.json: Jest's require would map the package itself here again.
const packageJson = nodeRequire.resolve('@nestjs/throttler/package.json');
const throttler = load(resolve(dirname(packageJson), JSON.parse(readFileSync(packageJson, 'utf8')).main));

export const {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  SkipThrottle,
  Throttle,
  ThrottlerException,
  ThrottlerGuard,
  ThrottlerModule,
  ThrottlerStorage,
  ThrottlerStorageService,
  getOptionsToken,
  getStorageToken,
} = throttler;
export default throttler;
