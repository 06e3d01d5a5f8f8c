/**
 * The fault scenarios of issue 8 and the model-based lifecycle test, in the
 * order they run (after the load and race scenarios: main.ts SCENARIOS).
 */
import type { Scenario } from '../harness/scenario.js';
import { apiKill } from './api-kill.scenario.js';
import { modelLifecycle } from './model-lifecycle.scenario.js';
import { postgresRestart } from './postgres-restart.scenario.js';
import { workerKill } from './worker-kill.scenario.js';

export const FAULT_SCENARIOS: readonly Scenario[] = [modelLifecycle, apiKill, workerKill, postgresRestart];
