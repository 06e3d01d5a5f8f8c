/**
 * Provisioning as the service does it at start: migrations as the owner, and
 * a URL for everything else whose sessions may write the read models but
 * only read and append events. With one URL (a superuser's, as the embedded
 * default and the tests have) and with two (LEDGER_MIGRATION_DATABASE_URL for
 * the owner, DATABASE_URL for a login granted the runtime role).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { APPEND_ONLY_TABLES, LEDGER_WRITER_ROLE, PostgresEventStore } from '#event-store';
import { createTestDatabase, type TestDatabase } from '#testing';
import { REBUILDABLE_PROJECTIONS, rebuildProjection } from '../rebuild/projection-rebuild.js';
import { provisionDatabase, type ProvisionedDatabase } from './provision-database.js';

const NO_EMBEDDED = { embeddedDataDir: '.data/unused', embeddedPort: null };
const WRITE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'] as const;

interface TablePrivileges {
  readonly table: string;
  readonly privileges: string[];
}

/** What the session at `url` may do on each table of the ledger's schema. */
async function privilegesOnEveryTable(url: string): Promise<TablePrivileges[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table: string }>(`SELECT tablename AS table FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`);
    const rows: TablePrivileges[] = [];
    for (const { table } of tables.rows) {
      const held = await client.query<{ privilege: string }>(
        `SELECT privilege FROM unnest($2::text[]) AS privilege WHERE has_table_privilege($1, privilege)`,
        [table, WRITE_PRIVILEGES],
      );
      rows.push({ table, privileges: held.rows.map((row) => row.privilege) });
    }
    return rows;
  } finally {
    await client.end();
  }
}

describe('provisioning with one URL (a superuser login)', () => {
  let database: TestDatabase;
  let provisioned: ProvisionedDatabase;

  beforeAll(async () => {
    database = await createTestDatabase([]);
    provisioned = await provisionDatabase({ databaseUrl: database.url, ...NO_EMBEDDED });
  });

  afterAll(async () => {
    await provisioned?.stop();
    await database?.drop();
  });

  it('migrates as the login and hands out sessions that run as the runtime role', async () => {
    expect(provisioned.appliedMigrations.length).toBeGreaterThan(0);
    expect(provisioned.writer).toMatchObject({ via: 'session_role', loginIsSuperuser: true });
    const client = new pg.Client({ connectionString: provisioned.url });
    await client.connect();
    try {
      const who = await client.query('SELECT current_user, session_user, (SELECT tableowner FROM pg_tables WHERE tablename = $1) AS owner', ['ledger_events']);
      expect(who.rows[0]).toEqual({ current_user: LEDGER_WRITER_ROLE, session_user: provisioned.writer.login, owner: provisioned.writer.login });
    } finally {
      await client.end();
    }
  });

  it('lets the runtime write every read-model table, only read and append events, and not touch the migrations record', async () => {
    const held = await privilegesOnEveryTable(provisioned.url);
    const readModels = held.filter(({ table }) => !APPEND_ONLY_TABLES.includes(table) && table !== 'ledger_migrations');
    expect(readModels.map(({ table }) => table)).toEqual(expect.arrayContaining(REBUILDABLE_PROJECTIONS.flatMap((projection) => projection.tables)));
    expect(readModels.filter(({ privileges }) => privileges.length !== WRITE_PRIVILEGES.length)).toEqual([]);
    expect(held.filter(({ table }) => APPEND_ONLY_TABLES.includes(table))).toEqual([{ table: 'ledger_events', privileges: ['SELECT', 'INSERT'] }]);
    expect(held.find(({ table }) => table === 'ledger_migrations')).toEqual({ table: 'ledger_migrations', privileges: [] });
  });

  it('rebuilds every projection as the runtime role (truncating its tables and checkpoint)', async () => {
    const pool = new pg.Pool({ connectionString: provisioned.url, max: 2 });
    const store = new PostgresEventStore(pool);
    try {
      for (const projection of REBUILDABLE_PROJECTIONS) {
        await expect(rebuildProjection(pool, store, projection, { lockTimeoutMs: 2_000 })).resolves.toMatchObject({ name: projection.name, events: 0 });
      }
    } finally {
      await store.close();
    }
  });
});

describe('provisioning with two URLs (the owner migrates, a login of its own runs)', () => {
  const login = `ledger_test_app_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let database: TestDatabase;
  let provisioned: ProvisionedDatabase | undefined;

  beforeAll(async () => {
    // createTestDatabase runs the migration runner, which creates the runtime role if the server lacks it.
    database = await createTestDatabase([]);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${login} LOGIN PASSWORD '${password}'`);
      await admin.query(`GRANT ${LEDGER_WRITER_ROLE} TO ${login}`);
    } finally {
      await admin.end();
    }
  });

  afterAll(async () => {
    await provisioned?.stop();
    // Created by this test for this test's database alone (it holds only its membership).
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(`DROP ROLE IF EXISTS ${login}`);
    } finally {
      await admin.end();
    }
    await database?.drop();
  });

  it('uses DATABASE_URL as it is, its login holding no more than the runtime role', async () => {
    const runtimeUrl = new URL(database.url);
    runtimeUrl.username = login;
    runtimeUrl.password = password;

    provisioned = await provisionDatabase({ databaseUrl: runtimeUrl.toString(), migrationDatabaseUrl: database.url, ...NO_EMBEDDED });

    expect(provisioned.appliedMigrations).toContain('CreateLedgerEvents1763900000000');
    expect(provisioned.writer).toEqual({ url: runtimeUrl.toString(), login, loginIsSuperuser: false, via: 'login' });
    expect(provisioned.url).toBe(runtimeUrl.toString());
    const events = (await privilegesOnEveryTable(provisioned.url)).find(({ table }) => table === 'ledger_events');
    expect(events).toEqual({ table: 'ledger_events', privileges: ['SELECT', 'INSERT'] });
  });
});
