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
    fc.assert(fc.property(value, (state) => expect(stateFromJson(stateToJson(state))).toEqual(state)));
  });
});
