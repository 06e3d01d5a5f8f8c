import { Controller, Get, HttpCode, HttpStatus, Inject, Optional, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { EVENT_STORE, formatPosition, type EventStore } from '#event-store';
import type { SubscriptionStatus } from '#read-models';
import { Public } from '../access/access.decorators.js';
import { SUBSCRIPTION_LAG, type SubscriptionLagProbe } from '../metrics/subscription-lag.js';

type CheckResult = { status: 'up' } | { status: 'down'; error: string };

/** Statuses of the background subscriptions this process hosts (process managers, projections). */
export const BACKGROUND_WORK = Symbol('BACKGROUND_WORK');
export type BackgroundWork = () => readonly SubscriptionStatus[];

interface BackgroundStatus {
  readonly name: string;
  readonly state: SubscriptionStatus['state'];
  readonly position: string | null;
  readonly error: string | null;
  /** Events still to handle after the stored checkpoint (metrics/subscription-lag.ts); null when not measured in time, and for work that follows no log position (the deadline enforcer). */
  readonly lagEvents: number | null;
  /** The count stopped at its window: the lag is at least lagEvents. */
  readonly lagCapped: boolean;
}

interface Readiness {
  /** `degraded`: serving, but background work has stopped and needs an operator. */
  readonly status: 'ok' | 'degraded' | 'unavailable';
  readonly checks: Record<string, CheckResult>;
  readonly background: readonly BackgroundStatus[];
}

/** A readiness check must answer before a load balancer gives up on it. */
const CHECK_TIMEOUT_MS = 2_000;

/** Public: load balancers and orchestrators probe it without an API key (shared/API.md, Access). */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
    @Inject(BACKGROUND_WORK) private readonly background: BackgroundWork,
    @Optional() @Inject(SUBSCRIPTION_LAG) private readonly lag: SubscriptionLagProbe | null = null,
  ) {}

  /** The process is up. Says nothing of its dependencies. */
  @Get('live')
  @HttpCode(HttpStatus.OK)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Ready to serve: the event store and the read-model database both answer
   * (503 otherwise). Background subscriptions are reported with their state
   * and position; a failed one makes the answer `degraded` but keeps the
   * instance in rotation, since commands are still served.
   */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const [eventStore, database, lag] = await Promise.all([
      check(() => this.store.ping()),
      check(async () => {
        await this.dataSource.query('SELECT 1');
      }),
      this.lag?.measure() ?? null,
    ]);
    const ok = eventStore.status === 'up' && database.status === 'up';
    const background = this.background().map((work) => ({
      name: work.name,
      state: work.state,
      position: work.position === null ? null : formatPosition(work.position),
      error: work.error,
      lagEvents: lag?.subscriptions.get(work.name)?.lagEvents ?? null,
      lagCapped: lag?.subscriptions.get(work.name)?.capped ?? false,
    }));
    const status = !ok ? 'unavailable' : background.some((work) => work.state === 'failed') ? 'degraded' : 'ok';
    reply.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status, checks: { eventStore, database }, background };
  }
}

async function check(probe: () => Promise<void>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
