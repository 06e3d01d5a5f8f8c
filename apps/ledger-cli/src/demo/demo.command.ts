/**
 * `demo [--url] [--key] [--deals N]`: drives a day of deals (demo-plan.ts)
 * through the HTTP API of a running instance, as brokers would, so that a
 * newcomer sees a living dashboard a minute after `npm start`. It only uses
 * the API (an admin key issues the brokers' keys and a dashboard key), so it
 * works against any instance, and records nothing a broker could not.
 *
 * Deals run a few at a time (DEAL_CONCURRENCY), each one's steps in order;
 * several deals of one listing reserve it at once, which the API serialises.
 * A progress bar on standard error counts the requests; standard output gets
 * the report: what was done, what expired, and the dashboard key.
 */
import { randomBytes } from 'node:crypto';
import cliProgress from 'cli-progress';
import { InvalidArgumentError } from 'commander';
import {
  DEMO_BROKERS,
  MAX_DEMO_DEALS,
  MIN_DEMO_DEALS,
  REQUEST_MAX_PRICE_BPS,
  REQUEST_MIN_VALIDITY_DAYS,
  planDemo,
  type DemoBuyRequest,
  type DemoDeal,
  type DemoListing,
  type DemoPlan,
} from './demo-plan.js';
import { LedgerApiError, LedgerHttpClient, type CommandAnswer } from './ledger-http-client.js';

export const DEFAULT_DEMO_URL = 'http://127.0.0.1:3000';
/** A few at once: enough to finish in seconds, few enough to stay far below the per-key rate limit's burst. */
const DEAL_CONCURRENCY = 6;
/** The deadline enforcer polls every LEDGER_DEADLINE_POLL_MS (1 s by default); the projections follow within a second. */
const EXPIRY_WAIT_MS = 30_000;
const EXPIRY_POLL_MS = 250;

export interface DemoOptions {
  readonly url: string;
  readonly key: string;
  readonly deals: number;
}

export interface DemoOutput {
  /** The progress bar's terminal; it draws nothing when this is not a TTY. */
  readonly progress: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly report: NodeJS.WritableStream;
}

export interface DemoResult {
  readonly runId: string;
  readonly plan: DemoPlan;
  readonly dashboardKey: string;
  readonly requests: number;
  readonly seconds: number;
  readonly listingIds: ReadonlyMap<string, string>;
  readonly buyRequestIds: ReadonlyMap<string, string>;
  readonly dealIds: readonly string[];
  /** What expired: a listing id (or why not), a buy request id. */
  readonly expired: { readonly listing: string | null; readonly listingNote: string | null; readonly buyRequest: string };
  /** GET /v1/dashboard/summary once the demo's facts are projected. */
  readonly summary: DashboardSummaryAnswer;
}

export interface DashboardSummaryAnswer {
  readonly pipeline: Record<string, number>;
  readonly [figure: string]: unknown;
}

export function parseDealsOption(text: string): number {
  const deals = /^[0-9]{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(deals >= MIN_DEMO_DEALS && deals <= MAX_DEMO_DEALS)) throw new InvalidArgumentError(`expected a whole number from ${MIN_DEMO_DEALS} to ${MAX_DEMO_DEALS}`);
  return deals;
}

export function parseUrlOption(text: string): string {
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.toString();
  } catch {
    // Reported below, as commander reports a bad option.
  }
  throw new InvalidArgumentError('expected an http:// or https:// URL such as http://127.0.0.1:3000');
}

