/**
 * Steady mix (issue 8): 20 concurrent brokers, each sending its commands one
 * after another through whole deal lifecycles (listings submitted and
 * verified, deals opened, amended, approved, paid, transferred, paid out;
 * some cancelled, rejected, disputed). Promises: no 5xx, every command
 * answered as the lifecycle promises, p99 command latency <= 250 ms,
 * projection lag p99 <= 2 s and drained within 5 s after the load stops,
 * and the log holds exactly the acknowledged commands' facts.
 */
import { MeasuredChannel, StatusCounts } from '../harness/command-channels.js';
import { BrokerFlows, FlowBroken, randomBuyer, randomDealPlan, randomSeller } from '../harness/deal-flows.js';
import { LatencyRecorder, formatLatency } from '../harness/latency-recorder.js';
import { ProjectionLagSampler } from '../harness/projection-lag.js';
import type { Findings, Scenario, ScenarioContext } from '../harness/scenario.js';
import { ExpectedFacts, strayStreams } from '../harness/stream-expectations.js';

const SIZES = { short: { brokers: 20, commandsPerBroker: 150 }, full: { brokers: 20, commandsPerBroker: 500 } } as const;
const P99_COMMAND_LATENCY_MS = 250;
const P99_PROJECTION_LAG_MS = 2_000;
const DRAIN_MS = 5_000;
/** Each listing is sold in up to this many deals (100,000-300,000 of 1,000,000 face value each). */
const DEALS_PER_LISTING = 3;
const LISTING_FACE_VALUE_CENTS = 1_000_000n;

export const steadyMix: Scenario = {
  name: 'steady-mix',
  title: 'concurrent brokers through whole deal lifecycles: no 5xx, p99 latency, projection lag and drain',
  async run({ system, scale, random, log }: ScenarioContext, findings: Findings): Promise<void> {
    const { brokers, commandsPerBroker } = SIZES[scale];
    const latency = new LatencyRecorder();
    const statuses = new StatusCounts();
    const lag = new ProjectionLagSampler(system.pool);
    const channel = new MeasuredChannel({ latency, statuses, lag });
    const facts = new ExpectedFacts();
    const tag = `steady-${Date.now().toString(36)}`;
    const clients = await Promise.all(Array.from({ length: brokers }, (_, index) => system.client('broker', `broker-steady-${index}`)));
    const broken: FlowBroken[] = [];
    log(`${brokers} brokers x ${commandsPerBroker} commands`);

    lag.start();
    const started = performance.now();
    await Promise.all(
      clients.map(async (client, index) => {
        const brokerRandom = random.fork();
        const flows = new BrokerFlows(client, channel, facts, `${tag}-${index}`);
        try {
          while (flows.commands < commandsPerBroker) {
            const sellerId = randomSeller(brokerRandom);
            const listingId = await flows.verifiedListing(sellerId, LISTING_FACE_VALUE_CENTS);
            for (let deal = 0; deal < DEALS_PER_LISTING && flows.commands < commandsPerBroker; deal += 1) {
              await flows.deal(listingId, sellerId, randomDealPlan(brokerRandom, randomBuyer(brokerRandom)));
            }
          }
        } catch (error) {
          if (!(error instanceof FlowBroken)) throw error;
          broken.push(error);
        }
      }),
    );
    const loadSeconds = (performance.now() - started) / 1_000;
    await lag.waitForDrain(DRAIN_MS * 3);
    lag.stop();

    const commands = latency.summary();
    findings.value('commands', commands.count);
    findings.value('commandsPerSecond', Math.round(commands.count / loadSeconds));
    findings.figure(`${commands.count.toLocaleString('en-US')} commands in ${loadSeconds.toLocaleString('en-US', { maximumFractionDigits: 1 })} s (${Math.round(commands.count / loadSeconds).toLocaleString('en-US')}/s); answers ${statuses}`);
    findings.figure(`command latency ${formatLatency(commands)}`);
    findings.exactly('5xx answers', statuses.serverErrors, 0);
    findings.none('flows broken by an unexpected answer', broken.map((error) => error.message));
    findings.atMostMs('p99 command latency', commands.p99Ms, P99_COMMAND_LATENCY_MS);
    findings.value('p50CommandLatencyMs', Math.round(commands.p50Ms));
    const lagSummary = lag.summary();
    findings.figure(`projection lag p50 ${Math.round(lagSummary.p50Ms)} ms (answer to every read model past its position; sampled every 50 ms)`);
    findings.exactly('commands never applied by the projections', lagSummary.neverApplied, 0);
    findings.atMostMs('p99 projection lag', lagSummary.p99Ms, P99_PROJECTION_LAG_MS);
    findings.atMostMs('projections drained after the load stopped', lagSummary.drainMs, DRAIN_MS);

    await system.quiesce();
    findings.none('streams differing from the acknowledged commands', await facts.check(system.store));
    findings.none('streams created twice', await strayStreams(system.pool, facts, `org-${tag}`));
  },
};
