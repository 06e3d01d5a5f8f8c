import { at, deciderSpec } from '../../../testing/src/given-when-then.js';
import { DomainError } from '../domain-error.js';
import { InvariantViolation } from '../invariant.js';
import type { AmendBuyRequest, CancelBuyRequest, ExpireBuyRequest, PlaceBuyRequest, RecordBuyRequestFill, ReduceBuyRequestFill, ReleaseBuyRequestFill } from './buy-request.commands.js';
import type {
  BuyRequestAmended,
  BuyRequestCancelled,
  BuyRequestEvent,
  BuyRequestExpired,
  BuyRequestFilled,
  BuyRequestFillReduced,
  BuyRequestFillReleased,
  BuyRequestPlaced,
} from './buy-request.events.js';
import { decideBuyRequest } from './buy-request.decide.js';
import { buyRequestDecider } from './buy-request.decider.js';
import { foldBuyRequestEvents } from './buy-request.evolve.js';
import { MAX_FILLS_PER_BUY_REQUEST, MAX_MIN_VALIDITY_DAYS } from './buy-request.policy.js';
import { buyRequestStreamId } from './buy-request.js';

const BUY_REQUEST_ID = 'request-1';
const PLACED_AT = at('2026-03-01T00:00:00Z');
const NOW = at('2026-03-02T00:00:00Z');
const DEADLINE = at('2026-04-01T00:00:00Z');
const JUST_BEFORE_DEADLINE = at('2026-03-31T23:59:59.999Z');

const spec = deciderSpec(buyRequestDecider);

const buyRequestPlaced: BuyRequestPlaced = {
  type: 'BuyRequestPlaced',
  data: {
    buyRequestId: BUY_REQUEST_ID,
    buyerId: 'buyer-1',
    provider: 'openai',
    creditTypes: ['prepaid_api', 'startup_program'],
    faceValueCents: 1_000_000n,
    maxPriceBps: 6_000,
    minValidityDays: 30,
    deadline: DEADLINE,
    placedBy: 'broker-ana',
    placedAt: PLACED_AT,
  },
};

function buyRequestFilled(dealId: string, faceValueCents: bigint, filledFaceValueCents: bigint, filledAt = NOW): BuyRequestFilled {
  return { type: 'BuyRequestFilled', data: { buyRequestId: BUY_REQUEST_ID, dealId, faceValueCents, filledFaceValueCents, filledAt } };
}

function fillReleased(dealId: string, faceValueCents: bigint, filledFaceValueCents: bigint, releasedAt = NOW): BuyRequestFillReleased {
  return { type: 'BuyRequestFillReleased', data: { buyRequestId: BUY_REQUEST_ID, dealId, faceValueCents, filledFaceValueCents, releasedAt } };
}

function fillReduced(dealId: string, faceValueCents: bigint, releasedFaceValueCents: bigint, filledFaceValueCents: bigint, reducedAt = NOW): BuyRequestFillReduced {
  return { type: 'BuyRequestFillReduced', data: { buyRequestId: BUY_REQUEST_ID, dealId, faceValueCents, releasedFaceValueCents, filledFaceValueCents, reducedAt } };
}

function buyRequestAmended(changes: Omit<BuyRequestAmended['data'], 'buyRequestId' | 'amendedAt'>, amendedAt = NOW): BuyRequestAmended {
  return { type: 'BuyRequestAmended', data: { buyRequestId: BUY_REQUEST_ID, ...changes, amendedAt } };
}

function buyRequestCancelled(reason = 'bought elsewhere', cancelledAt = NOW): BuyRequestCancelled {
  return { type: 'BuyRequestCancelled', data: { buyRequestId: BUY_REQUEST_ID, reason, cancelledAt } };
}

function buyRequestExpired(expiredAt = DEADLINE): BuyRequestExpired {
  return { type: 'BuyRequestExpired', data: { buyRequestId: BUY_REQUEST_ID, deadline: DEADLINE, expiredAt } };
}

function placeBuyRequest(overrides: Partial<PlaceBuyRequest> = {}): PlaceBuyRequest {
  return {
    type: 'PlaceBuyRequest',
    placedBy: 'broker-ana',
    buyRequestId: BUY_REQUEST_ID,
    buyerId: 'buyer-1',
    provider: 'openai',
    creditTypes: ['prepaid_api', 'startup_program'],
    faceValueCents: 1_000_000n,
    maxPriceBps: 6_000,
    minValidityDays: 30,
    deadline: DEADLINE,
    ...overrides,
  };
}

