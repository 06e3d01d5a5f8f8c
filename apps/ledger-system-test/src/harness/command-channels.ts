/**
 * The ways scenarios send commands (deal-flows.ts CommandChannel):
 *
 * - MeasuredChannel: one request per command, no key; times it, counts
 *   answers by status, and hands each acknowledged position to the
 *   projection-lag sampler. The steady mix and the races use it.
 * - UntilAnsweredChannel: one Idempotency-Key per command, sent again with
 *   the same key until a final answer comes (ledger-client.ts
 *   sendUntilAnswered): how a client gets through faults. Its answer time
 *   covers all attempts.
 */
import { randomUUID } from 'node:crypto';
import { type Answer, type Attempt, type LedgerClient, json, sendUntilAnswered } from './ledger-client.js';
import type { CommandChannel, CommandStep } from './deal-flows.js';
import type { LatencyRecorder } from './latency-recorder.js';
import type { ProjectionLagSampler } from './projection-lag.js';

/** Answers by status code (`201`, `409`, ...) with the codes of the errors. */
export class StatusCounts {
  private readonly counts = new Map<string, number>();

  add(answer: Answer): void {
    const key = answer.status >= 400 ? `${answer.status} ${errorCodeOf(answer)}` : String(answer.status);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Answers with a status of 500 to 599. */
  get serverErrors(): number {
    let count = 0;
    for (const [key, value] of this.counts) if (key.startsWith('5')) count += value;
    return count;
  }

  get total(): number {
    let count = 0;
    for (const value of this.counts.values()) count += value;
    return count;
  }

  /** `201: 1,200, 200: 8,000, 409 INSUFFICIENT_AVAILABLE_CREDITS: 44`. */
  toString(): string {
    return [...this.counts].sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => `${key}: ${value.toLocaleString('en-US')}`).join(', ');
  }
}

function errorCodeOf(answer: Answer): string {
  try {
    return String((JSON.parse(answer.body) as { code?: unknown }).code ?? '?');
  } catch {
    return 'not JSON';
  }
}

export interface Measured {
  readonly latency: LatencyRecorder;
  readonly statuses: StatusCounts;
  /** Acknowledged positions go here; absent: lag not measured. */
  readonly lag?: ProjectionLagSampler;
}

export class MeasuredChannel implements CommandChannel {
  constructor(private readonly measured: Measured) {}

  async send(client: LedgerClient, step: CommandStep): Promise<Answer> {
    const started = performance.now();
    const answer = await client.post(step.path, step.body);
    const answeredAt = performance.now();
    this.measured.latency.record(answeredAt - started);
    this.measured.statuses.add(answer);
    if (answer.status >= 200 && answer.status < 300) {
      const position = json<{ position?: unknown }>(answer).position;
      if (typeof position === 'string') this.measured.lag?.acknowledge(position, answeredAt);
    }
    return answer;
  }
}

export interface UntilAnsweredChannelOptions {
  readonly latency?: LatencyRecorder;
  readonly statuses?: StatusCounts;
  /** Per command; default 60 s. */
  readonly deadlineMs?: number;
  readonly onAttempt?: (step: CommandStep, idempotencyKey: string, attempt: Attempt) => void;
}

export class UntilAnsweredChannel implements CommandChannel {
  constructor(private readonly options: UntilAnsweredChannelOptions = {}) {}

  async send(client: LedgerClient, step: CommandStep): Promise<Answer> {
    const idempotencyKey = randomUUID();
    const started = performance.now();
    const { answer } = await sendUntilAnswered(() => client.post(step.path, step.body, { idempotencyKey }), {
      deadlineMs: this.options.deadlineMs,
      onAttempt: (attempt) => this.options.onAttempt?.(step, idempotencyKey, attempt),
    });
    this.options.latency?.record(performance.now() - started);
    this.options.statuses?.add(answer);
    return answer;
  }
}
