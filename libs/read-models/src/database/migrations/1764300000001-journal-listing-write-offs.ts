import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The journal posts listing facts too: face value a listing lost to expiry is
 * written off to credits:expired (libs/domain listing-journal.ts). Such an
 * entry may concern no deal (ListingExpired), so `deal_id` may be null; every
 * entry now names its listing. The projection keeps what the posting rule
 * needs of each listing in `journal_listing_state`.
 *
 * The journal is then posted again from the start of the log (its tables
 * emptied and its checkpoint removed, as `projections rebuild journal`
 * does): the listing rule needs each listing's books from its first fact,
 * listings that expired earlier were never written off, and a deal that
 * expired on its credit expiry is now posted as a return to the listing.
 * Until the journal has caught up again, ledger queries see it partial.
 */
export class JournalListingWriteOffs1764300000001 implements MigrationInterface {
  name = 'JournalListingWriteOffs1764300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE journal_entries ALTER COLUMN deal_id DROP NOT NULL');
    await queryRunner.query('ALTER TABLE journal_entries ADD COLUMN listing_id text');
    await queryRunner.query(`
      CREATE TABLE journal_listing_state (
        listing_id       text PRIMARY KEY,
        seller_id        text NOT NULL,
        currency         text NOT NULL,
        expired          boolean NOT NULL,
        stream_revision  bigint NOT NULL
      )`);
    await queryRunner.query('TRUNCATE journal_entries, journal_postings, account_balances, journal_deal_state');
    await queryRunner.query(`DELETE FROM subscription_checkpoints WHERE subscription_name = 'journal'`);
  }

  /** Entries of no deal cannot stay; the balances then need `projections rebuild journal` under the older rules. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE journal_listing_state');
    await queryRunner.query('ALTER TABLE journal_entries DROP COLUMN listing_id');
    await queryRunner.query('DELETE FROM journal_postings WHERE entry_id IN (SELECT id FROM journal_entries WHERE deal_id IS NULL)');
    await queryRunner.query('DELETE FROM journal_entries WHERE deal_id IS NULL');
    await queryRunner.query('ALTER TABLE journal_entries ALTER COLUMN deal_id SET NOT NULL');
  }
}
