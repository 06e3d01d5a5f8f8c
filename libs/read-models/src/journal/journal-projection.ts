/**
 * The double-entry journal and account balances (shared/DOMAIN.md, "The
 * books"), projected set-based from the deal facts.
 *
 * The posting rules are the domain's (`dealJournalEntries`): they need the
 * deal as it stood before each fact, so the projection keeps each deal's
 * folded state in `journal_deal_state`, evolved with the domain's evolve,
 * and never reads another projection (whose progress is its own).
 *
 * Per batch, whatever its size, three statements: read the states of the
 * deals the batch touches, write them back, and one statement that inserts
 * the entries and postings and adds the sums of the postings it inserted to
 * the balances. All of it runs in the durable subscription's transaction,
 * with its checkpoint. Redelivery cannot double-post twice over: a state's
 * stream revision skips facts already folded, and an entry's id is
 * `<event id>:<index>`, so only postings of entries inserted now move a
 * balance.
 */
import type pg from 'pg';
import { decodeDealEvent, dealJournalEntries, evolveDeal, initialDealState, invariant, type DealEvent, type DealState, type JournalEntry } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { LogSubscriber } from '../subscriptions/durable-subscription.js';
import { stateFromJson, stateToJson } from '../projections/state-json.js';

export const JOURNAL = 'journal';

const DEAL_STREAM_PREFIX = 'deal-';

export interface JournalProjectionOptions {
  /** The posting rules; default the domain's. Tests substitute broken ones to see the invariant stop the projection. */
  readonly entriesOf?: (before: DealState, event: DealEvent) => readonly JournalEntry[];
}

const LOAD_STATES = 'SELECT deal_id, state, stream_revision::text AS stream_revision FROM journal_deal_state WHERE deal_id = ANY($1::text[])';

const SAVE_STATES = `INSERT INTO journal_deal_state (deal_id, state, stream_revision)
  SELECT deal_id, state, stream_revision FROM jsonb_to_recordset($1::jsonb) AS row(deal_id text, state jsonb, stream_revision bigint)
  ON CONFLICT (deal_id) DO UPDATE SET state = EXCLUDED.state, stream_revision = EXCLUDED.stream_revision`;

// Only the postings of entries this statement inserted reach the balances: an entry already
// present (redelivery) conflicts, returns nothing, and its postings are left out.
const POST_ENTRIES = `WITH new_entries AS (
    INSERT INTO journal_entries (id, event_id, entry_index, deal_id, kind, currency, commit_position, prepare_position, recorded_at)
    SELECT id, event_id, entry_index, deal_id, kind, currency, commit_position, prepare_position, recorded_at
    FROM jsonb_to_recordset($1::jsonb) AS entry(id text, event_id uuid, entry_index smallint, deal_id text, kind text, currency text,
      commit_position numeric, prepare_position numeric, recorded_at timestamptz)
    ON CONFLICT (id) DO NOTHING
    RETURNING id, entry_index, currency, commit_position, prepare_position, recorded_at
  ), new_postings AS (
    INSERT INTO journal_postings (entry_id, account, posting_index, entry_index, currency, amount_cents, commit_position, prepare_position, recorded_at)
    SELECT posting.entry_id, posting.account, posting.posting_index, new_entries.entry_index, new_entries.currency, posting.amount_cents,
      new_entries.commit_position, new_entries.prepare_position, new_entries.recorded_at
    FROM jsonb_to_recordset($2::jsonb) AS posting(entry_id text, account text, posting_index smallint, amount_cents bigint)
    JOIN new_entries ON new_entries.id = posting.entry_id
    RETURNING account, currency, amount_cents
  )
  INSERT INTO account_balances (account, currency, balance_cents)
  SELECT account, currency, sum(amount_cents)::bigint FROM new_postings GROUP BY account, currency
  ON CONFLICT (account, currency) DO UPDATE SET balance_cents = account_balances.balance_cents + EXCLUDED.balance_cents`;

