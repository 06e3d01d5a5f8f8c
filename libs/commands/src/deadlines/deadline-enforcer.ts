/**
 * The deadline enforcer (shared/DOMAIN.md, "Expiry enforcement"): every
 * LEDGER_DEADLINE_POLL_MS it sweeps the deadlines read model for deadlines
 * that fell due by the injected clock, and sends each one's expiry command
 * through the CommandBus (expiry-command.ts says why each fact is written
 * exactly once).
 *
 * A sweep reads each kind's due deadlines in bounded pages, in (deadline,
 * stream) order, and runs a bounded number of commands at once. Nothing of
 * the sweep is durable: the read model is the to-do list, and a deadline
 * leaves it once the projection has folded the fact that closed it. So an
 * enforcer that stops in the middle of a sweep loses nothing; the next one,
 * here or on another instance, finds what is left.
 *
 * A refused command is an outcome, not a failure: the stream moved on (an
 * approval in time, a deadline amended later, another instance expired it
 * first) and the projection has not caught up yet. To avoid sending the same
 * command again every poll while the projection catches up, a deadline
 * attempted recently is skipped until `retryAfterMs` has passed. Anything
 * else (the store unreachable) is counted as failed, reported in status(),
 * and retried at the next sweep.
 *
 * Several instances may run enforcers. With a leadership (an advisory lock)
 * only one of them sweeps at a time, which only saves duplicate work: two
 * enforcers sweeping at once still record each expiry once.
 */
import type { Command } from '@nestjs/cqrs';
import { DEADLINE_KINDS, deadlineLeadMs, isDomainError, type DeadlineKind, type ListingPolicy } from '#domain';
import { waitUnlessAborted } from '#event-store';
import type { CommandOutcome } from '../command-outcome.js';
import type { Clock } from '../ledger-command-settings.js';
import { DEADLINE_ENFORCER, expiryCommandMessage, type DueDeadline } from './expiry-command.js';

/**
 * Rows per page: one index range scan and this many commands, then the
 * next page. Large enough that 100,000 deadlines falling due at once take a
 * hundred reads (npm run bench:expiry), small enough to keep a page in memory.
 */
export const DEADLINE_PAGE_SIZE = 1_000;
/** Expiry commands in flight at once: enough to keep the event store's connections busy, not to queue behind them. */
export const DEADLINE_CONCURRENCY = 32;
/** A deadline attempted this recently is not sent again: the projection removes an enforced one in well under this. */
export const DEADLINE_RETRY_AFTER_MS = 30_000;
/** Attempts remembered at most (the oldest are forgotten first): a bound on memory, far above what one sweep meets. */
export const MAX_REMEMBERED_ATTEMPTS = 1_000_000;
/** A failing enforcer says so when it starts failing, then at most this often. */
const REPORT_INTERVAL_MS = 60_000;

/** Where a page of one kind's due deadlines ended. */
export interface DueDeadlineCursor {
  readonly deadlineAt: Date;
  readonly streamId: string;
}

/** The deadlines read model as the enforcer reads it (libs/read-models postgresDueDeadlines). */
export interface DueDeadlineSource {
  due(kind: DeadlineKind, cutoff: Date, after: DueDeadlineCursor | null, limit: number): Promise<readonly DueDeadline[]>;
}

/** One leader among the instances (libs/read-models advisoryLeadership): an optimisation only. */
export interface EnforcerLeadership {
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}

/** The CommandBus, as far as the enforcer uses it. */
export interface ExpiryCommandBus {
  execute(command: Command<CommandOutcome>): Promise<CommandOutcome>;
}

export type ExpiryOutcome =
  | { readonly kind: 'recorded' }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'refused'; readonly code: string }
  | { readonly kind: 'failed'; readonly error: string };

