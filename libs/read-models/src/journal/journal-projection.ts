/**
 * The double-entry journal and account balances (shared/DOMAIN.md, "The
 * books"), projected set-based from the deal and listing facts.
 *
 * The posting rules are the domain's: `dealJournalEntries` needs the deal as
 * it stood before each fact, so the projection keeps each deal's folded
 * state in `journal_deal_state`, evolved with the domain's evolve;
 * `listingJournalEntries` (face value lost to expiry, written off to
 * credits:expired) needs a listing's seller, currency and whether it has
 * expired, kept in `journal_listing_state`. It never reads another
 * projection (whose progress is its own).
 *
 * Per batch, whatever its size, at most five statements: read the states of
 * the deals and of the listings the batch touches, write them back, and one
 * statement that inserts the entries and postings and adds the sums of the
 * postings it inserted to the balances. All of it runs in the durable
 * subscription's transaction, with its checkpoint. Redelivery cannot
 * double-post: a state's stream revision skips facts already folded, and an
 * entry's id is `<event id>:<index>`, so only postings of entries inserted
 * now move a balance.
 */
import type pg from 'pg';
import {
  decodeDealEvent,
  decodeListingEvent,
  dealJournalEntries,
  evolveDeal,
  evolveListingBooks,
  initialDealState,
  invariant,
  listingJournalEntries,
  type DealEvent,
  type DealState,
  type JournalEntry,
  type ListingBooks,
  type ListingEvent,
} from '#domain';
import type { RecordedEvent } from '#event-store';
import { PROJECTION_BATCH_SIZE, type LogSubscriber } from '../subscriptions/durable-subscription.js';
import { decodeOnce } from '../projections/decoded-events.js';
import { stateFromJson, stateToJson } from '../projections/state-json.js';

export const JOURNAL = 'journal';
/** Every table the journal projection writes: a rebuild truncates them. */
export const JOURNAL_TABLES = ['journal_entries', 'journal_postings', 'account_balances', 'journal_deal_state', 'journal_listing_state'] as const;

const DEAL_STREAM_PREFIX = 'deal-';
const LISTING_STREAM_PREFIX = 'listing-';

export interface JournalProjectionOptions {
  /** The posting rules; default the domain's. Tests substitute broken ones to see the invariant stop the projection. */
  readonly entriesOf?: (before: DealState, event: DealEvent) => readonly JournalEntry[];
  /** The listing's posting rules; default the domain's. */
  readonly listingEntriesOf?: (before: ListingBooks | null, event: ListingEvent) => readonly JournalEntry[];
}

const LOAD_STATES = 'SELECT deal_id, state, stream_revision::text AS stream_revision FROM journal_deal_state WHERE deal_id = ANY($1::text[])';

const LOAD_LISTING_BOOKS = `SELECT listing_id, seller_id, currency, expired, stream_revision::text AS stream_revision
  FROM journal_listing_state WHERE listing_id = ANY($1::text[])`;

const SAVE_LISTING_BOOKS = `INSERT INTO journal_listing_state (listing_id, seller_id, currency, expired, stream_revision)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::bigint[])
  ON CONFLICT (listing_id) DO UPDATE SET expired = EXCLUDED.expired, stream_revision = EXCLUDED.stream_revision`;

// Column arrays unnested into rows: cheaper to build and to take apart than JSON recordsets.
const SAVE_STATES = `INSERT INTO journal_deal_state (deal_id, state, stream_revision)
  SELECT * FROM unnest($1::text[], $2::jsonb[], $3::bigint[])
  ON CONFLICT (deal_id) DO UPDATE SET state = EXCLUDED.state, stream_revision = EXCLUDED.stream_revision`;

