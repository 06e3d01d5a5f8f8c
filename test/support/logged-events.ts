import pg from 'pg';

/**
 * How many events the log holds, counted in the table. Not the store's
 * headPosition(): its readers' snapshot rule stops below any transaction
 * still open, so while a projector's batch is open it names an earlier head,
 * and a "nothing was written" check comparing two heads then fails without
 * anything having been written (seen in CI).
 */
export async function loggedEventCount(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>('SELECT count(*)::text AS n FROM ledger_events')).rows[0]!.n);
  } finally {
    await client.end();
  }
}
