import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only event log. Global order is (transaction_id, global_seq):
 * a reader only takes rows whose transaction id is below the oldest running
 * transaction (the snapshot's xmin), so a transaction that drew its sequence
 * number early but commits late can never be skipped. See
 * postgres-event-store.ts for the argument.
 */
export class CreateLedgerEvents1763900000000 implements MigrationInterface {
  name = 'CreateLedgerEvents1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ledger_events (
        global_seq      bigint GENERATED ALWAYS AS IDENTITY,
        transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
        stream_id       text NOT NULL CHECK (length(stream_id) BETWEEN 1 AND 200),
        stream_revision bigint NOT NULL CHECK (stream_revision >= 0),
        event_id        uuid NOT NULL,
        event_type      text NOT NULL CHECK (length(event_type) BETWEEN 1 AND 200),
        data            jsonb NOT NULL,
        metadata        jsonb NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        prev_hash       char(64) NOT NULL,
        hash            char(64) NOT NULL,
        CONSTRAINT ledger_events_pk PRIMARY KEY (global_seq),
        CONSTRAINT ledger_events_stream_revision_uq UNIQUE (stream_id, stream_revision),
        CONSTRAINT ledger_events_event_id_uq UNIQUE (event_id)
      )`);
    await queryRunner.query(`CREATE INDEX ledger_events_log_order_idx ON ledger_events (transaction_id, global_seq)`);
    await queryRunner.query(`CREATE INDEX ledger_events_type_idx ON ledger_events (event_type, transaction_id, global_seq)`);
    // Facts are immutable: the database itself refuses to change or remove one.
    await queryRunner.query(`
      CREATE FUNCTION ledger_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger_events is append-only: % refused', TG_OP
          USING ERRCODE = 'integrity_constraint_violation';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER ledger_events_no_update_delete BEFORE UPDATE OR DELETE ON ledger_events
      FOR EACH ROW EXECUTE FUNCTION ledger_events_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER ledger_events_no_truncate BEFORE TRUNCATE ON ledger_events
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_events_refuse_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ledger_events`);
    await queryRunner.query(`DROP FUNCTION ledger_events_refuse_change()`);
  }
}
