/**
 * The store protects itself: connected the way the running service connects
 * (restrictToLedgerWriter on the run's superuser URL), a session may append
 * and read events but PostgreSQL refuses to change, remove or truncate one
 * for lack of privilege (42501), before the append-only trigger is reached.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#testing';
import { anEvent } from '../event-store.contract.js';
import { verifyStoredStream } from '../stream-verifier.js';
import { eventStoreMigrations } from './event-store-migrations.js';
import { ensureLedgerRole, INSUFFICIENT_PRIVILEGE, LEDGER_WRITER_ROLE, LedgerWriterRoleError, restrictToLedgerWriter, withSessionRole, type LedgerWriterAccess } from './ledger-writer-role.js';
import { runMigrations } from './migration-runner.js';
import { PostgresEventStore } from './postgres-event-store.js';

let database: TestDatabase;
let access: LedgerWriterAccess;
let runtime: pg.Pool;
let store: PostgresEventStore;
const stream = `writer-${randomUUID()}`;

beforeAll(async () => {
  database = await createTestDatabase(eventStoreMigrations);
  access = await restrictToLedgerWriter(database.url);
  runtime = new pg.Pool({ connectionString: access.url, max: 4 });
  store = new PostgresEventStore(runtime);
  await store.append(stream, ['Opened', 'Paid', 'Closed'].map((type) => anEvent(type, { amountCents: '100' })), 'no_stream');
});

afterAll(async () => {
  await store?.close();
  await database?.drop();
});

/** The SQLSTATE a statement fails with, or null when it succeeds. */
async function failureCode(pool: pg.Pool | pg.Client, sql: string, values: unknown[] = []): Promise<string | null> {
  try {
    await pool.query(sql, values);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'no code';
  }
}

const CHANGES = [
  ['UPDATE', `UPDATE ledger_events SET data = '{"amountCents":"1"}' WHERE stream_id = $1 AND stream_revision = 1`, [stream]],
  ['DELETE', 'DELETE FROM ledger_events WHERE stream_id = $1 AND stream_revision = 1', [stream]],
  ['TRUNCATE', 'TRUNCATE ledger_events', []],
] as const;

