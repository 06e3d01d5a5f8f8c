/**
 * Process faults the scenarios need beyond ServiceProcess's kill9()/start():
 *
 * - pause()/resume(): SIGSTOP and SIGCONT. A paused worker keeps its
 *   PostgreSQL sessions, so it keeps the leader locks of its subscriptions
 *   and nobody projects meanwhile: a burst of commands piles up behind it.
 * - makeWorkerLead(): the worker process, not the API's subscriptions
 *   thread, leads every background subscription. Each subscription has one
 *   leader across all instances (an advisory lock); the API reports its own
 *   subscriptions' states in GET /health/ready, so when one of them is
 *   `running` the API is stopped (its locks go to the worker's standbys)
 *   and started again, and its subscriptions come back as standbys.
 * - projectionsBehind(): how far the slowest projection's checkpoint is
 *   behind the head of the log, read from the database.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { MAX_READ_COUNT, comparePositions, parsePosition, type EventStore, type LogPosition } from '#event-store';
import { REBUILDABLE_PROJECTIONS } from '#read-models';
import type { LedgerSystem } from './ledger-system.js';
import type { ServiceProcess } from './service-process.js';

/** The worker's standbys try the lock every second (DurableSubscription standbyRetryMs); leading everything takes a few of those. */
const LEAD_TIMEOUT_MS = 20_000;
const POLL_MS = 100;

export function pause(service: ServiceProcess): void {
  process.kill(requirePid(service), 'SIGSTOP');
}

export function resume(service: ServiceProcess): void {
  process.kill(requirePid(service), 'SIGCONT');
}

interface Readiness {
  readonly background?: ReadonlyArray<{ readonly name: string; readonly state: string }>;
}

/** The API's background subscriptions and their states (standby, running, ...), from GET /health/ready. */
export async function apiSubscriptionStates(system: LedgerSystem): Promise<ReadonlyArray<{ readonly name: string; readonly state: string }>> {
  const response = await fetch(`${system.baseUrl}/health/ready`, { signal: AbortSignal.timeout(5_000) });
  return ((await response.json()) as Readiness).background ?? [];
}

/** Until the API leads none of its subscriptions (all standby): answers how often the API was restarted for it. */
export async function makeWorkerLead(system: LedgerSystem): Promise<number> {
  const deadline = performance.now() + LEAD_TIMEOUT_MS * 3;
  for (let restarts = 0; ; restarts += 1) {
    const states = await settledStates(system);
    if (states.every((state) => state === 'standby')) return restarts;
    if (performance.now() > deadline) throw new Error(`the worker did not take the lead: the API's subscriptions are ${states.join(', ')}`);
    const names = (await apiSubscriptionStates(system)).map((work) => work.name);
    await system.api.stop();
    // With the API gone the worker's standbys take every lock; then the API comes back behind them.
    await waitForAllLeaders(system.pool, names);
    await system.api.start();
  }
}

/** The API's subscription states once none is still `starting`. */
async function settledStates(system: LedgerSystem): Promise<string[]> {
  const deadline = performance.now() + LEAD_TIMEOUT_MS;
  for (;;) {
    const states = (await apiSubscriptionStates(system)).map((work) => work.state);
    if (!states.includes('starting') || performance.now() > deadline) return states;
    await sleep(POLL_MS);
  }
}

/**
 * Until every background subscription's leader lock is held by someone (with
 * the API stopped: by the worker). The locks are session advisory locks
 * pg_try_advisory_lock(namespace, hashtext(name)) (libs/read-models
 * durable-subscription.ts): two-key locks, objsubid 2, objid the name's hash.
 */
async function waitForAllLeaders(pool: pg.Pool, names: readonly string[]): Promise<void> {
  const deadline = performance.now() + LEAD_TIMEOUT_MS;
  for (;;) {
    const held = await pool.query<{ n: number }>(
      `SELECT count(DISTINCT l.objid)::int AS n FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.granted
          AND l.objid = ANY (SELECT (hashtext(name)::bigint & 4294967295)::text::oid FROM unnest($1::text[]) AS name)`,
      [names],
    );
    if (held.rows[0]!.n >= names.length) return;
    if (performance.now() > deadline) throw new Error(`only ${held.rows[0]!.n} of ${names.length} subscriptions have a leader ${LEAD_TIMEOUT_MS} ms after the API stopped`);
    await sleep(POLL_MS);
  }
}

/**
 * Events of the log past the slowest projection's checkpoint (0: every
 * projection is at the head), counted up to MAX_READ_COUNT.
 */
export async function projectionsBehind(pool: pg.Pool, store: EventStore): Promise<number> {
  const names = REBUILDABLE_PROJECTIONS.map((projection) => projection.name);
  const rows = await pool.query<{ name: string; commit: string; prepare: string }>(
    `SELECT subscription_name AS name, commit_position::text AS commit, prepare_position::text AS prepare
       FROM subscription_checkpoints WHERE subscription_name = ANY($1::text[])`,
    [names],
  );
  let slowest: LogPosition | undefined;
  if (rows.rows.length === names.length) {
    for (const row of rows.rows) {
      const position = parsePosition(`${row.commit}.${row.prepare}`)!;
      if (slowest === undefined || comparePositions(position, slowest) < 0) slowest = position;
    }
  }
  return (await store.readAll({ after: slowest, maxCount: MAX_READ_COUNT })).length;
}

function requirePid(service: ServiceProcess): number {
  const pid = service.pid;
  if (pid === undefined) throw new Error(`${service.name} is not running`);
  return pid;
}
