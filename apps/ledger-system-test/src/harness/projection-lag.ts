/**
 * Projection lag as a client lives it: the time from a command's answer
 * until every read model has applied the position the answer carried (what
 * a read with X-Min-Position waits for). The sampler reads the projections'
 * checkpoints (subscription_checkpoints, the truth across every instance)
 * every SAMPLE_INTERVAL_MS without touching the API; afterwards each
 * acknowledged command's lag is the first sample, at or after its answer,
 * in which the slowest projection had passed its position. The figure is
 * late by at most one interval.
 *
 * The projections subscribe to the whole log (read-your-writes.ts), so their
 * checkpoints pass every position, not only their own streams'.
 */
import type pg from 'pg';
import { comparePositions, parsePosition, type LogPosition } from '#event-store';
import { REBUILDABLE_PROJECTIONS } from '#read-models';
import { percentile } from './latency-recorder.js';

export const SAMPLE_INTERVAL_MS = 50;

interface Sample {
  readonly atMs: number;
  /** The slowest projection's checkpoint; null while one has none. */
  readonly slowest: LogPosition | null;
}

export interface Acknowledged {
  readonly position: LogPosition;
  readonly answeredAtMs: number;
}

export interface LagSummary {
  readonly commands: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Commands whose position no sample reached while sampling. */
  readonly neverApplied: number;
  /** From the last answer until every projection had passed the highest acknowledged position; null if never. */
  readonly drainMs: number | null;
}

export class ProjectionLagSampler {
  private readonly samples: Sample[] = [];
  private readonly acknowledged: Acknowledged[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = false;
  private readonly names = REBUILDABLE_PROJECTIONS.map((projection) => projection.name);

  constructor(private readonly pool: pg.Pool) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), SAMPLE_INTERVAL_MS);
  }

  /** Records a command's answer (its `position` field) at the moment it arrived. */
  acknowledge(positionText: string, answeredAtMs = performance.now()): void {
    const position = parsePosition(positionText);
    if (position === null) throw new Error(`not a log position: ${positionText}`);
    this.acknowledged.push({ position, answeredAtMs });
  }

  /** Keeps sampling until every projection passed the highest acknowledged position, or `timeoutMs`. */
  async waitForDrain(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    const highest = this.highestAcknowledged();
    while (highest !== null && performance.now() < deadline) {
      const last = this.samples.at(-1);
      if (last?.slowest != null && comparePositions(last.slowest, highest) >= 0) return;
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_INTERVAL_MS));
    }
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  summary(): LagSummary {
    const lags: number[] = [];
    let neverApplied = 0;
    for (const command of this.acknowledged) {
      const reached = this.firstSampleReaching(command.position, command.answeredAtMs);
      if (reached === null) neverApplied += 1;
      else lags.push(Math.max(0, reached.atMs - command.answeredAtMs));
    }
    lags.sort((a, b) => a - b);
    const highest = this.highestAcknowledged();
    const lastAnswerMs = Math.max(...this.acknowledged.map((command) => command.answeredAtMs));
    const drained = highest === null ? null : this.firstSampleReaching(highest, lastAnswerMs);
    return {
      commands: this.acknowledged.length,
      p50Ms: percentile(lags, 0.5),
      p99Ms: neverApplied > 0 ? Number.POSITIVE_INFINITY : percentile(lags, 0.99),
      maxMs: neverApplied > 0 ? Number.POSITIVE_INFINITY : (lags.at(-1) ?? Number.NaN),
      neverApplied,
      drainMs: drained === null ? null : Math.max(0, drained.atMs - lastAnswerMs),
    };
  }

  private highestAcknowledged(): LogPosition | null {
    let highest: LogPosition | null = null;
    for (const { position } of this.acknowledged) if (highest === null || comparePositions(position, highest) > 0) highest = position;
    return highest;
  }

  /** Samples are in time order and checkpoints only move forward: binary search for both bounds. */
  private firstSampleReaching(position: LogPosition, notBeforeMs: number): Sample | null {
    const byTime = lowerBound(this.samples, (sample) => sample.atMs >= notBeforeMs);
    const byPosition = lowerBound(this.samples, (sample) => sample.slowest !== null && comparePositions(sample.slowest, position) >= 0);
    const index = Math.max(byTime, byPosition);
    return index < this.samples.length ? this.samples[index]! : null;
  }

  private async sample(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      const rows = await this.pool.query<{ name: string; commit: string; prepare: string }>(
        `SELECT subscription_name AS name, commit_position::text AS commit, prepare_position::text AS prepare
           FROM subscription_checkpoints WHERE subscription_name = ANY($1::text[])`,
        [this.names],
      );
      const atMs = performance.now();
      let slowest: LogPosition | null = null;
      if (rows.rows.length === this.names.length) {
        for (const row of rows.rows) {
          const position = { commit: BigInt(row.commit), prepare: BigInt(row.prepare) };
          if (slowest === null || comparePositions(position, slowest) < 0) slowest = position;
        }
      }
      // A rebuild (or a restore) could move a checkpoint back: keep the series monotone, as the search needs.
      const previous = this.samples.at(-1)?.slowest ?? null;
      if (previous !== null && (slowest === null || comparePositions(slowest, previous) < 0)) slowest = previous;
      this.samples.push({ atMs, slowest });
    } catch {
      // The database is down (a fault scenario): no sample this time.
    } finally {
      this.inFlight = false;
    }
  }
}

/** The first index whose item satisfies `reached` (which, once true, stays true), or the length. */
function lowerBound<T>(items: readonly T[], reached: (item: T) => boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (reached(items[middle]!)) high = middle;
    else low = middle + 1;
  }
  return low;
}
