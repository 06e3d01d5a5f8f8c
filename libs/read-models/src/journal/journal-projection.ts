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
import { PROJECTION_BATCH_SIZE, type LogSubscriber } from '../subscriptions/durable-subscription.js';
import { decodeOnce } from '../projections/decoded-events.js';
import { stateFromJson, stateToJson } from '../projections/state-json.js';

export const JOURNAL = 'journal';
/** Every table the journal projection writes: a rebuild truncates them. */
export const JOURNAL_TABLES = ['journal_entries', 'journal_postings', 'account_balances', 'journal_deal_state'] as const;

const DEAL_STREAM_PREFIX = 'deal-';

export interface JournalProjectionOptions {
  /** The posting rules; default the domain's. Tests substitute broken ones to see the invariant stop the projection. */
  readonly entriesOf?: (before: DealState, event: DealEvent) => readonly JournalEntry[];
}

const LOAD_STATES = 'SELECT deal_id, state, stream_revision::text AS stream_revision FROM journal_deal_state WHERE deal_id = ANY($1::text[])';

// Column arrays unnested into rows: cheaper to build and to take apart than JSON recordsets.
const SAVE_STATES = `INSERT INTO journal_deal_state (deal_id, state, stream_revision)
  SELECT * FROM unnest($1::text[], $2::jsonb[], $3::bigint[])
  ON CONFLICT (deal_id) DO UPDATE SET state = EXCLUDED.state, stream_revision = EXCLUDED.stream_revision`;

// Only the postings of entries this statement inserted reach the balances: an entry already
// present (redelivery) conflicts, returns nothing, and its postings are left out.
const POST_ENTRIES = `WITH new_entries AS (
    INSERT INTO journal_entries (id, event_id, entry_index, deal_id, kind, currency, commit_position, prepare_position, recorded_at)
    SELECT * FROM unnest($1::text[], $2::uuid[], $3::smallint[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::numeric[], $9::timestamptz[])
    ON CONFLICT (id) DO NOTHING
    RETURNING id, entry_index, currency, commit_position, prepare_position, recorded_at
  ), new_postings AS (
    INSERT INTO journal_postings (entry_id, account, posting_index, entry_index, currency, amount_cents, commit_position, prepare_position, recorded_at)
    SELECT posting.entry_id, posting.account, posting.posting_index, new_entries.entry_index, new_entries.currency, posting.amount_cents,
      new_entries.commit_position, new_entries.prepare_position, new_entries.recorded_at
    FROM unnest($10::text[], $11::text[], $12::smallint[], $13::bigint[]) AS posting(entry_id, account, posting_index, amount_cents)
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
    // Set-based: a batch costs a few statements whatever its size, so large ones pay.
    batchSize: PROJECTION_BATCH_SIZE,
    // Unfiltered like the views: the checkpoint passes every position, so lag is one comparison.
    async handle(events, transaction) {
      const byDeal = groupByDeal(events);
      if (byDeal.size === 0) return;
      const stored = await loadStates(transaction, [...byDeal.keys()]);
      const saved = { dealIds: [] as string[], states: [] as string[], revisions: [] as string[] };
      const entries = { ids: [] as string[], eventIds: [] as string[], indexes: [] as number[], dealIds: [] as string[], kinds: [] as string[], currencies: [] as string[], commits: [] as string[], prepares: [] as string[], recordedAt: [] as string[] };
      const postings = { entryIds: [] as string[], accounts: [] as string[], indexes: [] as number[], amounts: [] as string[] };
      for (const [dealId, dealEvents] of byDeal) {
        const current = stored.get(dealId);
        let state = current === undefined ? initialDealState : stateFromJson<DealState>(current.state);
        let revision = current?.revision ?? -1n;
        let changed = false;
        for (const recorded of dealEvents) {
          // At-least-once delivery meets a state that already holds the fact: it posted then.
          if (recorded.revision <= revision) continue;
          const event = decodeOnce(recorded, decodeDealEvent);
          const commit = recorded.position.commit.toString();
          const prepare = recorded.position.prepare.toString();
          const recordedAt = recorded.recordedAt.toISOString();
          entriesOf(state, event).forEach((entry, entryIndex) => {
            const entryId = `${recorded.id}:${entryIndex}`;
            assertBalanced(entryId, entry);
            entries.ids.push(entryId);
            entries.eventIds.push(recorded.id);
            entries.indexes.push(entryIndex);
            entries.dealIds.push(dealId);
            entries.kinds.push(entry.kind);
            entries.currencies.push(entry.currency);
            entries.commits.push(commit);
            entries.prepares.push(prepare);
            entries.recordedAt.push(recordedAt);
            entry.postings.forEach((posting, postingIndex) => {
              postings.entryIds.push(entryId);
              postings.accounts.push(posting.account);
              postings.indexes.push(postingIndex);
              postings.amounts.push(posting.amountCents.toString());
            });
          });
          state = evolveDeal(state, event);
          revision = recorded.revision;
          changed = true;
        }
        // Nothing new for this deal (redelivery): its stored state stands.
        if (!changed) continue;
        saved.dealIds.push(dealId);
        saved.states.push(stateToJson(state));
        saved.revisions.push(revision.toString());
      }
      if (saved.dealIds.length > 0) await transaction.query(SAVE_STATES, [saved.dealIds, saved.states, saved.revisions]);
      if (entries.ids.length > 0) {
        await transaction.query(POST_ENTRIES, [
          entries.ids,
          entries.eventIds,
          entries.indexes,
          entries.dealIds,
          entries.kinds,
          entries.currencies,
          entries.commits,
          entries.prepares,
          entries.recordedAt,
          postings.entryIds,
          postings.accounts,
          postings.indexes,
          postings.amounts,
        ]);
      }
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