function amendBuyRequest(changes: Omit<AmendBuyRequest, 'type' | 'buyRequestId'>): AmendBuyRequest {
  return { type: 'AmendBuyRequest', buyRequestId: BUY_REQUEST_ID, ...changes };
}

function recordFill(dealId: string, faceValueCents: bigint): RecordBuyRequestFill {
  return { type: 'RecordBuyRequestFill', buyRequestId: BUY_REQUEST_ID, dealId, faceValueCents };
}

function releaseFill(dealId: string): ReleaseBuyRequestFill {
  return { type: 'ReleaseBuyRequestFill', buyRequestId: BUY_REQUEST_ID, dealId };
}

function reduceFill(dealId: string, faceValueCents: bigint): ReduceBuyRequestFill {
  return { type: 'ReduceBuyRequestFill', buyRequestId: BUY_REQUEST_ID, dealId, faceValueCents };
}

function cancelBuyRequest(reason = 'bought elsewhere'): CancelBuyRequest {
  return { type: 'CancelBuyRequest', buyRequestId: BUY_REQUEST_ID, reason };
}

const expireBuyRequest: ExpireBuyRequest = { type: 'ExpireBuyRequest', buyRequestId: BUY_REQUEST_ID };

/** A request filled to the last cent by two deals. */
const filled: BuyRequestEvent[] = [buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n), buyRequestFilled('deal-2', 600_000n, 1_000_000n)];
const cancelled: BuyRequestEvent[] = [buyRequestPlaced, buyRequestCancelled()];
const expired: BuyRequestEvent[] = [buyRequestPlaced, buyRequestExpired()];

describe('buyRequestStreamId', () => {
  it('names the stream buy-request-<id>', () => {
    expect(buyRequestStreamId('abc')).toBe('buy-request-abc');
  });
});

describe('PlaceBuyRequest', () => {
  it('records the buyer’s standing demand; nothing is filled yet', () => {
    const state = spec.given().when(placeBuyRequest(), PLACED_AT).then(buyRequestPlaced);
    expect(state).toMatchObject({ status: 'open', filledFaceValueCents: 0n, faceValueCents: 1_000_000n, fills: new Map() });
  });

  it('accepts a deadline one millisecond ahead and a minimum validity of zero days', () => {
    const deadline = at('2026-03-01T00:00:00.001Z');
    spec
      .given()
      .when(placeBuyRequest({ deadline, minValidityDays: 0 }), PLACED_AT)
      .then({ ...buyRequestPlaced, data: { ...buyRequestPlaced.data, deadline, minValidityDays: 0 } });
  });

  it('refuses a request that exists', () => {
    spec.given(buyRequestPlaced).when(placeBuyRequest(), NOW).thenFails('BUY_REQUEST_ALREADY_EXISTS');
  });

  it('refuses a deadline that is not ahead of now', () => {
    spec.given().when(placeBuyRequest({ deadline: PLACED_AT }), PLACED_AT).thenFails('BUY_REQUEST_EXPIRED');
    spec.given().when(placeBuyRequest(), DEADLINE).thenFails('BUY_REQUEST_EXPIRED');
  });

  it.each([
    ['INVALID_ID', { buyRequestId: '' }],
    ['INVALID_ID', { buyerId: 'x'.repeat(101) }],
    ['INVALID_ID', { placedBy: 'has spaces' }],
    ['INVALID_PROVIDER', { provider: 'OpenAI' }],
    ['INVALID_CREDIT_TYPE', { creditTypes: [] }],
    ['INVALID_CREDIT_TYPE', { creditTypes: ['prepaid_api', 'prepaid_api'] }],
    ['INVALID_CREDIT_TYPE', { creditTypes: ['prepaid_api', 'gift_card'] as unknown as PlaceBuyRequest['creditTypes'] }],
    ['INVALID_AMOUNT', { faceValueCents: 0n }],
    ['INVALID_AMOUNT', { faceValueCents: -1n }],
    ['INVALID_PRICE_CEILING', { maxPriceBps: 0 }],
    ['INVALID_PRICE_CEILING', { maxPriceBps: 10_001 }],
    ['INVALID_PRICE_CEILING', { maxPriceBps: 50.5 }],
    ['INVALID_DURATION', { minValidityDays: -1 }],
    ['INVALID_DURATION', { minValidityDays: 1.5 }],
    ['INVALID_DURATION', { minValidityDays: MAX_MIN_VALIDITY_DAYS + 1 }],
    ['INVALID_TIME', { deadline: new Date(Number.NaN) }],
  ] as const)('refuses with %s a command field out of bounds: %p', (code, overrides) => {
    spec.given().when(placeBuyRequest(overrides), PLACED_AT).thenFails(code);
  });

  it('accepts the bounds of the price ceiling and the minimum validity', () => {
    spec.given().when(placeBuyRequest({ maxPriceBps: 1, minValidityDays: MAX_MIN_VALIDITY_DAYS }), PLACED_AT).then({
      ...buyRequestPlaced,
      data: { ...buyRequestPlaced.data, maxPriceBps: 1, minValidityDays: MAX_MIN_VALIDITY_DAYS },
    });
    spec.given().when(placeBuyRequest({ maxPriceBps: 10_000 }), PLACED_AT).then({ ...buyRequestPlaced, data: { ...buyRequestPlaced.data, maxPriceBps: 10_000 } });
  });
});