/** Runs the plan with the key of an admin. */
export async function runDemo(options: DemoOptions, output: DemoOutput): Promise<DemoResult> {
  const started = performance.now();
  const runId = randomBytes(3).toString('hex');
  const plan = planDemo(options.deals, new Date(), runId);
  const client = new LedgerHttpClient(options.url);
  const bar = new cliProgress.SingleBar(
    { stream: output.progress, format: 'demo {bar} {percentage}% | {value}/{total} steps | {phase}', hideCursor: true, barsize: 30 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(totalSteps(plan), 0, { phase: 'keys' });
  const step = (phase: string): void => bar.increment(1, { phase });
  let head: CommandAnswer['position'] = '0.0';
  const recorded = (answer: CommandAnswer): CommandAnswer => {
    if (comparePositions(answer.position, head) > 0) head = answer.position;
    return answer;
  };
  const brokerKeys: string[] = [];
  const as = (broker: number): string => brokerKeys[broker]!;
  try {
    // Keys: one per broker, and one for the dashboard page.
    for (const name of DEMO_BROKERS) {
      brokerKeys.push(await client.issueKey(options.key, `demo-${runId}-broker-${name}`, 'broker', `demo ${runId}: broker ${name}`));
      step('keys');
    }
    const dashboardKey = await client.issueKey(options.key, `demo-${runId}-dashboard`, 'dashboard', `demo ${runId}: dashboard`);
    step('keys');

    // First what is to expire: its deadlines are seconds away.
    const buyRequestIds = new Map<string, string>();
    const expiring = plan.buyRequests.find((request) => request.expires)!;
    buyRequestIds.set(expiring.key, recorded(await client.command(as(expiring.broker), '/v1/buy-requests', buyRequestBody(expiring))).id);
    step('buy requests');
    const listingIds = new Map<string, string>();
    let listingNote: string | null = null;
    try {
      listingIds.set(plan.expiringListing.key, await submitListing(plan.expiringListing));
    } catch (error) {
      if (!(error instanceof LedgerApiError && error.code === 'LISTING_EXPIRED')) throw error;
      listingNote = "refused: the server's LEDGER_EXPIRY_MARGIN_MS is longer than the default 72 h";
      step('listings');
    }

    async function submitListing(listing: DemoListing): Promise<string> {
      const broker = as(listing.broker);
      const { id } = recorded(await client.command(broker, '/v1/listings', listingBody(listing)));
      step('listings');
      if (listing.verifiedFaceValueCents === null) {
        recorded(await client.command(broker, `/v1/listings/${id}/verification-failure`, { reason: 'the provider console shows no such balance' }));
      } else {
        recorded(await client.command(broker, `/v1/listings/${id}/verification`, verificationBody(listing)));
      }
      step('listings');
      if (listing.repricedAskCents !== null) {
        recorded(await client.command(broker, `/v1/listings/${id}/price`, { askPriceCents: listing.repricedAskCents.toString() }));
        step('listings');
      }
      return id;
    }

    await inTurns(plan.listings, DEAL_CONCURRENCY, async (listing) => {
      listingIds.set(listing.key, await submitListing(listing));
    });
    await inTurns(
      plan.buyRequests.filter((request) => !request.expires),
      DEAL_CONCURRENCY,
      async (request) => {
        const broker = as(request.broker);
        const { id } = recorded(await client.command(broker, '/v1/buy-requests', buyRequestBody(request)));
        buyRequestIds.set(request.key, id);
        step('buy requests');
        if (request.amendedFaceValueCents !== null) {
          recorded(await client.command(broker, `/v1/buy-requests/${id}/amendment`, { faceValueCents: request.amendedFaceValueCents.toString() }));
          step('buy requests');
        }
        if (request.cancelled) {
          recorded(await client.command(broker, `/v1/buy-requests/${id}/cancellation`, { reason: 'the buyer found seats elsewhere' }));
          step('buy requests');
        }
      },
    );

    const dealIds: string[] = [];
    await inTurns(plan.deals, DEAL_CONCURRENCY, async (deal) => {
      const broker = as(deal.broker);
      const body = {
        listingId: listingIds.get(deal.listingKey)!,
        buyerId: deal.buyerId,
        faceValueCents: deal.faceValueCents.toString(),
        priceCents: deal.priceCents.toString(),
        commissionBps: deal.commissionBps,
        ...(deal.buyRequestKey === null ? {} : { buyRequestId: buyRequestIds.get(deal.buyRequestKey)! }),
      };
      const { id } = recorded(await client.command(broker, '/v1/deals', body));
      dealIds.push(id);
      step('deals');
      for (const [path, payload] of dealSteps(deal)) {
        recorded(await client.command(broker, `/v1/deals/${id}${path}`, payload));
        step('deals');
      }
    });

    bar.update({ phase: 'expiries' });
    const buyRequestId = buyRequestIds.get(expiring.key)!;
    await waitForStatus(client, dashboardKey, `/v1/buy-requests/${buyRequestId}`, 'expired');
    step('expiries');
    const expiringListingId = listingIds.get(plan.expiringListing.key) ?? null;
    if (expiringListingId !== null && !(await waitForStatus(client, dashboardKey, `/v1/listings/${expiringListingId}`, 'expired'))) {
      listingNote = "still on the market: the server's LEDGER_EXPIRY_MARGIN_MS is shorter than the default 72 h";
    }
    step('expiries');

    const summary = await client.get<DashboardSummaryAnswer>(dashboardKey, '/v1/dashboard/summary', { 'x-min-position': head });
    step('summary');
    const result: DemoResult = {
      runId,
      plan,
      dashboardKey,
      requests: client.requests,
      seconds: (performance.now() - started) / 1_000,
      listingIds,
      buyRequestIds,
      dealIds,
      expired: { listing: listingNote === null ? expiringListingId : null, listingNote, buyRequest: buyRequestId },
      summary,
    };
    bar.stop();
    output.report.write(demoReport(result, options.url));
    return result;
  } finally {
    bar.stop();
  }
}

/** The commands after the opening of a deal, in order, for its outcome. */
function dealSteps(deal: DemoDeal): Array<[string, object]> {
  const approve = (termsVersion: number): Array<[string, object]> => [
    ['/approvals', { party: 'seller', termsVersion, evidence: { method: 'email', reference: `seller-ok-v${termsVersion}` } }],
    ['/approvals', { party: 'buyer', termsVersion, evidence: { method: 'email', reference: `buyer-ok-v${termsVersion}` } }],
  ];
  const pay = (priceCents: bigint): [string, object] => ['/payments', { amountCents: priceCents.toString(), paymentRef: `wire-${randomBytes(4).toString('hex')}` }];
  const transfer: [string, object] = ['/transfer', { mechanism: 'organization_membership', reference: `org-invite-${randomBytes(3).toString('hex')}` }];
  const confirm: [string, object] = ['/transfer/confirmation', { confirmedFaceValueCents: deal.faceValueCents.toString(), evidence: { method: 'provider_console', reference: 'member-added' } }];
  const payout: [string, object] = ['/payout', { payoutRef: `payout-${randomBytes(4).toString('hex')}` }];
  const amendedPriceCents = (deal.priceCents * 95n) / 100n;
  switch (deal.outcome) {
    case 'awaiting_approvals':
      return [];
    case 'approved':
      return approve(1);
    case 'funded':
      return [...approve(1), pay(deal.priceCents)];
    case 'transferring':
      return [...approve(1), pay(deal.priceCents), transfer];
    case 'transferred':
      return [...approve(1), pay(deal.priceCents), transfer, confirm];
    case 'settled':
      return [...approve(1), pay(deal.priceCents), transfer, confirm, payout];
    case 'amended_then_settled':
      return [['/terms', { priceCents: amendedPriceCents.toString() }], ...approve(2), pay(amendedPriceCents), transfer, confirm, payout];
    case 'rejected':
      return [['/rejections', { party: 'buyer', reason: "the buyer's finance team said no" }]];
    case 'cancelled':
      return [...approve(1), pay(deal.priceCents), ['/cancellation', { reason: 'the seller sold the credits elsewhere' }]];
    case 'disputed':
      return [...approve(1), pay(deal.priceCents), transfer, ['/disputes', { reason: 'the buyer sees fewer credits than agreed' }]];
    case 'dispute_resolved_for_seller':
      return [
        ...approve(1),
        pay(deal.priceCents),
        transfer,
        confirm,
        ['/disputes', { reason: 'the buyer says the credits arrived late' }],
        ['/disputes/resolution', { outcome: 'pay_seller', payoutRef: `payout-${randomBytes(4).toString('hex')}` }],
      ];
    default:
      return assertNever(deal.outcome);
  }
}

/** The steps the bar counts: every command, the waits for the two expiries, and the summary read. */
function totalSteps(plan: DemoPlan): number {
  const keys = DEMO_BROKERS.length + 1;
  const listing = (one: DemoListing): number => 2 + (one.repricedAskCents === null ? 0 : 1);
  const request = (one: DemoBuyRequest): number => 1 + (one.amendedFaceValueCents === null ? 0 : 1) + (one.cancelled ? 1 : 0);
  return (
    keys +
    listing(plan.expiringListing) +
    plan.listings.reduce((sum, one) => sum + listing(one), 0) +
    plan.buyRequests.reduce((sum, one) => sum + request(one), 0) +
    plan.deals.reduce((sum, deal) => sum + 1 + dealSteps(deal).length, 0) +
    2 +
    1
  );
}

function listingBody(listing: DemoListing): object {
  return {
    sellerId: listing.sellerId,
    provider: 'openai',
    creditType: listing.creditType,
    providerOrgRef: `org-${listing.sellerId.replace('seller-', '')}`,
    faceValueCents: listing.faceValueCents.toString(),
    currency: listing.currency,
    creditExpiresAt: listing.creditExpiresAt.toISOString(),
    askPriceCents: listing.askPriceCents.toString(),
  };
}

function verificationBody(listing: DemoListing): object {
  return {
    verifiedFaceValueCents: listing.verifiedFaceValueCents!.toString(),
    verifiedExpiresAt: listing.creditExpiresAt.toISOString(),
    evidence: { method: 'provider_dashboard', reference: `screenshot-${listing.key}`, checkedAt: new Date().toISOString() },
  };
}

function buyRequestBody(request: DemoBuyRequest): object {
  return {
    buyerId: request.buyerId,
    provider: 'openai',
    creditTypes: request.creditTypes,
    faceValueCents: request.faceValueCents.toString(),
    maxPriceBps: REQUEST_MAX_PRICE_BPS,
    minValidityDays: REQUEST_MIN_VALIDITY_DAYS,
    deadline: request.deadline.toISOString(),
  };
}

/** Polls a read route until the resource shows `status`; false after EXPIRY_WAIT_MS. */
async function waitForStatus(client: LedgerHttpClient, key: string, path: string, status: string): Promise<boolean> {
  const deadline = Date.now() + EXPIRY_WAIT_MS;
  while (Date.now() < deadline) {
    if ((await client.get<{ status: string }>(key, path)).status === status) return true;
    await new Promise((resolve) => setTimeout(resolve, EXPIRY_POLL_MS));
  }
  return false;
}

/** Runs `work` over `items`, at most `limit` at once. */
async function inTurns<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Positions are `commit.prepare`, compared in that order. */
function comparePositions(a: string, b: string): number {
  const [aCommit, aPrepare] = a.split('.').map(BigInt) as [bigint, bigint];
  const [bCommit, bPrepare] = b.split('.').map(BigInt) as [bigint, bigint];
  return aCommit === bCommit ? Number(aPrepare - bPrepare) : aCommit > bCommit ? 1 : -1;
}

function assertNever(value: never): never {
  throw new Error(`unexpected ${String(value)}`);
}

export function demoReport(result: DemoResult, url: string): string {
  const statuses = Object.entries(result.summary.pipeline)
    .filter(([status, count]) => status !== 'total' && count > 0)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
  const dashboardUrl = new URL('/dashboard', url).toString();
  return [
    `demo ${result.runId}: ${result.plan.deals.length} deals, ${result.listingIds.size} listings and ${result.buyRequestIds.size} buy requests through ${url}`,
    `  ${result.requests} requests in ${result.seconds.toLocaleString('en-US', { maximumFractionDigits: 1 })} s; brokers demo-${result.runId}-broker-{${DEMO_BROKERS.join(',')}}`,
    `  deals on the ledger now: ${statuses} (total ${result.summary.pipeline.total ?? 0})`,
    `  expired: buy request ${result.expired.buyRequest} (deadline passed)`,
    result.expired.listing === null ? `  listing meant to expire: ${result.expired.listingNote}` : `  expired: listing ${result.expired.listing} (credits within the expiry margin)`,
    '',
    `Open ${dashboardUrl} and enter this dashboard key (shown once):`,
    `  ${result.dashboardKey}`,
    '',
  ].join('\n');
}
