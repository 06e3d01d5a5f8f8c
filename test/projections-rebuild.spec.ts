/**
 * The operator CLI's `projections rebuild` as a child process against a test
 * database, while this process plays a running ledger instance: its
 * projectors lead, are sent to standby by the rebuild, and carry on from the
 * rebuilt checkpoint. A rebuild gives the same rows as before, byte for byte.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { buyRequestDecider, buyRequestStreamId, dealDecider, dealStreamId, listingDecider, listingStreamId, type DealCommand, type ListingCommand } from '#domain';
import { PostgresEventStore, comparePositions, type EventToAppend } from '#event-store';
import { DurableSubscription, REBUILDABLE_PROJECTIONS, ledgerMigrations } from '#read-models';
import { createTestDatabase, recordCommands, type EncodingDecider, type TestDatabase } from '#testing';

const CLI_MAIN = join(process.cwd(), 'dist/apps/ledger-cli/src/main.js');
const NOW = new Date();
const DAY_MS = 86_400_000;

let database: TestDatabase;
let pool: pg.Pool;
let store: PostgresEventStore;
let subscriptions: DurableSubscription[];

function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { env: { PATH: process.env['PATH'], DATABASE_URL: database.url } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const metadata = (): EventToAppend['metadata'] => ({ actorId: 'broker-ana', actorRole: 'broker', correlationId: randomUUID(), causationId: null, occurredAt: NOW.toISOString(), schemaVersion: 1 });

function decideAndAppend<State, Command, Event>(decider: EncodingDecider<State, Command, Event>, streamId: string, commands: readonly Command[]): Promise<void> {
  return recordCommands(store, decider, streamId, commands, { now: NOW, metadata });
}

/** A buy request and a verified listing with two reservations and their deals, one settled and one cancelled, both filling the request. */
async function recordDealFlow(): Promise<void> {
  const listingId = randomUUID();
  const buyRequestId = randomUUID();
  const [settled, cancelled] = [randomUUID(), randomUUID()];
  const expires = new Date(NOW.getTime() + 120 * DAY_MS);
  await decideAndAppend(listingDecider, listingStreamId(listingId), [
    { type: 'SubmitListing', submittedBy: 'broker-ana', listingId, sellerId: 'seller-1', provider: 'openai', creditType: 'prepaid_api', providerOrgRef: 'org-1', currency: 'USD', claimedFaceValueCents: 500_000n, creditExpiresAt: expires, askPriceCents: 300_000n },
    { type: 'VerifyListing', listingId, verifiedBy: 'ops', verifiedFaceValueCents: 400_000n, verifiedExpiresAt: expires, evidence: { method: 'provider_console', reference: 't-1', checkedAt: NOW } },
    ...[settled, cancelled].map((dealId): ListingCommand => ({ type: 'ReserveListing', listingId, dealId, faceValueCents: 100_000n, priceCents: 60_000n, match: { buyerId: 'buyer-1', brokerId: 'broker-ana', commissionBps: 1_000, buyRequestId: null } })),
  ]);
  const open = (dealId: string): DealCommand[] => [
    { type: 'OpenDeal', dealId, listingId, sellerId: 'seller-1', buyerId: 'buyer-1', brokerId: 'broker-ana', currency: 'USD', faceValueCents: 100_000n, priceCents: 60_000n, commissionBps: 1_000, creditExpiresAt: expires },
    { type: 'AmendDealTerms', dealId, priceCents: 62_000n, reservedFaceValueCents: 100_000n },
    { type: 'ApproveDeal', dealId, party: 'seller', termsVersion: 2, approvedBy: 'seller-contact' },
    { type: 'ApproveDeal', dealId, party: 'buyer', termsVersion: 2, approvedBy: 'buyer-contact' },
    { type: 'ReceiveBuyerPayment', dealId, amountCents: 2_000n, paymentRef: `wire-${dealId}` },
  ];
  await decideAndAppend(dealDecider, dealStreamId(settled), [
    ...open(settled),
    { type: 'ReceiveBuyerPayment', dealId: settled, amountCents: 60_000n, paymentRef: `wire-${settled}-2` },
    { type: 'StartCreditTransfer', dealId: settled, mechanism: 'organization_membership', reference: 'invite-1' },
    { type: 'ConfirmCreditTransfer', dealId: settled, confirmedFaceValueCents: 100_000n, evidence: { method: 'console', reference: 'member-added' } },
    { type: 'IssueSellerPayout', dealId: settled, payoutRef: 'payout-1' },
  ]);
  await decideAndAppend(dealDecider, dealStreamId(cancelled), [...open(cancelled), { type: 'CancelDeal', dealId: cancelled, reason: 'buyer walked away' }]);
  await decideAndAppend(buyRequestDecider, buyRequestStreamId(buyRequestId), [
    { type: 'PlaceBuyRequest', placedBy: 'broker-ana', buyRequestId, buyerId: 'buyer-1', provider: 'openai', creditTypes: ['prepaid_api'], faceValueCents: 300_000n, maxPriceBps: 7_000, minValidityDays: 30, deadline: new Date(NOW.getTime() + 30 * DAY_MS) },
    { type: 'RecordBuyRequestFill', buyRequestId, dealId: settled, faceValueCents: 100_000n },
    { type: 'RecordBuyRequestFill', buyRequestId, dealId: cancelled, faceValueCents: 100_000n },
    { type: 'ReleaseBuyRequestFill', buyRequestId, dealId: cancelled },
  ]);
}