describe('AmendBuyRequest', () => {
  it('records only the terms that changed', () => {
    const state = spec
      .given(buyRequestPlaced)
      .when(amendBuyRequest({ provider: 'openai', maxPriceBps: 6_500, creditTypes: ['startup_program', 'prepaid_api'], minValidityDays: 60 }), NOW)
      .then(buyRequestAmended({ maxPriceBps: 6_500, minValidityDays: 60 }));
    expect(state).toMatchObject({ status: 'open', maxPriceBps: 6_500, minValidityDays: 60, creditTypes: ['prepaid_api', 'startup_program'] });
  });

  it('changes every term but the buyer', () => {
    const deadline = at('2026-05-01T00:00:00Z');
    const state = spec
      .given(buyRequestPlaced)
      .when(
        amendBuyRequest({ provider: 'anthropic', creditTypes: ['fine_tuning'], faceValueCents: 2_000_000n, maxPriceBps: 5_000, minValidityDays: 0, deadline }),
        NOW,
      )
      .then(buyRequestAmended({ provider: 'anthropic', creditTypes: ['fine_tuning'], faceValueCents: 2_000_000n, maxPriceBps: 5_000, minValidityDays: 0, deadline }));
    expect(state).toMatchObject({ status: 'open', buyerId: 'buyer-1', provider: 'anthropic', creditTypes: ['fine_tuning'], faceValueCents: 2_000_000n, deadline });
  });

  it('records nothing when nothing changes', () => {
    spec.given(buyRequestPlaced).when(amendBuyRequest({ faceValueCents: 1_000_000n, deadline: at('2026-04-01T00:00:00.000Z') }), NOW).then();
  });

  it('lowers the face value to exactly what is filled, which fills the request', () => {
    const state = spec
      .given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n))
      .when(amendBuyRequest({ faceValueCents: 400_000n }), NOW)
      .then(buyRequestAmended({ faceValueCents: 400_000n }));
    expect(state).toMatchObject({ status: 'filled', filledFaceValueCents: 400_000n, filledAt: NOW });
  });

  it('refuses a face value below what is filled', () => {
    spec
      .given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n))
      .when(amendBuyRequest({ faceValueCents: 399_999n }), NOW)
      .thenFails('BUY_REQUEST_OVERFILLED');
  });

  it('refuses at the deadline, even before BuyRequestExpired is recorded', () => {
    spec.given(buyRequestPlaced).when(amendBuyRequest({ maxPriceBps: 6_500 }), DEADLINE).thenFails('BUY_REQUEST_EXPIRED');
    spec.given(buyRequestPlaced).when(amendBuyRequest({ maxPriceBps: 6_500 }), JUST_BEFORE_DEADLINE).then(buyRequestAmended({ maxPriceBps: 6_500 }, JUST_BEFORE_DEADLINE));
  });

  it('refuses a new deadline that is not ahead of now', () => {
    spec.given(buyRequestPlaced).when(amendBuyRequest({ deadline: NOW }), NOW).thenFails('BUY_REQUEST_EXPIRED');
  });

  it('refuses an amendment that names no term', () => {
    spec.given(buyRequestPlaced).when(amendBuyRequest({}), NOW).thenFails('INVALID_AMENDMENT');
  });

  it('refuses an unknown request', () => {
    spec.given().when(amendBuyRequest({ maxPriceBps: 6_500 }), NOW).thenFails('BUY_REQUEST_NOT_FOUND');
  });

  it.each([
    ['filled', filled],
    ['cancelled', cancelled],
    ['expired', expired],
  ])('refuses a %s request', (_status, history) => {
    spec.given(...history).when(amendBuyRequest({ maxPriceBps: 6_500 }), NOW).thenFails('BUY_REQUEST_NOT_OPEN');
  });

  it.each([
    ['INVALID_PROVIDER', { provider: '' }],
    ['INVALID_CREDIT_TYPE', { creditTypes: [] }],
    ['INVALID_CREDIT_TYPE', { creditTypes: ['fine_tuning', 'fine_tuning'] }],
    ['INVALID_AMOUNT', { faceValueCents: 0n }],
    ['INVALID_PRICE_CEILING', { maxPriceBps: 0 }],
    ['INVALID_DURATION', { minValidityDays: -1 }],
    ['INVALID_TIME', { deadline: new Date(Number.NaN) }],
  ] as const)('refuses with %s a command field out of bounds: %p', (code, changes) => {
    spec.given(buyRequestPlaced).when(amendBuyRequest(changes), NOW).thenFails(code);
  });
});