// Only the postings of entries this statement inserted reach the balances: an entry already
// present (redelivery) conflicts, returns nothing, and its postings are left out.
const POST_ENTRIES = `WITH new_entries AS (
    INSERT INTO journal_entries (id, event_id, entry_index, deal_id, listing_id, kind, currency, commit_position, prepare_position, recorded_at)
    SELECT * FROM unnest($1::text[], $2::uuid[], $3::smallint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[], $9::numeric[], $10::timestamptz[])
    ON CONFLICT (id) DO NOTHING
    RETURNING id, entry_index, currency, commit_position, prepare_position, recorded_at
  ), new_postings AS (
    INSERT INTO journal_postings (entry_id, account, posting_index, entry_index, currency, amount_cents, commit_position, prepare_position, recorded_at)
    SELECT posting.entry_id, posting.account, posting.posting_index, new_entries.entry_index, new_entries.currency, posting.amount_cents,
      new_entries.commit_position, new_entries.prepare_position, new_entries.recorded_at
    FROM unnest($11::text[], $12::text[], $13::smallint[], $14::bigint[]) AS posting(entry_id, account, posting_index, amount_cents)
    JOIN new_entries ON new_entries.id = posting.entry_id
    RETURNING account, currency, amount_cents
  )
  INSERT INTO account_balances (account, currency, balance_cents)
  SELECT account, currency, sum(amount_cents)::bigint FROM new_postings GROUP BY account, currency
  ON CONFLICT (account, currency) DO UPDATE SET balance_cents = account_balances.balance_cents + EXCLUDED.balance_cents`;

export function journalProjection(options: JournalProjectionOptions = {}): LogSubscriber {
  const entriesOf = options.entriesOf ?? dealJournalEntries;
  const listingEntriesOf = options.listingEntriesOf ?? listingJournalEntries;
  return {
    name: JOURNAL,
    // Set-based: a batch costs a few statements whatever its size, so large ones pay.
    batchSize: PROJECTION_BATCH_SIZE,
    // Unfiltered like the views: the checkpoint passes every position, so lag is one comparison.
    async handle(events, transaction) {
      const byDeal = groupByStream(events, DEAL_STREAM_PREFIX);
      const byListing = groupByStream(events, LISTING_STREAM_PREFIX);
      if (byDeal.size === 0 && byListing.size === 0) return;
      const entries = new EntryRows();
      if (byDeal.size > 0) await postDeals(transaction, byDeal, entriesOf, entries);
      if (byListing.size > 0) await postListings(transaction, byListing, listingEntriesOf, entries);
      if (entries.ids.length > 0) await transaction.query(POST_ENTRIES, entries.parameters());
    },
  };
}

/** The entries and postings of one batch, as the column arrays POST_ENTRIES unnests. */
class EntryRows {
  readonly ids: string[] = [];
  private readonly eventIds: string[] = [];
  private readonly indexes: number[] = [];
  private readonly dealIds: Array<string | null> = [];
  private readonly listingIds: Array<string | null> = [];
  private readonly kinds: string[] = [];
  private readonly currencies: string[] = [];
  private readonly commits: string[] = [];
  private readonly prepares: string[] = [];
  private readonly recordedAt: string[] = [];
  private readonly postingEntryIds: string[] = [];
  private readonly postingAccounts: string[] = [];
  private readonly postingIndexes: number[] = [];
  private readonly postingAmounts: string[] = [];

  /** The entries one recorded fact posts; the id of each is `<event id>:<index>`. */
  add(recorded: RecordedEvent, posted: readonly JournalEntry[], about: { readonly dealId: string | null; readonly listingId: string | null }): void {
    if (posted.length === 0) return;
    const commit = recorded.position.commit.toString();
    const prepare = recorded.position.prepare.toString();
    const recordedAt = recorded.recordedAt.toISOString();
    posted.forEach((entry, entryIndex) => {
      const entryId = `${recorded.id}:${entryIndex}`;
      assertBalanced(entryId, entry);
      this.ids.push(entryId);
      this.eventIds.push(recorded.id);
      this.indexes.push(entryIndex);
      this.dealIds.push(about.dealId);
      this.listingIds.push(about.listingId);
      this.kinds.push(entry.kind);
      this.currencies.push(entry.currency);
      this.commits.push(commit);
      this.prepares.push(prepare);
      this.recordedAt.push(recordedAt);
      entry.postings.forEach((posting, postingIndex) => {
        this.postingEntryIds.push(entryId);
        this.postingAccounts.push(posting.account);
        this.postingIndexes.push(postingIndex);
        this.postingAmounts.push(posting.amountCents.toString());
      });
    });
  }

  parameters(): unknown[] {
    return [
      this.ids,
      this.eventIds,
      this.indexes,
      this.dealIds,
      this.listingIds,
      this.kinds,
      this.currencies,
      this.commits,
      this.prepares,
      this.recordedAt,
      this.postingEntryIds,
      this.postingAccounts,
      this.postingIndexes,
      this.postingAmounts,
    ];
  }
}

