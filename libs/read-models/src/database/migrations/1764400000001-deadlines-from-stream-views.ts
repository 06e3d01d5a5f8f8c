import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deadlines are written by the stream views (deadlines/deadline-rows.ts),
 * which fold and store the very states the deadlines projection kept a
 * second copy of in `deadline_streams`: that table and the projection's
 * checkpoint go. The views' checkpoints may be ahead of the old projection's,
 * so the deadline rows could not be trusted to match them: the deadlines and
 * the three views are emptied with their checkpoints, and the views fold the
 * log again from the start on the next run (the ledger keeps accepting
 * commands meanwhile; read-your-writes waits for them).
 */
export class DeadlinesFromStreamViews1764400000001 implements MigrationInterface {
  name = 'DeadlinesFromStreamViews1764400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE deadline_streams');
    await queryRunner.query('TRUNCATE deadlines, listing_view, deal_view, buy_request_view');
    await queryRunner.query(`DELETE FROM subscription_checkpoints WHERE subscription_name IN ('deadlines', 'listing-view', 'deal-view', 'buy-request-view')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE deadline_streams (
        stream_id        text PRIMARY KEY,
        state            jsonb NOT NULL,
        stream_revision  bigint NOT NULL
      )`);
    await queryRunner.query('TRUNCATE deadlines');
  }
}