describe('RecordBuyRequestFill', () => {
  it('records that a deal takes part of the request, with the filled total after it', () => {
    const state = spec.given(buyRequestPlaced).when(recordFill('deal-1', 400_000n), NOW).then(buyRequestFilled('deal-1', 400_000n, 400_000n));
    expect(state).toMatchObject({ status: 'open', filledFaceValueCents: 400_000n, fills: new Map([['deal-1', { faceValueCents: 400_000n, filledAt: NOW }]]) });
  });

  it('fills the request when the filled total reaches the face value wanted', () => {
    const state = spec
      .given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n))
      .when(recordFill('deal-2', 600_000n), JUST_BEFORE_DEADLINE)
      .then(buyRequestFilled('deal-2', 600_000n, 1_000_000n, JUST_BEFORE_DEADLINE));
    expect(state).toMatchObject({ status: 'filled', filledFaceValueCents: 1_000_000n, filledAt: JUST_BEFORE_DEADLINE });
  });

  it('records nothing when the deal already filled the same face value, also once the request is filled', () => {
    spec.given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n)).when(recordFill('deal-1', 400_000n), NOW).then();
    spec.given(...filled).when(recordFill('deal-2', 600_000n), DEADLINE).then();
  });

  it('refuses another face value for a deal that already filled', () => {
    spec.given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n)).when(recordFill('deal-1', 300_000n), NOW).thenFails('BUY_REQUEST_ALREADY_FILLED_BY_DEAL');
  });

  it('refuses more face value than is still wanted', () => {
    spec.given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n)).when(recordFill('deal-2', 600_001n), NOW).thenFails('BUY_REQUEST_OVERFILLED');
  });

  it('refuses at the deadline, even before BuyRequestExpired is recorded', () => {
    spec.given(buyRequestPlaced).when(recordFill('deal-1', 1n), DEADLINE).thenFails('BUY_REQUEST_EXPIRED');
  });

  it.each([
    ['filled', filled],
    ['cancelled', cancelled],
    ['expired', expired],
  ])('refuses a new deal on a %s request', (_status, history) => {
    spec.given(...history).when(recordFill('deal-3', 1n), NOW).thenFails('BUY_REQUEST_NOT_OPEN');
  });

  it(`refuses fill number ${MAX_FILLS_PER_BUY_REQUEST + 1}`, () => {
    const fills = Array.from({ length: MAX_FILLS_PER_BUY_REQUEST }, (_, index) => buyRequestFilled(`deal-${index}`, 1n, BigInt(index + 1)));
    spec.given(buyRequestPlaced, ...fills).when(recordFill('deal-last', 1n), NOW).thenFails('BUY_REQUEST_FILL_LIMIT_REACHED');
  });

  it('refuses an unknown request', () => {
    spec.given().when(recordFill('deal-1', 1n), NOW).thenFails('BUY_REQUEST_NOT_FOUND');
  });

  it.each([
    ['INVALID_ID', recordFill('', 1n)],
    ['INVALID_AMOUNT', recordFill('deal-1', 0n)],
  ] as const)('refuses with %s a command field out of bounds', (code, command) => {
    spec.given(buyRequestPlaced).when(command, NOW).thenFails(code);
  });
});

