/**
 * The whole-store check run after every scenario (issue 8): with the service
 * stopped and the log quiet, it verifies
 *
 * 1. the log: every stream's revisions are 0..n-1 with no gap or repeat, and
 *    no event id occurs twice;
 * 2. every stream's hash chain (the CLI's `verify`: verifyEveryStream);
 * 3. the read models equal a fresh fold of the log: every read-model table
 *    is dumped row by row, every projection is rebuilt from the start of
 *    the log (libs/read-models rebuildProjection, as `projections rebuild`
 *    does), dumped again, and the two dumps must be identical byte for byte;
 * 4. the books: every journal entry sums to zero and has postings, every
 *    posting has its entry, each stored balance is the sum of its postings,
 *    and the balances obey books-rules.ts (zero-sum per currency, no account
 *    on its forbidden side).
 *
 * The caller stops the API and the worker first (the API hosts the same
 * projections in its worker thread): nothing may write while the dumps are
 * compared.
 */
import type pg from 'pg';
import type { EventStore } from '#event-store';
import { REBUILDABLE_PROJECTIONS, rebuildProjection, startGate, verifyEveryStream } from '#read-models';
import { booksViolations } from './books-rules.js';

/** The deadlines table is shared by the stream views (each owns its streams' rows): dumped with them. */
export const READ_MODEL_TABLES: readonly string[] = [...new Set([...REBUILDABLE_PROJECTIONS.flatMap((projection) => projection.tables), 'deadlines'])];

export interface StoreCheckReport {
  readonly problems: readonly string[];
  readonly streams: number;
  readonly events: number;
  /** Rows per read-model table (after the rebuild). */
  readonly rows: Readonly<Record<string, number>>;
  readonly journalEntries: number;
  readonly seconds: number;
}

/** At most this many problems of one kind are listed; the count says how many there were. */
const PROBLEMS_LISTED = 5;

