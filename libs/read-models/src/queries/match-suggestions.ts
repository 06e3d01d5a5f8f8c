/**
 * Match suggestions (issue 5, item 6): GET /v1/buy-requests/:id/matches
 * ranks the listings on the market that fit a request, and
 * GET /v1/listings/:id/matches the open requests a listing could fill.
 * Both read the views through indexes (migration 1764100000005), never the
 * log. The SQL filters and gives a first order; the page returned is then
 * filtered by the domain's `offerMismatches` and ordered by the domain's
 * `compareBuyRequestOffers`, in bigint arithmetic, so a suggestion always
 * satisfies the request and the order is exactly the domain's.
 *
 * The offer of a listing to a request is the face value the pair would
 * trade, min(listing available, request unfilled), at the listing's ask for
 * exactly that part: the ask is a price for the whole verified face value
 * (shared/DOMAIN.md, "Money and units"), pro-rated and rounded up
 * (proRatedAskCents).
 */
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  BASIS_POINTS_PER_WHOLE,
  DEFAULT_LISTING_POLICY,
  compareBuyRequestOffers,
  invariant,
  matchableUntil,
  offerDiscountBps,
  offerMismatches,
  type BuyRequestOffer,
  type BuyRequestStatus,
  type BuyRequestTerms,
  type Cents,
  type CreditType,
  type ListingPolicy,
} from '#domain';
import type { LogPosition } from '#event-store';
import { BUY_REQUEST_VIEW } from '../projections/buy-request-view.js';
import { LISTING_VIEW } from '../projections/listing-view.js';
import type { MatchSuggestionAnswer } from './read-model-answers.js';
import { READ_MODEL_DATABASE, queryRows, type ReadModelDatabase } from './read-model-database.js';
import { ProjectionCatchUp } from './read-your-writes.js';

/** Suggestions unless asked, and the most one answer holds: a shortlist for a broker, not a board (GET /v1/listings is the board). */
export const DEFAULT_MATCH_LIMIT = 20;
export const MAX_MATCH_LIMIT = 100;

/**
 * Candidate listings read per round trip beyond the limit: the SQL order is
 * the listing's own price per face value, which an offer's (its pro-rated
 * price over its face value) exceeds by less than one cent over that face
 * value, so one batch with this slack nearly always settles the page.
 */
export const CANDIDATE_SLACK = 32;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The listing's price per face value as an exact integer key:
 * floor(ask x 10^30 / verified face value). Two different fractions with
 * denominators of at most 10^15 (MAX_CENTS) differ by at least 10^-30, so
 * their keys differ: ordering by the key is ordering by the exact fraction.
 * The text must stay the expression of listing_view_matchable_price_idx.
 */
const LISTING_PRICE_KEY = 'div(l.ask_price_cents::numeric * 1e30, nullif(l.verified_face_value_cents, 0))';
const PRICE_KEY_SCALE = 10n ** 30n;

export interface MatchSuggestionSettings {
  /** LEDGER_EXPIRY_MARGIN_MS: a listing stops being matchable this long before its credits expire. */
  readonly listingPolicy: ListingPolicy;
  /** Candidate listings per read; default limit + CANDIDATE_SLACK (specs make it small to walk many batches). */
  readonly candidateBatchSize?: number;
}

/** Dependency-injection token of the MatchSuggestionSettings. */
export const MATCH_SUGGESTION_SETTINGS = Symbol('MATCH_SUGGESTION_SETTINGS');

export const DEFAULT_MATCH_SUGGESTION_SETTINGS: MatchSuggestionSettings = { listingPolicy: DEFAULT_LISTING_POLICY };

/** Null: no such buy request. */
export class BuyRequestMatchesQuery extends Query<MatchSuggestionAnswer[] | null> {
  constructor(
    readonly buyRequestId: string,
    readonly limit: number,
    /** The clock of the request: validity, deadlines and expiry margins are measured from it. */
    readonly now: Date,
    readonly minPosition?: LogPosition,
  ) {
    super();
  }
}

/** Null: no such listing. */
export class ListingMatchesQuery extends Query<MatchSuggestionAnswer[] | null> {
  constructor(
    readonly listingId: string,
    readonly limit: number,
    readonly now: Date,
    readonly minPosition?: LogPosition,
  ) {
    super();
  }
}

