import { startGate } from './projection-rebuild.js';

const settled = async (promise: Promise<void>): Promise<boolean> => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('startGate: rebuilds of several projections start reading together', () => {
  it('lets no rebuild through until every one has arrived', async () => {
    const gate = startGate(3);
    const first = gate.arrive();
    const second = gate.arrive();
    expect(await settled(first)).toBe(false);
    expect(await settled(second)).toBe(false);

    const third = gate.arrive();

    expect(await settled(first)).toBe(true);
    expect(await settled(second)).toBe(true);
    expect(await settled(third)).toBe(true);
  });

  it('does not hold the others back for a rebuild that gave up before arriving', async () => {
    const gate = startGate(2);
    const waiting = gate.arrive();
    expect(await settled(waiting)).toBe(false);

    gate.giveUp();

    expect(await settled(waiting)).toBe(true);
  });
});
