/**
 * What the deadline enforcer (libs/commands deadlines) reads of the deadlines
 * read model, and the advisory lock that lets one instance at a time sweep.
 * Both are handed to the enforcer by the app that runs it: the command side
 * does not depend on the read side.
 */
import type pg from 'pg';
import { isDeadlineKind, type DeadlineKind } from '#domain';
import { releaseLeaderLock, tryLeaderLock } from '../subscriptions/durable-subscription.js';

export interface DueDeadlineRow {
  readonly streamId: string;
  readonly kind: DeadlineKind;
  /** The instant the facts name (deadlines-projection.ts). */
  readonly deadlineAt: Date;
  readonly expiryKey: string;
}

/** Where a page of one kind's deadlines ended: the next page starts after it. */
export interface DueDeadlineCursor {
  readonly deadlineAt: Date;
  readonly streamId: string;
}

export interface DueDeadlineReader {
  /**
   * Open deadlines of `kind` with deadline_at <= `cutoff`, in (deadline_at,
   * stream_id) order, after `after`, at most `limit`: one index range scan.
   */
  due(kind: DeadlineKind, cutoff: Date, after: DueDeadlineCursor | null, limit: number): Promise<DueDeadlineRow[]>;
}

const FIRST_PAGE = `SELECT stream_id, kind, deadline_at, expiry_key FROM deadlines
  WHERE kind = $1 AND deadline_at <= $2
  ORDER BY deadline_at, stream_id LIMIT $3`;

const NEXT_PAGE = `SELECT stream_id, kind, deadline_at, expiry_key FROM deadlines
  WHERE kind = $1 AND deadline_at <= $2 AND (deadline_at, stream_id) > ($4::timestamptz, $5::text)
  ORDER BY deadline_at, stream_id LIMIT $3`;

export function postgresDueDeadlines(pool: pg.Pool): DueDeadlineReader {
  return {
    async due(kind, cutoff, after, limit) {
      const parameters: unknown[] = [kind, cutoff.toISOString(), limit];
      const result = await pool.query<{ stream_id: string; kind: string; deadline_at: Date; expiry_key: string }>(
        after === null ? FIRST_PAGE : NEXT_PAGE,
        after === null ? parameters : [...parameters, after.deadlineAt.toISOString(), after.streamId],
      );
      return result.rows.map((row) => {
        if (!isDeadlineKind(row.kind)) throw new Error(`deadlines holds an unknown kind ${row.kind}`);
        return { streamId: row.stream_id, kind: row.kind, deadlineAt: row.deadline_at, expiryKey: row.expiry_key };
      });
    },
  };
}

/** Leadership among the instances running an enforcer: an optimisation, never what makes an expiry happen once. */
export interface AdvisoryLeadership {
  /** True when this instance leads (now or already); false when another one does. */
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * A session advisory lock on a connection held while leading (the same kind
 * of lock as the durable subscriptions', under its own name). If that
 * connection dies the lock is gone with it: the next acquire() starts over
 * on a new connection, and meanwhile another instance may lead.
 */
export function advisoryLeadership(pool: pg.Pool, name: string): AdvisoryLeadership {
  let leader: pg.PoolClient | null = null;
  let lost: Error | null = null;
  const onError = (error: Error): void => {
    lost = error;
  };
  const letGo = (client: pg.PoolClient, error: Error | null): void => {
    client.removeListener('error', onError);
    if (error !== null) client.on('error', () => undefined);
    client.release(error ?? undefined);
  };
  return {
    async acquire() {
      if (leader !== null && lost === null) return true;
      if (leader !== null) {
        letGo(leader, lost);
        leader = null;
      }
      lost = null;
      const client = await pool.connect();
      client.on('error', onError);
      try {
        if (await tryLeaderLock(client, name)) {
          leader = client;
          return true;
        }
      } catch (error) {
        letGo(client, error as Error);
        throw error;
      }
      letGo(client, null);
      return false;
    },
    async release() {
      if (leader === null) return;
      const client = leader;
      leader = null;
      if (lost === null) await releaseLeaderLock(client, name).catch(() => undefined);
      letGo(client, lost);
      lost = null;
    },
  };
}
