/**
 * Retry storm (issue 8): brokers run whole deal lifecycles with an
 * Idempotency-Key on every command, and 20 % of the commands are sent again
 * 1 to 4 more times with the same key: half of those at the same moment as
 * the first (concurrent duplicates), half one after another once the first
 * was answered (late replays). Promises: every copy gets the first answer
 * byte for byte (status and body; a late replay says so in
 * `Idempotent-Replayed`), and the log holds each acknowledged command's
 * facts exactly once: no duplicate fact, no stream created twice.
 */
import { randomUUID } from 'node:crypto';
import { StatusCounts } from '../harness/command-channels.js';
import { BrokerFlows, FlowBroken, randomBuyer, randomDealPlan, randomSeller, type CommandChannel, type CommandStep } from '../harness/deal-flows.js';
import { LatencyRecorder, formatLatency } from '../harness/latency-recorder.js';
import type { Answer, LedgerClient } from '../harness/ledger-client.js';
import type { Findings, Scenario, ScenarioContext } from '../harness/scenario.js';
import { ExpectedFacts, strayStreams } from '../harness/stream-expectations.js';
import type { SeededRandom } from '../harness/system-test-scale.js';

const SIZES = { short: { brokers: 20, commandsPerBroker: 100 }, full: { brokers: 20, commandsPerBroker: 500 } } as const;
const RESENT_SHARE = 0.2;
const CONCURRENT_SHARE = 0.5;
const MIN_COPIES = 1;
const MAX_COPIES = 4;
const LISTING_FACE_VALUE_CENTS = 1_000_000n;

interface StormTally {
  commands: number;
  resentCommands: number;
  concurrentCommands: number;
  copies: number;
  /** Copies whose answer differs from the first's, in words. */
  readonly differing: string[];
  /** Late replays without `Idempotent-Replayed: true`. */
  readonly unmarked: string[];
}

class RetryStormChannel implements CommandChannel {
  constructor(
    private readonly random: SeededRandom,
    private readonly tally: StormTally,
    private readonly latency: LatencyRecorder,
    private readonly statuses: StatusCounts,
  ) {}

  async send(client: LedgerClient, step: CommandStep): Promise<Answer> {
    const idempotencyKey = randomUUID();
    const send = async (): Promise<Answer> => {
      const started = performance.now();
      const answer = await client.post(step.path, step.body, { idempotencyKey });
      this.latency.record(performance.now() - started);
      this.statuses.add(answer);
      return answer;
    };
    this.tally.commands += 1;
    if (!this.random.chance(RESENT_SHARE)) return send();
    const copies = this.random.integer(MIN_COPIES, MAX_COPIES);
    this.tally.resentCommands += 1;
    this.tally.copies += copies;
    if (this.random.chance(CONCURRENT_SHARE)) {
      this.tally.concurrentCommands += 1;
      const answers = await Promise.all(Array.from({ length: copies + 1 }, send));
      // Which copy ran the command is not known: all must be the same answer.
      const first = answers[0]!;
      for (const other of answers.slice(1)) this.compare(step, first, other);
      return first;
    }
    const first = await send();
    for (let copy = 0; copy < copies; copy += 1) {
      const replay = await send();
      this.compare(step, first, replay);
      if (replay.headers['idempotent-replayed'] !== 'true') this.tally.unmarked.push(`${step.label} (POST ${step.path}): replay ${copy + 1} not marked Idempotent-Replayed`);
    }
    return first;
  }

  private compare(step: CommandStep, first: Answer, copy: Answer): void {
    if (copy.status === first.status && copy.body === first.body) return;
    this.tally.differing.push(`${step.label} (POST ${step.path}): first ${first.status} ${first.body.slice(0, 160)}; copy ${copy.status} ${copy.body.slice(0, 160)}`);
  }
}

export const retryStorm: Scenario = {
  name: 'retry-storm',
  title: '20 % of commands re-sent 1-4 times with the same Idempotency-Key, half concurrently: identical replays, no duplicate facts',
  async run({ system, scale, random, log }: ScenarioContext, findings: Findings): Promise<void> {
    const { brokers, commandsPerBroker } = SIZES[scale];
    const tally: StormTally = { commands: 0, resentCommands: 0, concurrentCommands: 0, copies: 0, differing: [], unmarked: [] };
    const latency = new LatencyRecorder();
    const statuses = new StatusCounts();
    const facts = new ExpectedFacts();
    const tag = `storm-${Date.now().toString(36)}`;
    const clients = await Promise.all(Array.from({ length: brokers }, (_, index) => system.client('broker', `broker-storm-${index}`)));
    const broken: string[] = [];
    log(`${brokers} brokers x ${commandsPerBroker} commands`);

    await Promise.all(
      clients.map(async (client, index) => {
        const brokerRandom = random.fork();
        const flows = new BrokerFlows(client, new RetryStormChannel(brokerRandom.fork(), tally, latency, statuses), facts, `${tag}-${index}`);
        try {
          while (flows.commands < commandsPerBroker) {
            const sellerId = randomSeller(brokerRandom);
            const listingId = await flows.verifiedListing(sellerId, LISTING_FACE_VALUE_CENTS);
            for (let deal = 0; deal < 3 && flows.commands < commandsPerBroker; deal += 1) {
              await flows.deal(listingId, sellerId, randomDealPlan(brokerRandom, randomBuyer(brokerRandom)));
            }
          }
        } catch (error) {
          if (!(error instanceof FlowBroken)) throw error;
          broken.push(error.message);
        }
      }),
    );

    findings.value('commands', tally.commands);
    findings.value('copies', tally.copies);
    findings.figure(
      `${tally.commands.toLocaleString('en-US')} commands, ${tally.resentCommands.toLocaleString('en-US')} re-sent (${tally.concurrentCommands.toLocaleString('en-US')} concurrently) ` +
        `with ${tally.copies.toLocaleString('en-US')} copies; answers ${statuses}`,
    );
    findings.figure(`request latency ${formatLatency(latency.summary())}`);
    findings.exactly('5xx answers', statuses.serverErrors, 0);
    findings.none('flows broken by an unexpected answer', broken);
    findings.none('copies answered differently from the first', tally.differing.slice(0, 10));
    if (tally.differing.length > 10) findings.miss(`... ${tally.differing.length} differing copies in all`);
    findings.none('late replays not marked as replays', tally.unmarked.slice(0, 10));

    await system.quiesce();
    findings.none('streams differing from the acknowledged commands (lost or duplicate facts)', await facts.check(system.store));
    findings.none('streams created twice', await strayStreams(system.pool, facts, `org-${tag}`));
  },
};