/**
 * The listing's ask for `faceValueCents` of its verified face value:
 * ask x part / whole, rounded up. Up, so that the seller's price per face
 * value is never undercut by the rounding, and so that a part never looks
 * cheaper per face value than the whole listing: the whole listing's ratio
 * at or under a request's ceiling is then a necessary condition of any of
 * its parts fitting, which is what lets the SQL cut on it.
 */
export function proRatedAskCents(askPriceCents: Cents, verifiedFaceValueCents: Cents, faceValueCents: Cents): Cents {
  invariant(verifiedFaceValueCents > 0n, 'a pro-rated ask needs a verified face value');
  invariant(faceValueCents > 0n && faceValueCents <= verifiedFaceValueCents, `a part of ${faceValueCents} of a listing of ${verifiedFaceValueCents}`);
  return (askPriceCents * faceValueCents + verifiedFaceValueCents - 1n) / verifiedFaceValueCents;
}

/** A request as the suggestions need it: its terms, its id and its buyer. */
export interface BuyRequestToMatch extends BuyRequestTerms {
  readonly buyRequestId: string;
  readonly buyerId: string;
}

/** A listing on the market as the suggestions need it. */
export interface ListingToMatch {
  readonly listingId: string;
  readonly sellerId: string;
  readonly provider: string;
  readonly creditType: CreditType;
  readonly status: string;
  readonly verifiedFaceValueCents: Cents;
  readonly availableFaceValueCents: Cents;
  readonly askPriceCents: Cents;
  readonly creditExpiresAt: Date;
}

/** Whether a deal could reserve the listing now (listing.policy.ts's isListingMatchable, on the view's columns). */
function isMatchable(listing: ListingToMatch, now: Date, policy: ListingPolicy): boolean {
  return listing.status === 'available' && listing.availableFaceValueCents > 0n && now < matchableUntil(listing.creditExpiresAt, policy);
}

function offerOf(listing: ListingToMatch, request: BuyRequestToMatch): BuyRequestOffer {
  const unfilled = request.faceValueCents - request.filledFaceValueCents;
  const faceValueCents = listing.availableFaceValueCents < unfilled ? listing.availableFaceValueCents : unfilled;
  return {
    listingId: listing.listingId,
    provider: listing.provider,
    creditType: listing.creditType,
    faceValueCents,
    priceCents: proRatedAskCents(listing.askPriceCents, listing.verifiedFaceValueCents, faceValueCents),
    creditExpiresAt: listing.creditExpiresAt,
  };
}

function suggestion(offer: BuyRequestOffer, listing: ListingToMatch, request: BuyRequestToMatch): MatchSuggestionAnswer {
  return {
    listingId: offer.listingId,
    buyRequestId: request.buyRequestId,
    availableFaceValueCents: offer.faceValueCents.toString(),
    priceCents: offer.priceCents.toString(),
    discountBps: offerDiscountBps(offer),
    creditExpiresAt: offer.creditExpiresAt.toISOString(),
    sellerId: listing.sellerId,
    buyerId: request.buyerId,
    creditType: listing.creditType,
  };
}

interface Candidate {
  readonly listing: ListingToMatch;
  readonly offer: BuyRequestOffer;
}

interface ListingRow {
  readonly id: string;
  readonly seller_id: string;
  readonly provider: string;
  readonly credit_type: string;
  readonly available: string;
  readonly verified: string;
  readonly ask: string;
  readonly credit_expires_at: Date;
}

interface CandidateListingRow extends ListingRow {
  readonly price_key: string;
}

/** `status`: a candidate row is one of listing_view_matchable_price_idx's predicate, so available. */
function listingOfRow(row: ListingRow, status = 'available'): ListingToMatch {
  return {
    listingId: row.id,
    sellerId: row.seller_id,
    provider: row.provider,
    creditType: row.credit_type as CreditType,
    status,
    verifiedFaceValueCents: BigInt(row.verified),
    availableFaceValueCents: BigInt(row.available),
    askPriceCents: BigInt(row.ask),
    creditExpiresAt: row.credit_expires_at,
  };
}

/**
 * The candidate listings of one request after a sort key, in the order
 * (price key, credit expiry, id), at most `batch` of them: one index range
 * per accepted credit type (listing_view_matchable_price_idx), merged. The
 * listings' own filters (market status, provider, credit type, validity,
 * expiry margin) and the exact ceiling on the pro-rated price are here too,
 * so that nearly every row read is a suggestion.
 *
 * Parameters: $1 provider, $2 credit types, $3 ceiling key, $4 max price bps,
 * $5 face value unfilled, $6 least credit expiry, $7 matchable after,
 * $8 batch, then the sort key after which to read ($9 key, $10 expiry, $11 id).
 */
