/**
 * Model-based lifecycle test (issue 8): fast-check generates sequences of
 * commands over one listing and the deals opened on it (verify, fail the
 * verification, reprice, withdraw, open a deal, amend its terms, approve as
 * either party with the current or a stale terms version, reject, pay in
 * full, in part or too much, start, confirm or fail the transfer, pay out,
 * cancel, dispute, resolve either way) and runs each against the harness's
 * API process over HTTP (asyncModelRun; each run starts with a listing
 * submitted through the API). A small model of the states
 * (lifecycle-model.ts) says which commands are legal. Promises, at every
 * step:
 *
 * - a legal command is accepted (201 for a deal's opening, 200 otherwise)
 *   at the stream revision the model predicts;
 * - an illegal one is refused with 409 and records nothing: the log's head
 *   (the highest global sequence number) is where it was;
 * - the read models equal the model: GET /v1/deals/:id for every deal of the
 *   run and GET /v1/listings/:id, read with X-Min-Position of the last
 *   accepted command (the listing also waits, within 5 s, for the facts the
 *   reservation process manager adds when a deal ends).
 *
 * Over HTTP to the real process rather than startLedgerApi in-process: the
 * API is already running, a step costs a few milliseconds more, and the
 * test sees exactly what clients see.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LedgerClient } from '../harness/ledger-client.js';
import { type Answer, errorCode, json } from '../harness/ledger-client.js';
import type { Findings, Scenario, ScenarioContext } from '../harness/scenario.js';
import {
  type DealModel,
  type LifecycleModel,
  type Party,
  MODEL_COMMISSION_BPS,
  isClosed,
  amended,
  approved,
  cancelled,
  dealOpened,
  disputed,
  expectedDealView,
  expectedListingView,
  legal,
  paid,
  paidOut,
  rejected,
  repriced,
  resolved,
  transferConfirmed,
  transferFailed,
  transferStarted,
  verificationFailed,
  verified,
  viewDifferences,
  withdrawn,
} from './lifecycle-model.js';

const SIZES = { short: { runs: 25 }, full: { runs: 300 } } as const;
const MAX_COMMANDS_PER_RUN = 60;
const MAX_DEALS_PER_RUN = 2;
const LISTING_FACE_VALUE_CENTS = 1_000_000n;
const DEAL_FACE_VALUES_CENTS = [200_000n, 400_000n, 700_000n] as const;
const CREDITS_EXPIRE_AT = '2031-06-01T00:00:00.000Z';
/** How long the listing may take to show what the reservation process manager records when a deal ends. */
const PROCESS_MANAGER_MS = 5_000;

/** The system under test as the commands see it. */
interface Real {
  readonly broker: LedgerClient;
  readonly pool: pg.Pool;
  readonly tally: Tally;
  /** Position of the last accepted command: reads wait for it. */
  position: string;
}

class Tally {
  readonly accepted = new Map<string, number>();
  readonly refused = new Map<string, number>();
  steps = 0;
  runs = 0;

  count(command: string, accepted: boolean, code: string | null): void {
    this.steps += 1;
    const map = accepted ? this.accepted : this.refused;
    const key = accepted ? command : `${command} (${code})`;
    map.set(key, (map.get(key) ?? 0) + 1);
  }
}

type Step = fc.AsyncCommand<LifecycleModel, Real>;

/** Sends a command, judges the answer against the model's verdict, and compares the read models. */
async function step(
  model: LifecycleModel,
  real: Real,
  name: string,
  isLegal: boolean,
  send: () => Promise<Answer>,
  accept: (answer: Answer) => { stream: 'listing' | DealModel; acceptedStatus?: 200 | 201 },
): Promise<void> {
  const headBefore = await logHead(real.pool);
  const answer = await send();
  const code = errorCode(answer);
  real.tally.count(name, isLegal, code);
  if (isLegal) {
    const { stream, acceptedStatus = 200 } = accept(answer);
    if (answer.status !== acceptedStatus) throw new Error(`${name}: legal in the model, answered ${answer.status} ${answer.body.slice(0, 300)}`);
    const body = json<{ streamRevision: number; position: string }>(answer);
    const revision = stream === 'listing' ? model.listing.streamRevision : stream.streamRevision;
    if (body.streamRevision !== revision) throw new Error(`${name}: answered stream revision ${body.streamRevision}, the model says ${revision}`);
    real.position = body.position;
  } else {
    if (answer.status !== 409) throw new Error(`${name}: illegal in the model, answered ${answer.status} ${answer.body.slice(0, 300)} instead of 409`);
    const headAfter = await logHead(real.pool);
    if (headAfter !== headBefore) throw new Error(`${name}: refused with 409 ${code} but the log moved from ${headBefore} to ${headAfter}`);
  }
  await compareReadModels(model, real, name);
}

