import { InsertBatcher, type InsertedRow, type RowToInsert } from './insert-batcher.js';

const aRow = (id: string): RowToInsert => ({
  streamId: `stream-${id}`,
  id,
  type: 'Fact',
  data: {},
  metadata: {},
  revision: '0',
  prevHash: '0'.repeat(64),
  hash: 'a'.repeat(64),
  baseRevision: null,
  baseHash: null,
});

const placed = (id: string): InsertedRow => ({ revision: '0', commit: '7', prepare: id });

/** An insert the test completes by hand, recording what each call received. */
class ControlledInserts {
  readonly calls: { ids: string[]; finish: (skip?: string[]) => void; fail: (error: unknown) => void }[] = [];

  readonly insertRows = (rows: readonly RowToInsert[]): Promise<ReadonlyMap<string, InsertedRow>> =>
    new Promise((resolve, reject) => {
      const ids = rows.map((row) => row.id);
      this.calls.push({
        ids,
        finish: (skip = []) => resolve(new Map(ids.filter((id) => !skip.includes(id)).map((id) => [id, placed(id)]))),
        fail: reject,
      });
    });
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('InsertBatcher', () => {
  it('sends rows submitted in the same tick as one insert and answers each with its own place', async () => {
    const inserts = new ControlledInserts();
    const batcher = new InsertBatcher(inserts.insertRows);

    const answers = Promise.all(['a', 'b', 'c'].map((id) => batcher.insert(aRow(id))));
    await settle();
    expect(inserts.calls.map((call) => call.ids)).toEqual([['a', 'b', 'c']]);
    inserts.calls[0]!.finish();

    expect(await answers).toEqual([placed('a'), placed('b'), placed('c')]);
  });

  it('answers null for a row the insert skipped, and the others still land', async () => {
    const inserts = new ControlledInserts();
    const batcher = new InsertBatcher(inserts.insertRows);

    const answers = Promise.all(['a', 'b'].map((id) => batcher.insert(aRow(id))));
    await settle();
    inserts.calls[0]!.finish(['a']);

    expect(await answers).toEqual([null, placed('b')]);
  });

  it('runs at most maxInFlight inserts at once; rows arriving meanwhile wait and go together', async () => {
    const inserts = new ControlledInserts();
    const batcher = new InsertBatcher(inserts.insertRows, { maxInFlight: 2 });

    const first = batcher.insert(aRow('a'));
    await settle();
    const second = batcher.insert(aRow('b'));
    await settle();
    const waiting = ['c', 'd', 'e'].map((id) => batcher.insert(aRow(id)));
    await settle();
    expect(inserts.calls.map((call) => call.ids)).toEqual([['a'], ['b']]);

    inserts.calls[0]!.finish();
    await first;
    await settle();
    expect(inserts.calls.map((call) => call.ids)).toEqual([['a'], ['b'], ['c', 'd', 'e']]);
    inserts.calls[1]!.finish();
    inserts.calls[2]!.finish();
    expect(await Promise.all([second, ...waiting])).toEqual(['b', 'c', 'd', 'e'].map(placed));
  });

  it('splits what has gathered into inserts of at most maxBatchSize rows', async () => {
    const inserts = new ControlledInserts();
    const batcher = new InsertBatcher(inserts.insertRows, { maxInFlight: 4, maxBatchSize: 2 });

    const answers = Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => batcher.insert(aRow(id))));
    await settle();
    expect(inserts.calls.map((call) => call.ids)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    for (const call of inserts.calls) call.finish();

    expect(await answers).toEqual(['a', 'b', 'c', 'd', 'e'].map(placed));
  });

  it("retries a failed batch row by row, so one row's error is that caller's alone", async () => {
    const bad = new Error('invalid input syntax for type json');
    const batcher = new InsertBatcher(async (rows) => {
      if (rows.some((row) => row.id === 'bad')) throw bad;
      return new Map(rows.map((row) => [row.id, placed(row.id)]));
    });

    const answers = await Promise.allSettled(['a', 'bad', 'c'].map((id) => batcher.insert(aRow(id))));

    expect(answers).toEqual([
      { status: 'fulfilled', value: placed('a') },
      { status: 'rejected', reason: bad },
      { status: 'fulfilled', value: placed('c') },
    ]);
  });

  it('fails every row of a batch at once when the error would fail each of them (the server is gone)', async () => {
    const unreachable = new Error('unreachable');
    let calls = 0;
    const batcher = new InsertBatcher(
      async () => {
        calls += 1;
        throw unreachable;
      },
      { failsEveryRow: (error) => error === unreachable },
    );

    const answers = await Promise.allSettled(['a', 'b', 'c'].map((id) => batcher.insert(aRow(id))));

    expect(answers.map((answer) => answer.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(calls).toBe(1);
  });
});
