/**
 * Conservation (issue 8): brokers move money and credits between many
 * parties at once (deals through payment, delivery, payout, refunds,
 * disputes, partial deliveries), while readers keep reading the books
 * (GET /v1/ledger/accounts in one page, GET /v1/ledger/accounts/cash).
 * Promises: every answer a reader gets balances (each currency sums to
 * zero, no account on its forbidden side: books-rules.ts), and afterwards
 * every account moved by exactly what the acknowledged commands moved
 * (a model of the books kept by the clients, independent of the service's
 * posting rules).
 */
import { StatusCounts, MeasuredChannel } from '../harness/command-channels.js';
import { type Balance, booksViolations } from '../harness/books-rules.js';
import { BUYERS, BrokerFlows, FlowBroken, SELLERS, randomBuyer, randomDealPlan, randomSeller, type DealRecord } from '../harness/deal-flows.js';
import { LatencyRecorder, formatLatency } from '../harness/latency-recorder.js';
import { type LedgerClient, json } from '../harness/ledger-client.js';
import type { Findings, Scenario, ScenarioContext } from '../harness/scenario.js';
import { ExpectedFacts } from '../harness/stream-expectations.js';

const SIZES = { short: { brokers: 10, dealsPerBroker: 15 }, full: { brokers: 20, dealsPerBroker: 40 } } as const;
const READERS = 4;
/** One page holds every account of the run (a few dozen), so one answer is one consistent snapshot. */
const ACCOUNTS_PAGE = 200;
const LISTING_FACE_VALUE_CENTS = 1_000_000n;

interface AccountsPage {
  readonly items: ReadonlyArray<{ account: string; currency: string; balanceCents: string }>;
  readonly nextCursor: string | null;
}

export const conservation: Scenario = {
  name: 'conservation',
  title: 'random transfers between many parties with concurrent readers of the books: always balanced, nothing negative, nothing created or lost',
  async run({ system, scale, random, log }: ScenarioContext, findings: Findings): Promise<void> {
    const { brokers, dealsPerBroker } = SIZES[scale];
    const reader = await system.client('compliance', 'compliance-conservation');
    await system.quiesce();
    const before = await readBalances(reader);
    const clients = await Promise.all(Array.from({ length: brokers }, (_, index) => system.client('broker', `broker-books-${index}`)));
    const latency = new LatencyRecorder();
    const statuses = new StatusCounts();
    const channel = new MeasuredChannel({ latency, statuses });
    const deals: DealRecord[] = [];
    const broken: string[] = [];
    const readProblems: string[] = [];
    let reads = 0;
    let writing = true;
    log(`${brokers} brokers x ${dealsPerBroker} deals between ${SELLERS} sellers and ${BUYERS} buyers, ${READERS} readers`);

    const readers = Array.from({ length: READERS }, async (_, index) => {
      while (writing) {
        if (index % 2 === 0) {
          const answer = await reader.get(`/v1/ledger/accounts?limit=${ACCOUNTS_PAGE}`);
          reads += 1;
          if (answer.status !== 200) {
            readProblems.push(`GET /v1/ledger/accounts answered ${answer.status} ${answer.body.slice(0, 200)}`);
            continue;
          }
          const page = json<AccountsPage>(answer);
          if (page.nextCursor !== null) readProblems.push(`more than ${ACCOUNTS_PAGE} accounts: one page is no longer one snapshot`);
          for (const problem of booksViolations(page.items.map(toBalance))) readProblems.push(`a reader saw: ${problem}`);
        } else {
          const answer = await reader.get('/v1/ledger/accounts/cash');
          reads += 1;
          if (answer.status === 404) continue;
          if (answer.status !== 200) {
            readProblems.push(`GET /v1/ledger/accounts/cash answered ${answer.status} ${answer.body.slice(0, 200)}`);
            continue;
          }
          for (const balance of json<{ balances: ReadonlyArray<{ currency: string; balanceCents: string }> }>(answer).balances ?? []) {
            if (BigInt(balance.balanceCents) < 0n) readProblems.push(`a reader saw cash at ${balance.balanceCents} ${balance.currency}`);
          }
        }
      }
    });

    const started = performance.now();
    await Promise.all(
      clients.map(async (client, index) => {
        const brokerRandom = random.fork();
        const flows = new BrokerFlows(client, channel, new ExpectedFacts(), `books-${Date.now().toString(36)}-${index}`);
        try {
          for (let deal = 0; deal < dealsPerBroker; deal += 3) {
            const sellerId = randomSeller(brokerRandom);
            const listingId = await flows.verifiedListing(sellerId, LISTING_FACE_VALUE_CENTS);
            for (let onListing = 0; onListing < 3 && deal + onListing < dealsPerBroker; onListing += 1) {
              deals.push(await flows.deal(listingId, sellerId, randomDealPlan(brokerRandom, randomBuyer(brokerRandom))));
            }
          }
        } catch (error) {
          if (!(error instanceof FlowBroken)) throw error;
          broken.push(error.message);
        }
      }),
    ).finally(() => {
      writing = false;
    });
    await Promise.all(readers);
    const seconds = (performance.now() - started) / 1_000;

    await system.quiesce();
    const after = await readBalances(reader);
    const expected = expectedMovements(deals);
    const mismatches: string[] = [];
    for (const account of new Set([...expected.keys(), ...after.keys(), ...before.keys()])) {
      const moved = (after.get(account) ?? 0n) - (before.get(account) ?? 0n);
      const should = expected.get(account) ?? 0n;
      if (moved !== should) mismatches.push(`${account} moved by ${moved}, the acknowledged commands moved it by ${should}`);
    }

    findings.value('deals', deals.length);
    findings.value('reads', reads);
    findings.figure(
      `${deals.length} deals (${deals.filter((deal) => deal.payoutCents > 0n).length} paid out, ${deals.filter((deal) => deal.refundedBeforeDeliveryCents + deal.refundedAfterDeliveryCents > 0n).length} refunded) ` +
        `in ${seconds.toLocaleString('en-US', { maximumFractionDigits: 1 })} s; ${reads.toLocaleString('en-US')} reads of the books meanwhile`,
    );
    findings.figure(`command latency ${formatLatency(latency.summary())}; answers ${statuses}`);
    findings.exactly('5xx answers', statuses.serverErrors, 0);
    findings.none('flows broken by an unexpected answer', broken);
    findings.none('unbalanced or impossible books seen by readers', [...new Set(readProblems)].slice(0, 10));
    findings.none('accounts moved otherwise than the acknowledged commands', mismatches.slice(0, 10));
    findings.none('books after the run', booksViolations([...after].map(([key, balanceCents]) => ({ ...splitKey(key), balanceCents }))));
  },
};

