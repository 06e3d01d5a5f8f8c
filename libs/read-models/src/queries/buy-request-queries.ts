/** GET /v1/buy-requests and GET /v1/buy-requests/:id, from buy_request_view. Every reading role sees every request, as every listing. */
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ExistingBuyRequest } from '#domain';
import type { LogPosition } from '#event-store';
import { BUY_REQUEST_VIEW } from '../projections/buy-request-view.js';
import { stateFromJson } from '../projections/state-json.js';
import type { PageRequest } from './listing-queries.js';
import { pageOf, type Page } from './page-cursor.js';
import { buyRequestAnswer, type BuyRequestAnswer } from './read-model-answers.js';
import { READ_MODEL_DATABASE, SqlConditions, queryRows, type ReadModelDatabase } from './read-model-database.js';
import { ProjectionCatchUp } from './read-your-writes.js';

export interface BuyRequestFilter {
  readonly status?: string;
  readonly buyerId?: string;
}

export class ListBuyRequestsQuery extends Query<Page<BuyRequestAnswer>> {
  constructor(
    readonly filter: BuyRequestFilter,
    readonly page: PageRequest,
    /** X-Min-Position: answer only once buy-request-view has passed it. */
    readonly minPosition?: LogPosition,
  ) {
    super();
  }
}

/** Null: no such buy request. */
export class GetBuyRequestQuery extends Query<BuyRequestAnswer | null> {
  constructor(
    readonly buyRequestId: string,
    readonly minPosition?: LogPosition,
  ) {
    super();
  }
}

interface BuyRequestRow {
  readonly state: unknown;
  readonly stream_revision: string;
}

function toAnswer(row: BuyRequestRow): BuyRequestAnswer {
  return buyRequestAnswer(existingBuyRequest(row), BigInt(row.stream_revision));
}

function existingBuyRequest(row: BuyRequestRow): ExistingBuyRequest {
  const request = stateFromJson<ExistingBuyRequest>(row.state);
  // The projection writes a row only once a request is placed.
  if ((request.status as string) === 'none') throw new Error('buy_request_view holds a row for a buy request that was never placed');
  return request;
}

@QueryHandler(ListBuyRequestsQuery)
export class ListBuyRequestsQueryHandler implements IQueryHandler<ListBuyRequestsQuery, Page<BuyRequestAnswer>> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly database: ReadModelDatabase,
    @Inject(ProjectionCatchUp) private readonly catchUp: ProjectionCatchUp,
  ) {}

  async execute({ filter, page, minPosition }: ListBuyRequestsQuery): Promise<Page<BuyRequestAnswer>> {
    await this.catchUp.waitFor([BUY_REQUEST_VIEW], minPosition);
    const conditions = new SqlConditions();
    if (filter.status !== undefined) conditions.add('status = $?', filter.status);
    if (filter.buyerId !== undefined) conditions.add('buyer_id = $?', filter.buyerId);
    if (page.after !== undefined) conditions.add('(placed_at, id) > ($?::timestamptz, $?)', page.after.at.toISOString(), page.after.id);
    const rows = await queryRows<BuyRequestRow>(
      this.database,
      `SELECT state, stream_revision::text AS stream_revision FROM buy_request_view ${conditions.where()}
        ORDER BY placed_at, id LIMIT ${conditions.placeholder(page.limit + 1)}`,
      conditions.parameters,
    );
    return pageOf(rows, page.limit, toAnswer, (row) => {
      const request = existingBuyRequest(row);
      return { at: request.placedAt, id: request.buyRequestId };
    });
  }
}

@QueryHandler(GetBuyRequestQuery)
export class GetBuyRequestQueryHandler implements IQueryHandler<GetBuyRequestQuery, BuyRequestAnswer | null> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly database: ReadModelDatabase,
    @Inject(ProjectionCatchUp) private readonly catchUp: ProjectionCatchUp,
  ) {}

  async execute({ buyRequestId, minPosition }: GetBuyRequestQuery): Promise<BuyRequestAnswer | null> {
    await this.catchUp.waitFor([BUY_REQUEST_VIEW], minPosition);
    const [row] = await queryRows<BuyRequestRow>(
      this.database,
      'SELECT state, stream_revision::text AS stream_revision FROM buy_request_view WHERE id = $1',
      [buyRequestId],
    );
    return row === undefined ? null : toAnswer(row);
  }
}