describe('ReleaseBuyRequestFill', () => {
  const AFTER_DEADLINE = at('2026-04-02T00:00:00Z');

  it('gives back the fill of a deal that ended without selling: the filled total drops, the fill is kept as released', () => {
    const state = spec
      .given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n), buyRequestFilled('deal-2', 100_000n, 500_000n))
      .when(releaseFill('deal-1'), NOW)
      .then(fillReleased('deal-1', 400_000n, 100_000n));
    expect(state).toMatchObject({
      status: 'open',
      filledFaceValueCents: 100_000n,
      fills: new Map([['deal-2', { faceValueCents: 100_000n, filledAt: NOW }]]),
      releasedFills: new Map([['deal-1', { faceValueCents: 400_000n, filledAt: NOW, releasedAt: NOW }]]),
    });
  });

  it('opens a filled request again before its deadline, and it takes a new fill', () => {
    const reopened = spec.given(...filled).when(releaseFill('deal-2'), JUST_BEFORE_DEADLINE).then(fillReleased('deal-2', 600_000n, 400_000n, JUST_BEFORE_DEADLINE));
    expect(reopened).toMatchObject({ status: 'open', filledFaceValueCents: 400_000n });
    expect(reopened).not.toHaveProperty('filledAt');
    spec
      .given(...filled, fillReleased('deal-2', 600_000n, 400_000n))
      .when(recordFill('deal-3', 600_000n), JUST_BEFORE_DEADLINE)
      .then(buyRequestFilled('deal-3', 600_000n, 1_000_000n, JUST_BEFORE_DEADLINE));
  });

  it('after the deadline, records the release of a filled request, which then takes nothing more and is left to the deadline worker', () => {
    const state = spec.given(...filled).when(releaseFill('deal-2'), AFTER_DEADLINE).then(fillReleased('deal-2', 600_000n, 400_000n, AFTER_DEADLINE));
    expect(state).toMatchObject({ status: 'open', filledFaceValueCents: 400_000n });
    const released = [...filled, fillReleased('deal-2', 600_000n, 400_000n, AFTER_DEADLINE)];
    spec.given(...released).when(recordFill('deal-3', 600_000n), AFTER_DEADLINE).thenFails('BUY_REQUEST_EXPIRED');
    spec.given(...released).when(amendBuyRequest({ deadline: at('2026-05-01T00:00:00Z') }), AFTER_DEADLINE).thenFails('BUY_REQUEST_EXPIRED');
    spec.given(...released).when(expireBuyRequest, AFTER_DEADLINE).then(buyRequestExpired(AFTER_DEADLINE));
  });

  it('opens again a request that an amendment filled', () => {
    const state = spec
      .given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n), buyRequestAmended({ faceValueCents: 400_000n }))
      .when(releaseFill('deal-1'), NOW)
      .then(fillReleased('deal-1', 400_000n, 0n));
    expect(state).toMatchObject({ status: 'open', faceValueCents: 400_000n, filledFaceValueCents: 0n });
  });

  it.each([
    ['cancelled', [buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n), buyRequestCancelled()]],
    ['expired', [buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n), buyRequestExpired()]],
  ] as const)('records the release on a %s request, whose status stays', (status, history) => {
    const state = spec.given(...history).when(releaseFill('deal-1'), DEADLINE).then(fillReleased('deal-1', 400_000n, 0n, DEADLINE));
    expect(state).toMatchObject({ status, filledFaceValueCents: 0n });
  });

  it('records nothing for a deal that never filled the request', () => {
    spec.given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n)).when(releaseFill('deal-9'), NOW).then();
  });

  it('records nothing for a fill released already (the process manager may run again)', () => {
    spec.given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n), fillReleased('deal-1', 400_000n, 0n)).when(releaseFill('deal-1'), NOW).then();
  });

  it('never lets a released deal fill again: the same fill sent again records nothing, another face value is a conflict', () => {
    const released = [buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n), fillReleased('deal-1', 400_000n, 0n)];
    spec.given(...released).when(recordFill('deal-1', 400_000n), NOW).then();
    spec.given(...released).when(recordFill('deal-1', 300_000n), NOW).thenFails('BUY_REQUEST_ALREADY_FILLED_BY_DEAL');
  });

  it('counts released fills toward the fill limit, since each is a fact of the stream', () => {
    const fills = Array.from({ length: MAX_FILLS_PER_BUY_REQUEST }, (_, index) => buyRequestFilled(`deal-${index}`, 1n, BigInt(index + 1)));
    spec
      .given(buyRequestPlaced, ...fills, fillReleased('deal-0', 1n, BigInt(MAX_FILLS_PER_BUY_REQUEST - 1)))
      .when(recordFill('deal-last', 1n), NOW)
      .thenFails('BUY_REQUEST_FILL_LIMIT_REACHED');
  });

  it('refuses an unknown request', () => {
    spec.given().when(releaseFill('deal-1'), NOW).thenFails('BUY_REQUEST_NOT_FOUND');
  });

  it('refuses with INVALID_ID an empty deal id', () => {
    spec.given(buyRequestPlaced).when(releaseFill(''), NOW).thenFails('INVALID_ID');
  });
});

