import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys of the principals (shared/API.md, Access). Only a hash of each key
 * is stored. A key is 24 random bytes (192 bits), so nobody can guess it or
 * search for it by brute force: a fast unsalted SHA-256 is the right hash here
 * (unlike a password, where a slow salted hash makes up for little entropy),
 * and it lets each request find its key through the unique index below.
 *
 * A revoked key keeps its row (who held which key, and when it stopped
 * working), so a principal may have many rows but at most one active key.
 */
export class CreateApiKeys1764100000000 implements MigrationInterface {
  name = 'CreateApiKeys1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE api_keys (
        id           bigint GENERATED ALWAYS AS IDENTITY,
        principal_id text NOT NULL CHECK (length(principal_id) BETWEEN 1 AND 100),
        role         text NOT NULL CHECK (role IN ('broker', 'compliance', 'dashboard', 'admin')),
        key_hash     char(64) NOT NULL CHECK (key_hash ~ '^[0-9a-f]{64}$'),
        label        text CHECK (length(label) <= 200),
        created_at   timestamptz NOT NULL DEFAULT now(),
        revoked_at   timestamptz,
        CONSTRAINT api_keys_pk PRIMARY KEY (id),
        CONSTRAINT api_keys_key_hash_uq UNIQUE (key_hash),
        CONSTRAINT api_keys_revoked_after_created CHECK (revoked_at IS NULL OR revoked_at >= created_at)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX api_keys_active_principal_uq ON api_keys (principal_id) WHERE revoked_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE api_keys`);
  }
}
