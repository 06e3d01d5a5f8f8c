/**
 * Latencies in milliseconds and their percentiles (nearest rank: the value
 * below which the given share of the samples falls, one of the samples, no
 * interpolation), as the scenarios print and judge them.
 */
export function percentile(sortedMs: readonly number[], share: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(share * sortedMs.length));
  return sortedMs[Math.min(rank, sortedMs.length) - 1]!;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export class LatencyRecorder {
  private readonly samplesMs: number[] = [];

  record(ms: number): void {
    this.samplesMs.push(ms);
  }

  /** Times one call, whatever it answers (a thrown error is timed too, then rethrown). */
  async time<T>(work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.record(performance.now() - started);
    }
  }

  get count(): number {
    return this.samplesMs.length;
  }

  summary(): LatencySummary {
    const sorted = [...this.samplesMs].sort((a, b) => a - b);
    return { count: sorted.length, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: sorted.at(-1) ?? Number.NaN };
  }
}

/** `p50 12 ms, p99 80 ms, max 130 ms (n=10,000)`. */
export function formatLatency(summary: LatencySummary): string {
  return `p50 ${wholeMs(summary.p50Ms)} ms, p99 ${wholeMs(summary.p99Ms)} ms, max ${wholeMs(summary.maxMs)} ms (n=${summary.count.toLocaleString('en-US')})`;
}

export function wholeMs(ms: number): string {
  return Number.isFinite(ms) ? Math.round(ms).toLocaleString('en-US') : String(ms);
}
