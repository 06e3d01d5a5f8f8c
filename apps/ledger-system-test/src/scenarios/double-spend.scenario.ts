/**
 * Double spend (issue 8): rounds of 50 concurrent POST /v1/deals on one
 * verified listing, from several brokers at once, each for the same face
 * value, sized so that exactly k of them fit (k chosen at random per round).
 * Promises: exactly k answers 201 and the other 50 - k answer 409
 * INSUFFICIENT_AVAILABLE_CREDITS (no 5xx), the listing's log folds to
 * exactly k reservations, never more than its verified face value, each
 * acknowledged deal exists, and the listing read model says the same.
 */
import { decodeListingEvent, foldListingEvents } from '#domain';
import { comparePositions, parsePosition } from '#event-store';
import { MeasuredChannel, StatusCounts } from '../harness/command-channels.js';
import { BUYERS, BrokerFlows, COMMISSION_BPS, FlowBroken, SELLERS } from '../harness/deal-flows.js';
import { LatencyRecorder, formatLatency } from '../harness/latency-recorder.js';
import { type Answer, type CommandAnswerBody, errorCode, json } from '../harness/ledger-client.js';
import type { Findings, Scenario, ScenarioContext } from '../harness/scenario.js';
import { ExpectedFacts } from '../harness/stream-expectations.js';

const SIZES = { short: { rounds: 25 }, full: { rounds: 100 } } as const;
const CONCURRENT_DEALS = 50;
const BROKERS = 5;
const LISTING_FACE_VALUE_CENTS = 1_000_000n;
const MAX_FITTING = 20;

export const doubleSpend: Scenario = {
  name: 'double-spend',
  title: '50 concurrent deals on one listing per round: exactly as many 201 as fit, never over-sold',
  async run({ system, scale, random, log }: ScenarioContext, findings: Findings): Promise<void> {
    const { rounds } = SIZES[scale];
    const clients = await Promise.all(Array.from({ length: BROKERS }, (_, index) => system.client('broker', `broker-race-${index}`)));
    const reader = await system.client('compliance', 'compliance-race');
    const setupChannel = new MeasuredChannel({ latency: new LatencyRecorder(), statuses: new StatusCounts() });
    const owner = new BrokerFlows(clients[0]!, setupChannel, new ExpectedFacts(), `race-${Date.now().toString(36)}`);
    const latency = new LatencyRecorder();
    const statuses = new StatusCounts();
    const problems: string[] = [];
    let granted = 0;
    log(`${rounds} rounds of ${CONCURRENT_DEALS} concurrent deals`);

    for (let round = 1; round <= rounds; round += 1) {
      const fitting = random.integer(1, MAX_FITTING);
      // Whole dollars, and k of them fit but k + 1 do not (1,000,000 / k - 100 > 1,000,000 / (k + 1) for k <= 20).
      const faceValueCents = (LISTING_FACE_VALUE_CENTS / BigInt(fitting) / 100n) * 100n;
      const priceCents = ((faceValueCents * 6n) / 10n / 100n) * 100n;
      let listingId: string;
      try {
        listingId = await owner.verifiedListing(`seller-${round % SELLERS}`, LISTING_FACE_VALUE_CENTS);
      } catch (error) {
        if (error instanceof FlowBroken) problems.push(`round ${round}: ${error.message}`);
        else throw error;
        continue;
      }
      const body = { listingId, buyerId: `buyer-${round % BUYERS}`, faceValueCents: String(faceValueCents), priceCents: String(priceCents), commissionBps: COMMISSION_BPS };
      const answers: Answer[] = await Promise.all(
        Array.from({ length: CONCURRENT_DEALS }, async (_, index) => {
          const started = performance.now();
          const answer = await clients[index % BROKERS]!.post('/v1/deals', body);
          latency.record(performance.now() - started);
          statuses.add(answer);
          return answer;
        }),
      );
      const created = answers.filter((answer) => answer.status === 201);
      const refused = answers.filter((answer) => answer.status === 409 && errorCode(answer) === 'INSUFFICIENT_AVAILABLE_CREDITS');
      granted += created.length;
      if (created.length !== fitting) problems.push(`round ${round}: ${created.length} deals of ${faceValueCents} opened on a listing where ${fitting} fit`);
      if (created.length + refused.length !== CONCURRENT_DEALS) {
        const other = answers.find((answer) => answer.status !== 201 && !refused.includes(answer))!;
        problems.push(`round ${round}: ${CONCURRENT_DEALS - created.length - refused.length} answers neither 201 nor 409 INSUFFICIENT_AVAILABLE_CREDITS, e.g. ${other.status} ${other.body.slice(0, 200)}`);
      }

      const listing = foldListingEvents((await system.store.readStream(`listing-${listingId}`)).map(decodeListingEvent));
      if (listing.status !== 'available' && listing.status !== 'sold_out') {
        problems.push(`round ${round}: the listing is ${listing.status}`);
        continue;
      }
      const reserved = listing.reservedFaceValueCents + listing.soldFaceValueCents;
      if (reserved > listing.verifiedFaceValueCents) problems.push(`round ${round}: OVER-SOLD, ${reserved} reserved of ${listing.verifiedFaceValueCents} verified`);
      if (listing.reservedFaceValueCents !== BigInt(created.length) * faceValueCents) {
        problems.push(`round ${round}: the log reserves ${listing.reservedFaceValueCents}, the 201 answers ${BigInt(created.length) * faceValueCents}`);
      }
      for (const answer of created) {
        const dealId = json<CommandAnswerBody>(answer).id;
        const opened = await system.store.readStream(`deal-${dealId}`);
        if (opened[0]?.type !== 'DealOpened') problems.push(`round ${round}: deal ${dealId} was answered 201 but its stream holds [${opened.map((event) => event.type).join(', ')}]`);
      }
      const lastPosition = created.map((answer) => json<CommandAnswerBody>(answer).position).sort((a, b) => comparePositions(parsePosition(a)!, parsePosition(b)!)).at(-1);
      if (lastPosition !== undefined) {
        const view = await reader.get(`/v1/listings/${listingId}`, { minPosition: lastPosition });
        const reservedInView = view.status === 200 ? json<{ reservedFaceValueCents: string }>(view).reservedFaceValueCents : null;
        if (reservedInView !== String(listing.reservedFaceValueCents)) {
          problems.push(`round ${round}: GET /v1/listings/${listingId} (X-Min-Position ${lastPosition}) answered ${view.status}, reserved ${reservedInView}; the log reserves ${listing.reservedFaceValueCents}`);
        }
      }
    }

    findings.value('deals', rounds * CONCURRENT_DEALS);
    findings.value('granted', granted);
    findings.figure(`${rounds} rounds, ${(rounds * CONCURRENT_DEALS).toLocaleString('en-US')} concurrent deal requests: answers ${statuses}`);
    findings.figure(`deal request latency under the race ${formatLatency(latency.summary())}`);
    findings.exactly('5xx answers', statuses.serverErrors, 0);
    findings.none('rounds over-sold, mis-counted or answered otherwise', problems);
  },
};

