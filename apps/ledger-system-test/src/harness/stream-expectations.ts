/**
 * What the log must hold after a scenario, written down by the clients from
 * the commands the service acknowledged: for each stream the scenario wrote
 * to, the facts each acknowledged command records, plus those the reservation
 * process manager adds (a listing's reservation released or sold when its
 * deal ends). check() reads every such stream back:
 *
 * - a fact missing is an acknowledged command lost;
 * - a fact too many is a command recorded twice (a retry, a replay, a crash
 *   between the write and the answer);
 * - deal streams must hold their facts in the order the commands were
 *   acknowledged (one broker drives a deal at a time); listing streams are
 *   compared as multisets, since the process manager's facts interleave with
 *   the next deal's reservation.
 */
import type pg from 'pg';
import type { EventStore } from '#event-store';

export type StreamOrder = 'ordered' | 'unordered';

export class ExpectedFacts {
  private readonly streams = new Map<string, { order: StreamOrder; types: string[] }>();

  expect(streamId: string, types: readonly string[], order: StreamOrder): void {
    const stream = this.streams.get(streamId);
    if (stream === undefined) this.streams.set(streamId, { order, types: [...types] });
    else stream.types.push(...types);
  }

  get streamIds(): readonly string[] {
    return [...this.streams.keys()];
  }

  /** Facts expected in all. */
  get factCount(): number {
    let count = 0;
    for (const { types } of this.streams.values()) count += types.length;
    return count;
  }

  /** Every stream that differs from what was acknowledged, in words (at most `limit`, then a count). */
  async check(store: EventStore, limit = 10): Promise<string[]> {
    const problems: string[] = [];
    let differing = 0;
    for (const [streamId, expected] of this.streams) {
      const actual = (await store.readStream(streamId)).map((event) => event.type);
      const problem = expected.order === 'ordered' ? orderedDifference(expected.types, actual) : multisetDifference(expected.types, actual);
      if (problem === null) continue;
      differing += 1;
      if (problems.length < limit) problems.push(`${streamId}: ${problem}`);
    }
    if (differing > limit) problems.push(`... ${differing} streams differ from the acknowledged commands in all`);
    return problems;
  }
}

function orderedDifference(expected: readonly string[], actual: readonly string[]): string | null {
  if (expected.length === actual.length && expected.every((type, index) => type === actual[index])) return null;
  return `expected [${expected.join(', ')}], stored [${actual.join(', ')}]`;
}

function multisetDifference(expected: readonly string[], actual: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const type of expected) counts.set(type, (counts.get(type) ?? 0) + 1);
  for (const type of actual) counts.set(type, (counts.get(type) ?? 0) - 1);
  const missing = [...counts].filter(([, count]) => count > 0).map(([type, count]) => `${count} x ${type}`);
  const extra = [...counts].filter(([, count]) => count < 0).map(([type, count]) => `${-count} x ${type}`);
  if (missing.length === 0 && extra.length === 0) return null;
  return [missing.length > 0 ? `missing ${missing.join(', ')}` : '', extra.length > 0 ? `recorded too often ${extra.join(', ')}` : ''].filter(Boolean).join('; ');
}

/**
 * Streams the scenario never acknowledged creating, though they belong to it:
 * listings whose providerOrgRef carries the scenario's tag, and deals opened
 * on the scenario's listings. One is a create recorded twice under two ids.
 */
export async function strayStreams(pool: pg.Pool, facts: ExpectedFacts, orgRefPrefix: string): Promise<string[]> {
  const expected = new Set(facts.streamIds);
  const listingIds = facts.streamIds.filter((stream) => stream.startsWith('listing-')).map((stream) => stream.slice('listing-'.length));
  const rows = await pool.query<{ stream_id: string }>(
    `SELECT stream_id FROM ledger_events WHERE event_type = 'ListingSubmitted' AND starts_with(data->>'providerOrgRef', $1)
     UNION
     SELECT stream_id FROM ledger_events WHERE event_type = 'DealOpened' AND data->>'listingId' = ANY($2::text[])`,
    [orgRefPrefix, listingIds],
  );
  return rows.rows.map((row) => row.stream_id).filter((stream) => !expected.has(stream));
}