export interface SweepReport {
  /** Due deadlines read. */
  readonly due: number;
  /** Of those, attempted recently and left alone. */
  readonly skipped: number;
  /** Commands that recorded the expiry facts. */
  readonly recorded: number;
  /** Commands that found them recorded already (a stream expired by someone else, a rerun). */
  readonly unchanged: number;
  /** Commands refused, by DomainError code (the stream moved on; not an error). */
  readonly refused: Readonly<Record<string, number>>;
  readonly failed: number;
  /** The first failure, `<expiry key>: <error>`; null when none failed. */
  readonly firstFailure: string | null;
}

export interface EnforcerStatus {
  readonly name: string;
  readonly state: 'starting' | 'standby' | 'running' | 'stopped';
  /** The enforcer follows no log position. */
  readonly position: null;
  /** Why the last sweep failed, or how many of its commands did; null when it went through. */
  readonly error: string | null;
}

export interface DeadlineEnforcerOptions {
  readonly commandBus: ExpiryCommandBus;
  readonly source: DueDeadlineSource;
  readonly clock: Clock;
  /** LEDGER_EXPIRY_MARGIN_MS, the same the listing decider is given: a listing falls due that long before its credit expiry. */
  readonly listingPolicy: ListingPolicy;
  /** LEDGER_DEADLINE_POLL_MS: the pause after each sweep. */
  readonly pollIntervalMs: number;
  readonly pageSize?: number;
  readonly concurrency?: number;
  readonly retryAfterMs?: number;
  readonly leadership?: EnforcerLeadership;
  /** Called with every outcome (tests and benchmarks watch with it). */
  readonly onOutcome?: (deadline: DueDeadline, outcome: ExpiryOutcome) => void;
  /** Called once per sweep that had failures or could not run; default: nothing. */
  readonly report?: (line: string) => void;
}

export class DeadlineEnforcer {
  readonly name = DEADLINE_ENFORCER;
  private state: EnforcerStatus['state'] = 'starting';
  private error: string | null = null;
  private readonly controller = new AbortController();
  private running: Promise<void> | null = null;
  /** Expiry key -> when it was attempted (performance.now()), oldest first. */
  private readonly attempted = new Map<string, number>();
  private readonly pageSize: number;
  private readonly concurrency: number;
  private readonly retryAfterMs: number;

  constructor(private readonly options: DeadlineEnforcerOptions) {
    this.pageSize = options.pageSize ?? DEADLINE_PAGE_SIZE;
    this.concurrency = options.concurrency ?? DEADLINE_CONCURRENCY;
    this.retryAfterMs = options.retryAfterMs ?? DEADLINE_RETRY_AFTER_MS;
    if (!(Number.isSafeInteger(this.pageSize) && this.pageSize > 0 && Number.isSafeInteger(this.concurrency) && this.concurrency > 0)) {
      throw new RangeError(`page size and concurrency must be positive whole numbers, got ${this.pageSize} and ${this.concurrency}`);
    }
  }

  start(): void {
    if (this.running !== null) return;
    this.running = this.run();
  }

  /** Stops after the commands in flight; a sweep left half done is finished by the next enforcer. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
    this.state = 'stopped';
  }

  status(): EnforcerStatus {
    return { name: this.name, state: this.state, position: null, error: this.error };
  }

  /**
   * One sweep: every deadline due by the clock now, kind by kind, page by
   * page, until a page comes back short or the enforcer is stopped.
   */
  async sweep(signal: AbortSignal = this.controller.signal): Promise<SweepReport> {
    const now = this.options.clock();
    const tally = new Tally();
    this.forgetOldAttempts();
    for (const kind of DEADLINE_KINDS) {
      const cutoff = new Date(now.getTime() + deadlineLeadMs(kind, this.options.listingPolicy));
      let after: DueDeadlineCursor | null = null;
      while (!signal.aborted) {
        const page = await this.options.source.due(kind, cutoff, after, this.pageSize);
        const fresh = page.filter((deadline) => !this.attemptedRecently(deadline.expiryKey));
        tally.due += page.length;
        tally.skipped += page.length - fresh.length;
        await forEachAtOnce(fresh, this.concurrency, signal, async (deadline) => {
          const outcome = await this.enforce(deadline);
          // A failure (the store unreachable) is tried again at the next sweep; any other outcome waits for the projection.
          if (outcome.kind !== 'failed') this.remember(deadline.expiryKey);
          tally.count(outcome, deadline);
          this.options.onOutcome?.(deadline, outcome);
        });
        if (page.length < this.pageSize) break;
        const last = page[page.length - 1]!;
        after = { deadlineAt: last.deadlineAt, streamId: last.streamId };
      }
    }
    return tally.report();
  }

