/**
 * Entry of the worker thread that runs an API instance's background
 * subscriptions (background-subscriptions.ts). It opens its own event store
 * and pool, reports the subscriptions' statuses to the main thread every
 * STATUS_INTERVAL_MS, and on 'stop' stops them, closes what it opened and
 * answers 'stopped'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { backgroundSubscribers, type LedgerPolicySettings } from '#commands';
import { openEventStore, type EventStoreSettings } from '#event-store';
import { DurableSubscription } from '#read-models';

export interface SubscriptionsThreadData {
  readonly store: EventStoreSettings;
  readonly databaseUrl: string;
  readonly policies: LedgerPolicySettings;
  readonly poolSpare: number;
  /** statement_timeout of the thread's pool (the store's is in `store`): BackgroundSettings says why it is the longer one. */
  readonly statementTimeoutMs: number;
}

/** How often the statuses cross to the main thread: health and metrics read them, X-Min-Position reads the checkpoints. */
export const STATUS_INTERVAL_MS = 25;

const port = parentPort;
if (port === null) throw new Error('subscriptions-thread.js runs as a worker thread');
const data = workerData as SubscriptionsThreadData;

const store = await openEventStore(data.store);
const subscribers = backgroundSubscribers(store, data.policies, () => new Date());
const pool = new pg.Pool({ connectionString: data.databaseUrl, max: subscribers.length + data.poolSpare, statement_timeout: data.statementTimeoutMs });
pool.on('error', () => undefined);
const subscriptions = subscribers.map((subscriber) => new DurableSubscription(pool, store, subscriber));
for (const subscription of subscriptions) subscription.start();

const report = (): void => port.postMessage({ statuses: subscriptions.map((subscription) => subscription.status()) });
report();
const reporting = setInterval(report, STATUS_INTERVAL_MS);

port.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearInterval(reporting);
  void (async () => {
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
    report();
    await pool.end().catch(() => undefined);
    await store.close().catch(() => undefined);
    port.postMessage('stopped');
    port.close();
  })();
});
