/**
 * A system-test scenario and its findings. A scenario drives the running
 * system (ledger-system.ts), prints its figures, and records a miss for
 * every promise it finds broken; the runner (scenario-runner.ts) checks the
 * whole store after it and fails the run on any miss.
 */
import type { LedgerSystem } from './ledger-system.js';
import { wholeMs } from './latency-recorder.js';
import type { SeededRandom, SystemTestScale } from './system-test-scale.js';

export interface ScenarioContext {
  readonly system: LedgerSystem;
  readonly scale: SystemTestScale;
  /** This scenario's own generator, from the run's seed. */
  readonly random: SeededRandom;
  /** A progress line (not a figure). */
  log(line: string): void;
}

export interface Scenario {
  /** Names it on the command line: `steady-mix`. */
  readonly name: string;
  /** What it promises, in a line. */
  readonly title: string;
  run(context: ScenarioContext, findings: Findings): Promise<void>;
}

export class Findings {
  readonly figures: string[] = [];
  readonly misses: string[] = [];
  /** Machine-readable figures for the JSON results. */
  readonly values: Record<string, number | string | null> = {};

  figure(line: string): void {
    this.figures.push(line);
    console.log(`  ${line}`);
  }

  miss(reason: string): void {
    this.misses.push(reason);
    console.log(`  MISS: ${reason}`);
  }

  value(name: string, value: number | string | null): void {
    this.values[name] = value;
  }

  /** A figure with its bound; a miss when above it. */
  atMostMs(label: string, valueMs: number | null, limitMs: number): void {
    this.value(label, valueMs === null || !Number.isFinite(valueMs) ? null : Math.round(valueMs));
    const ok = valueMs !== null && valueMs <= limitMs;
    this.figure(`${label}: ${valueMs === null ? 'never' : `${wholeMs(valueMs)} ms`} (bound ${wholeMs(limitMs)} ms) ${ok ? 'ok' : 'MISSED'}`);
    if (!ok) this.miss(`${label} ${valueMs === null ? 'never reached' : `${wholeMs(valueMs)} ms`}, above ${wholeMs(limitMs)} ms`);
  }

  /** A count that must be exactly `expected`. */
  exactly(label: string, actual: number, expected: number): void {
    this.value(label, actual);
    const ok = actual === expected;
    this.figure(`${label}: ${actual.toLocaleString('en-US')} (must be ${expected.toLocaleString('en-US')}) ${ok ? 'ok' : 'MISSED'}`);
    if (!ok) this.miss(`${label} is ${actual}, must be ${expected}`);
  }

  /** Every problem of a list is a miss; none is a figure saying so. */
  none(label: string, problems: readonly string[]): void {
    this.value(label, problems.length);
    if (problems.length === 0) this.figure(`${label}: none ok`);
    for (const problem of problems) this.miss(`${label}: ${problem}`);
  }
}
