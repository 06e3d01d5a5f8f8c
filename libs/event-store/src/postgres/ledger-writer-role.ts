/**
 * The role the ledger runs as: `ai_credit_ledger_writer`, a NOLOGIN role
 * that may read and insert events but never change, remove or truncate one,
 * and may write every other table (the read models, keys, checkpoints).
 * The owner (LEDGER_MIGRATION_DATABASE_URL, by default DATABASE_URL) runs
 * the migrations; runMigrations then creates the role if needed and grants
 * it exactly that, database by database.
 *
 * How a runtime session comes to hold only those privileges
 * (restrictToLedgerWriter), and what that protects:
 * - DATABASE_URL logs in as a role of its own, granted ai_credit_ledger_writer
 *   (the production shape). The session cannot change events whatever SQL it
 *   runs: this protects the log from the service's bugs and from anyone who
 *   takes over the service or its credentials. They can still append (that
 *   is the service's job), so they could add false facts, but never rewrite
 *   or remove recorded ones. Only the owner or a superuser can get past it
 *   (and then `verify` names the first stream and revision they changed).
 * - DATABASE_URL logs in as the owner or a superuser (the embedded default,
 *   the tests, a quick deployment). Its sessions start with
 *   `role=ai_credit_ledger_writer` (a startup option in the URL, so every
 *   pool, the worker thread and TypeORM get it), which is SET ROLE before the
 *   first query. That protects against the service's own bugs only: anyone
 *   who can run SQL on such a session can `SET ROLE NONE` and is the owner or
 *   superuser again.
 * - Otherwise the service refuses to start (LedgerWriterRoleError).
 *
 * The trigger on ledger_events (its migration) refuses UPDATE, DELETE and
 * TRUNCATE even for the owner; privileges make the refusal independent of a
 * trigger the owner can disable.
 */
import pg from 'pg';

export const LEDGER_WRITER_ROLE = 'ai_credit_ledger_writer';

/** Tables of facts: the runtime reads and inserts, and nothing else. */
export const APPEND_ONLY_TABLES: readonly string[] = ['ledger_events'];

/** The code PostgreSQL answers when a role lacks a privilege. */
export const INSUFFICIENT_PRIVILEGE = '42501';
const UNDEFINED_TABLE = '42P01';

/** Role and table names go into SQL text (GRANT takes no parameters): only plain lower-case identifiers. */
const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function identifier(name: string): string {
  if (!PLAIN_IDENTIFIER.test(name)) throw new TypeError(`not a plain identifier: ${name}`);
  return name;
}

function textArray(names: readonly string[]): string {
  return `ARRAY[${names.map((name) => `'${identifier(name)}'`).join(', ')}]::text[]`;
}

/**
 * The runtime role's privileges could not be arranged or checked: a
 * deployment problem, reported at start with what to do about it.
 */
export class LedgerWriterRoleError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LedgerWriterRoleError';
  }
}

/**
 * Creates a NOLOGIN role unless it exists. Roles belong to the whole server,
 * so databases provisioned at the same moment (the test files, several
 * instances of two ledgers) race to create it: the loser's CREATE ROLE waits
 * for the winner's commit and then fails with a unique violation, which is
 * taken as "it exists". An advisory lock would not serialise them: those
 * locks belong to one database.
 */
export async function ensureLedgerRole(client: pg.ClientBase, role: string): Promise<void> {
  const name = identifier(role);
  await client.query(`
    DO $ensure_role$
    BEGIN
      IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${name}') THEN
        BEGIN
          CREATE ROLE ${name} NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
          NULL;
        END;
      END IF;
    END
    $ensure_role$`);
}

/**
 * Grants the runtime role its privileges in this database: on the append-only
 * tables SELECT and INSERT only (no sequence privilege: their ids are
 * identity columns, which PostgreSQL fills without one), on every other table
 * of the schema SELECT, INSERT, UPDATE, DELETE and TRUNCATE (a projection
 * rebuild truncates its tables), and nothing on `ownerOnlyTables`. Revoked
 * first, so the grants are exactly these whatever was granted before; a
 * table a later migration adds is covered on the next run. Run by the owner
 * under the migration lock (concurrent GRANTs on one table can fail).
 *
 * A migrating role that is not a superuser is also made a member of the
 * runtime role, so that a DATABASE_URL logging in as the owner can switch to
 * it; where it may not grant that, restrictToLedgerWriter refuses later and
 * says what to do.
 */
export async function grantLedgerWriter(client: pg.ClientBase, ownerOnlyTables: readonly string[]): Promise<void> {
  const role = identifier(LEDGER_WRITER_ROLE);
  await ensureLedgerRole(client, role);
  await client.query(`
    DO $grant_writer$
    DECLARE
      ledger_table text;
    BEGIN
      -- PUBLIC usually has it already; granting it needs the schema's owner.
      IF NOT has_schema_privilege('${role}', current_schema(), 'USAGE') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO ${role}', current_schema());
      END IF;
      FOR ledger_table IN
        SELECT c.relname FROM pg_catalog.pg_class c
        WHERE c.relnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = current_schema())
          AND c.relkind IN ('r', 'p') AND c.relname <> ALL (${textArray(ownerOnlyTables)})
      LOOP
        EXECUTE format('REVOKE ALL ON TABLE %I FROM ${role}', ledger_table);
        IF ledger_table = ANY (${textArray(APPEND_ONLY_TABLES)}) THEN
          EXECUTE format('GRANT SELECT, INSERT ON TABLE %I TO ${role}', ledger_table);
        ELSE
          EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLE %I TO ${role}', ledger_table);
        END IF;
      END LOOP;
    END
    $grant_writer$`);
  await client.query(`
    DO $join_writer$
    DECLARE
      may_switch boolean;
    BEGIN
      IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
        RETURN;
      END IF;
      -- PostgreSQL 16 separated SET ROLE from membership; 15 has only membership.
      IF current_setting('server_version_num')::int >= 160000 THEN
        may_switch := pg_has_role(current_user, '${role}', 'SET');
      ELSE
        may_switch := pg_has_role(current_user, '${role}', 'MEMBER');
      END IF;
      IF NOT may_switch THEN
        EXECUTE format('GRANT ${role} TO %I', current_user);
      END IF;
    EXCEPTION WHEN insufficient_privilege OR invalid_grant_operation THEN
      RAISE NOTICE 'cannot grant ${role} to %: a DATABASE_URL logging in as this role cannot switch to it', current_user;
    END
    $join_writer$`);
}