describe('ReduceBuyRequestFill', () => {
  const AFTER_DEADLINE = at('2026-04-02T00:00:00Z');

  it('cuts a deal’s fill to what it now takes: the difference is wanted again, the first face value is kept', () => {
    const state = spec
      .given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n), buyRequestFilled('deal-2', 100_000n, 500_000n))
      .when(reduceFill('deal-1', 300_000n), NOW)
      .then(fillReduced('deal-1', 300_000n, 100_000n, 400_000n));
    expect(state).toMatchObject({
      status: 'open',
      filledFaceValueCents: 400_000n,
      fills: new Map([
        ['deal-1', { faceValueCents: 300_000n, filledAt: NOW, originalFaceValueCents: 400_000n, reducedAt: NOW }],
        ['deal-2', { faceValueCents: 100_000n, filledAt: NOW }],
      ]),
    });
  });

  it('opens a filled request again, and it takes a new fill of the difference', () => {
    const reopened = spec.given(...filled).when(reduceFill('deal-2', 450_000n), JUST_BEFORE_DEADLINE).then(fillReduced('deal-2', 450_000n, 150_000n, 850_000n, JUST_BEFORE_DEADLINE));
    expect(reopened).toMatchObject({ status: 'open', filledFaceValueCents: 850_000n });
    expect(reopened).not.toHaveProperty('filledAt');
    spec
      .given(...filled, fillReduced('deal-2', 450_000n, 150_000n, 850_000n))
      .when(recordFill('deal-3', 150_000n), JUST_BEFORE_DEADLINE)
      .then(buyRequestFilled('deal-3', 150_000n, 1_000_000n, JUST_BEFORE_DEADLINE));
  });

  it('records the reduction after the deadline, and on a cancelled or expired request, whose status stays', () => {
    const open = spec.given(...filled).when(reduceFill('deal-1', 100_000n), AFTER_DEADLINE).then(fillReduced('deal-1', 100_000n, 300_000n, 700_000n, AFTER_DEADLINE));
    expect(open).toMatchObject({ status: 'open' });
    for (const [status, closing] of [
      ['cancelled', buyRequestCancelled()],
      ['expired', buyRequestExpired()],
    ] as const) {
      const state = spec
        .given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n), closing)
        .when(reduceFill('deal-1', 100_000n), DEADLINE)
        .then(fillReduced('deal-1', 100_000n, 300_000n, 100_000n, DEADLINE));
      expect(state).toMatchObject({ status, filledFaceValueCents: 100_000n });
    }
  });

  it('reduces a reduced fill further, keeping the first face value', () => {
    const state = spec
      .given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n), fillReduced('deal-1', 300_000n, 100_000n, 300_000n))
      .when(reduceFill('deal-1', 250_000n), NOW)
      .then(fillReduced('deal-1', 250_000n, 50_000n, 250_000n));
    expect(state).toMatchObject({ fills: new Map([['deal-1', { faceValueCents: 250_000n, originalFaceValueCents: 400_000n }]]) });
  });

  it.each([
    ['the same face value as the fill', 400_000n],
    ['a larger face value (a fill is never raised)', 500_000n],
  ])('records nothing for %s', (_case, faceValueCents) => {
    spec.given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n)).when(reduceFill('deal-1', faceValueCents), NOW).then();
    spec
      .given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n), fillReduced('deal-1', 300_000n, 100_000n, 300_000n))
      .when(reduceFill('deal-1', faceValueCents), NOW)
      .then();
  });

  it('records nothing for the same reduction sent again (the process manager may run again)', () => {
    spec.given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n), fillReduced('deal-1', 300_000n, 100_000n, 300_000n)).when(reduceFill('deal-1', 300_000n), NOW).then();
  });

  it('records nothing for a deal that never filled the request, or whose fill is released', () => {
    spec.given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n)).when(reduceFill('deal-9', 1n), NOW).then();
    spec.given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n), fillReleased('deal-1', 400_000n, 0n)).when(reduceFill('deal-1', 1n), NOW).then();
  });

  it('still recognises the deal’s first fill sent again, also once released; another face value is a conflict', () => {
    const reduced = [buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n), fillReduced('deal-1', 300_000n, 100_000n, 300_000n)];
    spec.given(...reduced).when(recordFill('deal-1', 400_000n), NOW).then();
    spec.given(...reduced).when(recordFill('deal-1', 300_000n), NOW).thenFails('BUY_REQUEST_ALREADY_FILLED_BY_DEAL');
    const released = [...reduced, fillReleased('deal-1', 300_000n, 0n)];
    const state = spec.given(...released).when(recordFill('deal-1', 400_000n), NOW).then();
    expect(state).toMatchObject({ releasedFills: new Map([['deal-1', { faceValueCents: 300_000n, originalFaceValueCents: 400_000n }]]) });
  });

  it('refuses an unknown request', () => {
    spec.given().when(reduceFill('deal-1', 1n), NOW).thenFails('BUY_REQUEST_NOT_FOUND');
  });

  it.each([
    ['INVALID_ID', reduceFill('', 1n)],
    ['INVALID_AMOUNT', reduceFill('deal-1', 0n)],
  ] as const)('refuses with %s a command field out of bounds', (code, command) => {
    spec.given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n)).when(command, NOW).thenFails(code);
  });
});

