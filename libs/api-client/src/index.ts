/**
 * A typed client of the ledger API: openapi-fetch over the types generated
 * from the API's OpenAPI document (ledger-api.schema.ts, `npm run
 * openapi:client`). Paths, parameters, bodies and answers are checked at
 * compile time against the document, which test/openapi.spec.ts holds to
 * what the running API serves: a route or shape changed on one side and not
 * the other breaks the build of whoever uses this client.
 *
 * It imports nothing of the ledger itself (dependency-cruiser holds it to
 * that), so any TypeScript program can use it.
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './ledger-api.schema.js';

export type { components, operations, paths };
export type LedgerApiClient = Client<paths>;

type Schemas = components['schemas'];
export type CommandAnswer = Schemas['CommandAnswer'];
export type ErrorBody = Schemas['ErrorBody'];
export type Listing = Schemas['Listing'];
export type Deal = Schemas['Deal'];
export type BuyRequest = Schemas['BuyRequest'];
export type MatchSuggestion = Schemas['MatchSuggestion'];
export type JournalEntry = Schemas['JournalEntry'];
export type DashboardSummary = Schemas['DashboardSummary'];
export type AuditEvent = Schemas['AuditEvent'];

export interface LedgerApiClientOptions {
  /** Where the API listens, e.g. http://127.0.0.1:3000. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <key>` on every request; absent: none (the public routes). */
  readonly apiKey?: string;
  /** Another fetch (a test's, a proxy's); default the global one. */
  readonly fetch?: ClientOptions['fetch'];
}

export function createLedgerApiClient(options: LedgerApiClientOptions): LedgerApiClient {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    headers: options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` },
  });
}