  private async enforce(deadline: DueDeadline): Promise<ExpiryOutcome> {
    try {
      const outcome = await this.options.commandBus.execute(expiryCommandMessage(deadline));
      return outcome.position === null ? { kind: 'unchanged' } : { kind: 'recorded' };
    } catch (error) {
      if (isDomainError(error)) return { kind: 'refused', code: error.code };
      return { kind: 'failed', error: describe(error) };
    }
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal;
    let reportedAt: number | null = null;
    try {
      while (!signal.aborted) {
        try {
          if (this.options.leadership !== undefined && !(await this.options.leadership.acquire())) {
            this.state = 'standby';
          } else {
            this.state = 'running';
            const report = await this.sweep(signal);
            this.error = report.failed === 0 ? null : `${report.failed} of ${report.due} due deadlines failed in the last sweep, first ${report.firstFailure}`;
          }
        } catch (error) {
          this.error = `sweep failed: ${describe(error)}`;
        }
        if (this.error === null) {
          reportedAt = null;
        } else if (reportedAt === null || performance.now() - reportedAt >= REPORT_INTERVAL_MS) {
          reportedAt = performance.now();
          this.options.report?.(`${this.name}: ${this.error}`);
        }
        await waitUnlessAborted(this.options.pollIntervalMs, signal);
      }
    } finally {
      await this.options.leadership?.release().catch(() => undefined);
    }
  }

  private attemptedRecently(expiryKey: string): boolean {
    const at = this.attempted.get(expiryKey);
    return at !== undefined && performance.now() - at < this.retryAfterMs;
  }

  private remember(expiryKey: string): void {
    // Re-inserted at the end, so the map stays ordered by attempt time.
    this.attempted.delete(expiryKey);
    this.attempted.set(expiryKey, performance.now());
    if (this.attempted.size > MAX_REMEMBERED_ATTEMPTS) this.attempted.delete(this.attempted.keys().next().value!);
  }

  private forgetOldAttempts(): void {
    const before = performance.now() - this.retryAfterMs;
    for (const [expiryKey, at] of this.attempted) {
      if (at >= before) return;
      this.attempted.delete(expiryKey);
    }
  }
}

class Tally {
  due = 0;
  skipped = 0;
  private recorded = 0;
  private unchanged = 0;
  private failed = 0;
  private readonly refused: Record<string, number> = {};
  private firstFailure: string | null = null;

  count(outcome: ExpiryOutcome, deadline: DueDeadline): void {
    switch (outcome.kind) {
      case 'recorded':
        this.recorded += 1;
        return;
      case 'unchanged':
        this.unchanged += 1;
        return;
      case 'refused':
        this.refused[outcome.code] = (this.refused[outcome.code] ?? 0) + 1;
        return;
      case 'failed':
        this.failed += 1;
        this.firstFailure ??= `${deadline.expiryKey}: ${outcome.error}`;
        return;
    }
  }

  report(): SweepReport {
    return { due: this.due, skipped: this.skipped, recorded: this.recorded, unchanged: this.unchanged, refused: { ...this.refused }, failed: this.failed, firstFailure: this.firstFailure };
  }
}

/** Runs `work` on every item, at most `limit` at once, starting no new one once `signal` aborts. */
async function forEachAtOnce<T>(items: readonly T[], limit: number, signal: AbortSignal, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length && !signal.aborted) {
      const item = items[next]!;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
