/**
 * Runs scenarios one after another on one system (ledger-system.ts), and
 * after each the whole-store check (store-checker.ts) with the API and the
 * worker stopped. Prints each scenario's figures as it goes, then a summary;
 * writes the results as JSON next to the logs. Answers the exit code: 1 when
 * any scenario missed a promise, the store check found a problem, or the
 * API or the worker exited by itself.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LedgerSystem } from './ledger-system.js';
import { Findings, type Scenario } from './scenario.js';
import { SeededRandom, type SystemTestScale } from './system-test-scale.js';

export interface RunOptions {
  readonly scale: SystemTestScale;
  readonly seed: number;
  readonly logDir: string;
  readonly serviceEnv?: Readonly<Record<string, string>>;
}

interface ScenarioResult {
  readonly name: string;
  readonly title: string;
  readonly seconds: number;
  readonly figures: readonly string[];
  readonly misses: readonly string[];
  readonly values: Readonly<Record<string, number | string | null>>;
}

export async function runScenarios(scenarios: readonly Scenario[], options: RunOptions): Promise<0 | 1> {
  const runStarted = performance.now();
  console.log(`system test: ${scenarios.map((scenario) => scenario.name).join(', ')}; scale ${options.scale}, seed ${options.seed}`);
  console.log(`logs: ${options.logDir}`);
  const system = await LedgerSystem.start({ logDir: options.logDir, serviceEnv: options.serviceEnv });
  console.log(`API ${system.baseUrl} (pid ${system.api.pid}), worker pid ${system.worker.pid}, PostgreSQL in ${system.postgres.dataDir}\n`);
  const random = new SeededRandom(options.seed);
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios) {
      console.log(`== ${scenario.name}: ${scenario.title}`);
      const findings = new Findings();
      const started = performance.now();
      const exitsBefore = system.unexpectedExits().length;
      try {
        await scenario.run({ system, scale: options.scale, random: random.fork(), log: (line) => console.log(`  . ${line}`) }, findings);
      } catch (error) {
        findings.miss(`the scenario failed to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
      for (const exit of system.unexpectedExits().slice(exitsBefore)) findings.miss(exit);
      try {
        const report = await system.checkStore();
        findings.figure(
          `store check: ${report.streams.toLocaleString('en-US')} streams, ${report.events.toLocaleString('en-US')} events, ` +
            `${report.journalEntries.toLocaleString('en-US')} journal entries, read models rebuilt and compared in ${oneDecimal(report.seconds)} s: ` +
            (report.problems.length === 0 ? 'ok' : `${report.problems.length} problems`),
        );
        for (const problem of report.problems) findings.miss(`store check: ${problem}`);
      } catch (error) {
        findings.miss(`the store check failed to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        // Whatever state the check left, the next scenario needs a running service.
        if (!system.api.isRunning) await system.api.start().catch(() => undefined);
        if (!system.worker.isRunning) await system.worker.start().catch(() => undefined);
      }
      const seconds = (performance.now() - started) / 1_000;
      console.log(`  ${findings.misses.length === 0 ? 'PASSED' : 'FAILED'} in ${oneDecimal(seconds)} s\n`);
      results.push({ name: scenario.name, title: scenario.title, seconds, figures: findings.figures, misses: findings.misses, values: findings.values });
    }
  } finally {
    await system.close();
  }

  const failed = results.filter((result) => result.misses.length > 0);
  console.log('== summary');
  for (const result of results) console.log(`  ${result.misses.length === 0 ? 'passed' : 'FAILED'}  ${result.name} (${oneDecimal(result.seconds)} s)`);
  for (const result of failed) for (const miss of result.misses) console.log(`  ${result.name}: ${miss.split('\n')[0]}`);
  const totalSeconds = (performance.now() - runStarted) / 1_000;
  console.log(`${results.length - failed.length} passed, ${failed.length} failed in ${oneDecimal(totalSeconds)} s (scale ${options.scale}, seed ${options.seed}; rerun with SYSTEM_TEST_SEED=${options.seed})`);
  await writeFile(
    join(options.logDir, 'results.json'),
    `${JSON.stringify({ scale: options.scale, seed: options.seed, seconds: totalSeconds, scenarios: results }, null, 2)}\n`,
  );
  return failed.length === 0 ? 0 : 1;
}

/** Seconds for people: one decimal. */
function oneDecimal(value: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}