async function compareReadModels(model: LifecycleModel, real: Real, after: string): Promise<void> {
  const minPosition = real.position;
  await Promise.all(
    model.deals.map(async (deal) => {
      const answer = await real.broker.get(`/v1/deals/${deal.id}`, { minPosition });
      if (answer.status !== 200) throw new Error(`after ${after}: GET /v1/deals/${deal.id} answered ${answer.status} ${answer.body.slice(0, 200)}`);
      const differences = viewDifferences(expectedDealView(deal, model.listing.id), json(answer));
      if (differences.length > 0) throw new Error(`after ${after}: deal ${deal.id} differs from the model: ${differences.join('; ')}`);
    }),
  );
  const expected = expectedListingView(model.listing);
  const deadline = performance.now() + PROCESS_MANAGER_MS;
  for (;;) {
    const answer = await real.broker.get(`/v1/listings/${model.listing.id}`, { minPosition });
    if (answer.status !== 200) throw new Error(`after ${after}: GET /v1/listings/${model.listing.id} answered ${answer.status} ${answer.body.slice(0, 200)}`);
    const differences = viewDifferences(expected, json(answer));
    if (differences.length === 0) return;
    if (performance.now() > deadline) throw new Error(`after ${after}: listing ${model.listing.id} differs from the model: ${differences.join('; ')}`);
    await sleep(20);
  }
}

/** The highest global sequence number in the log: moves with every fact recorded. */
async function logHead(pool: pg.Pool): Promise<string> {
  const result = await pool.query<{ head: string }>('SELECT coalesce(max(global_seq), 0)::text AS head FROM ledger_events');
  return result.rows[0]!.head;
}

function pickDeal(model: Readonly<LifecycleModel>, index: number): DealModel {
  return model.deals[index % model.deals.length]!;
}

const hasDeal = (model: Readonly<LifecycleModel>): boolean => model.deals.length > 0;

// ---- listing commands ----------------------------------------------------------------------------

const listingPath = (model: Readonly<LifecycleModel>, suffix: string): string => `/v1/listings/${model.listing.id}/${suffix}`;

function verifyListing(): Step {
  return {
    check: () => true,
    toString: () => 'verify listing',
    run: (model, real) =>
      step(
        model,
        real,
        'verify listing',
        legal.verify(model.listing),
        () =>
          real.broker.post(listingPath(model, 'verification'), {
            verifiedFaceValueCents: String(model.listing.claimedFaceValueCents),
            verifiedExpiresAt: CREDITS_EXPIRE_AT,
            evidence: { method: 'provider_dashboard', reference: 'model-check', checkedAt: '2026-01-01T00:00:00Z' },
          }),
        () => {
          verified(model.listing);
          return { stream: 'listing' };
        },
      ),
  };
}

function failListingVerification(): Step {
  return {
    check: () => true,
    toString: () => 'fail verification',
    run: (model, real) =>
      step(
        model,
        real,
        'fail verification',
        legal.failVerification(model.listing),
        () => real.broker.post(listingPath(model, 'verification-failure'), { reason: 'org not found' }),
        () => {
          verificationFailed(model.listing);
          return { stream: 'listing' };
        },
      ),
  };
}

function repriceListing(raiseCents: bigint): Step {
  return {
    check: () => true,
    toString: () => `reprice listing (+${raiseCents})`,
    run: (model, real) => {
      const askPriceCents = model.listing.askPriceCents + raiseCents;
      return step(
        model,
        real,
        'reprice listing',
        legal.reprice(model.listing),
        () => real.broker.post(listingPath(model, 'price'), { askPriceCents: String(askPriceCents) }),
        () => {
          repriced(model.listing, askPriceCents);
          return { stream: 'listing' };
        },
      );
    },
  };
}

function withdrawListing(): Step {
  return {
    check: () => true,
    toString: () => 'withdraw listing',
    run: (model, real) =>
      step(
        model,
        real,
        'withdraw listing',
        legal.withdraw(model.listing),
        () => real.broker.post(listingPath(model, 'withdrawal'), { reason: 'seller changed plans' }),
        () => {
          withdrawn(model.listing);
          return { stream: 'listing' };
        },
      ),
  };
}

// ---- deal commands -------------------------------------------------------------------------------