async function postDeals(
  transaction: pg.ClientBase,
  byDeal: ReadonlyMap<string, RecordedEvent[]>,
  entriesOf: (before: DealState, event: DealEvent) => readonly JournalEntry[],
  entries: EntryRows,
): Promise<void> {
  const stored = await loadStates(transaction, [...byDeal.keys()]);
  const saved = { dealIds: [] as string[], states: [] as string[], revisions: [] as string[] };
  for (const [dealId, dealEvents] of byDeal) {
    const current = stored.get(dealId);
    let state = current === undefined ? initialDealState : stateFromJson<DealState>(current.state);
    let revision = current?.revision ?? -1n;
    let changed = false;
    for (const recorded of dealEvents) {
      // At-least-once delivery meets a state that already holds the fact: it posted then.
      if (recorded.revision <= revision) continue;
      const event = decodeOnce(recorded, decodeDealEvent);
      const listingId = state.status === 'none' ? (event.type === 'DealOpened' ? event.data.listingId : null) : state.listingId;
      entries.add(recorded, entriesOf(state, event), { dealId, listingId });
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
}

async function postListings(
  transaction: pg.ClientBase,
  byListing: ReadonlyMap<string, RecordedEvent[]>,
  entriesOf: (before: ListingBooks | null, event: ListingEvent) => readonly JournalEntry[],
  entries: EntryRows,
): Promise<void> {
  const stored = await loadListingBooks(transaction, [...byListing.keys()]);
  const saved = { listingIds: [] as string[], sellerIds: [] as string[], currencies: [] as string[], expired: [] as boolean[], revisions: [] as string[] };
  for (const [listingId, listingEvents] of byListing) {
    const current = stored.get(listingId);
    let books = current?.books ?? null;
    let revision = current?.revision ?? -1n;
    let changed = false;
    for (const recorded of listingEvents) {
      if (recorded.revision <= revision) continue;
      const event = decodeOnce(recorded, decodeListingEvent);
      const dealId = event.type === 'ListingReservationReleased' || event.type === 'ListingSold' ? event.data.dealId : null;
      entries.add(recorded, entriesOf(books, event), { dealId, listingId });
      books = evolveListingBooks(books, event);
      revision = recorded.revision;
      changed = true;
    }
    if (!changed || books === null) continue;
    saved.listingIds.push(listingId);
    saved.sellerIds.push(books.sellerId);
    saved.currencies.push(books.currency);
    saved.expired.push(books.expired);
    saved.revisions.push(revision.toString());
  }
  if (saved.listingIds.length > 0) await transaction.query(SAVE_LISTING_BOOKS, [saved.listingIds, saved.sellerIds, saved.currencies, saved.expired, saved.revisions]);
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

/** The batch's events of the streams named `<prefix><id>`, by id, in log order. */
function groupByStream(events: readonly RecordedEvent[], prefix: string): Map<string, RecordedEvent[]> {
  const byStream = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    if (!event.streamId.startsWith(prefix)) continue;
    const id = event.streamId.slice(prefix.length);
    const list = byStream.get(id);
    if (list === undefined) byStream.set(id, [event]);
    else list.push(event);
  }
  return byStream;
}

async function loadStates(client: pg.ClientBase, dealIds: string[]): Promise<Map<string, { state: unknown; revision: bigint }>> {
  const result = await client.query<{ deal_id: string; state: unknown; stream_revision: string }>(LOAD_STATES, [dealIds]);
  return new Map(result.rows.map((row) => [row.deal_id, { state: row.state, revision: BigInt(row.stream_revision) }]));
}

async function loadListingBooks(client: pg.ClientBase, listingIds: string[]): Promise<Map<string, { books: ListingBooks; revision: bigint }>> {
  const result = await client.query<{ listing_id: string; seller_id: string; currency: string; expired: boolean; stream_revision: string }>(LOAD_LISTING_BOOKS, [listingIds]);
  return new Map(
    result.rows.map((row) => [row.listing_id, { books: { sellerId: row.seller_id, currency: row.currency, expired: row.expired }, revision: BigInt(row.stream_revision) }]),
  );
}
