/**
 * Load that goes on through faults (issue 8's kill -9 and PostgreSQL restart
 * scenarios): brokers run whole deal lifecycles (deal-flows.ts) and send each
 * command with one Idempotency-Key of its own, again and again with that key
 * until a final answer comes (ledger-client.ts sendUntilAnswered), as a
 * careful client does; optional readers list listings meanwhile. Every
 * attempt is kept with its start, end and outcome, so a scenario can judge
 * what the clients saw during an outage, and what each acknowledged command
 * must have recorded is written down (CountedFacts) to find lost and
 * duplicated facts afterwards.
 *
 * The brokers' flows run until stop() is called and each has sent at least
 * its minimum of commands.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '#event-store';
import { StatusCounts } from './command-channels.js';
import { BrokerFlows, FlowBroken, randomBuyer, randomDealPlan, randomSeller, type CommandChannel, type CommandStep } from './deal-flows.js';
import { type Answer, type LedgerClient, errorCode, sendUntilAnswered } from './ledger-client.js';
import { ExpectedFacts, type StreamOrder } from './stream-expectations.js';
import type { SeededRandom } from './system-test-scale.js';

/** One request as a client saw it: when it left, when its answer (or the failure to get one) came, and what came. */
export interface AttemptRecord {
  /** `command` (a broker's) or `read` (a reader's). */
  readonly kind: 'command' | 'read';
  readonly label: string;
  readonly startedMs: number;
  readonly endedMs: number;
  /** 0 when no answer came (connection refused or reset, timeout). */
  readonly status: number;
  /** The error body's code, or the transport failure's message. */
  readonly code: string | null;
}

/** ExpectedFacts that also keeps its expectations readable, to count lost and duplicated facts apart. */
export class CountedFacts extends ExpectedFacts {
  private readonly expected = new Map<string, string[]>();

  override expect(streamId: string, types: readonly string[], order: StreamOrder): void {
    super.expect(streamId, types, order);
    const stream = this.expected.get(streamId);
    if (stream === undefined) this.expected.set(streamId, [...types]);
    else stream.push(...types);
  }

  /**
   * Reads back every stream written to: `lost` counts acknowledged facts the
   * log does not hold, `duplicated` facts the log holds more often than the
   * acknowledged commands recorded them.
   */
  async count(store: EventStore): Promise<{ lost: number; duplicated: number; facts: number }> {
    let lost = 0;
    let duplicated = 0;
    let facts = 0;
    for (const [streamId, types] of this.expected) {
      const counts = new Map<string, number>();
      for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
      for (const event of await store.readStream(streamId)) counts.set(event.type, (counts.get(event.type) ?? 0) - 1);
      for (const difference of counts.values()) {
        if (difference > 0) lost += difference;
        else duplicated -= difference;
      }
      facts += types.length;
    }
    return { lost, duplicated, facts };
  }
}

export interface FaultLoadOptions {
  readonly brokers: LedgerClient[];
  /** Listing readers (GET /v1/listings) next to the brokers; default none. */
  readonly readers?: LedgerClient[];
  readonly random: SeededRandom;
  /** Makes providerOrgRef unique per run of a scenario: strayStreams(pool, facts, `org-${tag}`) finds duplicates. */
  readonly tag: string;
  /** Each broker sends at least this many commands before it heeds stop(). */
  readonly minCommandsPerBroker: number;
  /**
   * How long one command may take through all its attempts before the
   * client gives up (a miss). Above the API's idempotency claim lease (20 s):
   * a command whose claim the killed instance left behind is taken over only
   * after it.
   */
  readonly commandDeadlineMs: number;
  /** Pause between a reader's requests; default 20 ms. */
  readonly readPauseMs?: number;
}

const LISTING_FACE_VALUE_CENTS = 1_000_000n;
const DEALS_PER_LISTING = 3;

