import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deadlines read model (shared/DOMAIN.md, "Expiry enforcement"): one row
 * per deadline a stream holds open, written by the deadlines projection and
 * polled by the deadline enforcer.
 *
 * - `deadline_at` is the instant the stream's facts name (libs/domain
 *   deadlines.ts); a listing's row holds its credit expiry and falls due the
 *   configured expiry margin earlier, so the enforcer asks for
 *   `deadline_at <= now + lead` per kind: hence the index on (kind, deadline_at),
 *   which also gives a stable keyset order for bounded pages.
 * - `expiry_key` is what the expiry fact's event ids are derived from.
 * - `deadline_streams` holds the folded state of each stream, so each batch
 *   evolves only the streams it touches and compares their deadlines before
 *   and after.
 */
export class CreateDeadlines1764300000000 implements MigrationInterface {
  name = 'CreateDeadlines1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE deadlines (
        stream_id    text NOT NULL,
        kind         text NOT NULL CHECK (kind IN ('listing_matchable_until', 'deal_approval', 'deal_credit_expiry', 'buy_request_deadline')),
        deadline_at  timestamptz NOT NULL,
        expiry_key   text NOT NULL,
        PRIMARY KEY (stream_id, kind)
      )`);
    await queryRunner.query('CREATE INDEX deadlines_due_idx ON deadlines (kind, deadline_at, stream_id)');
    await queryRunner.query(`
      CREATE TABLE deadline_streams (
        stream_id        text PRIMARY KEY,
        state            jsonb NOT NULL,
        stream_revision  bigint NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE deadline_streams');
    await queryRunner.query('DROP TABLE deadlines');
  }
}
