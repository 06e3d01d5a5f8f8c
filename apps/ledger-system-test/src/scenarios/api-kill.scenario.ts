/**
 * kill -9 of the API (issue 8): brokers run deal lifecycles through the API
 * and send every command with its own Idempotency-Key again and again until
 * answered (fault-load.ts); meanwhile the API process is killed with SIGKILL
 * at seeded moments and started again. Promises: every command is answered
 * in the end, with what its lifecycle promises; no acknowledged command is
 * lost (every fact a 2xx answer stands for is in the log); no fact is
 * recorded twice (per stream, no fact more often than the acknowledged
 * commands recorded it; no listing or deal created twice under another id;
 * the store checker's unique event ids).
 *
 * A command whose claim of its key the killed instance left `in_progress`
 * is answered 409 IDEMPOTENCY_REQUEST_IN_PROGRESS until the claim's lease
 * (60 s, the API's IDEMPOTENCY_CLAIM_LEASE_MS) ends and a retry takes it
 * over: the scenario lasts at least that long after the last kill.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultLoad } from '../harness/fault-load.js';
import type { Findings, Scenario, ScenarioContext } from '../harness/scenario.js';
import { strayStreams } from '../harness/stream-expectations.js';

/** Per wave: a fresh flow per broker starts after every restart (fault-load.ts addWave). */
const SIZES = { short: { kills: 5, brokers: 4, minCommandsPerBroker: 20 }, full: { kills: 10, brokers: 10, minCommandsPerBroker: 60 } } as const;
/** Seeded pause before each kill, after the API is back: the load reaches it at any point of a command. */
const MIN_UP_MS = 150;
const MAX_UP_MS = 1_500;
/** Above the 20 s idempotency claim lease, with room for the retries around it. */
const COMMAND_DEADLINE_MS = 60_000;

export const apiKill: Scenario = {
  name: 'api-kill',
  title: 'kill -9 of the API at seeded moments under load, clients retrying with their keys: 0 lost acknowledged commands, 0 duplicates',
  async run({ system, scale, random, log }: ScenarioContext, findings: Findings): Promise<void> {
    const { kills, brokers, minCommandsPerBroker } = SIZES[scale];
    const tag = `apikill-${Date.now().toString(36)}`;
    const clients = await Promise.all(Array.from({ length: brokers }, (_, index) => system.client('broker', `broker-apikill-${index}`)));
    const load = new FaultLoad({ brokers: clients, random: random.fork(), tag, minCommandsPerBroker, commandDeadlineMs: COMMAND_DEADLINE_MS });
    log(`${brokers} brokers, a new flow each after every restart (at least ${minCommandsPerBroker} commands each), ${kills} kills of the API`);

    load.start();
    const inFlightAtKills: number[] = [];
    const restartMs: number[] = [];
    for (let kill = 1; kill <= kills; kill += 1) {
      await sleep(random.integer(MIN_UP_MS, MAX_UP_MS));
      inFlightAtKills.push(load.inFlight);
      const pid = system.api.pid;
      await system.api.kill9();
      const started = performance.now();
      await system.api.start();
      restartMs.push(performance.now() - started);
      load.addWave();
      log(`kill ${kill}: pid ${pid} killed with ${inFlightAtKills.at(-1)} requests in flight; back (pid ${system.api.pid}) in ${Math.round(restartMs.at(-1)!)} ms`);
    }
    log('kills done; waiting for every command to be answered (a claim left by a killed instance is taken over after its 60 s lease)');
    const drainStarted = performance.now();
    await load.stop();
    const drainSeconds = (performance.now() - drainStarted) / 1_000;

    const attempts = load.attempts.filter((attempt) => attempt.kind === 'command');
    const unanswered = attempts.filter((attempt) => attempt.status === 0).length;
    const inProgress = attempts.filter((attempt) => attempt.code === 'IDEMPOTENCY_REQUEST_IN_PROGRESS').length;
    findings.value('kills', kills);
    findings.value('commands', load.commands);
    findings.figure(
      `${kills} kills with ${inFlightAtKills.reduce((sum, count) => sum + count, 0)} requests in flight in all; API back in ` +
        `${Math.round(Math.min(...restartMs))}-${Math.round(Math.max(...restartMs))} ms each`,
    );
    findings.figure(
      `${load.commands.toLocaleString('en-US')} commands, ${load.retriedCommands.toLocaleString('en-US')} needed more than one attempt ` +
        `(${unanswered.toLocaleString('en-US')} attempts without an answer, ${inProgress.toLocaleString('en-US')} answered IDEMPOTENCY_REQUEST_IN_PROGRESS); ` +
        `final answers ${load.statuses}; the last ones came ${drainSeconds.toLocaleString('en-US', { maximumFractionDigits: 1 })} s after the last kill`,
    );
    findings.none('commands not answered as their lifecycle promises', load.broken);

    await system.quiesce();
    const counted = await load.facts.count(system.store);
    findings.value('acknowledgedFacts', counted.facts);
    findings.exactly(`acknowledged facts lost (of ${counted.facts.toLocaleString('en-US')})`, counted.lost, 0);
    findings.exactly('facts recorded more often than acknowledged', counted.duplicated, 0);
    findings.none('streams differing from the acknowledged commands', await load.facts.check(system.store));
    findings.none('listings or deals created twice under another id', await strayStreams(system.pool, load.facts, `org-${tag}`));
  },
};
