import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres-server.js';

describe('embedded PostgreSQL', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ledger-embedded-spec-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('initialises a new folder, serves, and starts again on the same data', async () => {
    const first = await startEmbeddedPostgres({ dataDir, unsafeFast: true });
    const client = new pg.Client({ connectionString: first.url });
    await client.connect();
    await client.query('CREATE TABLE kept (value text)');
    await client.query(`INSERT INTO kept VALUES ('still here')`);
    await client.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, unsafeFast: true });
    const again = new pg.Client({ connectionString: second.url });
    await again.connect();
    const rows = await again.query('SELECT value FROM kept');
    await again.end();
    await second.stop();

    expect(rows.rows).toEqual([{ value: 'still here' }]);
  });

  it('refuses a folder held by a running server of a live process, and leaves that server alone', async () => {
    const running = await startEmbeddedPostgres({ dataDir, unsafeFast: true });
    try {
      // Pretend another live process owns it: our parent (the Jest runner) is alive.
      await writeFile(join(dataDir, 'ledger-owner.pid'), `${process.ppid}\n`);

      await expect(startEmbeddedPostgres({ dataDir, unsafeFast: true })).rejects.toThrow(/is in use by the PostgreSQL \(pid \d+\) of a running process/);
      const client = new pg.Client({ connectionString: running.url });
      await client.connect();
      await client.end();
    } finally {
      await running.stop();
    }
  });

  it('puts the server log in the error when PostgreSQL refuses to start', async () => {
    const server = await startEmbeddedPostgres({ dataDir, unsafeFast: true });
    await server.stop();
    await appendFile(join(dataDir, 'postgresql.conf'), '\nmax_connections = banana\n');

    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/did not start[\s\S]*max_connections/);
  });
});
