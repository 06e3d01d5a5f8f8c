/**
 * What each route answers when it succeeds, by `METHOD path` as Fastify
 * registers it (the form of docs/security/access-matrix.md). The refusals
 * every route shares (400, 401, 403, 404, 409, 413, 415, 429, 503) follow
 * from how the route is declared and are added by openapi-document.ts; a
 * route lists here only what is its own.
 *
 * One table rather than a decorator on each handler: the answers are the read
 * models' shapes (answer-schemas.ts), and test/openapi.spec.ts fails for a
 * route the API serves that has no row here, and for a row no route serves.
 */
import type { MediaTypeObject } from '@nestjs/swagger';

export interface RouteAnswer {
  readonly description: string;
  /** A component of answer-schemas.ts, answered as application/json. */
  readonly schema?: string;
  /** Anything else than a JSON component (text, streams); neither: no body. */
  readonly content?: Readonly<Record<string, MediaTypeObject>>;
}

export interface RouteDocumentation {
  readonly summary: string;
  readonly answers: Readonly<Record<number, RouteAnswer>>;
  /**
   * 404 for a route with no path parameter: it names a stream in its body
   * or query (POST /v1/deals names a listing and maybe a buy request).
   */
  readonly notFoundFromBody?: true;
}

const RECORDED: RouteAnswer = { description: 'Recorded: the stream, its new revision and the log position of the last event written', schema: 'CommandAnswer' };
const CREATED: RouteAnswer = { description: 'Created: the new stream, its revision and the log position of the last event written', schema: 'CommandAnswer' };

/** A command on an existing stream: 200 with the command answer; `fact` is what it records (shared/API.md, Commands). */
function command(fact: string): RouteDocumentation {
  return { summary: `Records ${fact}`, answers: { 200: RECORDED } };
}

function query(summary: string, schema: string): RouteDocumentation {
  return { summary, answers: { 200: { description: 'OK', schema } } };
}

export const ROUTE_DOCUMENTATION: Readonly<Record<string, RouteDocumentation>> = {
  'GET /health/live': { summary: 'Liveness: the process is up', answers: { 200: { description: 'Up', schema: 'Liveness' } } },
  'GET /health/ready': {
    summary: 'Readiness: event store, database and background work',
    answers: { 200: { description: 'Ready (or degraded: serving, background work needs an operator)', schema: 'Readiness' }, 503: { description: 'Not ready: a dependency does not answer', schema: 'Readiness' } },
  },
  'GET /metrics': { summary: 'Prometheus metrics', answers: { 200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } } } },

  'POST /v1/admin/api-keys': { summary: 'Issues an API key to a principal (shown once)', answers: { 201: { description: 'Issued', schema: 'IssuedApiKey' } } },
  'DELETE /v1/admin/api-keys/:principalId': { summary: "Revokes a principal's key at once", answers: { 204: { description: 'Revoked' } } },

  'POST /v1/listings': { summary: 'Submits a listing: records ListingSubmitted', answers: { 201: CREATED } },
  'POST /v1/listings/:id/verification': command('ListingVerified'),
  'POST /v1/listings/:id/verification-failure': command('ListingVerificationFailed'),
  'POST /v1/listings/:id/price': command('ListingRepriced'),
  'POST /v1/listings/:id/withdrawal': command('ListingWithdrawn'),

  'POST /v1/deals': { summary: 'Opens a deal on a listing: records ListingReserved, then DealOpened (and BuyRequestFilled when it names a buy request)', answers: { 201: CREATED }, notFoundFromBody: true },
  'POST /v1/deals/quote': {
    summary: 'Quotes a deal: discount, commission, payout and journal postings; records nothing',
    answers: { 200: { description: 'The quote', schema: 'QuoteAnswer' } },
    notFoundFromBody: true,
  },
  'POST /v1/deals/:id/terms': command('DealTermsAmended (voids approvals)'),
  'POST /v1/deals/:id/approvals': command('DealApproved'),
  'POST /v1/deals/:id/rejections': command('DealRejected'),
  'POST /v1/deals/:id/payments': command('BuyerPaymentReceived'),
  'POST /v1/deals/:id/transfer': command('CreditTransferStarted'),
  'POST /v1/deals/:id/transfer/confirmation': command('CreditTransferConfirmed'),
  'POST /v1/deals/:id/transfer/failure': command('CreditTransferFailed'),
  'POST /v1/deals/:id/payout': command('SellerPayoutIssued and DealSettled'),
  'POST /v1/deals/:id/cancellation': command('DealCancelled (and BuyerRefunded)'),
  'POST /v1/deals/:id/disputes': command('DealDisputed'),
  'POST /v1/deals/:id/disputes/resolution': command('DisputeResolved and its money facts'),
  'POST /v1/deals/:id/broker': command('DealBrokerReassigned (admin only)'),

  'POST /v1/buy-requests': { summary: 'Places a buy request: records BuyRequestPlaced', answers: { 201: CREATED } },
  'POST /v1/buy-requests/:id/amendment': command('BuyRequestAmended'),
  'POST /v1/buy-requests/:id/cancellation': command('BuyRequestCancelled'),

  'GET /v1/listings': query('Lists listings, newest first', 'ListingPage'),
  'GET /v1/listings/:id': query('One listing', 'Listing'),
  'GET /v1/listings/:id/matches': query('The open buy requests the listing could fill, best first', 'MatchSuggestionList'),
  'GET /v1/deals': query('Lists deals (a broker sees its own)', 'DealPage'),
  'GET /v1/deals/:id': query('One deal, now or as of an instant', 'Deal'),
  'GET /v1/buy-requests': query('Lists buy requests', 'BuyRequestPage'),
  'GET /v1/buy-requests/:id': query('One buy request', 'BuyRequest'),
  'GET /v1/buy-requests/:id/matches': query('The listings on the market that fit the request, best first', 'MatchSuggestionList'),

  'GET /v1/ledger/accounts': query('Balances of every account', 'AccountBalancePage'),
  'GET /v1/ledger/accounts/:account': query('The balance of one account, now or as of an instant', 'AccountBalance'),
  'GET /v1/ledger/accounts/:account/entries': query('The postings to one account', 'AccountPostingPage'),
  'GET /v1/ledger/journal': { ...query('Journal entries, of one deal or all (a broker sees its own deals)', 'JournalEntryPage'), notFoundFromBody: true },
  'GET /v1/dashboard/recent-facts': query('The newest journal entries, newest first (a broker sees its own deals)', 'RecentFacts'),
  'GET /v1/dashboard/summary': query('Pipeline, volume, commission, expiring face value, losses to expiry and timings', 'DashboardSummary'),

  'GET /v1/audit/streams/:stream': query('The events of one stream with metadata and hashes', 'AuditPage'),
  'GET /v1/audit/streams/:stream/verification': query("Checks one stream's hash chain", 'StreamVerification'),
  'GET /v1/audit/events': query('The global log, from a position', 'AuditPage'),
  'GET /v1/audit/deals/:id/timeline': query("A deal's facts and its listing's facts about it", 'DealTimeline'),
  'GET /v1/audit/export': {
    summary: 'The compliance export of the global log, streamed',
    answers: {
      200: {
        description: 'One audit event per line (jsonl) or row (csv)',
        content: { 'application/x-ndjson': { schema: { type: 'string' } }, 'text/csv': { schema: { type: 'string' } } },
      },
    },
  },
};
