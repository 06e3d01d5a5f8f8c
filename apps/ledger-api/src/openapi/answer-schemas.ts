/**
 * The shapes of the API's answers (shared/API.md, Shapes and Errors) as
 * OpenAPI component schemas.
 *
 * Written as JSON schemas rather than classes with @ApiProperty: the answers
 * are libs/read-models' and libs/domain's TypeScript interfaces, which carry
 * no run-time metadata, and a class per answer kept only for the document
 * would be a second copy of each to keep in step. test/openapi.spec.ts
 * validates real answers of a running API against these schemas, so a field
 * renamed or dropped there fails a test here.
 *
 * Objects stay open (no additionalProperties: false): API.md lets the server
 * add fields, and a client must not break on one. `required` lists every
 * field the server always sends.
 */
import type { SchemaObject } from '@nestjs/swagger';
import { BUY_REQUEST_STATUSES, DEAL_STATUSES, LISTING_STATUSES } from '#domain';
import { DASHBOARD_DEAL_STATUSES } from '#read-models';
import { ROLES } from '../access/principal.js';

type Properties = Readonly<Record<string, SchemaObject>>;

const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` }) as SchemaObject;

function object(properties: Properties, optional: readonly string[] = [], description?: string): SchemaObject {
  const required = Object.keys(properties).filter((name) => !optional.includes(name));
  return { type: 'object', ...(description === undefined ? {} : { description }), properties: { ...properties }, required };
}

function nullable(schema: SchemaObject): SchemaObject {
  return { ...schema, nullable: true };
}

const text: SchemaObject = { type: 'string' };
const integer: SchemaObject = { type: 'integer' };
const uuid: SchemaObject = { type: 'string', format: 'uuid' };
const instant: SchemaObject = { type: 'string', format: 'date-time', description: 'ISO 8601, UTC' };
/** Amounts in answers: decimal strings of whole cents; balances and credit postings are negative. */
const cents: SchemaObject = { type: 'string', pattern: '^-?(0|[1-9][0-9]*)$', description: 'A decimal string of whole cents', example: '125000' };
const nonNegativeCents: SchemaObject = { type: 'string', pattern: '^(0|[1-9][0-9]*)$', description: 'A decimal string of whole cents', example: '125000' };
/** `commit.prepare`: pass it as X-Min-Position to read your own write. */
const position: SchemaObject = { type: 'string', pattern: '^[0-9]+\\.[0-9]+$', description: 'A global log position, `commit.prepare`', example: '1234.1234' };
const basisPoints: SchemaObject = { type: 'integer', description: 'Basis points: 100 = 1 %' };
const centsByCurrency: SchemaObject = { type: 'object', additionalProperties: nonNegativeCents, description: 'Amounts per currency (ISO 4217 code -> cents)' };
const streamRevision: SchemaObject = { type: 'integer', minimum: 0, description: 'Revision of the stream: pass it back as If-Match' };

function page(item: string, description: string): SchemaObject {
  return object({ items: { type: 'array', items: ref(item) }, nextCursor: nullable({ type: 'string', description: 'Pass as `cursor` for the next page; null on the last' }) }, [], description);
}

const durationFigure = object({
  samples: integer,
  medianMs: nullable({ type: 'integer', description: 'Null without samples' }),
  p90Ms: nullable({ type: 'integer', description: 'Null without samples' }),
});

const expiringFigure = object({ listings: integer, faceValueCents: centsByCurrency });

const auditEvent = object(
  {
    stream: text,
    revision: { type: 'string', pattern: '^(0|[1-9][0-9]*)$', description: 'Stream revision, decimal text (64-bit)' },
    position,
    id: uuid,
    type: { type: 'string', description: 'The fact, e.g. DealOpened' },
    data: { type: 'object', additionalProperties: true },
    metadata: object({
      actorId: text,
      actorRole: text,
      correlationId: text,
      causationId: nullable(text),
      occurredAt: instant,
      schemaVersion: integer,
    }),
    recordedAt: instant,
    prevHash: text,
    hash: { type: 'string', description: 'SHA-256 of the RFC 8785 canonical JSON of the event and prevHash' },
  },
  [],
  'A recorded fact with its metadata and hash chain',
);

export const ANSWER_SCHEMAS: Readonly<Record<string, SchemaObject>> = {
  ErrorBody: object(
    {
      statusCode: { type: 'integer', minimum: 400, maximum: 599 },
      code: { type: 'string', pattern: '^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$', description: 'Stable upper-case code, e.g. LISTING_NOT_VERIFIED' },
      message: text,
      details: { type: 'object', additionalProperties: true, description: 'Facts about the refusal, e.g. the offending fields of VALIDATION_FAILED' },
    },
    ['details'],
    'Every error answer (shared/API.md, Errors)',
  ),
  CommandAnswer: object(
    {
      id: uuid,
      streamRevision: nullable({ ...streamRevision, description: 'Revision of the stream after the command: pass it back as If-Match; null when nothing was recorded' }),
      position: nullable({ ...position, description: 'Log position of the last event written: pass it as X-Min-Position to read your write; null when nothing new was recorded' }),
    },
    [],
    'The answer of every command',
  ),
  QuoteAnswer: object(
    {
      listingId: uuid,
      currency: text,
      faceValueCents: nonNegativeCents,
      priceCents: nonNegativeCents,
      discountBps: { ...basisPoints, description: 'How far the price lies below face value, rounded down; negative above it' },
      commissionBps: basisPoints,
      commissionCents: nonNegativeCents,
      payoutCents: nonNegativeCents,
      postings: {
        type: 'array',
        description: 'The journal entries the deal would post, in order',
        items: object({ kind: text, postings: { type: 'array', items: ref('Posting') } }),
      },
    },
    [],
    'What POST /v1/deals would decide; nothing is recorded',
  ),
  Posting: object({ account: text, amountCents: cents }, [], 'A debit is positive, a credit negative'),
  Listing: object(
    {
      id: uuid,
      status: { type: 'string', enum: LISTING_STATUSES.filter((status) => status !== 'none') },
      sellerId: text,
      provider: text,
      creditType: text,
      currency: text,
      faceValueCents: nonNegativeCents,
      verifiedFaceValueCents: nonNegativeCents,
      reservedFaceValueCents: nonNegativeCents,
      soldFaceValueCents: nonNegativeCents,
      availableFaceValueCents: nonNegativeCents,
      withdrawnFaceValueCents: nonNegativeCents,
      expiredFaceValueCents: nonNegativeCents,
      askPriceCents: nonNegativeCents,
      creditExpiresAt: instant,
      submittedAt: instant,
      submittedBy: nullable({ type: 'string', description: 'The broker or admin who submitted it; null for listings recorded before submitters were' }),
      streamRevision,
    },
    [],
    'A listing as its read model holds it',
  ),
  Deal: object(
    {
      id: uuid,
      status: { type: 'string', enum: DEAL_STATUSES.filter((status) => status !== 'none') },
      listingId: uuid,
      buyRequestId: nullable(uuid),
      sellerId: text,
      buyerId: text,
      brokerId: text,
      currency: text,
      faceValueCents: nonNegativeCents,
      priceCents: nonNegativeCents,
      commissionBps: basisPoints,
      commissionCents: nonNegativeCents,
      payoutCents: nonNegativeCents,
      paidCents: nonNegativeCents,
      termsVersion: { type: 'integer', minimum: 1 },
      approvalDeadline: instant,
      creditExpiresAt: instant,
      openedAt: instant,
      approvedAt: nullable(instant),
      fundedAt: nullable(instant),
      transferredAt: nullable(instant),
      closedAt: nullable(instant),
      streamRevision,
    },
    [],
    'A deal as its read model holds it (or as of an instant, folded from its events)',
  ),
  BuyRequest: object(
    {
      id: uuid,
      status: { type: 'string', enum: BUY_REQUEST_STATUSES.filter((status) => status !== 'none') },
      buyerId: text,
      provider: text,
      creditTypes: { type: 'array', items: text },
      faceValueCents: nonNegativeCents,
      filledFaceValueCents: nonNegativeCents,
      unfilledFaceValueCents: nonNegativeCents,
      maxPriceBps: basisPoints,
      minValidityDays: integer,
      deadline: instant,
      placedAt: instant,
      placedBy: nullable({ type: 'string', description: 'The broker or admin who placed it; null for requests recorded before placers were' }),
      streamRevision,
    },
    [],
    'A buy request as its read model holds it',
  ),
  MatchSuggestion: object(
    {
      listingId: uuid,
      buyRequestId: uuid,
      availableFaceValueCents: { ...nonNegativeCents, description: 'The face value the pair would trade' },
      priceCents: { ...nonNegativeCents, description: "The listing's ask pro-rated to that face value, rounded up" },
      discountBps: basisPoints,
      creditExpiresAt: instant,
      sellerId: text,
      buyerId: text,
      creditType: text,
    },
    [],
    'One listing offered to one buy request',
  ),
  ListingPage: page('Listing', 'A page of listings'),
  DealPage: page('Deal', 'A page of deals'),
  BuyRequestPage: page('BuyRequest', 'A page of buy requests'),
  MatchSuggestionList: object(
    { items: { type: 'array', items: ref('MatchSuggestion') }, nextCursor: nullable({ type: 'string', description: 'Always null: a ranked shortlist, not a paged list' }) },
    [],
    'The best suggestions, best first',
  ),
  AccountBalanceItem: object({ account: text, currency: text, balanceCents: cents }),
  AccountBalancePage: page('AccountBalanceItem', 'Balances of the accounts, by account'),
  AccountBalance: object({
    account: text,
    asOf: nullable({ ...instant, description: 'The instant asked for; null: the current balance' }),
    balances: { type: 'array', items: object({ currency: text, balanceCents: cents }) },
  }),
  AccountPosting: object({
    entryId: uuid,
    dealId: nullable(uuid),
    listingId: nullable(uuid),
    kind: text,
    currency: text,
    amountCents: cents,
    position,
    recordedAt: instant,
  }),
  AccountPostingPage: page('AccountPosting', "Postings to one account, in log order"),
  JournalEntry: object(
    {
      id: uuid,
      dealId: nullable({ ...uuid, description: "Null for an entry of a listing fact that concerns no deal (a listing's expiry)" }),
      listingId: nullable(uuid),
      kind: text,
      currency: text,
      eventId: uuid,
      position,
      recordedAt: instant,
      postings: { type: 'array', items: ref('Posting') },
    },
    [],
    'A journal entry: its postings sum to zero',
  ),
  JournalEntryPage: page('JournalEntry', 'Journal entries, in log order'),
  RecentFacts: object({ items: { type: 'array', items: ref('JournalEntry') } }, [], 'The newest journal entries first'),
  DashboardSummary: object(
    {
      asOf: instant,
      scope: object({ kind: { type: 'string', enum: ['all', 'broker'] }, brokerId: text }, ['brokerId'], "Whose deals the deal figures cover"),
      pipeline: object({ ...Object.fromEntries(DASHBOARD_DEAL_STATUSES.map((status) => [status, integer])), total: integer }, [], 'Deals by status'),
      volume: object({ settledDeals: integer, settledPriceCents: centsByCurrency, openDeals: integer, openPriceCents: centsByCurrency }),
      commissionEarnedCents: centsByCurrency,
      expiring: object({ within7Days: expiringFigure, within30Days: expiringFigure, within90Days: expiringFigure }, [], 'Face value of listings whose credits expire within 7, 30 and 90 days'),
      lostToExpiry: object({
        expiredListings: integer,
        faceValueCents: centsByCurrency,
        dealsExpiredOnCreditExpiry: integer,
        dealsExpiredOnCreditExpiryFaceValueCents: centsByCurrency,
      }),
      rescuedFromExpiry: object({ horizonDays: integer, deals: integer, faceValueCents: centsByCurrency }),
      timings: object({
        period: object({ fromInclusive: instant, toExclusive: instant }),
        timeToMatch: object({ listingVerifiedToFirstDeal: durationFigure, buyRequestPlacedToFirstFill: durationFigure }),
        timeToSettle: durationFigure,
      }),
    },
    [],
    'Pipeline, volume, commission, expiring and lost face value, and timings',
  ),
  AuditEvent: auditEvent,
  AuditPage: page('AuditEvent', 'Recorded facts, in stream or log order'),
  StreamVerification: object(
    { valid: { type: 'boolean' }, events: integer, brokenAt: { type: 'integer', description: 'The first revision whose hash does not hold' }, reason: text },
    ['brokenAt', 'reason'],
    "The stream's hash chain, checked",
  ),
  DealTimeline: object({ dealId: uuid, listingId: nullable(uuid), items: { type: 'array', items: ref('AuditEvent') } }, [], "The deal's facts and its listing's facts about it, in log order"),
  IssuedApiKey: object(
    { key: { type: 'string', description: 'Shown once: the ledger keeps only its hash' }, principalId: text, role: { type: 'string', enum: [...ROLES] } },
    [],
    'A new API key',
  ),
  Liveness: object({ status: text }, [], 'The process is up'),
  Readiness: object(
    { status: { type: 'string', description: '`ok`, `degraded` (background work needs an operator) or `unavailable`' }, checks: { type: 'object', additionalProperties: true } },
    [],
    'Whether the instance can serve: its dependencies and background work',
  ),
};
