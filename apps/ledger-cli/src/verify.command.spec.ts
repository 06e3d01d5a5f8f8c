/**
 * Tampering past every guard, as only the owner or a superuser can (the
 * runtime role may not change or remove an event at all): switch the
 * append-only trigger off for a moment, rewrite or remove a stored fact.
 * `verify`, opened as the CLI opens it, exits 1 naming the stream and the
 * revision where the chain breaks.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { eventStoreMigrations, type EventStore, type EventToAppend } from '#event-store';
import { createTestDatabase, type TestDatabase } from '#testing';
import { openCliEventStore } from './cli-event-store.js';
import { runVerify } from './verify.command.js';

let database: TestDatabase;
let store: EventStore;

function aFact(type: string, data: Record<string, string> = {}): EventToAppend {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: { actorId: 'verify-spec', actorRole: 'system', correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString(), schemaVersion: 1 },
  };
}

async function asSuperuser(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await work(client);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

async function aStream(): Promise<string> {
  const stream = `deal-${randomUUID()}`;
  await store.append(stream, [aFact('Opened'), aFact('Paid', { amountCents: '100000' }), aFact('Paid', { amountCents: '50000' }), aFact('Closed')], 'no_stream');
  return stream;
}

beforeAll(async () => {
  database = await createTestDatabase(eventStoreMigrations);
  store = await openCliEventStore({ DATABASE_URL: database.url });
});

afterAll(async () => {
  await store?.close();
  await database?.drop();
});

describe('verify after tampering by a superuser', () => {
  it('exits 0 while every chain is intact', async () => {
    await aStream();
    expect(await runVerify(store)).toMatchObject({ exitCode: 0 });
  });

  it("names the stream and revision of an event whose data was rewritten with the trigger switched off", async () => {
    const stream = await aStream();
    await asSuperuser(async (client) => {
      // In one transaction: nobody else ever sees the trigger off.
      await client.query('ALTER TABLE ledger_events DISABLE TRIGGER ledger_events_no_update_delete');
      await client.query(`UPDATE ledger_events SET data = '{"amountCents":"1"}' WHERE stream_id = $1 AND stream_revision = 2`, [stream]);
      await client.query('ALTER TABLE ledger_events ENABLE TRIGGER ledger_events_no_update_delete');
    });

    const outcome = await runVerify(store);

    expect(outcome.exitCode).toBe(1);
    expect(outcome.report.split('\n')[0]).toBe(`BROKEN: stream ${stream} at revision 2 (hash_mismatch)`);
  });

  it('names the stream and revision where an event removed from the middle of a stream was', async () => {
    const stream = await aStream();
    await asSuperuser(async (client) => {
      await client.query('SET LOCAL session_replication_role = replica');
      await client.query('DELETE FROM ledger_events WHERE stream_id = $1 AND stream_revision = 1', [stream]);
    });

    const outcome = await runVerify(store);

    expect(outcome.exitCode).toBe(1);
    expect(outcome.report).toContain(`stream ${stream} at revision 1 (revision_gap)`);
  });
});