function toBalance(item: { account: string; currency: string; balanceCents: string }): Balance {
  return { account: item.account, currency: item.currency, balanceCents: BigInt(item.balanceCents) };
}

/** Every balance by `account currency`. */
async function readBalances(reader: LedgerClient): Promise<Map<string, bigint>> {
  const answer = await reader.get(`/v1/ledger/accounts?limit=${ACCOUNTS_PAGE}`);
  if (answer.status !== 200) throw new Error(`GET /v1/ledger/accounts answered ${answer.status} ${answer.body}`);
  const page = json<AccountsPage>(answer);
  if (page.nextCursor !== null) throw new Error(`more than ${ACCOUNTS_PAGE} accounts`);
  return new Map(page.items.map((item) => [`${item.account} ${item.currency}`, BigInt(item.balanceCents)]));
}

function splitKey(key: string): { account: string; currency: string } {
  const [account, currency] = key.split(' ') as [string, string];
  return { account, currency };
}

/**
 * What the deals moved in the books, from what the clients know of them
 * (shared/DOMAIN.md "The books"): money in at payment, out at payout and
 * refund; escrow released to the seller's payable and the commission at
 * delivery; face value reserved at opening, returned when the deal ends
 * before delivery, delivered (and any undelivered rest returned) at delivery.
 */
export function expectedMovements(deals: readonly DealRecord[]): Map<string, bigint> {
  const moved = new Map<string, bigint>();
  const add = (account: string, cents: bigint): void => {
    if (cents !== 0n) moved.set(`${account} USD`, (moved.get(`${account} USD`) ?? 0n) + cents);
  };
  for (const deal of deals) {
    const delivered = deal.deliveredFaceValueCents !== null;
    const refunded = deal.refundedBeforeDeliveryCents + deal.refundedAfterDeliveryCents;
    const payable = deal.priceCents - deal.commissionCents;
    add('cash', deal.paidCents - refunded - deal.payoutCents);
    add(`escrow:buyer:${deal.buyerId}`, -deal.paidCents + deal.refundedBeforeDeliveryCents + (delivered ? deal.priceCents : 0n));
    if (delivered) {
      add(`payable:seller:${deal.sellerId}`, -payable + deal.payoutCents + (deal.refundedAfterDeliveryCents > 0n ? payable : 0n));
      add('revenue:commission', -deal.commissionCents + (deal.refundedAfterDeliveryCents > 0n ? deal.commissionCents : 0n));
      add(`credits:delivered:${deal.buyerId}`, deal.deliveredFaceValueCents!);
    }
    const stillReserved = !delivered && !deal.returned;
    add('credits:reserved', stillReserved ? deal.faceValueCents : 0n);
    add(`credits:listed:${deal.sellerId}`, -deal.faceValueCents + (deal.returned ? deal.faceValueCents : 0n) + (delivered ? deal.faceValueCents - deal.deliveredFaceValueCents! : 0n));
  }
  // Accounts that net to zero may still be listed with a zero balance: compare as zero either way.
  for (const [account, cents] of moved) if (cents === 0n) moved.delete(account);
  return moved;
}
