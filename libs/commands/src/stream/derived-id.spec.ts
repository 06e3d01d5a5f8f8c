import { v5 as uuidV5, validate, version } from 'uuid';
import { derivedId } from './derived-id.js';

describe('derivedId', () => {
  it('is the RFC 4122 name-based (v5) UUID of "<cause>/<purpose>" in the ledger namespace, as ids already stored were derived', () => {
    for (const [cause, purpose] of [
      ['6F9619FF-8B86-D011-B42D-00CF4FC964FF', 'ListingSubmitted/0'],
      ['idem-key-ü-日本', 'deal'],
      ['', ''],
    ] as const) {
      const id = derivedId(cause, purpose);
      expect(id).toBe(uuidV5(`${cause.toLowerCase()}/${purpose}`, '6f1d3c1e-8a61-4d7b-9c55-2f3e0c8b9a41'));
      expect(validate(id) && version(id)).toBe(5);
    }
  });

  it('gives the same id for the same cause and purpose, another for another purpose', () => {
    expect(derivedId('cause-1', 'a')).toBe(derivedId('CAUSE-1', 'a'));
    expect(derivedId('cause-1', 'a')).not.toBe(derivedId('cause-1', 'b'));
  });
});
