import { comparePositions, formatPosition, parsePosition } from './log-position.js';

describe('log positions', () => {
  it('order by commit first, then prepare', () => {
    expect(comparePositions({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 0n })).toBe(-1);
    expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 0n })).toBe(1);
    expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 1n })).toBe(0);
  });

  it('survive their text form', () => {
    const position = { commit: 18_446_744_073_709_551_615n, prepare: 42n };
    expect(parsePosition(formatPosition(position))).toEqual(position);
  });

  it.each(['', '1', '1.', '.1', '01.1', '1.2.3', '-1.0', '1.0x', '18446744073709551616.0'])('refuse %p', (text) => {
    expect(parsePosition(text)).toBeNull();
  });
});
