/**
 * The few calls `demo` makes to a running API (shared/API.md), with fetch.
 * A 429 is retried after its Retry-After (the limit is per key and refused
 * before anything runs, so the retry is the first run), and so is a 503
 * (store or read model briefly behind); any other refusal stops the demo
 * with the API's code and message.
 */

/** A command's answer (shared/API.md, Commands). */
export interface CommandAnswer {
  readonly id: string;
  readonly streamRevision: string;
  readonly position: string;
}

export class LedgerApiError extends Error {
  override readonly name = 'LedgerApiError';

  constructor(
    readonly method: string,
    readonly path: string,
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(`${method} ${path} answered ${statusCode} ${code}: ${message}`);
  }
}

/** A few retries of a 429 or 503 before giving up: a minute's worth of tokens refills in a minute. */
const MAX_RETRIES = 8;
const MAX_RETRY_WAIT_MS = 10_000;
const UNAVAILABLE_RETRY_MS = 250;
/** No single request of the demo should take this long on a healthy server. */
const REQUEST_TIMEOUT_MS = 15_000;

export class LedgerHttpClient {
  /** Every request sent, retries included: the demo reports it. */
  requests = 0;

  constructor(
    readonly baseUrl: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** POST a command; its answer (201 or 200). */
  command(key: string, path: string, body: object): Promise<CommandAnswer> {
    return this.send<CommandAnswer>(key, 'POST', path, body);
  }

  get<T>(key: string, path: string, headers: Record<string, string> = {}): Promise<T> {
    return this.send<T>(key, 'GET', path, undefined, headers);
  }

  async issueKey(adminKey: string, principalId: string, role: string, label: string): Promise<string> {
    return (await this.send<{ key: string }>(adminKey, 'POST', '/v1/admin/api-keys', { role, principalId, label })).key;
  }

  private async send<T>(key: string, method: 'GET' | 'POST', path: string, body?: object, headers: Record<string, string> = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      this.requests++;
      const response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }).catch((error: unknown) => {
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
        throw new Error(`no answer from ${this.baseUrl} (${cause}): is the API running? npm start prints its URL`);
      });
      const text = await response.text();
      if (response.ok) return (text === '' ? undefined : JSON.parse(text)) as T;
      if ((response.status === 429 || response.status === 503) && attempt < MAX_RETRIES) {
        const retryAfterSeconds = Number(response.headers.get('retry-after'));
        await this.sleep(response.status === 429 && retryAfterSeconds > 0 ? Math.min(retryAfterSeconds * 1_000, MAX_RETRY_WAIT_MS) : UNAVAILABLE_RETRY_MS);
        continue;
      }
      const error = parseError(text);
      throw new LedgerApiError(method, path, response.status, error.code, error.message);
    }
  }
}

function parseError(text: string): { code: string; message: string } {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    return { code: typeof body.code === 'string' ? body.code : 'UNKNOWN', message: typeof body.message === 'string' ? body.message : text };
  } catch {
    return { code: 'UNKNOWN', message: text.slice(0, 200) };
  }
}
