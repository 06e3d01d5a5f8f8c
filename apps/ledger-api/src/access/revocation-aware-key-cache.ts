/**
 * Remembers which principal holds a key hash, so most requests skip the
 * api_keys lookup, without weakening "revoked at once":
 * - a revocation in this process evicts the principal here before it answers;
 * - it also NOTIFYs `ledger_api_key_revoked`, on which every instance LISTENs
 *   and evicts within milliseconds;
 * - while this instance is not listening (not yet connected, or its listener
 *   connection dropped), the cache is empty and bypassed: every request reads
 *   the table, as without a cache;
 * - an entry lives at most ENTRY_TTL_MS anyway, a bound on staleness should a
 *   notification ever be lost.
 */
import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { Principal } from './principal.js';

export const REVOCATION_CHANNEL = 'ledger_api_key_revoked';
/** Worst-case staleness if a notification were lost in transit; also bounds memory churn. */
const ENTRY_TTL_MS = 5_000;
/** Bounds memory: far more active keys than any broker team holds. */
const MAX_ENTRIES = 10_000;
const RECONNECT_DELAY_MS = 1_000;

interface Entry {
  readonly principal: Principal;
  readonly expiresAtMs: number;
}

export class RevocationAwareKeyCache {
  private readonly entries = new Map<string, Entry>();
  /** Raised by every eviction: a lookup that began before one must not cache what it read. */
  private evictions = 0;
  private listener: pg.Client | null = null;
  private listening = false;
  private stopped = false;
  private readonly logger = new Logger('ApiKeyCache');

  constructor(private readonly connectionString: string | null) {}

  async start(): Promise<void> {
    if (this.connectionString === null) return;
    await this.listen().catch((error: unknown) => this.onListenerLost(error));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.listening = false;
    this.entries.clear();
    await this.listener?.end().catch(() => undefined);
  }

  get(keyHash: string, nowMs: number): Principal | null {
    if (!this.listening) return null;
    const entry = this.entries.get(keyHash);
    if (entry === undefined) return null;
    if (entry.expiresAtMs <= nowMs) {
      this.entries.delete(keyHash);
      return null;
    }
    return entry.principal;
  }

  /** A mark to pass to remember(): taken before reading the table. */
  lookupStarted(): number {
    return this.evictions;
  }

  /** Caches what a lookup read, unless a revocation may have happened since it began. */
  remember(keyHash: string, principal: Principal, nowMs: number, lookupStarted: number): void {
    if (!this.listening || lookupStarted !== this.evictions) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(keyHash, { principal, expiresAtMs: nowMs + ENTRY_TTL_MS });
  }

  /** Drops every cached key of the principal (its key was revoked or replaced). */
  evict(principalId: string): void {
    this.evictions += 1;
    for (const [keyHash, entry] of this.entries) if (entry.principal.principalId === principalId) this.entries.delete(keyHash);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString! });
    client.on('notification', (message) => {
      if (message.channel === REVOCATION_CHANNEL && message.payload !== undefined) this.evict(message.payload);
    });
    client.on('error', (error) => this.onListenerLost(error));
    client.on('end', () => this.onListenerLost(new Error('listener connection ended')));
    await client.connect();
    await client.query(`LISTEN ${REVOCATION_CHANNEL}`);
    this.listener = client;
    this.listening = true;
  }

  private onListenerLost(error: unknown): void {
    // Without notifications the cache could miss a revocation: empty it and read the table until listening again.
    const wasListening = this.listening;
    this.listening = false;
    this.evictions += 1;
    this.entries.clear();
    if (this.stopped) return;
    if (wasListening) this.logger.warn(`revocation listener lost (${error instanceof Error ? error.message : String(error)}); reading keys from the table`);
    const listener = this.listener;
    this.listener = null;
    void listener?.end().catch(() => undefined);
    setTimeout(() => {
      if (!this.stopped && this.listener === null) void this.listen().catch((again: unknown) => this.onListenerLost(again));
    }, RECONNECT_DELAY_MS).unref();
  }
}
