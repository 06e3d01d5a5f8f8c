/**
 * kill -9 of the worker mid-batch (issue 8). Each round: the worker process
 * leads every projection (service-faults.ts makeWorkerLead) and is paused
 * (SIGSTOP: it keeps its leader locks, so nobody projects), brokers send a
 * burst of commands through the API, the worker is resumed and, while its
 * projections catch up on the backlog, killed with SIGKILL at a seeded
 * moment; the API's standbys take over and the worker is started again.
 * A first round without a kill measures how long the catch-up takes, and
 * the kills fall within that time.
 *
 * Promise: afterwards the read models equal a fresh fold of the log (the
 * store checker, run after the scenario, rebuilds every projection and
 * compares it row by row), and the log holds exactly the acknowledged
 * commands' facts. The figure says how many kills landed while the
 * projections were still behind (the batch in hand rolled back).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { EventStore } from '#event-store';
import { MeasuredChannel, StatusCounts } from '../harness/command-channels.js';
import { BrokerFlows, FlowBroken, randomBuyer, randomDealPlan, randomSeller } from '../harness/deal-flows.js';
import { LatencyRecorder } from '../harness/latency-recorder.js';
import type { Findings, Scenario, ScenarioContext } from '../harness/scenario.js';
import { makeWorkerLead, pause, projectionsBehind, resume } from '../harness/service-faults.js';
import { ExpectedFacts, strayStreams } from '../harness/stream-expectations.js';
import type { SeededRandom } from '../harness/system-test-scale.js';

const SIZES = { short: { kills: 6, brokers: 10, commandsPerBroker: 30 }, full: { kills: 20, brokers: 20, commandsPerBroker: 40 } } as const;
const LISTING_FACE_VALUE_CENTS = 1_000_000n;
const DEALS_PER_LISTING = 3;
/** The catch-up of a burst must finish within this; it takes well under a second per thousand events. */
const CATCH_UP_TIMEOUT_MS = 60_000;

export const workerKill: Scenario = {
  name: 'worker-kill',
  title: 'kill -9 of the worker while its projections catch up after a burst: read models equal a fresh fold of the log',
  async run({ system, scale, random, log }: ScenarioContext, findings: Findings): Promise<void> {
    const { kills, brokers, commandsPerBroker } = SIZES[scale];
    const tag = `workerkill-${Date.now().toString(36)}`;
    const clients = await Promise.all(Array.from({ length: brokers }, (_, index) => system.client('broker', `broker-workerkill-${index}`)));
    const facts = new ExpectedFacts();
    const statuses = new StatusCounts();
    const channel = new MeasuredChannel({ latency: new LatencyRecorder(), statuses });
    const broken: string[] = [];
    let bursts = 0;
    const burst = async (): Promise<void> => {
      bursts += 1;
      await Promise.all(clients.map((client, index) => brokerBurst(new BrokerFlows(client, channel, facts, `${tag}-${bursts}-${index}`), random.fork(), commandsPerBroker, broken)));
    };
    log(`${kills} rounds: ${brokers} brokers x ${commandsPerBroker} commands while the worker is paused, then a kill -9 during the catch-up`);

    // Round 0 measures the catch-up of a burst, without a kill.
    let apiRestarts = await makeWorkerLead(system);
    pause(system.worker);
    await burst();
    let backlog = await projectionsBehind(system.pool, system.store);
    resume(system.worker);
    const catchUpStarted = performance.now();
    await waitUntilCaughtUp(system.pool, system.store);
    const catchUpMs = performance.now() - catchUpStarted;
    findings.figure(`a burst of ${backlog.toLocaleString('en-US')} events behind the paused worker took it ${Math.round(catchUpMs)} ms to catch up`);

    let killedBehind = 0;
    let killedBeforeFirstCommit = 0;
    const backlogs: number[] = [];
    for (let round = 1; round <= kills; round += 1) {
      apiRestarts += await makeWorkerLead(system);
      pause(system.worker);
      await burst();
      backlog = await projectionsBehind(system.pool, system.store);
      backlogs.push(backlog);
      const delayMs = random.integer(0, Math.max(1, Math.round(catchUpMs * 0.9)));
      resume(system.worker);
      await sleep(delayMs);
      const pid = system.worker.pid;
      await system.worker.kill9();
      const behind = await projectionsBehind(system.pool, system.store);
      if (behind > 0) killedBehind += 1;
      if (behind >= backlog) killedBeforeFirstCommit += 1;
      log(`round ${round}: ${backlog} events behind; worker (pid ${pid}) killed ${delayMs} ms into the catch-up with ${behind} still to go`);
      await system.worker.start();
    }
    await waitUntilCaughtUp(system.pool, system.store);

    findings.value('kills', kills);
    findings.value('killedWhileBehind', killedBehind);
    findings.figure(
      `${kills} kills of the worker after bursts of ${Math.min(...backlogs)}-${Math.max(...backlogs)} events; ` +
        `${killedBehind} landed while the projections were still behind (the batches in hand rolled back; ${killedBehind - killedBeforeFirstCommit} after some batches had committed); ` +
        `the API was restarted ${apiRestarts} times to hand the lead to the worker`,
    );
    findings.figure(`${statuses.total.toLocaleString('en-US')} commands; answers ${statuses}`);
    if (killedBehind === 0) findings.miss('no kill landed while the projections were catching up: the scenario did not test what it promises');
    findings.exactly('5xx answers', statuses.serverErrors, 0);
    findings.none('flows broken by an unexpected answer', broken);

    await system.quiesce();
    findings.none('streams differing from the acknowledged commands', await facts.check(system.store));
    findings.none('listings or deals created twice under another id', await strayStreams(system.pool, facts, `org-${tag}`));
  },
};

/** One broker's share of a burst: whole deal lifecycles until its commands are sent. */
async function brokerBurst(flows: BrokerFlows, random: SeededRandom, commands: number, broken: string[]): Promise<void> {
  try {
    while (flows.commands < commands) {
      const sellerId = randomSeller(random);
      const listingId = await flows.verifiedListing(sellerId, LISTING_FACE_VALUE_CENTS);
      for (let deal = 0; deal < DEALS_PER_LISTING && flows.commands < commands; deal += 1) {
        await flows.deal(listingId, sellerId, randomDealPlan(random, randomBuyer(random)));
      }
    }
  } catch (error) {
    if (!(error instanceof FlowBroken)) throw error;
    broken.push(error.message);
  }
}

async function waitUntilCaughtUp(pool: pg.Pool, store: EventStore): Promise<void> {
  const deadline = performance.now() + CATCH_UP_TIMEOUT_MS;
  while ((await projectionsBehind(pool, store)) > 0) {
    if (performance.now() > deadline) throw new Error(`the projections did not catch up within ${CATCH_UP_TIMEOUT_MS} ms`);
    await sleep(20);
  }
}
