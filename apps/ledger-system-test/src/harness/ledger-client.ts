/**
 * The scenarios' HTTP client of the ledger API: node:http with keep-alive
 * connections (cheap on the load generator, which shares the machine with
 * the service), answers read whole as text so replays can be compared byte
 * for byte, and two ways of sending:
 *
 * - send(): one request, one answer, or a TransportError when no answer
 *   came (connection refused or reset, timeout): what a client sees while
 *   the API is down.
 * - sendUntilAnswered(): what a careful client does during faults: sends
 *   again (with the same Idempotency-Key) until it hears an answer that is
 *   not "try again" (no answer, 503, 429, 409 IDEMPOTENCY_REQUEST_IN_PROGRESS),
 *   within a deadline; every attempt is reported to `onAttempt`.
 */
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const MIN_POSITION_HEADER = 'x-min-position';
/** A request that has not been answered in this long counts as unanswered (the API bounds its own work at 5 s). */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as received. */
  readonly body: string;
}

export function json<T = Record<string, unknown>>(answer: Answer): T {
  return JSON.parse(answer.body) as T;
}

/** The error code of an error answer (`{statusCode, code, message}`), or null. */
export function errorCode(answer: Answer): string | null {
  if (answer.status < 400) return null;
  try {
    const code = (JSON.parse(answer.body) as { code?: unknown }).code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}

/** No answer came: the connection failed or the request timed out. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
}

export interface RequestOptions {
  readonly idempotencyKey?: string;
  readonly ifMatch?: string;
  readonly minPosition?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

export interface CommandAnswerBody {
  readonly id: string;
  readonly streamRevision: number;
  readonly position: string;
}

export class LedgerClient {
  constructor(
    readonly baseUrl: string,
    readonly apiKey: string,
    private readonly agent: Agent,
  ) {}

  /** The same connection pool, another key. */
  as(apiKey: string): LedgerClient {
    return new LedgerClient(this.baseUrl, apiKey, this.agent);
  }

  post(path: string, body: unknown, options: RequestOptions = {}): Promise<Answer> {
    return this.send('POST', path, body, options);
  }

  get(path: string, options: RequestOptions = {}): Promise<Answer> {
    return this.send('GET', path, undefined, options);
  }

  send(method: string, path: string, body: unknown, options: RequestOptions = {}): Promise<Answer> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, ...options.headers };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    if (options.idempotencyKey !== undefined) headers[IDEMPOTENCY_KEY_HEADER] = options.idempotencyKey;
    if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
    if (options.minPosition !== undefined) headers[MIN_POSITION_HEADER] = options.minPosition;
    const url = new URL(path, this.baseUrl);
    return new Promise<Answer>((resolve, reject) => {
      const outgoing = request(url, { method, headers, agent: this.agent, timeout: options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') }));
        incoming.on('error', (error) => reject(new TransportError(`${method} ${path}: answer broken off: ${error.message}`)));
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS} ms`)));
      outgoing.on('error', (error) => reject(new TransportError(`${method} ${path}: ${error.message}`)));
      outgoing.end(payload);
    });
  }
}

/** Keep-alive connections for a scenario's clients; destroy() at the end. */
export function connectionPool(maxSockets = 256): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

/** Answers a client should send again after a pause: the service says "not now", not "no". */
export function isTryAgain(answer: Answer): boolean {
  if (answer.status === 503 || answer.status === 429) return true;
  return answer.status === 409 && errorCode(answer) === 'IDEMPOTENCY_REQUEST_IN_PROGRESS';
}

export interface Attempt {
  readonly attempt: number;
  readonly startedMs: number;
  readonly elapsedMs: number;
  /** The answer, or the TransportError when none came. */
  readonly outcome: Answer | TransportError;
}

export interface UntilAnsweredOptions {
  /** Give up (throw) after this long; default 60 s. */
  readonly deadlineMs?: number;
  /** Which answers to send again after; default isTryAgain. */
  readonly tryAgain?: (answer: Answer) => boolean;
  readonly onAttempt?: (attempt: Attempt) => void;
  /** First pause between attempts, doubled up to maxPauseMs; defaults 50 and 500 ms. */
  readonly firstPauseMs?: number;
  readonly maxPauseMs?: number;
}

export interface Answered {
  readonly answer: Answer;
  readonly attempts: number;
}

/** Sends until answered with something final. Send the same Idempotency-Key on every attempt of a command. */
export async function sendUntilAnswered(send: () => Promise<Answer>, options: UntilAnsweredOptions = {}): Promise<Answered> {
  const deadline = performance.now() + (options.deadlineMs ?? 60_000);
  const tryAgain = options.tryAgain ?? isTryAgain;
  let pauseMs = options.firstPauseMs ?? 50;
  for (let attempt = 1; ; attempt += 1) {
    const startedMs = performance.now();
    let outcome: Answer | TransportError;
    try {
      outcome = await send();
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      outcome = error;
    }
    options.onAttempt?.({ attempt, startedMs, elapsedMs: performance.now() - startedMs, outcome });
    if (!(outcome instanceof TransportError) && !tryAgain(outcome)) return { answer: outcome, attempts: attempt };
    if (performance.now() + pauseMs > deadline) {
      const last = outcome instanceof TransportError ? outcome.message : `${outcome.status} ${outcome.body.slice(0, 200)}`;
      throw new Error(`no final answer after ${attempt} attempts within ${options.deadlineMs ?? 60_000} ms; last: ${last}`);
    }
    await sleep(pauseMs);
    pauseMs = Math.min(pauseMs * 2, options.maxPauseMs ?? 500);
  }
}

/** Issues an API key through the admin route (POST /v1/admin/api-keys). */
export async function issueApiKey(admin: LedgerClient, role: 'broker' | 'compliance' | 'dashboard' | 'admin', principalId: string): Promise<string> {
  const { answer } = await sendUntilAnswered(() => admin.post('/v1/admin/api-keys', { role, principalId }));
  if (answer.status !== 201) throw new Error(`issuing a ${role} key for ${principalId}: ${answer.status} ${answer.body}`);
  return json<{ key: string }>(answer).key;
}