async function caughtUp(): Promise<void> {
  // The last event appended, read without the readers' snapshot rule: store.headPosition() stops
  // below any transaction still open (a projector's own batch), and may name an earlier head.
  const last = await pool.query<{ commit: string; prepare: string }>(
    'SELECT transaction_id::text AS commit, global_seq::text AS prepare FROM ledger_events ORDER BY transaction_id DESC, global_seq DESC LIMIT 1',
  );
  const head = { commit: BigInt(last.rows[0]!.commit), prepare: BigInt(last.rows[0]!.prepare) };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const statuses = subscriptions.map((subscription) => subscription.status());
    if (statuses.every((status) => status.state === 'running' && status.position !== null && comparePositions(status.position, head) >= 0)) return;
    if (Date.now() > deadline) throw new Error(`not caught up: ${statuses.map((status) => `${status.name} ${status.state} ${status.error ?? ''}`).join('; ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every row of every read-model table as PostgreSQL prints it, in a stable order. */
async function readModelRows(): Promise<Record<string, string[]>> {
  const rows: Record<string, string[]> = {};
  for (const table of [...REBUILDABLE_PROJECTIONS.flatMap((projection) => projection.tables), 'deadlines']) {
    const result = await pool.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t ORDER BY 1`);
    rows[table] = result.rows.map((row) => row.row);
  }
  return rows;
}

beforeAll(async () => {
  database = await createTestDatabase(ledgerMigrations);
  pool = new pg.Pool({ connectionString: database.url, max: 8 });
  pool.on('error', () => undefined);
  store = new PostgresEventStore(new pg.Pool({ connectionString: database.url, max: 4 }));
  // Small batches so that the rebuild (larger ones) cuts the log differently than the regular projectors did.
  subscriptions = REBUILDABLE_PROJECTIONS.map(
    (projection) => new DurableSubscription(pool, store, projection.create(), { batchSize: 7, pollIntervalMs: 10, standbyRetryMs: 50, retryBaseMs: 5 }),
  );
  for (const subscription of subscriptions) subscription.start();
  for (let flow = 0; flow < 6; flow += 1) await recordDealFlow();
  await caughtUp();
});

afterAll(async () => {
  await Promise.all((subscriptions ?? []).map((subscription) => subscription.stop()));
  await pool?.end();
  await store?.close();
  await database?.drop();
});

describe('projections rebuild', () => {
  it('rebuilds every read model to the same rows, byte for byte, and the running projectors carry on', async () => {
    const before = await readModelRows();
    expect(before['listing_view']).toHaveLength(6);
    expect(before['buy_request_view']).toHaveLength(6);
    expect(before['journal_entries']!.length).toBeGreaterThan(0);

    const run = await cli('projections', 'rebuild');
    expect({ status: run.status, stderr: run.stderr.split('\n')[0] }).toEqual({
      status: 0,
      stderr: 'warning: until this rebuild reaches the head, queries of listing-view, deal-view, journal, buy-request-view see them empty or partial (and reads with X-Min-Position wait for them); commands are accepted throughout',
    });
    expect(run.stderr).toMatch(/100\.0%.*events\/s.*done/);
    for (const projection of REBUILDABLE_PROJECTIONS) expect(run.stdout).toContain(`rebuilt ${projection.name}: `);
    expect(await readModelRows()).toEqual(before);

    // The instance's projectors went to standby during the rebuild and lead again from its checkpoint.
    await recordDealFlow();
    await caughtUp();
    const after = await readModelRows();
    expect(after['listing_view']).toHaveLength(7);
    expect(after['deal_view']).toHaveLength(14);
  });

  it('rebuilds one read model by name while commands are appended', async () => {
    const appending = (async () => {
      for (let flow = 0; flow < 3; flow += 1) await recordDealFlow();
    })();
    const run = await cli('projections', 'rebuild', 'journal');
    await appending;
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^rebuilt journal: \d+ events in /);
    await caughtUp();
    const rebuilt = await readModelRows();
    // And once more, with nothing appended meanwhile: the same rows again.
    expect((await cli('projections', 'rebuild', 'journal')).status).toBe(0);
    await caughtUp();
    expect(await readModelRows()).toEqual(rebuilt);
    expect(rebuilt['deal_view']).toHaveLength(20);
  });

  it('refuses an unknown read model with exit code 2', async () => {
    const run = await cli('projections', 'rebuild', 'dashboard-of-nothing');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('expected one of listing-view, deal-view, journal, buy-request-view');
  });
});