function candidateListingsSql(after: boolean): string {
  return `
SELECT c.* FROM unnest($2::text[]) AS t(credit_type)
CROSS JOIN LATERAL (
  SELECT l.id, l.seller_id, l.provider, l.credit_type, l.available_face_value_cents::text AS available,
         l.verified_face_value_cents::text AS verified, l.ask_price_cents::text AS ask, l.credit_expires_at,
         ${LISTING_PRICE_KEY} AS price_key
    FROM listing_view l
   WHERE l.status = 'available' AND l.available_face_value_cents > 0
     AND l.provider = $1::text AND l.credit_type = t.credit_type
     AND ${LISTING_PRICE_KEY} <= $3::numeric
     ${after ? `AND (${LISTING_PRICE_KEY}, l.credit_expires_at, l.id) > ($9::numeric, $10::timestamptz, $11::text)` : ''}
     AND l.credit_expires_at >= $6::timestamptz
     AND l.credit_expires_at > $7::timestamptz
     AND div(l.ask_price_cents::numeric * least(l.available_face_value_cents, $5::bigint) + l.verified_face_value_cents - 1, l.verified_face_value_cents) * 10000
         <= $4::numeric * least(l.available_face_value_cents, $5::bigint)
   ORDER BY ${LISTING_PRICE_KEY}, l.credit_expires_at, l.id
   LIMIT $8::int
) c
ORDER BY c.price_key, c.credit_expires_at, c.id
LIMIT $8::int`;
}

/**
 * The best `limit` listings for the request at `now`, best first, exactly in
 * the order of compareBuyRequestOffers.
 *
 * Why the SQL order cannot cut off a suggestion that belongs in the page:
 * the SQL reads candidates in the order of the listing's own price per face
 * value q = ask / verified (exact: LISTING_PRICE_KEY), then credit expiry e.
 * An offer's price per face value k is its pro-rated price over its face
 * value, and rounding up gives k >= q. After each batch, let N be the
 * limit-th best offer found so far (k_N, e_N), and (q_last, e_last) the last
 * row read. Every listing not yet read comes after that row in the SQL
 * order, so its q >= q_last, and its e >= e_last when its q = q_last. If
 * q_last > k_N, its k >= q > k_N: it ranks after N. If q_last = k_N and
 * e_last > e_N, then either its k > k_N, or k = k_N and its expiry is later
 * than N's: it ranks after N either way. So the page is settled; otherwise
 * the next batch is read after the last row, until the listings run out.
 * The loop reads at most the listings priced at or below k_N per face value,
 * plus one batch.
 */
export async function suggestListingsForBuyRequest(
  database: ReadModelDatabase,
  request: BuyRequestToMatch,
  now: Date,
  limit: number,
  settings: MatchSuggestionSettings,
): Promise<MatchSuggestionAnswer[]> {
  invariant(Number.isInteger(limit) && limit >= 1 && limit <= MAX_MATCH_LIMIT, `a match limit from 1 to ${MAX_MATCH_LIMIT}, got ${limit}`);
  const unfilled = request.faceValueCents - request.filledFaceValueCents;
  // A closed request, or one past its deadline, fits no offer (offerMismatches says so for every one): no need to ask.
  if (request.status !== 'open' || now >= request.deadline || unfilled <= 0n) return [];
  const batch = settings.candidateBatchSize ?? limit + CANDIDATE_SLACK;
  invariant(Number.isInteger(batch) && batch >= 1, `a candidate batch of at least one listing, got ${batch}`);
  const baseParameters = [
    request.provider,
    [...request.creditTypes],
    // The whole listing's ratio at or under the ceiling, as a key: q <= bps / 10^4 implies key <= bps x 10^26.
    (BigInt(request.maxPriceBps) * (PRICE_KEY_SCALE / BASIS_POINTS_PER_WHOLE)).toString(),
    request.maxPriceBps,
    unfilled.toString(),
    // offerMismatches' validity: credit expiry - now >= minValidityDays days.
    new Date(now.getTime() + request.minValidityDays * DAY_MS).toISOString(),
    // isListingMatchable: now < credit expiry - margin.
    new Date(now.getTime() + settings.listingPolicy.expiryMarginMs).toISOString(),
    batch,
  ];
  let best: Candidate[] = [];
  let after: CandidateListingRow | undefined;
  for (;;) {
    const afterParameters = after === undefined ? [] : [after.price_key, after.credit_expires_at.toISOString(), after.id];
    const rows = await queryRows<CandidateListingRow>(database, candidateListingsSql(after !== undefined), [...baseParameters, ...afterParameters]);
    for (const row of rows) {
      const listing = listingOfRow(row);
      const offer = offerOf(listing, request);
      if (isMatchable(listing, now, settings.listingPolicy) && offerMismatches(request, offer, now).length === 0) best.push({ listing, offer });
    }
    best = best.sort((a, b) => compareBuyRequestOffers(a.offer, b.offer)).slice(0, limit);
    const last = rows.at(-1);
    if (rows.length < batch || last === undefined || pageSettled(best, limit, listingOfRow(last))) break;
    after = last;
  }
  return best.map(({ listing, offer }) => suggestion(offer, listing, request));
}

