import type { LogPosition } from '#event-store';
import { ProjectionCatchUp, ReadModelBehindError, type CheckpointReader } from './read-your-writes.js';

const at = (commit: bigint, prepare: bigint): LogPosition => ({ commit, prepare });

describe('read-your-writes', () => {
  it('answers at once without a position, and once every projection has passed it', async () => {
    let reads = 0;
    const reader: CheckpointReader = async () => {
      reads += 1;
      // listing-view reaches 10.5 on the third read; deal-view is already past it.
      return new Map([
        ['listing-view', reads >= 3 ? at(10n, 5n) : at(10n, 4n)],
        ['deal-view', at(11n, 0n)],
      ]);
    };
    const catchUp = new ProjectionCatchUp(reader, { timeoutMs: 1_000, pollIntervalMs: 1 });
    await catchUp.waitFor(['listing-view', 'deal-view'], undefined);
    expect(reads).toBe(0);
    await catchUp.waitFor(['listing-view', 'deal-view'], at(10n, 5n));
    expect(reads).toBe(3);
  });

  it('gives up after its bound, naming the projections still behind', async () => {
    const reader: CheckpointReader = async () => new Map([['deal-view', at(1n, 1n)]]);
    const catchUp = new ProjectionCatchUp(reader, { timeoutMs: 30, pollIntervalMs: 5 });
    const startedAt = Date.now();
    const failure = await catchUp.waitFor(['deal-view', 'listing-view'], at(2n, 0n)).catch((error: unknown) => error);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(25);
    expect(failure).toBeInstanceOf(ReadModelBehindError);
    expect(failure).toMatchObject({ code: 'READ_MODEL_BEHIND', behind: ['deal-view', 'listing-view'], details: { minPosition: '2.0' } });
  });
});
