/**
 * Recognises a PostgreSQL that cannot be reached or is shutting down, so the
 * edge answers 503 UNAVAILABLE (try again later) rather than 500 (our fault).
 * The pg driver reports these as Node socket errors, as SQLSTATE codes of
 * class 08 (connection exception) and 57P (operator intervention), or, for
 * the pool and a dropped connection, only by message. TypeORM wraps the
 * driver's error in `driverError`; other wrappers use `cause`.
 */
const SOCKET_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/**
 * A connect() to a Unix-domain socket (DATABASE_URL with host=/var/run/postgresql,
 * or the embedded server's socket folder) whose socket file is gone: the
 * server is down. Only for connect: ENOENT elsewhere is a missing file, ours to fix.
 */
const SOCKET_FILE_MISSING = { code: 'ENOENT', syscall: 'connect' } as const;
/** admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /cannot use a pool after calling end/i,
  /client has encountered a connection error/i,
];
/** Wrappers are shallow; a bound keeps a self-referencing cause from looping. */
const MAX_WRAPPER_DEPTH = 5;

/**
 * query_canceled: statement_timeout (LEDGER_STATEMENT_TIMEOUT_MS) ended the
 * statement, or an operator cancelled it (pg_cancel_backend). Either way the
 * statement did not finish and its transaction rolled back.
 */
const QUERY_CANCELED_SQLSTATE = '57014';

export function isDatabaseUnavailable(error: unknown): boolean {
  return someWrapped(error, (candidate) => {
    const code = typeof candidate.code === 'string' ? candidate.code : '';
    if (code === SOCKET_FILE_MISSING.code && candidate.syscall === SOCKET_FILE_MISSING.syscall) return true;
    if (SOCKET_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
    return typeof candidate.message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(candidate.message as string));
  });
}

/** A statement PostgreSQL cancelled, normally for running past the statement timeout: 503 DATABASE_TIMEOUT. */
export function isStatementCancelled(error: unknown): boolean {
  return someWrapped(error, (candidate) => candidate.code === QUERY_CANCELED_SQLSTATE);
}

interface WrappedError {
  readonly code?: unknown;
  readonly syscall?: unknown;
  readonly message?: unknown;
  readonly driverError?: unknown;
  readonly cause?: unknown;
}

function someWrapped(error: unknown, test: (candidate: WrappedError) => boolean): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_WRAPPER_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const candidate = current as WrappedError;
    if (test(candidate)) return true;
    current = candidate.driverError ?? candidate.cause;
  }
  return false;
}