/** The argument of suggestListingsForBuyRequest: the last row read is past the limit-th offer. */
function pageSettled(best: readonly Candidate[], limit: number, last: ListingToMatch): boolean {
  const nth = best[limit - 1];
  if (nth === undefined) return false;
  // q_last against k_N, cross-multiplied: ask_last / verified_last versus price_N / face value_N.
  const left = last.askPriceCents * nth.offer.faceValueCents;
  const right = nth.offer.priceCents * last.verifiedFaceValueCents;
  return left > right || (left === right && last.creditExpiresAt > nth.offer.creditExpiresAt);
}

interface CandidateRequestRow {
  readonly id: string;
  readonly buyer_id: string;
  readonly status: BuyRequestStatus;
  readonly provider: string;
  readonly credit_types: string[];
  readonly face_value_cents: string;
  readonly filled_face_value_cents: string;
  readonly max_price_bps: number;
  readonly min_validity_days: number;
  readonly deadline: Date;
}

function requestOfRow(row: CandidateRequestRow): BuyRequestToMatch {
  return {
    buyRequestId: row.id,
    buyerId: row.buyer_id,
    status: row.status,
    provider: row.provider,
    creditTypes: row.credit_types as CreditType[],
    faceValueCents: BigInt(row.face_value_cents),
    filledFaceValueCents: BigInt(row.filled_face_value_cents),
    maxPriceBps: row.max_price_bps,
    minValidityDays: row.min_validity_days,
    deadline: row.deadline,
  };
}

const REQUEST_COLUMNS = `r.id, r.buyer_id, r.status, r.provider, r.credit_types, r.face_value_cents::text AS face_value_cents,
  r.filled_face_value_cents::text AS filled_face_value_cents, r.max_price_bps, r.min_validity_days, r.deadline`;

/**
 * The open requests a listing could fill (buy_request_view_open_market_idx
 * finds those of its provider and credit type), in the final order: the offer's
 * price per face value as an exact integer key (as LISTING_PRICE_KEY, over
 * the pro-rated price and the offered face value, both at most 10^15), then
 * the larger face value (the credit expiry and the listing are the same for
 * every row), then the sooner deadline and the id as tie-breaks beyond the
 * domain's comparator. The SQL computes the exact order, so its LIMIT cuts
 * nothing the domain's order would keep; Node re-ranks with the comparator
 * all the same. Parameters: $1 provider, $2 credit type, $3 least ceiling
 * in bps, $4 most validity days, $5 now, $6 ask, $7 verified face value,
 * $8 available face value, $9 limit.
 */
const CANDIDATE_REQUESTS_SQL = `
SELECT ${REQUEST_COLUMNS}
  FROM buy_request_view r
  CROSS JOIN LATERAL (SELECT least(r.unfilled_face_value_cents, $8::bigint)::numeric AS face_value) o
  CROSS JOIN LATERAL (SELECT div($6::numeric * o.face_value + $7::numeric - 1, $7::numeric) AS price) p
 WHERE r.status = 'open' AND r.market_keys @> ARRAY[$1::text || ':' || $2::text]
   AND r.provider = $1::text AND r.credit_types @> ARRAY[$2::text]
   AND r.max_price_bps >= $3::int AND r.min_validity_days <= $4::int
   AND r.deadline > $5::timestamptz AND r.unfilled_face_value_cents > 0
   AND p.price * 10000 <= r.max_price_bps * o.face_value
 ORDER BY div(p.price * 1e30, o.face_value), o.face_value DESC, r.deadline, r.id COLLATE "C"
 LIMIT $9::int`;

