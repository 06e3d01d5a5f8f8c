import { decodePageCursor, encodePageCursor, pageOf } from './page-cursor.js';

describe('page cursors', () => {
  const cursor = { at: new Date('2026-03-01T10:20:30.456Z'), id: '0c5e6a4e-3f7b-4a55-9a53-0d7f0f6b1c2d' };

  it('read back what they wrote', () => {
    expect(decodePageCursor(encodePageCursor(cursor))).toEqual(cursor);
  });

  it('refuse anything they did not write', () => {
    const json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const text of [
      '',
      'not!base64',
      Buffer.from('not json').toString('base64url'),
      json({ at: '2026-03-01T10:20:30.456Z', id: 'x' }),
      json(['2026-03-01T10:20:30.456Z']),
      json(['2026-03-01', 'x']),
      json(['2026-02-30T10:20:30.456Z', 'x']),
      json(['2026-03-01T10:20:30.456Z', '']),
      json(['2026-03-01T10:20:30.456Z', 7]),
      `${encodePageCursor(cursor)}A`,
      'A'.repeat(401),
    ]) {
      expect({ text, cursor: decodePageCursor(text) }).toEqual({ text, cursor: null });
    }
  });

  it('give a next cursor only when a row past the page was read', () => {
    const rows = [1, 2, 3].map((n) => ({ at: new Date(n * 1000), id: `id-${n}` }));
    const key = (row: { at: Date; id: string }) => row;
    expect(pageOf(rows, 3, (row) => row.id, key)).toEqual({ items: ['id-1', 'id-2', 'id-3'], nextCursor: null });
    const page = pageOf(rows, 2, (row) => row.id, key);
    expect(page.items).toEqual(['id-1', 'id-2']);
    expect(decodePageCursor(page.nextCursor!)).toEqual(rows[1]);
  });
});
