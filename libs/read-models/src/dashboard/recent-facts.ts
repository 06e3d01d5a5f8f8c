/**
 * GET /v1/dashboard/recent-facts: the newest journal entries first, each a
 * fact that moved money or credits (a payment, a delivery, a payout, a
 * refund, a listing's expiry), for the dashboard page's "recent facts". The
 * journal route (GET /v1/ledger/journal) pages from the oldest entry on,
 * which would make a page walk the whole journal to show the last few; this
 * reads journal_entries_log_idx backwards and stops after `limit`.
 */
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { LogPosition } from '#event-store';
import { JOURNAL } from '../journal/journal-projection.js';
import type { JournalEntryItem } from '../journal/journal-queries.js';
import { READ_MODEL_DATABASE, queryRows, type ReadModelDatabase } from '../queries/read-model-database.js';
import { ProjectionCatchUp } from '../queries/read-your-writes.js';

/** A screenful: the dashboard shows the last few facts, not a history (that is the journal route's). */
export const DEFAULT_RECENT_FACTS = 20;
export const MAX_RECENT_FACTS = 100;

export class RecentFactsQuery extends Query<{ items: JournalEntryItem[] }> {
  constructor(
    /** null: every entry; otherwise only the entries of deals this broker brokers, as the journal route scopes them. */
    readonly brokerId: string | null,
    readonly limit: number,
    readonly minPosition?: LogPosition,
  ) {
    super();
  }
}

const RECENT_FACTS_SQL = `
SELECT e.id, e.deal_id, e.listing_id, e.kind, e.currency, e.event_id::text AS event_id,
       e.commit_position::text AS commit_position, e.prepare_position::text AS prepare_position, e.recorded_at,
       (SELECT json_agg(json_build_object('account', p.account, 'amountCents', p.amount_cents::text) ORDER BY p.posting_index)
          FROM journal_postings p WHERE p.entry_id = e.id) AS postings
  FROM journal_entries e
 WHERE $1::text IS NULL OR EXISTS (SELECT 1 FROM deal_view d WHERE d.id = e.deal_id AND d.broker_id = $1::text)
 ORDER BY e.commit_position DESC, e.prepare_position DESC, e.entry_index DESC
 LIMIT $2`;

interface RecentFactRow {
  readonly id: string;
  readonly deal_id: string | null;
  readonly listing_id: string | null;
  readonly kind: string;
  readonly currency: string;
  readonly event_id: string;
  readonly commit_position: string;
  readonly prepare_position: string;
  readonly recorded_at: Date | string;
  readonly postings: Array<{ account: string; amountCents: string }>;
}

@QueryHandler(RecentFactsQuery)
export class RecentFactsQueryHandler implements IQueryHandler<RecentFactsQuery, { items: JournalEntryItem[] }> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly database: ReadModelDatabase,
    @Inject(ProjectionCatchUp) private readonly catchUp: ProjectionCatchUp,
  ) {}

  async execute({ brokerId, limit, minPosition }: RecentFactsQuery): Promise<{ items: JournalEntryItem[] }> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RECENT_FACTS) throw new Error(`RecentFactsQuery with an unchecked limit: ${limit}`);
    await this.catchUp.waitFor([JOURNAL], minPosition);
    const rows = await queryRows<RecentFactRow>(this.database, RECENT_FACTS_SQL, [brokerId, limit]);
    return {
      items: rows.map((row) => ({
        id: row.id,
        dealId: row.deal_id,
        listingId: row.listing_id,
        kind: row.kind,
        currency: row.currency,
        eventId: row.event_id,
        position: `${row.commit_position}.${row.prepare_position}`,
        recordedAt: new Date(row.recorded_at).toISOString(),
        postings: row.postings,
      })),
    };
  }
}