/** The best `limit` open requests for the listing at `now`, best first. */
export async function suggestBuyRequestsForListing(
  database: ReadModelDatabase,
  listing: ListingToMatch,
  now: Date,
  limit: number,
  settings: MatchSuggestionSettings,
): Promise<MatchSuggestionAnswer[]> {
  invariant(Number.isInteger(limit) && limit >= 1 && limit <= MAX_MATCH_LIMIT, `a match limit from 1 to ${MAX_MATCH_LIMIT}, got ${limit}`);
  if (!isMatchable(listing, now, settings.listingPolicy)) return [];
  // The least ceiling the whole listing's ratio fits under: ceil(ask x 10^4 / verified), a necessary condition (proRatedAskCents).
  const leastCeilingBps = (listing.askPriceCents * BASIS_POINTS_PER_WHOLE + listing.verifiedFaceValueCents - 1n) / listing.verifiedFaceValueCents;
  if (leastCeilingBps > BASIS_POINTS_PER_WHOLE) return [];
  // offerMismatches' validity in whole days: minValidityDays x 1 day <= credit expiry - now.
  const mostValidityDays = Math.floor((listing.creditExpiresAt.getTime() - now.getTime()) / DAY_MS);
  const rows = await queryRows<CandidateRequestRow>(database, CANDIDATE_REQUESTS_SQL, [
    listing.provider,
    listing.creditType,
    Number(leastCeilingBps),
    mostValidityDays,
    now.toISOString(),
    listing.askPriceCents.toString(),
    listing.verifiedFaceValueCents.toString(),
    listing.availableFaceValueCents.toString(),
    limit,
  ]);
  return rows
    .map(requestOfRow)
    .map((request) => ({ request, offer: offerOf(listing, request) }))
    .filter(({ request, offer }) => offerMismatches(request, offer, now).length === 0)
    .sort(
      (a, b) =>
        compareBuyRequestOffers(a.offer, b.offer) ||
        a.request.deadline.getTime() - b.request.deadline.getTime() ||
        (a.request.buyRequestId < b.request.buyRequestId ? -1 : a.request.buyRequestId > b.request.buyRequestId ? 1 : 0),
    )
    .map(({ request, offer }) => suggestion(offer, listing, request));
}

@QueryHandler(BuyRequestMatchesQuery)
export class BuyRequestMatchesQueryHandler implements IQueryHandler<BuyRequestMatchesQuery, MatchSuggestionAnswer[] | null> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly database: ReadModelDatabase,
    @Inject(ProjectionCatchUp) private readonly catchUp: ProjectionCatchUp,
    @Inject(MATCH_SUGGESTION_SETTINGS) private readonly settings: MatchSuggestionSettings,
  ) {}

  async execute({ buyRequestId, limit, now, minPosition }: BuyRequestMatchesQuery): Promise<MatchSuggestionAnswer[] | null> {
    await this.catchUp.waitFor([BUY_REQUEST_VIEW, LISTING_VIEW], minPosition);
    const [row] = await queryRows<CandidateRequestRow>(this.database, `SELECT ${REQUEST_COLUMNS} FROM buy_request_view r WHERE r.id = $1`, [buyRequestId]);
    if (row === undefined) return null;
    return suggestListingsForBuyRequest(this.database, requestOfRow(row), now, limit, this.settings);
  }
}

@QueryHandler(ListingMatchesQuery)
export class ListingMatchesQueryHandler implements IQueryHandler<ListingMatchesQuery, MatchSuggestionAnswer[] | null> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly database: ReadModelDatabase,
    @Inject(ProjectionCatchUp) private readonly catchUp: ProjectionCatchUp,
    @Inject(MATCH_SUGGESTION_SETTINGS) private readonly settings: MatchSuggestionSettings,
  ) {}

  async execute({ listingId, limit, now, minPosition }: ListingMatchesQuery): Promise<MatchSuggestionAnswer[] | null> {
    await this.catchUp.waitFor([BUY_REQUEST_VIEW, LISTING_VIEW], minPosition);
    const [row] = await queryRows<ListingRow & { readonly status: string }>(
      this.database,
      `SELECT id, seller_id, provider, credit_type, status, available_face_value_cents::text AS available,
              verified_face_value_cents::text AS verified, ask_price_cents::text AS ask, credit_expires_at
         FROM listing_view WHERE id = $1`,
      [listingId],
    );
    if (row === undefined) return null;
    return suggestBuyRequestsForListing(this.database, listingOfRow(row, row.status), now, limit, this.settings);
  }
}
