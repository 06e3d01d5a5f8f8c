import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first answer to each command sent with an Idempotency-Key, per
 * principal (shared/API.md, Commands). A row is claimed `in_progress` before
 * the command runs, so a concurrent duplicate finds the claim instead of
 * running the command again, and `completed` with the exact answer after.
 * `response_body` is the answer's bytes as UTF-8 text: the API only answers
 * JSON, which JSON.stringify writes as well-formed UTF-8 without NUL bytes.
 * A claim whose instance died is taken over after a lease: commands sent with
 * a key derive their ids from it, so running one again writes nothing twice.
 */
export class CreateIdempotencyKeys1764100000001 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1764100000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        principal_id          text NOT NULL CHECK (length(principal_id) BETWEEN 1 AND 100),
        idempotency_key       text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        request_hash          char(64) NOT NULL,
        state                 text NOT NULL CHECK (state IN ('in_progress', 'completed')),
        response_status       int CHECK (response_status BETWEEN 100 AND 599),
        response_body         text,
        response_content_type text,
        created_at            timestamptz NOT NULL DEFAULT now(),
        -- When the current claim was taken; a claim older than the lease may be taken over.
        claimed_at            timestamptz NOT NULL DEFAULT now(),
        completed_at          timestamptz,
        CONSTRAINT idempotency_keys_pk PRIMARY KEY (principal_id, idempotency_key),
        CONSTRAINT idempotency_keys_answer_when_completed CHECK (
          (state = 'in_progress' AND response_status IS NULL AND response_body IS NULL AND completed_at IS NULL)
          OR (state = 'completed' AND response_status IS NOT NULL AND response_body IS NOT NULL AND completed_at IS NOT NULL)
        )
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_keys`);
  }
}