function openDeal(faceValueCents: bigint): Step {
  const priceCents = (faceValueCents * 6n) / 10n;
  return {
    check: (model) => model.deals.length < MAX_DEALS_PER_RUN,
    toString: () => `open deal (${faceValueCents})`,
    run: (model, real) =>
      step(
        model,
        real,
        'open deal',
        legal.openDeal(model.listing, faceValueCents),
        () =>
          real.broker.post('/v1/deals', {
            listingId: model.listing.id,
            buyerId: 'buyer-model',
            faceValueCents: String(faceValueCents),
            priceCents: String(priceCents),
            commissionBps: MODEL_COMMISSION_BPS,
          }),
        (answer) => {
          dealOpened(model, json<{ id: string }>(answer).id, faceValueCents, priceCents);
          return { stream: model.deals.at(-1)!, acceptedStatus: 201 };
        },
      ),
  };
}

/** A command on one of the run's deals (chosen by index). */
function dealStep(
  name: string,
  dealIndex: number,
  isLegal: (deal: DealModel) => boolean,
  request: (deal: DealModel) => { readonly path: string; readonly body: unknown },
  effect: (model: LifecycleModel, deal: DealModel) => void,
): Step {
  return {
    check: hasDeal,
    toString: () => `${name} (deal ${dealIndex})`,
    run: (model, real) => {
      const deal = pickDeal(model, dealIndex);
      const { path, body } = request(deal);
      return step(
        model,
        real,
        name,
        isLegal(deal),
        () => real.broker.post(`/v1/deals/${deal.id}${path}`, body),
        () => {
          effect(model, deal);
          return { stream: deal };
        },
      );
    },
  };
}

const amendTerms = (dealIndex: number): Step => {
  let priceCents = 0n;
  return dealStep(
    'amend terms',
    dealIndex,
    legal.amend,
    (deal) => {
      priceCents = deal.priceCents + 1_000n;
      return { path: '/terms', body: { priceCents: String(priceCents) } };
    },
    (_model, deal) => amended(deal, priceCents),
  );
};

/** `stale`: a terms version other than the current one (the previous, or the next when there is none). */
const approveDeal = (dealIndex: number, party: Party, stale: boolean): Step => {
  let termsVersion = 0;
  return dealStep(
    `approve ${party}${stale ? ' (stale terms)' : ''}`,
    dealIndex,
    (deal) => legal.approve(deal, party, termsVersion),
    (deal) => {
      termsVersion = !stale ? deal.termsVersion : deal.termsVersion > 1 ? deal.termsVersion - 1 : deal.termsVersion + 1;
      return { path: '/approvals', body: { party, termsVersion, evidence: { method: 'email', reference: `${party}-ok` } } };
    },
    (_model, deal) => approved(deal, party),
  );
};

const rejectDeal = (dealIndex: number, party: Party): Step =>
  dealStep(`reject (${party})`, dealIndex, legal.reject, () => ({ path: '/rejections', body: { party, reason: 'changed their mind' } }), rejected);

type PaymentSize = 'full' | 'half' | 'too much';

const payDeal = (dealIndex: number, size: PaymentSize): Step => {
  let amountCents = 0n;
  return dealStep(
    `pay ${size}`,
    dealIndex,
    (deal) => legal.pay(deal, amountCents),
    (deal) => {
      const remaining = deal.priceCents - deal.paidCents;
      // A payment is a positive amount: on a deal paid in full, any amount (here 100) is one too many.
      amountCents = remaining === 0n ? 100n : size === 'full' ? remaining : size === 'half' ? (remaining / 2n > 0n ? remaining / 2n : 1n) : remaining + 100n;
      return { path: '/payments', body: { amountCents: String(amountCents), paymentRef: `wire-${randomUUID()}` } };
    },
    (_model, deal) => paid(deal, amountCents),
  );
};

const startTransfer = (dealIndex: number): Step =>
  dealStep(
    'start transfer',
    dealIndex,
    legal.startTransfer,
    (deal) => ({ path: '/transfer', body: { mechanism: 'organization_membership', reference: `invite-${deal.id}-${deal.transferAttempts + 1}` } }),
    (_model, deal) => transferStarted(deal),
  );

const confirmTransfer = (dealIndex: number, partial: boolean): Step => {
  let confirmedFaceValueCents = 0n;
  return dealStep(
    `confirm transfer${partial ? ' (partial)' : ''}`,
    dealIndex,
    (deal) => legal.confirmTransfer(deal, confirmedFaceValueCents),
    (deal) => {
      confirmedFaceValueCents = partial ? deal.faceValueCents / 2n : deal.faceValueCents;
      return { path: '/transfer/confirmation', body: { confirmedFaceValueCents: String(confirmedFaceValueCents), evidence: { method: 'provider_console', reference: 'member' } } };
    },
    (_model, deal) => transferConfirmed(deal, confirmedFaceValueCents),
  );
};

