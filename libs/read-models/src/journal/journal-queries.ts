/**
 * The books' queries (shared/API.md, Queries: /v1/ledger/...), answered from
 * the journal projection's tables through @nestjs/cqrs. Amounts are decimal
 * strings (cents), lists are `{ items, nextCursor }` in a stable order, and
 * a query that names something unknown answers null (the edge makes it 404).
 */
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { encodeAccountCursor, encodeLogCursor, type AccountCursor, type LogCursor } from './journal-cursors.js';

export interface JournalPage<Item> {
  readonly items: Item[];
  readonly nextCursor: string | null;
}

export interface AccountBalanceItem {
  readonly account: string;
  readonly currency: string;
  readonly balanceCents: string;
}

export interface AccountBalance {
  readonly account: string;
  /** The moment asked for; null: the current balance. */
  readonly asOf: string | null;
  readonly balances: Array<{ readonly currency: string; readonly balanceCents: string }>;
}

export interface AccountPostingItem {
  readonly entryId: string;
  /** Null for an entry of a listing fact that concerns no deal (a listing's expiry). */
  readonly dealId: string | null;
  readonly listingId: string | null;
  readonly kind: string;
  readonly currency: string;
  readonly amountCents: string;
  readonly position: string;
  readonly recordedAt: string;
}

export interface JournalEntryItem {
  readonly id: string;
  /** Null for an entry of a listing fact that concerns no deal (a listing's expiry). */
  readonly dealId: string | null;
  /** Null only for entries posted before listing ids were recorded. */
  readonly listingId: string | null;
  readonly kind: string;
  readonly currency: string;
  readonly eventId: string;
  readonly position: string;
  readonly recordedAt: string;
  readonly postings: Array<{ readonly account: string; readonly amountCents: string }>;
}

export class ListAccountBalancesQuery extends Query<JournalPage<AccountBalanceItem>> {
  constructor(
    readonly limit: number,
    readonly after: AccountCursor | null,
  ) {
    super();
  }
}

export class AccountBalanceQuery extends Query<AccountBalance | null> {
  /** asOf null: the current balance; otherwise the sum of the postings recorded up to that moment. */
  constructor(
    readonly account: string,
    readonly asOf: Date | null,
  ) {
    super();
  }
}

export class AccountPostingsQuery extends Query<JournalPage<AccountPostingItem> | null> {
  constructor(
    readonly account: string,
    readonly limit: number,
    readonly after: LogCursor | null,
  ) {
    super();
  }
}

export class JournalEntriesQuery extends Query<JournalPage<JournalEntryItem> | null> {
  /**
   * brokerId non-null: only the entries of deals that broker brokers (deal_view.broker_id);
   * a dealId that is not theirs answers null, like an unknown deal.
   */
  constructor(
    readonly dealId: string | null,
    readonly brokerId: string | null,
    readonly limit: number,
    readonly after: LogCursor | null,
  ) {
    super();
  }
}

interface LogOrderRow {
  readonly commit_position: string;
  readonly prepare_position: string;
  readonly entry_index: number;
}

/** Fetches one row more than the page to know whether another page follows. */
function page<Row, Item>(rows: Row[], limit: number, item: (row: Row) => Item, cursorOf: (row: Row) => string): JournalPage<Item> {
  const items = rows.slice(0, limit);
  return { items: items.map(item), nextCursor: rows.length > limit ? cursorOf(items[items.length - 1]!) : null };
}

function logCursorOf(row: LogOrderRow): string {
  return encodeLogCursor({ position: { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) }, entryIndex: row.entry_index });
}