describe('CancelBuyRequest', () => {
  it('calls off an open request, keeping what was filled', () => {
    const state = spec.given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n)).when(cancelBuyRequest(), NOW).then(buyRequestCancelled());
    expect(state).toMatchObject({ status: 'cancelled', filledFaceValueCents: 400_000n, cancellation: { reason: 'bought elsewhere', cancelledAt: NOW } });
  });

  it('cancels a request past its deadline that is not expired yet', () => {
    spec.given(buyRequestPlaced).when(cancelBuyRequest(), DEADLINE).then(buyRequestCancelled('bought elsewhere', DEADLINE));
  });

  it.each([
    ['filled', filled],
    ['cancelled', cancelled],
    ['expired', expired],
  ])('refuses a %s request', (_status, history) => {
    spec.given(...history).when(cancelBuyRequest(), NOW).thenFails('BUY_REQUEST_NOT_OPEN');
  });

  it('refuses an unknown request', () => {
    spec.given().when(cancelBuyRequest(), NOW).thenFails('BUY_REQUEST_NOT_FOUND');
  });

  it('refuses an empty reason', () => {
    spec.given(buyRequestPlaced).when(cancelBuyRequest(' '), NOW).thenFails('INVALID_TEXT');
  });
});

describe('ExpireBuyRequest', () => {
  it('records at the deadline that the request expired, keeping what was filled', () => {
    const state = spec.given(buyRequestPlaced, buyRequestFilled('deal-1', 400_000n, 400_000n)).when(expireBuyRequest, DEADLINE).then(buyRequestExpired());
    expect(state).toMatchObject({ status: 'expired', filledFaceValueCents: 400_000n, expiredAt: DEADLINE });
  });

  it('refuses before the deadline', () => {
    spec.given(buyRequestPlaced).when(expireBuyRequest, JUST_BEFORE_DEADLINE).thenFails('BUY_REQUEST_DEADLINE_NOT_REACHED');
  });

  it.each([
    ['filled', filled],
    ['cancelled', cancelled],
    ['expired', expired],
  ])('records nothing for a %s request (the worker may run again, or lose a race)', (_status, history) => {
    spec.given(...history).when(expireBuyRequest, DEADLINE).then();
    spec.given(...history).when(expireBuyRequest, NOW).then();
  });

  it('follows an amended deadline', () => {
    const deadline = at('2026-05-01T00:00:00Z');
    spec.given(buyRequestPlaced, buyRequestAmended({ deadline })).when(expireBuyRequest, DEADLINE).thenFails('BUY_REQUEST_DEADLINE_NOT_REACHED');
    spec
      .given(buyRequestPlaced, buyRequestAmended({ deadline }))
      .when(expireBuyRequest, deadline)
      .then({ type: 'BuyRequestExpired', data: { buyRequestId: BUY_REQUEST_ID, deadline, expiredAt: deadline } });
  });

  it('refuses an unknown request', () => {
    spec.given().when(expireBuyRequest, DEADLINE).thenFails('BUY_REQUEST_NOT_FOUND');
  });
});

