import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models of the listing and deal streams. Each row holds the folded
 * domain state of its stream (`state`, so the projection evolves it further
 * without re-reading the stream) and the columns queries filter and sort on.
 */
export class CreateListingAndDealViews1764100000003 implements MigrationInterface {
  name = 'CreateListingAndDealViews1764100000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE listing_view (
        id                          text PRIMARY KEY,
        state                       jsonb NOT NULL,
        stream_revision             bigint NOT NULL,
        status                      text NOT NULL,
        seller_id                   text NOT NULL,
        provider                    text NOT NULL,
        credit_type                 text NOT NULL,
        currency                    text NOT NULL,
        face_value_cents            bigint NOT NULL,
        verified_face_value_cents   bigint NOT NULL,
        reserved_face_value_cents   bigint NOT NULL,
        sold_face_value_cents       bigint NOT NULL,
        available_face_value_cents  bigint NOT NULL,
        ask_price_cents             bigint NOT NULL,
        credit_expires_at           timestamptz NOT NULL,
        submitted_at                timestamptz NOT NULL,
        CHECK (reserved_face_value_cents + sold_face_value_cents <= greatest(verified_face_value_cents, 0))
      )`);
    await queryRunner.query(`CREATE INDEX listing_view_submitted_idx ON listing_view (submitted_at, id)`);
    await queryRunner.query(`CREATE INDEX listing_view_status_expiry_idx ON listing_view (status, credit_expires_at)`);
    await queryRunner.query(`CREATE INDEX listing_view_seller_idx ON listing_view (seller_id)`);
    await queryRunner.query(`
      CREATE TABLE deal_view (
        id                 text PRIMARY KEY,
        state              jsonb NOT NULL,
        stream_revision    bigint NOT NULL,
        status             text NOT NULL,
        listing_id         text NOT NULL,
        seller_id          text NOT NULL,
        buyer_id           text NOT NULL,
        broker_id          text NOT NULL,
        currency           text NOT NULL,
        face_value_cents   bigint NOT NULL,
        price_cents        bigint NOT NULL,
        commission_bps     int NOT NULL,
        commission_cents   bigint NOT NULL,
        payout_cents       bigint NOT NULL,
        paid_cents         bigint NOT NULL,
        terms_version      int NOT NULL,
        approval_deadline  timestamptz NOT NULL,
        credit_expires_at  timestamptz NOT NULL,
        opened_at          timestamptz NOT NULL,
        approved_at        timestamptz,
        funded_at          timestamptz,
        transferred_at     timestamptz,
        closed_at          timestamptz,
        CHECK (commission_cents + payout_cents = price_cents),
        CHECK (paid_cents <= price_cents)
      )`);
    await queryRunner.query(`CREATE INDEX deal_view_opened_idx ON deal_view (opened_at, id)`);
    await queryRunner.query(`CREATE INDEX deal_view_broker_idx ON deal_view (broker_id, opened_at, id)`);
    await queryRunner.query(`CREATE INDEX deal_view_status_idx ON deal_view (status)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE deal_view');
    await queryRunner.query('DROP TABLE listing_view');
  }
}