function afterParameters(after: LogCursor | null): Array<string | number | null> {
  return after === null ? [null, null, null] : [after.position.commit.toString(), after.position.prepare.toString(), after.entryIndex];
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

@QueryHandler(ListAccountBalancesQuery)
export class ListAccountBalancesHandler implements IQueryHandler<ListAccountBalancesQuery, JournalPage<AccountBalanceItem>> {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async execute({ limit, after }: ListAccountBalancesQuery): Promise<JournalPage<AccountBalanceItem>> {
    const rows: Array<{ account: string; currency: string; balance_cents: string }> = await this.dataSource.query(
      `SELECT account, currency, balance_cents::text AS balance_cents FROM account_balances
       WHERE $1::text IS NULL OR (account, currency) > ($1::text, $2::text)
       ORDER BY account, currency LIMIT $3`,
      [after?.account ?? null, after?.currency ?? null, limit + 1],
    );
    return page(
      rows,
      limit,
      (row) => ({ account: row.account, currency: row.currency, balanceCents: row.balance_cents }),
      (row) => encodeAccountCursor({ account: row.account, currency: row.currency }),
    );
  }
}

@QueryHandler(AccountBalanceQuery)
export class AccountBalanceHandler implements IQueryHandler<AccountBalanceQuery, AccountBalance | null> {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async execute({ account, asOf }: AccountBalanceQuery): Promise<AccountBalance | null> {
    // The current balance is the stored one; at a moment, the sum of the postings recorded by then
    // (zero in a currency the account had not used yet).
    const rows: Array<{ currency: string; balance_cents: string }> = await this.dataSource.query(
      `SELECT b.currency,
         (CASE WHEN $2::timestamptz IS NULL THEN b.balance_cents
               ELSE coalesce((SELECT sum(p.amount_cents) FROM journal_postings p
                              WHERE p.account = b.account AND p.currency = b.currency AND p.recorded_at <= $2::timestamptz), 0)
          END)::text AS balance_cents
       FROM account_balances b WHERE b.account = $1 ORDER BY b.currency`,
      [account, asOf?.toISOString() ?? null],
    );
    if (rows.length === 0) return null;
    return { account, asOf: asOf?.toISOString() ?? null, balances: rows.map((row) => ({ currency: row.currency, balanceCents: row.balance_cents })) };
  }
}

@QueryHandler(AccountPostingsQuery)
export class AccountPostingsHandler implements IQueryHandler<AccountPostingsQuery, JournalPage<AccountPostingItem> | null> {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async execute({ account, limit, after }: AccountPostingsQuery): Promise<JournalPage<AccountPostingItem> | null> {
    const known: unknown[] = await this.dataSource.query('SELECT 1 FROM account_balances WHERE account = $1 LIMIT 1', [account]);
    if (known.length === 0) return null;
    const rows: Array<LogOrderRow & { entry_id: string; deal_id: string | null; listing_id: string | null; kind: string; currency: string; amount_cents: string; recorded_at: Date }> =
      await this.dataSource.query(
        `SELECT p.entry_id, e.deal_id, e.listing_id, e.kind, p.currency, p.amount_cents::text AS amount_cents,
           p.commit_position::text AS commit_position, p.prepare_position::text AS prepare_position, p.entry_index, p.recorded_at
         FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id
         WHERE p.account = $1
           AND ($2::numeric IS NULL OR (p.commit_position, p.prepare_position, p.entry_index) > ($2::numeric, $3::numeric, $4::smallint))
         ORDER BY p.commit_position, p.prepare_position, p.entry_index LIMIT $5`,
        [account, ...afterParameters(after), limit + 1],
      );
    return page(
      rows,
      limit,
      (row) => ({
        entryId: row.entry_id,
        dealId: row.deal_id,
        listingId: row.listing_id,
        kind: row.kind,
        currency: row.currency,
        amountCents: row.amount_cents,
        position: `${row.commit_position}.${row.prepare_position}`,
        recordedAt: iso(row.recorded_at),
      }),
      logCursorOf,
    );
  }
}

@QueryHandler(JournalEntriesQuery)
export class JournalEntriesHandler implements IQueryHandler<JournalEntriesQuery, JournalPage<JournalEntryItem> | null> {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async execute({ dealId, brokerId, limit, after }: JournalEntriesQuery): Promise<JournalPage<JournalEntryItem> | null> {
    if (dealId !== null && brokerId !== null) {
      const brokered: unknown[] = await this.dataSource.query('SELECT 1 FROM deal_view WHERE id = $1 AND broker_id = $2', [dealId, brokerId]);
      if (brokered.length === 0) return null;
    }
    const rows: Array<
      LogOrderRow & { id: string; deal_id: string | null; listing_id: string | null; kind: string; currency: string; event_id: string; recorded_at: Date; postings: Array<{ account: string; amountCents: string }> }
    > =
      await this.dataSource.query(
        `SELECT e.id, e.deal_id, e.listing_id, e.kind, e.currency, e.event_id::text AS event_id,
           e.commit_position::text AS commit_position, e.prepare_position::text AS prepare_position, e.entry_index, e.recorded_at,
           (SELECT json_agg(json_build_object('account', p.account, 'amountCents', p.amount_cents::text) ORDER BY p.posting_index)
              FROM journal_postings p WHERE p.entry_id = e.id) AS postings
         FROM journal_entries e
         WHERE ($1::text IS NULL OR e.deal_id = $1::text)
           AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM deal_view d WHERE d.id = e.deal_id AND d.broker_id = $2::text))
           AND ($3::numeric IS NULL OR (e.commit_position, e.prepare_position, e.entry_index) > ($3::numeric, $4::numeric, $5::smallint))
         ORDER BY e.commit_position, e.prepare_position, e.entry_index LIMIT $6`,
        [dealId, brokerId, ...afterParameters(after), limit + 1],
      );
    return page(
      rows,
      limit,
      (row) => ({
        id: row.id,
        dealId: row.deal_id,
        listingId: row.listing_id,
        kind: row.kind,
        currency: row.currency,
        eventId: row.event_id,
        position: `${row.commit_position}.${row.prepare_position}`,
        recordedAt: iso(row.recorded_at),
        postings: row.postings,
      }),
      logCursorOf,
    );
  }
}

export const JOURNAL_QUERY_HANDLERS = [ListAccountBalancesHandler, AccountBalanceHandler, AccountPostingsHandler, JournalEntriesHandler] as const;