export class FaultLoad {
  readonly facts = new CountedFacts();
  readonly attempts: AttemptRecord[] = [];
  /** Final answers of the commands. */
  readonly statuses = new StatusCounts();
  /** Flows broken by an answer the lifecycle does not promise, and commands never answered. */
  readonly broken: string[] = [];
  commands = 0;
  /** Commands acknowledged after more than one attempt. */
  retriedCommands = 0;
  private inFlightCount = 0;
  private stopping = false;
  private readonly running: Promise<void>[] = [];
  private waves = 0;

  constructor(private readonly options: FaultLoadOptions) {}

  /** Requests sent and not answered yet. */
  get inFlight(): number {
    return this.inFlightCount;
  }

  /** Starts the first wave of brokers, and the readers. */
  start(): void {
    if (this.running.length > 0) throw new Error('the load is already running');
    this.running.push(...(this.options.readers ?? []).map((client) => this.reader(client)));
    this.addWave();
  }

  /**
   * Starts another flow per broker client, next to those running. A client
   * retrying a command whose key a killed instance left claimed waits out
   * the claim's lease; a fresh wave after each kill makes sure the next
   * kill meets commands in full flow too.
   */
  addWave(): void {
    this.waves += 1;
    const wave = this.waves;
    this.running.push(...this.options.brokers.map((client, index) => this.broker(client, `${wave}-${index}`, this.options.random.fork())));
  }

  /** Lets every broker finish its current command (and its minimum), then resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }

  /** Attempts that overlapped [fromMs, toMs]. */
  attemptsBetween(fromMs: number, toMs: number): AttemptRecord[] {
    return this.attempts.filter((attempt) => attempt.startedMs <= toMs && attempt.endedMs >= fromMs);
  }

  private async broker(client: LedgerClient, name: string, random: SeededRandom): Promise<void> {
    const flows = new BrokerFlows(client, this.channel(), this.facts, `${this.options.tag}-${name}`);
    try {
      while (!this.stopping || flows.commands < this.options.minCommandsPerBroker) {
        const sellerId = randomSeller(random);
        const listingId = await flows.verifiedListing(sellerId, LISTING_FACE_VALUE_CENTS);
        for (let deal = 0; deal < DEALS_PER_LISTING && !(this.stopping && flows.commands >= this.options.minCommandsPerBroker); deal += 1) {
          await flows.deal(listingId, sellerId, randomDealPlan(random, randomBuyer(random)));
        }
      }
    } catch (error) {
      this.broken.push(`broker flow ${name}: ${error instanceof FlowBroken || error instanceof Error ? error.message : String(error)}`);
    }
  }

  private channel(): CommandChannel {
    return {
      send: async (client: LedgerClient, step: CommandStep): Promise<Answer> => {
        const idempotencyKey = randomUUID();
        this.commands += 1;
        const { answer, attempts } = await sendUntilAnswered(() => this.timed('command', step.label, () => client.post(step.path, step.body, { idempotencyKey })), {
          deadlineMs: this.options.commandDeadlineMs,
          maxPauseMs: 250,
        });
        if (attempts > 1) this.retriedCommands += 1;
        this.statuses.add(answer);
        return answer;
      },
    };
  }

  private async reader(client: LedgerClient): Promise<void> {
    const pauseMs = this.options.readPauseMs ?? 20;
    while (!this.stopping) {
      await this.timed('read', 'list listings', () => client.get('/v1/listings?limit=20')).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  /** Sends one request and keeps its record, whatever came. */
  private async timed(kind: 'command' | 'read', label: string, send: () => Promise<Answer>): Promise<Answer> {
    const startedMs = performance.now();
    this.inFlightCount += 1;
    try {
      const answer = await send();
      this.attempts.push({ kind, label, startedMs, endedMs: performance.now(), status: answer.status, code: errorCode(answer) });
      return answer;
    } catch (error) {
      this.attempts.push({ kind, label, startedMs, endedMs: performance.now(), status: 0, code: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      this.inFlightCount -= 1;
    }
  }
}
