/**
 * GET /v1/deals, GET /v1/deals/:id from deal_view, and GET /v1/deals/:id?asOf
 * folded from the deal's stream. A broker sees only the deals it brokers:
 * every query carries the reader's scope and applies it in the query itself,
 * so no path hands out another broker's deal.
 */
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { dealStreamId, decodeDealEvent, evolveDeal, initialDealState, type DealState, type ExistingDeal } from '#domain';
import { EVENT_STORE, type EventStore, type LogPosition } from '#event-store';
import { DEAL_VIEW } from '../projections/deal-view.js';
import { stateFromJson } from '../projections/state-json.js';
import type { PageRequest } from './listing-queries.js';
import { pageOf, type Page } from './page-cursor.js';
import { dealAnswer, type DealAnswer } from './read-model-answers.js';
import { READ_MODEL_DATABASE, SqlConditions, queryRows, type ReadModelDatabase } from './read-model-database.js';
import { ProjectionCatchUp } from './read-your-writes.js';

/** Whose deals a reader may see: one broker's, or (compliance, dashboard, admin) every deal. */
export type DealScope = { readonly brokerId: string } | 'every-deal';

export interface DealFilter {
  readonly status?: string;
  readonly brokerId?: string;
  readonly buyerId?: string;
  readonly sellerId?: string;
}

export class ListDealsQuery extends Query<Page<DealAnswer>> {
  constructor(
    readonly scope: DealScope,
    readonly filter: DealFilter,
    readonly page: PageRequest,
    readonly minPosition?: LogPosition,
  ) {
    super();
  }
}

/** Null: no such deal, or not one the reader may see (the same answer, so its existence does not leak). */
export class GetDealQuery extends Query<DealAnswer | null> {
  constructor(
    readonly scope: DealScope,
    readonly dealId: string,
    readonly minPosition?: LogPosition,
  ) {
    super();
  }
}

/**
 * The deal as it was at `asOf`: its events recorded up to then, folded. Null:
 * it did not exist then, or is not the reader's now. Whose it is is decided
 * by who brokers it today, not then: a broker the deal was reassigned away
 * from no longer sees any of it, and the broker it was handed to sees its
 * whole history.
 */
export class GetDealAsOfQuery extends Query<DealAnswer | null> {
  constructor(
    readonly scope: DealScope,
    readonly dealId: string,
    readonly asOf: Date,
  ) {
    super();
  }
}

interface DealRow {
  readonly state: unknown;
  readonly stream_revision: string;
}

function existingDeal(row: DealRow): ExistingDeal {
  const deal = stateFromJson<DealState>(row.state);
  // The projection writes a row only once a deal is opened.
  if (deal.status === 'none') throw new Error('deal_view holds a row for a deal that was never opened');
  return deal;
}

function toAnswer(row: DealRow): DealAnswer {
  return dealAnswer(existingDeal(row), BigInt(row.stream_revision));
}

function isVisible(deal: ExistingDeal, scope: DealScope): boolean {
  return scope === 'every-deal' || deal.brokerId === scope.brokerId;
}

@QueryHandler(ListDealsQuery)
export class ListDealsQueryHandler implements IQueryHandler<ListDealsQuery, Page<DealAnswer>> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly database: ReadModelDatabase,
    @Inject(ProjectionCatchUp) private readonly catchUp: ProjectionCatchUp,
  ) {}

  async execute({ scope, filter, page, minPosition }: ListDealsQuery): Promise<Page<DealAnswer>> {
    await this.catchUp.waitFor([DEAL_VIEW], minPosition);
    const conditions = new SqlConditions();
    if (scope !== 'every-deal') conditions.add('broker_id = $?', scope.brokerId);
    if (filter.brokerId !== undefined) conditions.add('broker_id = $?', filter.brokerId);
    if (filter.status !== undefined) conditions.add('status = $?', filter.status);
    if (filter.buyerId !== undefined) conditions.add('buyer_id = $?', filter.buyerId);
    if (filter.sellerId !== undefined) conditions.add('seller_id = $?', filter.sellerId);
    if (page.after !== undefined) conditions.add('(opened_at, id) > ($?::timestamptz, $?)', page.after.at.toISOString(), page.after.id);
    const rows = await queryRows<DealRow>(
      this.database,
      `SELECT state, stream_revision::text AS stream_revision FROM deal_view ${conditions.where()}
        ORDER BY opened_at, id LIMIT ${conditions.placeholder(page.limit + 1)}`,
      conditions.parameters,
    );
    return pageOf(rows, page.limit, toAnswer, (row) => {
      const deal = existingDeal(row);
      return { at: deal.openedAt, id: deal.dealId };
    });
  }
}

@QueryHandler(GetDealQuery)
export class GetDealQueryHandler implements IQueryHandler<GetDealQuery, DealAnswer | null> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly database: ReadModelDatabase,
    @Inject(ProjectionCatchUp) private readonly catchUp: ProjectionCatchUp,
  ) {}

  async execute({ scope, dealId, minPosition }: GetDealQuery): Promise<DealAnswer | null> {
    await this.catchUp.waitFor([DEAL_VIEW], minPosition);
    const [row] = await queryRows<DealRow>(this.database, 'SELECT state, stream_revision::text AS stream_revision FROM deal_view WHERE id = $1', [dealId]);
    if (row === undefined || !isVisible(existingDeal(row), scope)) return null;
    return toAnswer(row);
  }
}

/**
 * Reads the event store, not a projection: every answered write is already
 * there, so an X-Min-Position has nothing to wait for. A deal's stream is
 * short (the domain bounds its payments, amendments and transfer attempts),
 * so one read holds all of it.
 */
@QueryHandler(GetDealAsOfQuery)
export class GetDealAsOfQueryHandler implements IQueryHandler<GetDealAsOfQuery, DealAnswer | null> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ scope, dealId, asOf }: GetDealAsOfQuery): Promise<DealAnswer | null> {
    const events = await this.store.readStream(dealStreamId(dealId));
    let current: DealState = initialDealState;
    let then: DealState = initialDealState;
    let revisionThen = -1n;
    let pastAsOf = false;
    for (const event of events) {
      current = evolveDeal(current, decodeDealEvent(event));
      // A prefix of the stream, never a selection from it: evolve is only defined on whole histories.
      pastAsOf ||= event.recordedAt > asOf;
      if (!pastAsOf) {
        then = current;
        revisionThen = event.revision;
      }
    }
    if (current.status === 'none' || !isVisible(current, scope) || then.status === 'none') return null;
    return dealAnswer(then, revisionThen);
  }
}
