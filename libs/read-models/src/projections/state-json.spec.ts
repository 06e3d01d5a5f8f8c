import fc from 'fast-check';
import { stateFromJson, stateToJson } from './state-json.js';

describe('state JSON', () => {
  it('round-trips bigint amounts, Dates and Maps inside plain objects and arrays', () => {
    const state = {
      status: 'available',
      availableFaceValueCents: 125_000n,
      creditExpiresAt: new Date('2027-01-01T00:00:00.000Z'),
      reservations: new Map([['deal-1', { faceValueCents: 1n, reservedAt: new Date('2026-11-23T10:00:00.000Z') }]]),
      payments: [{ amountCents: 7n, paymentRef: 'wire-1' }],
      optional: undefined,
    };

    const back = stateFromJson<typeof state>(stateToJson(state));

    expect(back).toEqual({ ...state, optional: undefined });
    expect(back.reservations.get('deal-1')!.faceValueCents).toBe(1n);
  });

  it('round-trips any nesting of them', () => {
    const leaf = fc.oneof(fc.bigInt(), fc.date({ noInvalidDate: true }), fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node')), fc.dictionary(fc.string().filter((key) => !key.startsWith('$')), tie('node')), fc.array(fc.tuple(fc.string(), tie('node'))).map((entries) => new Map(entries))),
    })).node;
    // A state is an object at the top (a bare string would read as JSON text).
    const states = fc.dictionary(fc.string().filter((key) => !key.startsWith('$')), value);
    fc.assert(
      fc.property(states, (state) => {
        const json = stateToJson(state);
        // As text, and as the driver hands jsonb over: parsed already.
        expect(stateFromJson(json)).toEqual(state);
        expect(stateFromJson(JSON.parse(json))).toEqual(state);
      }),
    );
  });

  it('keeps a __proto__ key as an own property and never changes a prototype', () => {
    const state = JSON.parse('{"__proto__": {"polluted": 1}, "amount": {"$bigint": "5"}}') as Record<string, unknown>;

    for (const back of [stateFromJson<Record<string, unknown>>(stateToJson(state)), stateFromJson<Record<string, unknown>>(JSON.parse(stateToJson(state)))]) {
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
      expect(Object.keys(back)).toEqual(['__proto__', 'amount']);
      expect(back.amount).toBe(5n);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });
});
