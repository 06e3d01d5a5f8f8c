/**
 * The deadlines read model (shared/DOMAIN.md, "Expiry enforcement"): one row
 * per deadline a listing, deal or buy request holds open, which the deadline
 * enforcer polls by due time.
 *
 * Which deadlines a stream holds is the domain's (libs/domain deadlines.ts),
 * a pure function of the stream's folded state. The stream views already
 * fold and store exactly that state, so each view writes its streams'
 * deadlines in its own batch transaction, with its checkpoint: after a batch
 * only the difference between the deadlines of the states before and after
 * is written. A deadline that closed (the stream reached a final status, or
 * left the status the deadline applies to) is deleted; one that opened or
 * moved (an amended buy-request deadline, an amendment that reopened
 * approvals) is upserted with its new time and expiry key. So the rows are
 * always exactly the open deadlines of the views' stored states. Each view
 * owns the rows of its own stream prefix, and a rebuild of the view clears
 * them with its table (VIEW_DEADLINE_ROWS).
 *
 * Per batch at most two statements, whatever its size.
 */
import type pg from 'pg';
import { deadlineExpiryKey, type OpenDeadline } from '#domain';

const DELETE_CLOSED = `DELETE FROM deadlines AS d USING unnest($1::text[], $2::text[]) AS closed(stream_id, kind)
  WHERE d.stream_id = closed.stream_id AND d.kind = closed.kind`;

// Column arrays unnested into rows: cheaper to build and to take apart than JSON recordsets.
const UPSERT_OPENED = `INSERT INTO deadlines (stream_id, kind, deadline_at, expiry_key)
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[])
  ON CONFLICT (stream_id, kind) DO UPDATE SET deadline_at = EXCLUDED.deadline_at, expiry_key = EXCLUDED.expiry_key`;

/** The statement that clears the deadline rows of one view's streams (`<prefix>...`), for its rebuild. */
export function deadlineRowsOf(streamPrefix: string): { readonly sql: string; readonly parameters: readonly unknown[] } {
  // LIKE with the prefix's own wildcards escaped: a prefix is a literal.
  return { sql: `DELETE FROM deadlines WHERE stream_id LIKE $1 ESCAPE '\\'`, parameters: [`${streamPrefix.replace(/[\\%_]/g, '\\$&')}%`] };
}

/** The deadline rows one batch closes and opens, written with two statements at its end. */
export class DeadlineChanges {
  private readonly closed = { streamIds: [] as string[], kinds: [] as string[] };
  private readonly opened = { streamIds: [] as string[], kinds: [] as string[], deadlineAts: [] as string[], keys: [] as string[] };

  /** A stream's deadlines before and after the batch's facts. */
  note(streamId: string, before: readonly OpenDeadline[], after: readonly OpenDeadline[]): void {
    for (const deadline of before) {
      if (after.some((open) => open.kind === deadline.kind)) continue;
      this.closed.streamIds.push(streamId);
      this.closed.kinds.push(deadline.kind);
    }
    for (const deadline of after) {
      if (before.some((open) => open.kind === deadline.kind && open.deadlineAt.getTime() === deadline.deadlineAt.getTime())) continue;
      this.opened.streamIds.push(streamId);
      this.opened.kinds.push(deadline.kind);
      this.opened.deadlineAts.push(deadline.deadlineAt.toISOString());
      this.opened.keys.push(deadlineExpiryKey(streamId, deadline));
    }
  }

  async write(transaction: pg.ClientBase): Promise<void> {
    if (this.closed.streamIds.length > 0) await transaction.query(DELETE_CLOSED, [this.closed.streamIds, this.closed.kinds]);
    const { streamIds, kinds, deadlineAts, keys } = this.opened;
    if (streamIds.length > 0) await transaction.query(UPSERT_OPENED, [streamIds, kinds, deadlineAts, keys]);
  }
}