describe('programmer errors', () => {
  it('crash with an assertion, not a DomainError, when a command meets another request’s state', () => {
    const state = foldBuyRequestEvents([buyRequestPlaced]);
    const decide = () => decideBuyRequest(state, { ...cancelBuyRequest(), buyRequestId: 'request-2' }, NOW);
    expect(decide).toThrow(InvariantViolation);
    expect(decide).not.toThrow(DomainError);
  });

  it('crash when now is not a valid time', () => {
    expect(() => decideBuyRequest(foldBuyRequestEvents([buyRequestPlaced]), expireBuyRequest, new Date(Number.NaN))).toThrow(InvariantViolation);
  });

  it('crash when folding a history decide could not have produced', () => {
    expect(() => foldBuyRequestEvents([buyRequestFilled('deal-1', 1n, 1n)])).toThrow(InvariantViolation);
    expect(() => foldBuyRequestEvents([buyRequestPlaced, buyRequestFilled('deal-1', 1_000_001n, 1_000_001n)])).toThrow(InvariantViolation);
    expect(() => foldBuyRequestEvents([buyRequestPlaced, buyRequestFilled('deal-1', 1n, 2n)])).toThrow(InvariantViolation);
    expect(() => foldBuyRequestEvents([buyRequestPlaced, buyRequestFilled('deal-1', 1n, 1n), buyRequestFilled('deal-1', 1n, 2n)])).toThrow(InvariantViolation);
    expect(() => foldBuyRequestEvents([...cancelled, buyRequestFilled('deal-1', 1n, 1n)])).toThrow(InvariantViolation);
    expect(() => foldBuyRequestEvents([buyRequestPlaced, buyRequestFilled('deal-1', 2n, 2n), buyRequestAmended({ faceValueCents: 1n })])).toThrow(InvariantViolation);
    expect(() => foldBuyRequestEvents([buyRequestPlaced, fillReleased('deal-1', 1n, 0n)])).toThrow(InvariantViolation);
    expect(() => foldBuyRequestEvents([buyRequestPlaced, buyRequestFilled('deal-1', 2n, 2n), fillReleased('deal-1', 1n, 1n)])).toThrow(InvariantViolation);
    expect(() => foldBuyRequestEvents([buyRequestPlaced, buyRequestFilled('deal-1', 2n, 2n), fillReleased('deal-1', 2n, 1n)])).toThrow(InvariantViolation);
    expect(() =>
      foldBuyRequestEvents([buyRequestPlaced, buyRequestFilled('deal-1', 2n, 2n), fillReleased('deal-1', 2n, 0n), buyRequestFilled('deal-1', 2n, 2n)]),
    ).toThrow(InvariantViolation);
    // Reductions: of no fill, that raise a fill, that give nothing back, or that do not add up.
    expect(() => foldBuyRequestEvents([buyRequestPlaced, fillReduced('deal-1', 1n, 1n, 0n)])).toThrow(InvariantViolation);
    expect(() => foldBuyRequestEvents([buyRequestPlaced, buyRequestFilled('deal-1', 2n, 2n), fillReduced('deal-1', 3n, -1n, 3n)])).toThrow(InvariantViolation);
    expect(() => foldBuyRequestEvents([buyRequestPlaced, buyRequestFilled('deal-1', 2n, 2n), fillReduced('deal-1', 2n, 0n, 2n)])).toThrow(InvariantViolation);
    expect(() => foldBuyRequestEvents([buyRequestPlaced, buyRequestFilled('deal-1', 2n, 2n), fillReduced('deal-1', 1n, 1n, 2n)])).toThrow(InvariantViolation);
    expect(() => foldBuyRequestEvents([buyRequestPlaced, buyRequestFilled('deal-1', 2n, 2n), fillReleased('deal-1', 2n, 0n), fillReduced('deal-1', 1n, 1n, 0n)])).toThrow(
      InvariantViolation,
    );
  });
});
