/**
 * The Prometheus metrics of GET /metrics, on prom-client with a registry of
 * this application's own (not the library's global one: several API
 * instances in one process, as in the tests, keep apart).
 *
 * Operational figures only, no business amounts, so the route can stay
 * public like /health (scrapers carry no API key):
 * - ledger_subscription_state{subscription,state}: 1 for the state the
 *   subscription is in within this process, 0 for the others;
 * - ledger_subscription_failed{subscription}: 1 when it stopped after
 *   retrying a batch (it needs an operator);
 * - ledger_subscription_checkpoint_commit / _prepare{subscription}: its
 *   stored checkpoint (the last position handled, from
 *   subscription_checkpoints, the same for every instance); absent before
 *   the first batch. Gauges are doubles: exact up to 2^53;
 * - ledger_subscription_lag_events{subscription} and
 *   ledger_subscription_lag_capped{subscription}: see subscription-lag.ts;
 * - ledger_log_head_commit / _prepare: the log's head position;
 * - ledger_http_requests_total{method,route,status} and
 *   ledger_http_request_duration_seconds{method,route,status}: every answer,
 *   by route pattern (`/v1/deals/:id`, never the id; `unmatched` for a
 *   path no route serves, so scanners cannot grow the label set);
 * - the process and Node.js metrics of prom-client (CPU, memory, event-loop
 *   lag, handles, GC), prefixed ledger_.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SubscriptionState, SubscriptionStatus } from '#read-models';
import type { SubscriptionLagProbe } from './subscription-lag.js';

const SUBSCRIPTION_STATES: readonly SubscriptionState[] = ['starting', 'standby', 'running', 'failed', 'stopped'];

/** Seconds; from a cached read (1 ms) to the read-your-writes bound (5 s) and past it. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class LedgerMetrics {
  readonly registry = new Registry();
  private readonly state: Gauge<'subscription' | 'state'>;
  private readonly failed: Gauge<'subscription'>;
  private readonly checkpointCommit: Gauge<'subscription'>;
  private readonly checkpointPrepare: Gauge<'subscription'>;
  private readonly lagEvents: Gauge<'subscription'>;
  private readonly lagCapped: Gauge<'subscription'>;
  private readonly headCommit: Gauge;
  private readonly headPrepare: Gauge;
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly durations: Histogram<'method' | 'route' | 'status'>;

  constructor(
    private readonly background: () => readonly SubscriptionStatus[],
    private readonly lag: SubscriptionLagProbe | null,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'ledger_' });
    this.state = new Gauge({ name: 'ledger_subscription_state', help: 'Background subscription state in this process: 1 for the current state, 0 otherwise', labelNames: ['subscription', 'state'], registers });
    this.failed = new Gauge({ name: 'ledger_subscription_failed', help: '1 when the subscription stopped after retrying a batch and needs an operator', labelNames: ['subscription'], registers });
    this.checkpointCommit = new Gauge({ name: 'ledger_subscription_checkpoint_commit', help: 'Commit part of the stored checkpoint (last position handled)', labelNames: ['subscription'], registers });
    this.checkpointPrepare = new Gauge({ name: 'ledger_subscription_checkpoint_prepare', help: 'Prepare part of the stored checkpoint (last position handled)', labelNames: ['subscription'], registers });
    this.lagEvents = new Gauge({
      name: 'ledger_subscription_lag_events',
      help: 'Events after the checkpoint that the subscription will handle, counted among at most 1000 log events after it',
      labelNames: ['subscription'],
      registers,
    });
    this.lagCapped = new Gauge({ name: 'ledger_subscription_lag_capped', help: '1 when the 1000-event window was full: the lag is a lower bound', labelNames: ['subscription'], registers });
    this.headCommit = new Gauge({ name: 'ledger_log_head_commit', help: 'Commit part of the position of the last event of the log a reader can see', registers });
    this.headPrepare = new Gauge({ name: 'ledger_log_head_prepare', help: 'Prepare part of the position of the last event of the log a reader can see', registers });
    this.requests = new Counter({ name: 'ledger_http_requests_total', help: 'HTTP answers by method, route pattern and status', labelNames: ['method', 'route', 'status'], registers });
    this.durations = new Histogram({
      name: 'ledger_http_request_duration_seconds',
      help: 'Time from the request to the end of its answer, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: DURATION_BUCKETS,
      registers,
    });
  }

  /** Called by the Fastify onResponse hook. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.durations.observe(labels, seconds);
  }

  /** The text exposition format, subscription figures measured now (lag at most a second old). */
  async render(): Promise<string> {
    await this.refreshSubscriptions();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private async refreshSubscriptions(): Promise<void> {
    const statuses = this.background();
    for (const gauge of [this.state, this.failed, this.checkpointCommit, this.checkpointPrepare, this.lagEvents, this.lagCapped]) gauge.reset();
    this.headCommit.reset();
    this.headPrepare.reset();
    for (const status of statuses) {
      for (const state of SUBSCRIPTION_STATES) this.state.set({ subscription: status.name, state }, status.state === state ? 1 : 0);
      this.failed.set({ subscription: status.name }, status.state === 'failed' ? 1 : 0);
    }
    const measurement = this.lag === null ? null : await this.lag.measure();
    if (measurement === null) return;
    if (measurement.head !== null) {
      this.headCommit.set(Number(measurement.head.commit));
      this.headPrepare.set(Number(measurement.head.prepare));
    }
    for (const lag of measurement.subscriptions.values()) {
      const labels = { subscription: lag.name };
      if (lag.checkpoint !== null) {
        this.checkpointCommit.set(labels, Number(lag.checkpoint.commit));
        this.checkpointPrepare.set(labels, Number(lag.checkpoint.prepare));
      }
      this.lagEvents.set(labels, lag.lagEvents);
      this.lagCapped.set(labels, lag.capped ? 1 : 0);
    }
  }
}