const failTransfer = (dealIndex: number): Step =>
  dealStep('fail transfer', dealIndex, legal.failTransfer, () => ({ path: '/transfer/failure', body: { reason: 'invite bounced' } }), (_model, deal) => transferFailed(deal));

const payOut = (dealIndex: number): Step =>
  dealStep('pay out', dealIndex, legal.payout, (deal) => ({ path: '/payout', body: { payoutRef: `payout-${deal.id}` } }), paidOut);

const cancelDeal = (dealIndex: number): Step =>
  dealStep('cancel', dealIndex, legal.cancel, () => ({ path: '/cancellation', body: { reason: 'buyer withdrew' } }), cancelled);

const disputeDeal = (dealIndex: number): Step =>
  dealStep('dispute', dealIndex, legal.dispute, () => ({ path: '/disputes', body: { reason: 'terms contested' } }), (_model, deal) => disputed(deal));

type Resolution = 'refund_buyer' | 'pay_seller' | 'pay_seller with payout';

const resolveDispute = (dealIndex: number, resolution: Resolution): Step => {
  const outcome = resolution === 'refund_buyer' ? 'refund_buyer' : 'pay_seller';
  const withPayout = resolution === 'pay_seller with payout';
  return dealStep(
    `resolve ${resolution}`,
    dealIndex,
    (deal) => legal.resolve(deal, outcome),
    (deal) => ({ path: '/disputes/resolution', body: withPayout ? { outcome, payoutRef: `payout-${deal.id}` } : { outcome } }),
    (model, deal) => resolved(model, deal, outcome, withPayout),
  );
};

/**
 * The next step forward from where the model stands: verify a submitted
 * listing, open a deal on an available one, or take the chosen deal one
 * step further (approve the party missing, pay the rest, start, confirm,
 * pay out, resolve). Random sequences alone seldom reach a settlement; these
 * steps do, and the random ones around them try every other transition
 * from the states they reach. A closed deal has no step forward: a payout
 * is tried (and must be refused).
 */
function advance(dealIndex: number): Step {
  const next = (model: Readonly<LifecycleModel>): Step => {
    const listing = model.listing;
    if (listing.status === 'submitted') return verifyListing();
    const open = model.deals.filter((deal) => !isClosed(deal));
    if (open.length === 0 && model.deals.length < MAX_DEALS_PER_RUN && listing.status === 'available') return openDeal(DEAL_FACE_VALUES_CENTS[0]);
    if (model.deals.length === 0) return openDeal(DEAL_FACE_VALUES_CENTS[0]);
    const deal = pickDeal(model, dealIndex);
    switch (deal.status) {
      case 'awaiting_approvals':
        return approveDeal(dealIndex, deal.approvals.has('seller') ? 'buyer' : 'seller', false);
      case 'approved':
        return payDeal(dealIndex, 'full');
      case 'funded':
        return startTransfer(dealIndex);
      case 'transferring':
        return confirmTransfer(dealIndex, false);
      case 'disputed':
        return resolveDispute(dealIndex, deal.disputedFrom === 'transferred' ? 'pay_seller with payout' : 'refund_buyer');
      default:
        return payOut(dealIndex);
    }
  };
  return {
    check: () => true,
    toString: () => `advance (deal ${dealIndex})`,
    run: (model, real) => next(model).run(model, real),
  };
}

/**
 * Every command. fast-check picks among the entries alike, so those that
 * move a deal forward appear several times: runs reach the later states.
 */