export async function checkStore(pool: pg.Pool, store: EventStore): Promise<StoreCheckReport> {
  const started = performance.now();
  const problems: string[] = [];
  problems.push(...(await logProblems(pool)));

  const chains = await verifyEveryStream(store);
  for (const broken of chains.broken.slice(0, PROBLEMS_LISTED)) problems.push(`hash chain broken: stream ${broken.stream} at revision ${broken.brokenAt} (${broken.reason})`);
  if (chains.broken.length > PROBLEMS_LISTED) problems.push(`... ${chains.broken.length} broken streams in all`);

  const before = await dumpReadModels(pool);
  await rebuildAll(pool, store);
  const after = await dumpReadModels(pool);
  problems.push(...compareDumps(before, after));

  problems.push(...(await booksProblems(pool)));
  const journalEntries = Number((await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM journal_entries')).rows[0]!.n);
  return {
    problems,
    streams: chains.streams,
    events: chains.events,
    rows: Object.fromEntries([...after].map(([table, rows]) => [table, rows.length])),
    journalEntries,
    seconds: (performance.now() - started) / 1_000,
  };
}

async function logProblems(pool: pg.Pool): Promise<string[]> {
  const problems: string[] = [];
  const gaps = await pool.query<{ stream_id: string; events: string; first: string; last: string; distinct_revisions: string }>(
    `SELECT stream_id, count(*)::text AS events, min(stream_revision)::text AS first, max(stream_revision)::text AS last,
            count(DISTINCT stream_revision)::text AS distinct_revisions
       FROM ledger_events GROUP BY stream_id
      HAVING min(stream_revision) <> 0 OR max(stream_revision) <> count(*) - 1 OR count(DISTINCT stream_revision) <> count(*)`,
  );
  for (const row of gaps.rows.slice(0, PROBLEMS_LISTED)) {
    problems.push(`stream ${row.stream_id}: ${row.events} events with revisions ${row.first}..${row.last} (${row.distinct_revisions} distinct), not 0..${Number(row.events) - 1}`);
  }
  if (gaps.rows.length > PROBLEMS_LISTED) problems.push(`... ${gaps.rows.length} streams with broken revisions in all`);
  const duplicates = await pool.query<{ event_id: string; copies: string }>(
    'SELECT event_id::text, count(*)::text AS copies FROM ledger_events GROUP BY event_id HAVING count(*) > 1',
  );
  for (const row of duplicates.rows.slice(0, PROBLEMS_LISTED)) problems.push(`event id ${row.event_id} recorded ${row.copies} times`);
  if (duplicates.rows.length > PROBLEMS_LISTED) problems.push(`... ${duplicates.rows.length} duplicated event ids in all`);
  return problems;
}

/** Every row of every read-model table as its JSON text, in a fixed order. */
export async function dumpReadModels(pool: pg.Pool): Promise<Map<string, string[]>> {
  const dump = new Map<string, string[]>();
  for (const table of READ_MODEL_TABLES) {
    const result = await pool.query<{ row: string }>(`SELECT row FROM (SELECT row_to_json(t)::text AS row FROM ${table} t) rows ORDER BY row COLLATE "C"`);
    dump.set(table, result.rows.map((row) => row.row));
  }
  return dump;
}

/** Rebuilds every projection from the start of the log, together (each page read once for all), as the CLI does. */
export async function rebuildAll(pool: pg.Pool, store: EventStore): Promise<void> {
  const together = startGate(REBUILDABLE_PROJECTIONS.length);
  await Promise.all(REBUILDABLE_PROJECTIONS.map((projection) => rebuildProjection(pool, store, projection, { startTogether: together, lockTimeoutMs: 10_000 })));
}

export function compareDumps(before: ReadonlyMap<string, readonly string[]>, after: ReadonlyMap<string, readonly string[]>): string[] {
  const problems: string[] = [];
  for (const [table, rowsBefore] of before) {
    const rowsAfter = new Set(after.get(table) ?? []);
    const kept = new Set(rowsBefore);
    const stale = rowsBefore.filter((row) => !rowsAfter.has(row));
    const missing = [...rowsAfter].filter((row) => !kept.has(row));
    if (stale.length === 0 && missing.length === 0 && rowsBefore.length === rowsAfter.size) continue;
    problems.push(
      `read model ${table} differs from a fresh fold of the log: ${rowsBefore.length} rows before the rebuild, ${rowsAfter.size} after; ` +
        `${stale.length} rows only before, ${missing.length} only after` +
        (stale[0] === undefined ? '' : `\n    only before: ${shortened(stale[0])}`) +
        (missing[0] === undefined ? '' : `\n    only after:  ${shortened(missing[0])}`),
    );
  }
  return problems;
}

/** A row's JSON for a report: its start, where the id is (the whole row is in the database). */
function shortened(row: string, maxChars = 600): string {
  return row.length <= maxChars ? row : `${row.slice(0, maxChars)}... (${row.length} characters)`;
}

async function booksProblems(pool: pg.Pool): Promise<string[]> {
  const problems: string[] = [];
  const unbalanced = await pool.query<{ id: string; total: string; postings: string }>(
    `SELECT e.id, coalesce(sum(p.amount_cents), 0)::text AS total, count(p.entry_id)::text AS postings
       FROM journal_entries e LEFT JOIN journal_postings p ON p.entry_id = e.id
      GROUP BY e.id HAVING coalesce(sum(p.amount_cents), 0) <> 0 OR count(p.entry_id) = 0`,
  );
  for (const row of unbalanced.rows.slice(0, PROBLEMS_LISTED)) problems.push(`journal entry ${row.id} sums to ${row.total} over ${row.postings} postings`);
  if (unbalanced.rows.length > PROBLEMS_LISTED) problems.push(`... ${unbalanced.rows.length} unbalanced or empty entries in all`);
  const orphans = await pool.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM journal_postings p WHERE NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.id = p.entry_id)',
  );
  if (orphans.rows[0]!.n !== '0') problems.push(`${orphans.rows[0]!.n} postings without their journal entry`);
  const currencyMismatch = await pool.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id WHERE p.currency <> e.currency',
  );
  if (currencyMismatch.rows[0]!.n !== '0') problems.push(`${currencyMismatch.rows[0]!.n} postings in another currency than their entry`);
  const drift = await pool.query<{ account: string; currency: string; stored: string | null; summed: string | null }>(
    `SELECT coalesce(b.account, s.account) AS account, coalesce(b.currency, s.currency) AS currency,
            b.balance_cents::text AS stored, s.summed::text AS summed
       FROM account_balances b
       FULL JOIN (SELECT account, currency, sum(amount_cents) AS summed FROM journal_postings GROUP BY account, currency) s
         ON s.account = b.account AND s.currency = b.currency
      WHERE b.balance_cents IS DISTINCT FROM s.summed`,
  );
  for (const row of drift.rows.slice(0, PROBLEMS_LISTED)) {
    problems.push(`balance of ${row.account} (${row.currency}) is ${row.stored ?? 'missing'}, its postings sum to ${row.summed ?? 'nothing'}`);
  }
  if (drift.rows.length > PROBLEMS_LISTED) problems.push(`... ${drift.rows.length} balances differ from their postings in all`);
  const balances = await pool.query<{ account: string; currency: string; balance: string }>(
    'SELECT account, currency, balance_cents::text AS balance FROM account_balances',
  );
  problems.push(...booksViolations(balances.rows.map((row) => ({ account: row.account, currency: row.currency, balanceCents: BigInt(row.balance) }))));
  return problems;
}
