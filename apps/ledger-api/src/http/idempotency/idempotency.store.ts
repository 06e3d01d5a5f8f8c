import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryPrepared, type PreparedStatement } from '../prepared-statement.js';

/** Keys are scoped per principal: two principals may use the same key for different commands. */
export interface IdempotencyScope {
  readonly principalId: string;
  readonly idempotencyKey: string;
}

export type IdempotencyRecord =
  | { readonly state: 'in_progress'; readonly requestHash: string }
  | {
      readonly state: 'completed';
      readonly requestHash: string;
      readonly status: number;
      readonly contentType: string | null;
      readonly body: string;
    };

export interface StoredAnswer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

interface IdempotencyRow {
  request_hash: string;
  state: 'in_progress' | 'completed';
  response_status: number | null;
  response_content_type: string | null;
  response_body: string | null;
}

/** The two statements of every request that sends an Idempotency-Key, prepared once per connection. */
const CLAIM: PreparedStatement = {
  name: 'ledger_idempotency_claim',
  text: `INSERT INTO idempotency_keys (principal_id, idempotency_key, request_hash, state) VALUES ($1, $2, $3, 'in_progress')
         ON CONFLICT (principal_id, idempotency_key) DO NOTHING
         RETURNING 1`,
};
const COMPLETE: PreparedStatement = {
  name: 'ledger_idempotency_complete',
  text: `UPDATE idempotency_keys
         SET state = 'completed', response_status = $3, response_content_type = $4, response_body = $5, completed_at = now()
         WHERE principal_id = $1 AND idempotency_key = $2 AND state = 'in_progress'`,
};

/** The idempotency_keys table: claims taken before a command runs, and the answers it gave. */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims the key for this request (the INSERT wins for exactly one of any
   * number of concurrent duplicates), or returns what the key holds. Null:
   * the key was neither claimable nor found, because the claim that stopped
   * this INSERT was released in between; the caller tries again.
   */
  async claimOrFind(scope: IdempotencyScope, requestHash: string): Promise<'claimed' | IdempotencyRecord | null> {
    const inserted = await queryPrepared(this.dataSource, CLAIM, [scope.principalId, scope.idempotencyKey, requestHash]);
    if (inserted.length === 1) return 'claimed';
    return this.find(scope);
  }

  /**
   * Takes over a claim held longer than the lease by a request that never
   * finished (its instance died). Safe because a command sent with a key
   * derives its entity and event ids from the key: running it again records
   * nothing twice. True for exactly one of any number of concurrent callers.
   */
  async takeOverStale(scope: IdempotencyScope, requestHash: string, leaseMs: number): Promise<boolean> {
    // TypeORM answers an UPDATE on PostgreSQL with [returned rows, affected count].
    const [taken]: [unknown[], number] = await this.dataSource.query(
      `UPDATE idempotency_keys SET claimed_at = now()
       WHERE principal_id = $1 AND idempotency_key = $2 AND request_hash = $3 AND state = 'in_progress'
         AND claimed_at < now() - make_interval(secs => $4::double precision / 1000)
       RETURNING 1`,
      [scope.principalId, scope.idempotencyKey, requestHash, leaseMs],
    );
    return taken.length === 1;
  }

  async find(scope: IdempotencyScope): Promise<IdempotencyRecord | null> {
    const rows: IdempotencyRow[] = await this.dataSource.query(
      `SELECT request_hash, state, response_status, response_content_type, response_body
       FROM idempotency_keys WHERE principal_id = $1 AND idempotency_key = $2`,
      [scope.principalId, scope.idempotencyKey],
    );
    const row = rows[0];
    if (row === undefined) return null;
    if (row.state === 'in_progress') return { state: 'in_progress', requestHash: row.request_hash };
    if (row.response_status === null || row.response_body === null) throw new Error('completed idempotency key without an answer, despite the table CHECK');
    return {
      state: 'completed',
      requestHash: row.request_hash,
      status: row.response_status,
      contentType: row.response_content_type,
      body: row.response_body,
    };
  }

  /** Stores the answer of a claimed key; later duplicates replay it. */
  async complete(scope: IdempotencyScope, answer: StoredAnswer): Promise<void> {
    await queryPrepared(this.dataSource, COMPLETE, [scope.principalId, scope.idempotencyKey, answer.status, answer.contentType, answer.body]);
  }

  /** Gives a claimed key up (the command failed on our side), so a retry may run it. */
  async release(scope: IdempotencyScope): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE principal_id = $1 AND idempotency_key = $2 AND state = 'in_progress'`, [
      scope.principalId,
      scope.idempotencyKey,
    ]);
  }
}