export interface LedgerWriterAccess {
  /** What runtime sessions connect with. */
  readonly url: string;
  /** The user the URL logs in as. */
  readonly login: string;
  readonly loginIsSuperuser: boolean;
  /**
   * 'login': the login itself holds no more than the runtime role (it cannot
   * change events whatever it runs). 'session_role': the login could, and
   * its sessions switch to ai_credit_ledger_writer (a guard against bugs,
   * undone by `SET ROLE NONE`).
   */
  readonly via: 'login' | 'session_role';
}

interface SessionPrivileges {
  readonly login: string;
  readonly loginIsSuperuser: boolean;
  readonly database: string;
  readonly canRead: boolean;
  readonly canAppend: boolean;
  readonly canChange: boolean;
}

export interface RestrictOptions {
  /**
   * The sessions only read events (the CLI's verify and export): a login
   * that may read but not append them, an auditor's, is used as it is.
   */
  readonly readOnly?: boolean;
}

/**
 * Finds how runtime sessions at `url` hold only the runtime role's
 * privileges (see the top of this file) and checks it on a connection:
 * answers the URL to connect with, or throws LedgerWriterRoleError.
 * Needs the ledger's tables and the role (runMigrations makes both).
 */
export async function restrictToLedgerWriter(url: string, options: RestrictOptions = {}): Promise<LedgerWriterAccess> {
  const asGiven = await sessionPrivileges(url);
  const who = `DATABASE_URL logs in as "${asGiven.login}"`;
  if (!asGiven.canChange) {
    if (asGiven.canRead && (asGiven.canAppend || options.readOnly === true)) {
      return { url, login: asGiven.login, loginIsSuperuser: asGiven.loginIsSuperuser, via: 'login' };
    }
    throw new LedgerWriterRoleError(
      `${who}, which may not read${options.readOnly === true ? '' : ' and append'} events in database ${asGiven.database}: ` +
        `GRANT ${LEDGER_WRITER_ROLE} TO "${asGiven.login}" (the migrations create the role and its privileges)`,
    );
  }
  const restrictedUrl = withSessionRole(url, LEDGER_WRITER_ROLE);
  let restricted: SessionPrivileges;
  try {
    restricted = await sessionPrivileges(restrictedUrl);
  } catch (error) {
    throw new LedgerWriterRoleError(
      `${who}, which may change or remove events, and its sessions could not switch to ${LEDGER_WRITER_ROLE}: ${messageOf(error)}. ` +
        `The migrations create that role and make their own user a member; otherwise a superuser runs ` +
        `CREATE ROLE ${LEDGER_WRITER_ROLE} NOLOGIN; GRANT ${LEDGER_WRITER_ROLE} TO "${asGiven.login}"`,
      { cause: error },
    );
  }
  if (restricted.canChange || !restricted.canRead || !restricted.canAppend) {
    throw new LedgerWriterRoleError(
      `${who}; as ${LEDGER_WRITER_ROLE} its sessions ${restricted.canChange ? 'could still change or remove events' : 'could not read and append events'}: ` +
        `the role's privileges in database ${restricted.database} are not what the migrations grant (run them with the owner's URL)`,
    );
  }
  return { url: restrictedUrl, login: asGiven.login, loginIsSuperuser: asGiven.loginIsSuperuser, via: 'session_role' };
}

/**
 * The same connection string with `-c role=<role>` added to its startup
 * options (kept, not replaced: a URL may carry options of its own). Every
 * client that reads the URL, node-postgres, TypeORM and psql alike, opens
 * its sessions as that role.
 */
export function withSessionRole(url: string, role: string): string {
  const parsed = new URL(url);
  const options = [parsed.searchParams.get('options'), `-c role=${identifier(role)}`].filter((option) => option !== null && option !== '');
  parsed.searchParams.set('options', options.join(' '));
  return parsed.toString();
}

async function sessionPrivileges(url: string): Promise<SessionPrivileges> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ login: string; login_is_superuser: boolean; database: string; can_read: boolean; can_append: boolean; can_change: boolean }>(`
      SELECT session_user AS login,
             (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user) AS login_is_superuser,
             current_database() AS database,
             has_table_privilege('ledger_events', 'SELECT') AS can_read,
             has_table_privilege('ledger_events', 'INSERT') AS can_append,
             has_any_column_privilege('ledger_events', 'UPDATE') OR has_table_privilege('ledger_events', 'DELETE')
               OR has_table_privilege('ledger_events', 'TRUNCATE') AS can_change`);
    const row = result.rows[0]!;
    return { login: row.login, loginIsSuperuser: row.login_is_superuser, database: row.database, canRead: row.can_read, canAppend: row.can_append, canChange: row.can_change };
  } catch (error) {
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) {
      throw new LedgerWriterRoleError('ledger_events not found: DATABASE_URL must name the database the migrations ran on (LEDGER_MIGRATION_DATABASE_URL)', { cause: error });
    }
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
