import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each durable subscription of the global log (projections, process
 * managers) has got to. Positions are unsigned 64-bit, so numeric(20).
 */
export class CreateSubscriptionCheckpoints1764100000002 implements MigrationInterface {
  name = 'CreateSubscriptionCheckpoints1764100000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE subscription_checkpoints (
        subscription_name text PRIMARY KEY CHECK (length(subscription_name) BETWEEN 1 AND 100),
        commit_position   numeric(20) NOT NULL CHECK (commit_position >= 0),
        prepare_position  numeric(20) NOT NULL CHECK (prepare_position >= 0),
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE subscription_checkpoints');
  }
}