function stepArbitraries(): fc.Arbitrary<Step>[] {
  const deal = fc.nat({ max: MAX_DEALS_PER_RUN - 1 });
  const party = fc.constantFrom<Party>('seller', 'buyer');
  const times = <T>(count: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T>[] => Array.from({ length: count }, () => arbitrary);
  return [
    ...times(12, deal.map(advance)),
    ...times(3, fc.constant(null).map(verifyListing)),
    fc.constant(null).map(failListingVerification),
    fc.constantFrom(100n, 5_000n).map(repriceListing),
    fc.constant(null).map(withdrawListing),
    ...times(3, fc.constantFrom(...DEAL_FACE_VALUES_CENTS).map(openDeal)),
    deal.map(amendTerms),
    ...times(6, fc.tuple(deal, party).map(([index, who]) => approveDeal(index, who, false))),
    fc.tuple(deal, party).map(([index, who]) => approveDeal(index, who, true)),
    fc.tuple(deal, party).map(([index, who]) => rejectDeal(index, who)),
    ...times(6, fc.tuple(deal, fc.constantFrom<PaymentSize>('full', 'full', 'half', 'too much')).map(([index, size]) => payDeal(index, size))),
    ...times(4, deal.map(startTransfer)),
    ...times(4, fc.tuple(deal, fc.boolean()).map(([index, partial]) => confirmTransfer(index, partial))),
    deal.map(failTransfer),
    ...times(4, deal.map(payOut)),
    deal.map(cancelDeal),
    ...times(2, deal.map(disputeDeal)),
    ...times(2, fc.tuple(deal, fc.constantFrom<Resolution>('refund_buyer', 'pay_seller', 'pay_seller with payout')).map(([index, resolution]) => resolveDispute(index, resolution))),
  ];
}

/** Each run's start: a listing submitted through the API, checked against the model. */
async function submittedListing(broker: LedgerClient, pool: pg.Pool, tally: Tally): Promise<{ model: LifecycleModel; real: Real }> {
  tally.runs += 1;
  const askPriceCents = (LISTING_FACE_VALUE_CENTS * 6n) / 10n;
  const answer = await broker.post('/v1/listings', {
    sellerId: 'seller-model',
    provider: 'openai',
    creditType: 'prepaid_api',
    providerOrgRef: `org-model-${tally.runs}`,
    faceValueCents: String(LISTING_FACE_VALUE_CENTS),
    currency: 'USD',
    creditExpiresAt: CREDITS_EXPIRE_AT,
    askPriceCents: String(askPriceCents),
  });
  if (answer.status !== 201) throw new Error(`submitting the run's listing answered ${answer.status} ${answer.body.slice(0, 300)}`);
  const body = json<{ id: string; position: string }>(answer);
  const model: LifecycleModel = {
    listing: {
      id: body.id,
      status: 'submitted',
      claimedFaceValueCents: LISTING_FACE_VALUE_CENTS,
      verifiedFaceValueCents: 0n,
      availableFaceValueCents: 0n,
      reservedFaceValueCents: 0n,
      soldFaceValueCents: 0n,
      askPriceCents,
      streamRevision: 0,
    },
    deals: [],
  };
  const real: Real = { broker, pool, tally, position: body.position };
  await compareReadModels(model, real, 'submit listing');
  return { model, real };
}

export const modelLifecycle: Scenario = {
  name: 'model-lifecycle',
  title: 'fast-check model of a listing and its deals: illegal transitions refused with 409 and no fact, read models equal the model after each step',
  async run({ system, scale, random, log }: ScenarioContext, findings: Findings): Promise<void> {
    const { runs } = SIZES[scale];
    const broker = await system.client('broker', 'broker-model');
    const tally = new Tally();
    const seed = random.integer(0, 2 ** 31 - 1);
    log(`${runs} runs of up to ${MAX_COMMANDS_PER_RUN} commands against the API process (fast-check seed ${seed})`);
    const started = performance.now();
    const result = await fc.check(
      fc.asyncProperty(fc.commands(stepArbitraries(), { maxCommands: MAX_COMMANDS_PER_RUN, size: 'max' }), async (steps) => {
        await fc.asyncModelRun(() => submittedListing(broker, system.pool, tally), steps);
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
    const seconds = (performance.now() - started) / 1_000;
    const accepted = [...tally.accepted.values()].reduce((sum, count) => sum + count, 0);
    const refused = [...tally.refused.values()].reduce((sum, count) => sum + count, 0);
    findings.value('runs', result.numRuns);
    findings.value('steps', tally.steps);
    findings.figure(
      `${result.numRuns} runs, ${tally.steps.toLocaleString('en-US')} steps in ${seconds.toLocaleString('en-US', { maximumFractionDigits: 1 })} s: ${accepted.toLocaleString('en-US')} legal commands accepted, ` +
        `${refused.toLocaleString('en-US')} illegal ones refused with 409 and no fact; read models compared after every step`,
    );
    findings.figure(`accepted: ${describe(tally.accepted)}`);
    findings.figure(`refused: ${describe(tally.refused)}`);
    if (result.failed) {
      const counterexample = result.counterexample === null ? '' : ` on ${String(result.counterexample[0])}`;
      const error = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
      findings.miss(`the service departed from the model (fast-check seed ${seed}, path ${result.counterexamplePath ?? '?'})${counterexample}: ${error}`);
    }
  },
};

function describe(counts: ReadonlyMap<string, number>): string {
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([key, count]) => `${key} ${count}`).join(', ');
}
