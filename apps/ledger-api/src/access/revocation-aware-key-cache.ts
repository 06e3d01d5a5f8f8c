/**
 * Remembers which principal holds a key hash, so most requests skip the
 * api_keys lookup, without weakening "revoked at once": a revoked key is
 * refused from the very next request, on every instance.
 * - a revocation in this process evicts the principal here before it answers;
 * - it also NOTIFYs `ledger_api_key_revoked`, on which every instance LISTENs
 *   and evicts;
 * - a cache hit is trusted only once a round trip on the listener connection,
 *   begun after the hit, has come back. PostgreSQL signals a NOTIFY to the
 *   listening sessions when its transaction commits, before the revoking
 *   request is answered, and a listening session delivers what it was
 *   signalled before it answers its next query. So any revocation answered
 *   before this request arrived has evicted its key here by then, although
 *   the notification alone may arrive a moment after the request. Concurrent
 *   hits share one round trip (at most one in flight, one waiting), on a
 *   connection of its own: one `SELECT 1` per round trip, not per request;
 * - while this instance is not listening (not yet connected, or its listener
 *   connection dropped or stopped answering), the cache is empty and
 *   bypassed: every request reads the table, as without a cache;
 * - an entry lives at most ENTRY_TTL_MS anyway, a bound on staleness should a
 *   notification ever be lost.
 */
import { Logger } from '@nestjs/common';
import pg from 'pg';
import { REVOCATION_CHANNEL } from '#read-models';
import type { Principal } from './principal.js';

/** Worst-case staleness if a notification were lost in transit; also bounds memory churn. */
const ENTRY_TTL_MS = 5_000;
/** Bounds memory: far more active keys than any broker team holds. */
const MAX_ENTRIES = 10_000;
const RECONNECT_DELAY_MS = 1_000;
/**
 * A round trip on the listener connection takes well under a millisecond; one
 * that has not come back in this long means the connection is gone without
 * saying so: the listener is treated as lost (cache bypassed, reconnect).
 */
const ROUND_TRIP_TIMEOUT_MS = 2_000;

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
  /** The round trip on the listener connection now in flight, and the one that waits for it (see revocationsDelivered). */
  private roundTripInFlight: Promise<boolean> | null = null;
  private roundTripWaiting: Promise<boolean> | null = null;
  /** The one reconnect attempt scheduled: a lost connection reports itself several times ('error', 'end', a failed query). */
  private reconnectTimer: NodeJS.Timeout | null = null;
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
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    await this.listener?.end().catch(() => undefined);
  }

  /** The principal cached for the key hash, once every revocation committed before this call has reached this cache; null: read the table. */
  async get(keyHash: string, nowMs: number): Promise<Principal | null> {
    if (!this.listening || !this.entries.has(keyHash)) return null;
    if (!(await this.revocationsDelivered())) return null;
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

  /**
   * Resolves true once a round trip on the listener connection that began
   * after this call has come back: every notification committed before the
   * call has then been handled (evicted). False when not listening.
   */
  private revocationsDelivered(): Promise<boolean> {
    if (this.roundTripInFlight === null) return this.startRoundTrip();
    // The round trip in flight was sent before this call, so it proves nothing for it: wait for the next one.
    this.roundTripWaiting ??= this.roundTripInFlight.then(() => {
      this.roundTripWaiting = null;
      return this.startRoundTrip();
    });
    return this.roundTripWaiting;
  }

  private startRoundTrip(): Promise<boolean> {
    const listener = this.listener;
    if (listener === null || !this.listening) return Promise.resolve(false);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`listener connection did not answer in ${ROUND_TRIP_TIMEOUT_MS} ms`)), ROUND_TRIP_TIMEOUT_MS);
      timer.unref();
    });
    const roundTrip = Promise.race([listener.query('SELECT 1'), timeout])
      .then(
        () => this.listening && this.listener === listener,
        (error: unknown) => {
          if (this.listener === listener) this.onListenerLost(error);
          return false;
        },
      )
      .finally(() => {
        clearTimeout(timer);
        if (this.roundTripInFlight === roundTrip) this.roundTripInFlight = null;
      });
    this.roundTripInFlight = roundTrip;
    return roundTrip;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString! });
    client.on('notification', (message) => {
      if (message.channel === REVOCATION_CHANNEL && message.payload !== undefined) this.evict(message.payload);
    });
    // Only the connection listening now reports its loss; one that failed to start is reported by listen()'s caller.
    client.on('error', (error) => {
      if (this.listener === client) this.onListenerLost(error);
    });
    client.on('end', () => {
      if (this.listener === client) this.onListenerLost(new Error('listener connection ended'));
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${REVOCATION_CHANNEL}`);
    } catch (error) {
      void client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
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
    // One attempt at a time: while the database is down every failed attempt schedules the next, never two.
    if (this.reconnectTimer !== null) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped && this.listener === null) void this.listen().catch((again: unknown) => this.onListenerLost(again));
    }, RECONNECT_DELAY_MS);
    this.reconnectTimer.unref();
  }
}
