import fc from 'fast-check';
import { CREDIT_TYPES, type CreditType } from '../command-fields.js';
import { isDomainError } from '../domain-error.js';
import { EARLIEST_TIME_MS, LATEST_TIME_MS } from '../limits.js';
import { MAX_CENTS } from '../money.js';
import { decodeBuyRequestEvent, encodeBuyRequestEvent } from './buy-request.codec.js';
import type { AmendBuyRequest, BuyRequestCommand } from './buy-request.commands.js';
import { decideBuyRequest } from './buy-request.decide.js';
import { BUY_REQUEST_EVENT_TYPES, type BuyRequestEvent } from './buy-request.events.js';
import { evolveBuyRequest, foldBuyRequestEvents } from './buy-request.evolve.js';
import { MAX_MIN_VALIDITY_DAYS } from './buy-request.policy.js';
import { BUY_REQUEST_STATUSES, type BuyRequestState, initialBuyRequestState, isClosedBuyRequest } from './buy-request.state.js';

const BUY_REQUEST_ID = 'request-1';
const START_MS = Date.parse('2026-01-01T00:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const DEAL_IDS = ['deal-0', 'deal-1', 'deal-2', 'deal-3', 'deal-4', 'deal-5'];

/** Face values around a request's size, with the edges (1 cent, the whole request) likely. */
const faceValue = fc.oneof(fc.bigInt({ min: 1n, max: 1_000_000n }), fc.constantFrom(1n, 250_000n, 500_000n, 1_000_000n));
const dealId = fc.constantFrom(...DEAL_IDS);
/** Non-empty, distinct, in any order. */
const creditTypes = fc.shuffledSubarray([...CREDIT_TYPES], { minLength: 1 });

/** A step: a command (some parts chosen against the state when it runs) and how far the clock moves first. */
interface Step {
  readonly advanceMs: number;
  readonly command: (state: BuyRequestState, nowMs: number) => BuyRequestCommand;
}

const placeBuyRequest = fc
  .record({ wanted: faceValue, types: creditTypes, maxPriceBps: fc.integer({ min: 1, max: 10_000 }), minValidityDays: fc.integer({ min: 0, max: 365 }), days: fc.integer({ min: 1, max: 10 }) })
  .map(
    ({ wanted, types, maxPriceBps, minValidityDays, days }) =>
      (_state: BuyRequestState, nowMs: number): BuyRequestCommand => ({
        type: 'PlaceBuyRequest',
        placedBy: 'broker-ana',
        buyRequestId: BUY_REQUEST_ID,
        buyerId: 'buyer-1',
        provider: 'openai',
        creditTypes: types,
        faceValueCents: wanted,
        maxPriceBps,
        minValidityDays,
        deadline: new Date(nowMs + days * DAY_MS),
      }),
  );

/** Any terms, each left out half the time; the face value often exactly what is filled, or just below it. */
const amendBuyRequest = fc
  .record(
    {
      provider: fc.constantFrom('openai', 'anthropic'),
      creditTypes,
      faceValue: fc.oneof(fc.constantFrom('filled' as const, 'below_filled' as const), faceValue),
      maxPriceBps: fc.integer({ min: 1, max: 10_000 }),
      minValidityDays: fc.integer({ min: 0, max: 365 }),
      deadlineShiftDays: fc.integer({ min: -3, max: 10 }),
    },
    { requiredKeys: [] },
  )
  .map(
    ({ faceValue: wanted, deadlineShiftDays, ...rest }) =>
      (state: BuyRequestState, nowMs: number): BuyRequestCommand => {
        const filledCents = state.status === 'none' ? 0n : state.filledFaceValueCents;
        const command: AmendBuyRequest = {
          type: 'AmendBuyRequest',
          buyRequestId: BUY_REQUEST_ID,
          ...rest,
          ...(wanted === undefined ? {} : { faceValueCents: wanted === 'filled' ? filledCents : wanted === 'below_filled' ? filledCents - 1n : wanted }),
          ...(deadlineShiftDays === undefined ? {} : { deadline: new Date(nowMs + deadlineShiftDays * DAY_MS) }),
        };
        return command;
      },
  );

/** A fill: what is still wanted, some amount, or exactly a fill already recorded (a retry). */
const recordFill = fc.record({ dealId, portion: fc.oneof(fc.constantFrom('rest' as const, 'repeat' as const), faceValue) }).map(
  ({ dealId: id, portion }) =>
    (state: BuyRequestState): BuyRequestCommand => {
      if (state.status === 'none') return { type: 'RecordBuyRequestFill', buyRequestId: BUY_REQUEST_ID, dealId: id, faceValueCents: 1n };
      const earlier = [...state.fills.entries()];
      const repeated = earlier[DEAL_IDS.indexOf(id) % Math.max(earlier.length, 1)];
      if (portion === 'repeat' && repeated !== undefined) {
        // A rerun sends the face value the deal first filled, also once its fill was reduced.
        const first = repeated[1].originalFaceValueCents ?? repeated[1].faceValueCents;
        return { type: 'RecordBuyRequestFill', buyRequestId: BUY_REQUEST_ID, dealId: repeated[0], faceValueCents: first };
      }
      const rest = state.faceValueCents - state.filledFaceValueCents;
      const faceValueCents = portion === 'rest' || portion === 'repeat' ? (rest > 0n ? rest : 1n) : portion;
      return { type: 'RecordBuyRequestFill', buyRequestId: BUY_REQUEST_ID, dealId: id, faceValueCents };
    },
);

/** A deal ends without selling: mostly one that holds a fill, sometimes one that holds none (never filled, or released already). */
const releaseFill = fc.record({ dealId, holdsFill: fc.boolean() }).map(
  ({ dealId: id, holdsFill }) =>
    (state: BuyRequestState): BuyRequestCommand => {
      const current = state.status === 'none' ? [] : [...state.fills.keys()];
      const chosen = holdsFill ? (current[DEAL_IDS.indexOf(id) % Math.max(current.length, 1)] ?? id) : id;
      return { type: 'ReleaseBuyRequestFill', buyRequestId: BUY_REQUEST_ID, dealId: chosen };
    },
);

/**
 * A deal comes to take less (amended terms, a partly confirmed transfer):
 * mostly a fill it holds cut by some part, sometimes the same or a larger
 * face value (never raised), or a deal that holds no fill.
 */
const reduceFill = fc.record({ dealId, holdsFill: fc.boolean(), cut: fc.oneof(fc.constantFrom('half' as const, 'one_cent' as const, 'same' as const, 'more' as const), faceValue) }).map(
  ({ dealId: id, holdsFill, cut }) =>
    (state: BuyRequestState): BuyRequestCommand => {
      const current = state.status === 'none' ? [] : [...state.fills.entries()];
      const held = holdsFill ? current[DEAL_IDS.indexOf(id) % Math.max(current.length, 1)] : undefined;
      if (held === undefined) return { type: 'ReduceBuyRequestFill', buyRequestId: BUY_REQUEST_ID, dealId: id, faceValueCents: typeof cut === 'bigint' ? cut : 1n };
      const fillCents = held[1].faceValueCents;
      const faceValueCents =
        cut === 'half' ? (fillCents + 1n) / 2n : cut === 'one_cent' ? (fillCents > 1n ? fillCents - 1n : 1n) : cut === 'same' ? fillCents : cut === 'more' ? fillCents + 1n : cut;
      return { type: 'ReduceBuyRequestFill', buyRequestId: BUY_REQUEST_ID, dealId: held[0], faceValueCents };
    },
);

const anyCommand = fc.oneof(
  { arbitrary: placeBuyRequest, weight: 1 },
  { arbitrary: amendBuyRequest, weight: 3 },
  { arbitrary: recordFill, weight: 6 },
  { arbitrary: releaseFill, weight: 2 },
  { arbitrary: reduceFill, weight: 2 },
  { arbitrary: fc.constant((): BuyRequestCommand => ({ type: 'CancelBuyRequest', buyRequestId: BUY_REQUEST_ID, reason: 'bought elsewhere' })), weight: 1 },
  { arbitrary: fc.constant((): BuyRequestCommand => ({ type: 'ExpireBuyRequest', buyRequestId: BUY_REQUEST_ID })), weight: 2 },
);

const advanceMs = fc.oneof(fc.integer({ min: 0, max: DAY_MS }), fc.constant(0));
const step: fc.Arbitrary<Step> = fc.record({ advanceMs, command: anyCommand });

/** Most sequences start with a placement, or little would happen. */
const buyRequestSteps: fc.Arbitrary<Step[]> = fc
  .tuple(fc.integer({ min: 0, max: 9 }), placeBuyRequest, fc.array(step, { minLength: 5, maxLength: 60, size: 'max' }))
  .map(([dice, place, rest]) => (dice > 0 ? [{ advanceMs: 0, command: place }, ...rest] : rest));

interface Run {
  readonly history: BuyRequestEvent[];
  readonly states: BuyRequestState[];
  readonly state: BuyRequestState;
}

type Check = (before: BuyRequestState, command: BuyRequestCommand, events: BuyRequestEvent[], now: Date) => void;

/**
 * Applies the steps the decider accepts, ignores the ones it refuses with a
 * DomainError, and hands every decision to `check`. Any other error (an
 * assertion in decide or evolve) fails the property.
 */
function run(steps: readonly Step[], check: Check = () => undefined): Run {
  let state = initialBuyRequestState;
  let nowMs = START_MS;
  const history: BuyRequestEvent[] = [];
  const states: BuyRequestState[] = [state];
  for (const { advanceMs: advance, command: commandFor } of steps) {
    nowMs += advance;
    const now = new Date(nowMs);
    const command = commandFor(state, nowMs);
    let events: BuyRequestEvent[];
    try {
      events = decideBuyRequest(state, command, now);
    } catch (error) {
      if (isDomainError(error)) continue;
      throw error;
    }
    check(state, command, events, now);
    for (const event of events) {
      state = evolveBuyRequest(state, event);
      states.push(state);
    }
    history.push(...events);
    // Sent again, a fill, a release, a reduction or an expiry finds its fact recorded and records nothing.
    if (
      command.type === 'RecordBuyRequestFill' ||
      command.type === 'ReleaseBuyRequestFill' ||
      command.type === 'ReduceBuyRequestFill' ||
      command.type === 'ExpireBuyRequest'
    ) {
      expect(decideBuyRequest(state, command, now)).toEqual([]);
    }
  }
  return { history, states, state };
}

function expectFillsSound(state: BuyRequestState): void {
  if (state.status === 'none') return;
  const fills = [...state.fills.values()];
  expect(fills.every((fill) => fill.faceValueCents > 0n)).toBe(true);
  expect(fills.reduce((sum, fill) => sum + fill.faceValueCents, 0n)).toBe(state.filledFaceValueCents);
  expect(state.filledFaceValueCents <= state.faceValueCents).toBe(true);
  expect(state.status === 'filled').toBe(state.filledFaceValueCents === state.faceValueCents);
}

describe('buy-request properties over random command sequences', () => {
  it('the filled total never exceeds the face value wanted and always equals the sum of the fills', () => {
    fc.assert(
      fc.property(buyRequestSteps, (sequence) => {
        run(sequence, (before, _command, events) => {
          let state = before;
          for (const event of events) {
            state = evolveBuyRequest(state, event);
            expectFillsSound(state);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('the filled total is what the fills added less what the releases and reductions gave back, per deal at most one fill and one release, in that order', () => {
    fc.assert(
      fc.property(buyRequestSteps, (sequence) => {
        const { history, state } = run(sequence);
        if (state.status === 'none') return;
        const filledDeals = new Set<string>();
        const releasedDeals = new Set<string>();
        /** Each deal's current fill, by the events alone. */
        const currentCents = new Map<string, bigint>();
        let totalCents = 0n;
        for (const event of history) {
          if (event.type === 'BuyRequestFilled') {
            expect(filledDeals.has(event.data.dealId)).toBe(false);
            filledDeals.add(event.data.dealId);
            currentCents.set(event.data.dealId, event.data.faceValueCents);
            totalCents += event.data.faceValueCents;
          } else if (event.type === 'BuyRequestFillReleased') {
            expect(filledDeals.has(event.data.dealId) && !releasedDeals.has(event.data.dealId)).toBe(true);
            expect(event.data.faceValueCents).toBe(currentCents.get(event.data.dealId));
            releasedDeals.add(event.data.dealId);
            currentCents.delete(event.data.dealId);
            totalCents -= event.data.faceValueCents;
          } else if (event.type === 'BuyRequestFillReduced') {
            // Only a current fill is reduced, always downward, and never to nothing.
            const before = currentCents.get(event.data.dealId);
            expect(before !== undefined && !releasedDeals.has(event.data.dealId)).toBe(true);
            expect(event.data.faceValueCents > 0n && event.data.faceValueCents < before!).toBe(true);
            expect(event.data.releasedFaceValueCents).toBe(before! - event.data.faceValueCents);
            currentCents.set(event.data.dealId, event.data.faceValueCents);
            totalCents -= event.data.releasedFaceValueCents;
          }
          if (event.type === 'BuyRequestFilled' || event.type === 'BuyRequestFillReleased' || event.type === 'BuyRequestFillReduced') {
            expect(event.data.filledFaceValueCents).toBe(totalCents);
          }
        }
        expect(state.filledFaceValueCents).toBe(totalCents);
        // The filled total is always the sum of the current fills, each as last reduced.
        expect([...currentCents.values()].reduce((sum, cents) => sum + cents, 0n)).toBe(state.filledFaceValueCents);
        for (const [id, cents] of currentCents) expect(state.fills.get(id)?.faceValueCents).toBe(cents);
        expect([...state.fills.keys()].sort()).toEqual([...filledDeals].filter((id) => !releasedDeals.has(id)).sort());
        expect([...state.releasedFills.keys()].sort()).toEqual([...releasedDeals].sort());
      }),
      { numRuns: 300 },
    );
  });

  it('once the request is filled, cancelled or expired, records only releases and reductions of fills; cancelled and expired stay so', () => {
    fc.assert(
      fc.property(buyRequestSteps, (sequence) => {
        const { states } = run(sequence, (before, _command, events) => {
          if (isClosedBuyRequest(before)) expect(events.every((event) => event.type === 'BuyRequestFillReleased' || event.type === 'BuyRequestFillReduced')).toBe(true);
        });
        const finalAt = states.findIndex((state) => state.status === 'cancelled' || state.status === 'expired');
        if (finalAt !== -1) expect(states.slice(finalAt).every((state) => state.status === states[finalAt]!.status)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a filled request opens again only by the release or reduction of a fill', () => {
    fc.assert(
      fc.property(buyRequestSteps, (sequence) => {
        const { history, states } = run(sequence);
        // states[i + 1] is the state after history[i].
        history.forEach((event, index) => {
          if (states[index]!.status === 'filled' && states[index + 1]!.status !== 'filled') {
            expect(['BuyRequestFillReleased', 'BuyRequestFillReduced']).toContain(event.type);
            expect(states[index + 1]!.status).toBe('open');
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('fills and amends only an open request before its deadline, once per deal', () => {
    fc.assert(
      fc.property(buyRequestSteps, (sequence) => {
        run(sequence, (before, _command, events, now) => {
          for (const event of events) {
            if (event.type !== 'BuyRequestFilled' && event.type !== 'BuyRequestAmended') continue;
            expect(before.status).toBe('open');
            if (before.status !== 'open') return;
            expect(now < before.deadline).toBe(true);
            if (event.type === 'BuyRequestFilled') expect(before.fills.has(event.data.dealId) || before.releasedFills.has(event.data.dealId)).toBe(false);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('reach every buy-request fact and status, so the properties above are not vacuous', () => {
    const runs = fc.sample(buyRequestSteps, { numRuns: 300, seed: 42 }).map((sequence) => run(sequence));
    const types = new Set(runs.flatMap(({ history }) => history.map((event) => event.type)));
    const statuses = new Set(runs.flatMap(({ states }) => states.map((state) => state.status)));
    expect([...types].sort()).toEqual([...BUY_REQUEST_EVENT_TYPES].sort());
    expect([...statuses].sort()).toEqual([...BUY_REQUEST_STATUSES].sort());
  });

  it('evolve never throws on histories decide produced, and a fold from scratch equals the running state', () => {
    fc.assert(
      fc.property(buyRequestSteps, (sequence) => {
        const { history, state } = run(sequence);
        expect(foldBuyRequestEvents(history)).toEqual(state);
      }),
      { numRuns: 300 },
    );
  });

  it('encodes every event decide produced to JSON that decodes to the same event', () => {
    fc.assert(
      fc.property(buyRequestSteps, (sequence) => {
        for (const event of run(sequence).history) {
          const stored = JSON.parse(JSON.stringify(encodeBuyRequestEvent(event))) as { type: string; data: Record<string, unknown> };
          expect(decodeBuyRequestEvent(stored)).toStrictEqual(event);
        }
      }),
      { numRuns: 200 },
    );
  });
});

const time = fc.date({ min: new Date(EARLIEST_TIME_MS), max: new Date(LATEST_TIME_MS), noInvalidDate: true });
const cents = fc.bigInt({ min: 0n, max: MAX_CENTS });
const text = fc.string({ minLength: 1, maxLength: 40 });
const basisPoints = fc.integer({ min: 1, max: 10_000 });
const days = fc.integer({ min: 0, max: MAX_MIN_VALIDITY_DAYS });
/** Plain objects, as the decoder builds them (fast-check may otherwise build objects without a prototype). */
const PLAIN = { noNullPrototype: true } as const;

/** At least one amended term, the others absent (not undefined), as the decider records them. */
const amendedData = fc
  .record(
    { provider: text, creditTypes, faceValueCents: cents, maxPriceBps: basisPoints, minValidityDays: days, deadline: time },
    { requiredKeys: [], ...PLAIN },
  )
  .filter((changes) => Object.keys(changes).length > 0);

const buyRequestEvent: fc.Arbitrary<BuyRequestEvent> = fc.oneof(
  fc
    .record(
      {
        buyRequestId: text,
        buyerId: text,
        provider: text,
        creditTypes,
        faceValueCents: cents,
        maxPriceBps: basisPoints,
        minValidityDays: days,
        deadline: time,
        placedBy: fc.option(text, { nil: null }),
        placedAt: time,
      },
      PLAIN,
    )
    .map((data): BuyRequestEvent => ({ type: 'BuyRequestPlaced', data })),
  fc
    .record({ buyRequestId: text, changes: amendedData, amendedAt: time }, PLAIN)
    .map(({ buyRequestId, changes, amendedAt }): BuyRequestEvent => ({ type: 'BuyRequestAmended', data: { buyRequestId, ...changes, amendedAt } })),
  fc
    .record({ buyRequestId: text, dealId: text, faceValueCents: cents, filledFaceValueCents: cents, filledAt: time }, PLAIN)
    .map((data): BuyRequestEvent => ({ type: 'BuyRequestFilled', data })),
  fc
    .record({ buyRequestId: text, dealId: text, faceValueCents: cents, filledFaceValueCents: cents, releasedAt: time }, PLAIN)
    .map((data): BuyRequestEvent => ({ type: 'BuyRequestFillReleased', data })),
  fc
    .record({ buyRequestId: text, dealId: text, faceValueCents: cents, releasedFaceValueCents: cents, filledFaceValueCents: cents, reducedAt: time }, PLAIN)
    .map((data): BuyRequestEvent => ({ type: 'BuyRequestFillReduced', data })),
  fc.record({ buyRequestId: text, reason: text, cancelledAt: time }, PLAIN).map((data): BuyRequestEvent => ({ type: 'BuyRequestCancelled', data })),
  fc.record({ buyRequestId: text, deadline: time, expiredAt: time }, PLAIN).map((data): BuyRequestEvent => ({ type: 'BuyRequestExpired', data })),
);

describe('buy-request event codec', () => {
  it('round-trips every event through its stored JSON form', () => {
    fc.assert(
      fc.property(buyRequestEvent, (event) => {
        const stored = JSON.parse(JSON.stringify(encodeBuyRequestEvent(event))) as { type: string; data: Record<string, unknown> };
        expect(decodeBuyRequestEvent(stored)).toStrictEqual(event);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes a request placed before placers were recorded as placed by nobody, so only an admin manages it', () => {
    const { placedBy: _placedBy, ...legacy } = placedData();
    const decoded = decodeBuyRequestEvent({ type: 'BuyRequestPlaced', data: legacy });
    expect(decoded).toMatchObject({ type: 'BuyRequestPlaced', data: { placedBy: null } });
    expect(encodeBuyRequestEvent(decoded).data).not.toHaveProperty('placedBy');
  });

  it('stores money as decimal strings, times as ISO strings, and leaves unchanged terms out of an amendment', () => {
    expect(
      encodeBuyRequestEvent({
        type: 'BuyRequestFilled',
        data: { buyRequestId: 'r', dealId: 'd', faceValueCents: 125_000n, filledFaceValueCents: 600_000n, filledAt: new Date(Date.UTC(2026, 0, 2)) },
      }),
    ).toEqual({
      type: 'BuyRequestFilled',
      data: { buyRequestId: 'r', dealId: 'd', faceValueCents: '125000', filledFaceValueCents: '600000', filledAt: '2026-01-02T00:00:00.000Z' },
    });
    expect(
      encodeBuyRequestEvent({
        type: 'BuyRequestFillReleased',
        data: { buyRequestId: 'r', dealId: 'd', faceValueCents: 125_000n, filledFaceValueCents: 475_000n, releasedAt: new Date(Date.UTC(2026, 0, 3)) },
      }),
    ).toEqual({
      type: 'BuyRequestFillReleased',
      data: { buyRequestId: 'r', dealId: 'd', faceValueCents: '125000', filledFaceValueCents: '475000', releasedAt: '2026-01-03T00:00:00.000Z' },
    });
    expect(
      encodeBuyRequestEvent({ type: 'BuyRequestAmended', data: { buyRequestId: 'r', faceValueCents: 5n, amendedAt: new Date(Date.UTC(2026, 0, 2)) } }),
    ).toStrictEqual({ type: 'BuyRequestAmended', data: { buyRequestId: 'r', faceValueCents: '5', amendedAt: '2026-01-02T00:00:00.000Z' } });
  });

  it.each([
    ['an unknown type', { type: 'BuyRequestTeleported', data: {} }],
    ['a missing field', { type: 'BuyRequestExpired', data: { buyRequestId: 'r', expiredAt: '2026-01-02T00:00:00.000Z' } }],
    ['money as a number', { type: 'BuyRequestFilled', data: { ...filledData(), faceValueCents: 5 } }],
    [
      'a reduction without what it gives back',
      { type: 'BuyRequestFillReduced', data: { buyRequestId: 'r', dealId: 'd', faceValueCents: '1', filledFaceValueCents: '1', reducedAt: '2026-01-02T00:00:00.000Z' } },
    ],
    ['a release without its filled total', { type: 'BuyRequestFillReleased', data: { buyRequestId: 'r', dealId: 'd', faceValueCents: '1', releasedAt: '2026-01-02T00:00:00.000Z' } }],
    ['a time without a zone', { type: 'BuyRequestExpired', data: { buyRequestId: 'r', deadline: '2026-01-02T00:00:00', expiredAt: '2026-01-02T00:00:00.000Z' } }],
    ['a fractional price ceiling', { type: 'BuyRequestPlaced', data: { ...placedData(), maxPriceBps: 50.5 } }],
    ['credit types as one string', { type: 'BuyRequestPlaced', data: { ...placedData(), creditTypes: 'prepaid_api' } }],
    ['no credit type', { type: 'BuyRequestPlaced', data: { ...placedData(), creditTypes: [] } }],
    ['an unknown credit type', { type: 'BuyRequestPlaced', data: { ...placedData(), creditTypes: ['prepaid_api', 'gift_card'] } }],
    ['a credit type twice', { type: 'BuyRequestPlaced', data: { ...placedData(), creditTypes: ['prepaid_api', 'prepaid_api'] } }],
    ['missing credit types', { type: 'BuyRequestPlaced', data: withoutField(placedData(), 'creditTypes') }],
    ['an amendment of nothing', { type: 'BuyRequestAmended', data: { buyRequestId: 'r', amendedAt: '2026-01-02T00:00:00.000Z' } }],
    ['an amended field of the wrong kind', { type: 'BuyRequestAmended', data: { buyRequestId: 'r', minValidityDays: '30', amendedAt: '2026-01-02T00:00:00.000Z' } }],
  ])('refuses to decode %s', (_case, stored) => {
    expect(() => decodeBuyRequestEvent(stored)).toThrow(/cannot decode event/);
  });
});

function placedData(): Record<string, unknown> {
  const types: CreditType[] = ['prepaid_api'];
  return encodeBuyRequestEvent({
    type: 'BuyRequestPlaced',
    data: {
      buyRequestId: 'r',
      buyerId: 'b',
      provider: 'openai',
      creditTypes: types,
      faceValueCents: 1n,
      maxPriceBps: 5_000,
      minValidityDays: 30,
      deadline: new Date(Date.UTC(2026, 5, 1)),
      placedBy: 'broker-b',
      placedAt: new Date(Date.UTC(2026, 0, 1)),
    },
  }).data;
}

function filledData(): Record<string, unknown> {
  return encodeBuyRequestEvent({
    type: 'BuyRequestFilled',
    data: { buyRequestId: 'r', dealId: 'd', faceValueCents: 1n, filledFaceValueCents: 1n, filledAt: new Date(Date.UTC(2026, 0, 1)) },
  }).data;
}

function withoutField(data: Record<string, unknown>, field: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => key !== field));
}
