/**
 * Where an API instance runs its background subscriptions (the reservation
 * process manager and the projections; one leader per subscription across
 * every instance and worker, by advisory lock).
 *
 * - In a worker thread of this process, by default: the projections are as
 *   much work as the commands they follow, and on the main thread they took
 *   more than half of what the API could answer (npm run bench:commands:
 *   ~2,450 create-listing/s with them on the main thread, 5,625/s without
 *   them). In a thread they use the machine's other core. The thread has
 *   its own event store and pool; its statuses cross every 25 ms for health
 *   and metrics; read-your-writes reads the checkpoints from PostgreSQL.
 * - On the main thread when a test injects a clock: a function cannot cross
 *   to a thread, and the process manager decides with that clock.
 */
import { sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { backgroundSubscribers, type Clock, type LedgerPolicySettings } from '#commands';
import type { EventStore, EventStoreSettings, LogFilter } from '#event-store';
import { DurableSubscription, type SubscriptionStatus } from '#read-models';
import type { SubscriptionsThreadData } from './subscriptions-thread.js';

/** Connections of a subscription pool beyond one per subscription (each leader holds one): room for standbys trying the lock. */
const POOL_SPARE = 2;
/** How long stopping waits for the thread to finish its batches before ending it. */
const STOP_TIMEOUT_MS = 15_000;

export interface BackgroundSubscriptions {
  /** Each subscription's name and filter, for the lag metric. */
  readonly filters: ReadonlyMap<string, LogFilter | undefined>;
  /** Resolves once the subscriptions have started (the thread loaded and opened its store); rejects if it could not. */
  readonly started: Promise<void>;
  statuses(): SubscriptionStatus[];
  stop(): Promise<void>;
}

export interface BackgroundSettings {
  readonly store: EventStore;
  readonly storeSettings: EventStoreSettings;
  readonly databaseUrl: string;
  readonly policies: LedgerPolicySettings;
  /** A test's clock: the subscriptions then run on the main thread. */
  readonly clock?: Clock;
  /**
   * statement_timeout of the subscriptions' pool and the thread's event store
   * (LEDGER_BACKGROUND_STATEMENT_TIMEOUT_MS, longer than the requests'): a
   * batch that catches up after downtime writes thousands of rows per
   * statement. A stuck statement fails its batch, which is retried.
   */
  readonly statementTimeoutMs: number;
}

export function startBackgroundSubscriptions(settings: BackgroundSettings): BackgroundSubscriptions {
  return settings.clock === undefined ? inWorkerThread(settings) : onMainThread(settings, settings.clock);
}

function onMainThread(settings: BackgroundSettings, clock: Clock): BackgroundSubscriptions {
  const subscribers = backgroundSubscribers(settings.store, settings.policies, clock);
  const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: subscribers.length + POOL_SPARE, statement_timeout: settings.statementTimeoutMs });
  pool.on('error', () => undefined);
  const subscriptions = subscribers.map((subscriber) => new DurableSubscription(pool, settings.store, subscriber));
  for (const subscription of subscriptions) subscription.start();
  return {
    filters: new Map(subscribers.map((subscriber) => [subscriber.name, subscriber.filter])),
    started: Promise.resolve(),
    statuses: () => subscriptions.map((subscription) => subscription.status()),
    async stop() {
      await Promise.all(subscriptions.map((subscription) => subscription.stop()));
      await pool.end();
    },
  };
}

function inWorkerThread(settings: BackgroundSettings): BackgroundSubscriptions {
  // Names and filters only: these subscribers never start here.
  const subscribers = backgroundSubscribers(settings.store, settings.policies, () => new Date());
  let statuses: SubscriptionStatus[] = subscribers.map((subscriber) => ({ name: subscriber.name, state: 'starting', position: null, error: null }));
  const data: SubscriptionsThreadData = {
    store: { ...settings.storeSettings, statementTimeoutMs: settings.statementTimeoutMs },
    databaseUrl: settings.databaseUrl,
    policies: settings.policies,
    poolSpare: POOL_SPARE,
    statementTimeoutMs: settings.statementTimeoutMs,
  };
  const thread = new Worker(threadEntry(), { workerData: data });
  let stopped: (() => void) | null = null;
  let markStarted!: () => void;
  let markFailed!: (error: Error) => void;
  const started = new Promise<void>((resolve, reject) => {
    markStarted = resolve;
    markFailed = reject;
  });
  thread.on('message', (message: unknown) => {
    if (message === 'stopped') stopped?.();
    else if (typeof message === 'object' && message !== null && 'statuses' in message) {
      statuses = (message as { statuses: SubscriptionStatus[] }).statuses;
      markStarted();
    }
  });
  const fail = (reason: string): void => {
    statuses = statuses.map((status) => (status.state === 'stopped' ? status : { ...status, state: 'failed', error: reason }));
    markFailed(new Error(reason));
  };
  thread.on('error', (error) => fail(`the background thread failed: ${error.message}`));
  let exited = false;
  thread.on('exit', (code) => {
    exited = true;
    if (stopped === null) fail(`the background thread exited (code ${code})`);
  });
  // Once started, a later failure shows in the statuses (health: degraded), not here.
  started.catch(() => undefined);
  return {
    filters: new Map(subscribers.map((subscriber) => [subscriber.name, subscriber.filter])),
    started,
    statuses: () => statuses,
    async stop() {
      if (exited) return;
      const finished = new Promise<void>((resolve) => {
        stopped = resolve;
        thread.once('exit', () => resolve());
      });
      thread.postMessage('stop');
      const timer = setTimeout(() => void thread.terminate(), STOP_TIMEOUT_MS);
      await finished;
      clearTimeout(timer);
      await thread.terminate();
    },
  };
}

/**
 * The built thread entry next to this file. Under Jest this file is the
 * TypeScript source and the thread runs the built one (npm test builds
 * first): a worker thread loads JavaScript only.
 */
function threadEntry(): URL {
  const here = fileURLToPath(import.meta.url);
  const app = `${sep}apps${sep}ledger-api${sep}`;
  const built = here.includes(`${sep}dist${app}`) ? here : here.slice(0, here.lastIndexOf(app)) + `${sep}dist` + here.slice(here.lastIndexOf(app));
  return pathToFileURL(built.replace(/background-subscriptions\.(ts|js)$/, 'subscriptions-thread.js'));
}
