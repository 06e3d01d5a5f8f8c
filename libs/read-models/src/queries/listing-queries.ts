/** GET /v1/listings and GET /v1/listings/:id, from listing_view. Every reading role sees every listing. */
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ExistingListing } from '#domain';
import type { LogPosition } from '#event-store';
import { LISTING_VIEW } from '../projections/listing-view.js';
import { stateFromJson } from '../projections/state-json.js';
import { pageOf, type Page, type PageCursor } from './page-cursor.js';
import { listingAnswer, type ListingAnswer } from './read-model-answers.js';
import { READ_MODEL_DATABASE, SqlConditions, queryRows, type ReadModelDatabase } from './read-model-database.js';
import { ProjectionCatchUp } from './read-your-writes.js';

export interface ListingFilter {
  readonly status?: string;
  readonly provider?: string;
  readonly creditType?: string;
  readonly sellerId?: string;
  /** Credits expiring strictly before this instant. */
  readonly expiringBefore?: Date;
}

export interface PageRequest {
  readonly limit: number;
  /** The page after this sort key; absent: the first page. */
  readonly after?: PageCursor;
}

export class ListListingsQuery extends Query<Page<ListingAnswer>> {
  constructor(
    readonly filter: ListingFilter,
    readonly page: PageRequest,
    /** X-Min-Position: answer only once listing-view has passed it. */
    readonly minPosition?: LogPosition,
  ) {
    super();
  }
}

/** Null: no such listing. */
export class GetListingQuery extends Query<ListingAnswer | null> {
  constructor(
    readonly listingId: string,
    readonly minPosition?: LogPosition,
  ) {
    super();
  }
}

interface ListingRow {
  readonly state: unknown;
  readonly stream_revision: string;
}

function toAnswer(row: ListingRow): ListingAnswer {
  return listingAnswer(existingListing(row), BigInt(row.stream_revision));
}

function existingListing(row: ListingRow): ExistingListing {
  const listing = stateFromJson<ExistingListing>(row.state);
  // The projection writes a row only once a listing is submitted.
  if ((listing.status as string) === 'none') throw new Error('listing_view holds a row for a listing that was never submitted');
  return listing;
}

@QueryHandler(ListListingsQuery)
export class ListListingsQueryHandler implements IQueryHandler<ListListingsQuery, Page<ListingAnswer>> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly database: ReadModelDatabase,
    @Inject(ProjectionCatchUp) private readonly catchUp: ProjectionCatchUp,
  ) {}

  async execute({ filter, page, minPosition }: ListListingsQuery): Promise<Page<ListingAnswer>> {
    await this.catchUp.waitFor([LISTING_VIEW], minPosition);
    const conditions = new SqlConditions();
    if (filter.status !== undefined) conditions.add('status = $?', filter.status);
    if (filter.provider !== undefined) conditions.add('provider = $?', filter.provider);
    if (filter.creditType !== undefined) conditions.add('credit_type = $?', filter.creditType);
    if (filter.sellerId !== undefined) conditions.add('seller_id = $?', filter.sellerId);
    if (filter.expiringBefore !== undefined) conditions.add('credit_expires_at < $?', filter.expiringBefore.toISOString());
    if (page.after !== undefined) conditions.add('(submitted_at, id) > ($?::timestamptz, $?)', page.after.at.toISOString(), page.after.id);
    const rows = await queryRows<ListingRow>(
      this.database,
      `SELECT state, stream_revision::text AS stream_revision FROM listing_view ${conditions.where()}
        ORDER BY submitted_at, id LIMIT ${conditions.placeholder(page.limit + 1)}`,
      conditions.parameters,
    );
    return pageOf(rows, page.limit, toAnswer, (row) => {
      const listing = existingListing(row);
      return { at: listing.submittedAt, id: listing.listingId };
    });
  }
}

@QueryHandler(GetListingQuery)
export class GetListingQueryHandler implements IQueryHandler<GetListingQuery, ListingAnswer | null> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly database: ReadModelDatabase,
    @Inject(ProjectionCatchUp) private readonly catchUp: ProjectionCatchUp,
  ) {}

  async execute({ listingId, minPosition }: GetListingQuery): Promise<ListingAnswer | null> {
    await this.catchUp.waitFor([LISTING_VIEW], minPosition);
    const [row] = await queryRows<ListingRow>(this.database, 'SELECT state, stream_revision::text AS stream_revision FROM listing_view WHERE id = $1', [listingId]);
    return row === undefined ? null : toAnswer(row);
  }
}