describe('the runtime role on the event log', () => {
  it('switches the sessions of a superuser login to ai_credit_ledger_writer', async () => {
    expect(access).toMatchObject({ via: 'session_role', loginIsSuperuser: true });
    const who = await runtime.query<{ current_user: string; session_user: string }>('SELECT current_user, session_user');
    expect(who.rows[0]).toEqual({ current_user: LEDGER_WRITER_ROLE, session_user: access.login });
  });

  it.each(CHANGES)('refuses %s of events for lack of privilege (42501), not merely by the trigger', async (_operation, sql, values) => {
    expect(await failureCode(runtime, sql, [...values])).toBe(INSUFFICIENT_PRIVILEGE);
    // The owner is stopped by the trigger alone (a different error), which the owner can switch off.
    const owner = new pg.Client({ connectionString: database.url });
    await owner.connect();
    try {
      expect(await failureCode(owner, sql, [...values])).toBe('23000');
    } finally {
      await owner.end();
    }
  });

  it('appends and reads through the store as that role, and the chain stays intact', async () => {
    const appended = await store.append(stream, [anEvent('Reopened')], 2n);
    expect(appended.nextExpectedRevision).toBe(3n);
    expect((await store.readStream(stream)).map((event) => event.type)).toEqual(['Opened', 'Paid', 'Closed', 'Reopened']);
    expect(await verifyStoredStream(store, stream)).toEqual({ valid: true, events: 4 });
  });

  it('grants exactly SELECT and INSERT again on every migration run, whatever was granted meanwhile', async () => {
    await withClient(database.url, (owner) => owner.query(`GRANT UPDATE, DELETE, TRUNCATE ON ledger_events TO ${LEDGER_WRITER_ROLE}`));
    await expect(restrictToLedgerWriter(database.url)).rejects.toThrow(/could still change or remove events/);

    await runMigrations(database.url, eventStoreMigrations);

    await expect(restrictToLedgerWriter(database.url)).resolves.toMatchObject({ via: 'session_role' });
    expect(await failureCode(runtime, CHANGES[0][1], [stream])).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('keeps startup options already in the URL', () => {
    const url = withSessionRole('postgres://u:p@db:5432/ledger?options=-c%20statement_timeout%3D5000', LEDGER_WRITER_ROLE);
    expect(new URL(url).searchParams.get('options')).toBe(`-c statement_timeout=5000 -c role=${LEDGER_WRITER_ROLE}`);
  });
});

describe('a login of its own (the production shape)', () => {
  const login = `ledger_test_login_${randomBytes(4).toString('hex')}`;
  const auditor = `ledger_test_auditor_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const urlOf = (user: string): string => {
    const url = new URL(database.url);
    url.username = user;
    url.password = password;
    return url.toString();
  };

  beforeAll(async () => {
    await withClient(database.url, async (admin) => {
      for (const user of [login, auditor]) await admin.query(`CREATE ROLE ${user} LOGIN PASSWORD '${password}'`);
      await admin.query(`GRANT SELECT ON ledger_events TO ${auditor}`);
    });
  });

  afterAll(async () => {
    // Created by this test for this test's database alone: nothing else can use them.
    await withClient(database.url, async (admin) => {
      await admin.query(`REVOKE ALL ON ledger_events FROM ${auditor}`);
      for (const user of [login, auditor]) await admin.query(`DROP ROLE IF EXISTS ${user}`);
    });
  });

  it('takes a login that may only read events as it is for readers (verify, export), and refuses it for the service', async () => {
    await expect(restrictToLedgerWriter(urlOf(auditor), { readOnly: true })).resolves.toMatchObject({ url: urlOf(auditor), via: 'login' });
    await expect(restrictToLedgerWriter(urlOf(auditor))).rejects.toThrow(`which may not read and append events`);
  });

  it('is refused until it is granted the runtime role, then used as it is', async () => {
    const refused = restrictToLedgerWriter(urlOf(login));
    await expect(refused).rejects.toThrow(LedgerWriterRoleError);
    await expect(refused).rejects.toThrow(`GRANT ${LEDGER_WRITER_ROLE} TO "${login}"`);

    await withClient(database.url, (admin) => admin.query(`GRANT ${LEDGER_WRITER_ROLE} TO ${login}`));

    const granted = await restrictToLedgerWriter(urlOf(login));
    expect(granted).toEqual({ url: urlOf(login), login, loginIsSuperuser: false, via: 'login' });
    // Such a session cannot get the privileges back: there is nothing to switch back to.
    await withClient(urlOf(login), async (client) => {
      await client.query('SET ROLE NONE');
      expect(await failureCode(client, 'DELETE FROM ledger_events')).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await failureCode(client, 'ALTER TABLE ledger_events DISABLE TRIGGER USER')).toBe(INSUFFICIENT_PRIVILEGE);
    });
  });
});

describe('creating the role', () => {
  it('succeeds in every database that creates it at the same moment (roles belong to the whole server)', async () => {
    const role = `ledger_test_race_${randomBytes(4).toString('hex')}`;
    const first = new pg.Client({ connectionString: database.url });
    const others = Array.from({ length: 4 }, () => new pg.Client({ connectionString: database.url }));
    await Promise.all([first, ...others].map((client) => client.connect()));
    try {
      // The first creates it and has not committed: the others find no role and wait on its row.
      await first.query('BEGIN');
      await ensureLedgerRole(first, role);
      let settled = 0;
      const racing = others.map((client) => ensureLedgerRole(client, role).finally(() => (settled += 1)));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(settled).toBe(0);
      await first.query('COMMIT');

      await expect(Promise.all(racing)).resolves.toHaveLength(others.length);
      const found = await first.query('SELECT rolcanlogin FROM pg_roles WHERE rolname = $1', [role]);
      expect(found.rows).toEqual([{ rolcanlogin: false }]);
    } finally {
      await first.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
      await Promise.all([first, ...others].map((client) => client.end()));
    }
  });
});

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