export function journalProjection(options: JournalProjectionOptions = {}): LogSubscriber {
  const entriesOf = options.entriesOf ?? dealJournalEntries;
  return {
    name: JOURNAL,
    // Unfiltered like the views: the checkpoint passes every position, so lag is one comparison.
    async handle(events, transaction) {
      const byDeal = groupByDeal(events);
      if (byDeal.size === 0) return;
      const stored = await loadStates(transaction, [...byDeal.keys()]);
      const states: string[] = [];
      const entries: string[] = [];
      const postings: string[] = [];
      for (const [dealId, dealEvents] of byDeal) {
        const current = stored.get(dealId);
        let state = current === undefined ? initialDealState : stateFromJson<DealState>(current.state);
        let revision = current?.revision ?? -1n;
        for (const recorded of dealEvents) {
          // At-least-once delivery meets a state that already holds the fact: it posted then.
          if (recorded.revision <= revision) continue;
          const event = decodeDealEvent(recorded);
          entriesOf(state, event).forEach((entry, entryIndex) => {
            const entryId = `${recorded.id}:${entryIndex}`;
            assertBalanced(entryId, entry);
            entries.push(
              JSON.stringify({
                id: entryId,
                event_id: recorded.id,
                entry_index: entryIndex,
                deal_id: dealId,
                kind: entry.kind,
                currency: entry.currency,
                commit_position: recorded.position.commit.toString(),
                prepare_position: recorded.position.prepare.toString(),
                recorded_at: recorded.recordedAt.toISOString(),
              }),
            );
            entry.postings.forEach((posting, postingIndex) => {
              postings.push(JSON.stringify({ entry_id: entryId, account: posting.account, posting_index: postingIndex, amount_cents: posting.amountCents.toString() }));
            });
          });
          state = evolveDeal(state, event);
          revision = recorded.revision;
        }
        states.push(`{"deal_id":${JSON.stringify(dealId)},"state":${stateToJson(state)},"stream_revision":"${revision}"}`);
      }
      await transaction.query(SAVE_STATES, [`[${states.join(',')}]`]);
      if (entries.length > 0) await transaction.query(POST_ENTRIES, [`[${entries.join(',')}]`, `[${postings.join(',')}]`]);
    },
  };
}

/** Every entry sums to zero, moves something, and names an account once (the postings' key). */
function assertBalanced(entryId: string, entry: JournalEntry): void {
  invariant(entry.postings.length > 0, `journal entry ${entryId} (${entry.kind}) has no postings`);
  let sum = 0n;
  const accounts = new Set<string>();
  for (const posting of entry.postings) {
    invariant(posting.amountCents !== 0n, `journal entry ${entryId} (${entry.kind}) posts zero to ${posting.account}`);
    invariant(!accounts.has(posting.account), `journal entry ${entryId} (${entry.kind}) posts to ${posting.account} twice`);
    accounts.add(posting.account);
    sum += posting.amountCents;
  }
  invariant(sum === 0n, `journal entry ${entryId} (${entry.kind}) does not balance: its postings sum to ${sum}`);
}

function groupByDeal(events: readonly RecordedEvent[]): Map<string, RecordedEvent[]> {
  const byDeal = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    if (!event.streamId.startsWith(DEAL_STREAM_PREFIX)) continue;
    const dealId = event.streamId.slice(DEAL_STREAM_PREFIX.length);
    const list = byDeal.get(dealId);
    if (list === undefined) byDeal.set(dealId, [event]);
    else list.push(event);
  }
  return byDeal;
}

async function loadStates(client: pg.ClientBase, dealIds: string[]): Promise<Map<string, { state: unknown; revision: bigint }>> {
  const result = await client.query<{ deal_id: string; state: unknown; stream_revision: string }>(LOAD_STATES, [dealIds]);
  return new Map(result.rows.map((row) => [row.deal_id, { state: row.state, revision: BigInt(row.stream_revision) }]));
}
