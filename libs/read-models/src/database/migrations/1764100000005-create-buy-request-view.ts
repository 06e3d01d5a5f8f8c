import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read model of the buy-request streams (issue 5), and the indexes of
 * the match suggestions in both directions
 * (libs/read-models/src/queries/match-suggestions.ts):
 *
 * - a request's matches read listing_view through a partial index of the
 *   listings on the market, by provider and credit type, ordered by their
 *   price per face value as an exact integer key
 *   floor(ask x 10^30 / verified face value) (exact: two different fractions
 *   whose denominators are at most 10^15 cents, MAX_CENTS, differ by at
 *   least 10^-30, so their keys differ), then by credit expiry and id;
 * - a listing's matches read the open requests of its market, the pair of
 *   provider and credit type, through a GIN index on `market_keys`
 *   (`<provider>:<credit type>` for each accepted type; a provider slug has
 *   no colon), partial on status = 'open'. Measured with 100,000 open
 *   requests, a GIN index on credit_types alone read every open request of
 *   the credit type, of any provider: four times the rows.
 *
 * The expression of the listing index must stay identical to the one the
 * query writes, or the planner does not use it (a spec checks the plan).
 */
export class CreateBuyRequestView1764100000005 implements MigrationInterface {
  name = 'CreateBuyRequestView1764100000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE buy_request_view (
        id                         text PRIMARY KEY,
        state                      jsonb NOT NULL,
        stream_revision            bigint NOT NULL,
        status                     text NOT NULL,
        buyer_id                   text NOT NULL,
        provider                   text NOT NULL,
        credit_types               text[] NOT NULL,
        market_keys                text[] NOT NULL,
        face_value_cents           bigint NOT NULL,
        filled_face_value_cents    bigint NOT NULL,
        unfilled_face_value_cents  bigint NOT NULL,
        max_price_bps              int NOT NULL,
        min_validity_days          int NOT NULL,
        deadline                   timestamptz NOT NULL,
        placed_at                  timestamptz NOT NULL,
        first_filled_at            timestamptz,
        closed_at                  timestamptz,
        CHECK (cardinality(credit_types) > 0),
        CHECK (cardinality(market_keys) = cardinality(credit_types)),
        CHECK (filled_face_value_cents >= 0 AND filled_face_value_cents <= face_value_cents),
        CHECK (unfilled_face_value_cents = face_value_cents - filled_face_value_cents)
      )`);
    await queryRunner.query(`CREATE INDEX buy_request_view_placed_idx ON buy_request_view (placed_at, id)`);
    await queryRunner.query(`CREATE INDEX buy_request_view_status_idx ON buy_request_view (status, placed_at, id)`);
    await queryRunner.query(`CREATE INDEX buy_request_view_buyer_idx ON buy_request_view (buyer_id, placed_at, id)`);
    await queryRunner.query(`CREATE INDEX buy_request_view_open_market_idx ON buy_request_view USING gin (market_keys) WHERE status = 'open'`);
    await queryRunner.query(`
      CREATE INDEX listing_view_matchable_price_idx ON listing_view
        (provider, credit_type, (div(ask_price_cents::numeric * 1e30, nullif(verified_face_value_cents, 0))), credit_expires_at, id)
        WHERE status = 'available' AND available_face_value_cents > 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX listing_view_matchable_price_idx');
    await queryRunner.query('DROP TABLE buy_request_view');
  }
}
