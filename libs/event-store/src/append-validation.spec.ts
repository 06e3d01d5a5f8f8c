import { assertAppendable } from './append-validation.js';
import { anEvent } from './event-store.contract.js';
import type { EventToAppend } from './event-store.port.js';

const valid = (): EventToAppend =>
  anEvent('ListingSubmitted', { faceValueCents: '125000', tags: ['openai'], nested: { ok: true, count: 3 } });

describe('what an append accepts', () => {
  it('accepts a well-formed batch', () => {
    expect(() => assertAppendable('listing-1', [valid(), valid()], 'no_stream')).not.toThrow();
  });

  it.each<[string, (event: EventToAppend) => unknown]>([
    ['a bigint amount', (event) => ({ ...event, data: { faceValueCents: 125_000n } })],
    ['a Date', (event) => ({ ...event, data: { at: new Date('2026-01-01T00:00:00Z') } })],
    ['undefined', (event) => ({ ...event, data: { note: undefined } })],
    ['NaN', (event) => ({ ...event, data: { ratio: Number.NaN } })],
    ['an array as data', (event) => ({ ...event, data: [1, 2] })],
    ['a missing actor', (event) => ({ ...event, metadata: { ...event.metadata, actorId: '' } })],
    ['a local time', (event) => ({ ...event, metadata: { ...event.metadata, occurredAt: '2026-11-23 10:00' } })],
    ['schema version 0', (event) => ({ ...event, metadata: { ...event.metadata, schemaVersion: 0 } })],
    ['an empty type', (event) => ({ ...event, type: '' })],
    ['an id that is not a UUID', (event) => ({ ...event, id: 'listing-1-submitted' })],
  ])('refuses %s', (_, spoil) => {
    expect(() => assertAppendable('listing-1', [spoil(valid()) as EventToAppend], 'any')).toThrow(TypeError);
  });

  it('refuses data nested beyond the limit', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let level = 0; level < 40; level += 1) deep = { deep };
    expect(() => assertAppendable('listing-1', [{ ...valid(), data: deep as EventToAppend['data'] }], 'any')).toThrow(/nests deeper/);
  });

  it('refuses the same id twice in one append, an empty batch and a negative revision', () => {
    const event = valid();
    expect(() => assertAppendable('listing-1', [event, { ...event, id: event.id.toUpperCase() }], 'any')).toThrow(/twice/);
    expect(() => assertAppendable('listing-1', [], 'any')).toThrow(RangeError);
    expect(() => assertAppendable('listing-1', [valid()], -1n)).toThrow(RangeError);
  });
});
