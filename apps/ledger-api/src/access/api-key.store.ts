import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { REVOCATION_CHANNEL, issueApiKey, revokeApiKey, type ApiKeySql } from '#read-models';
import { queryPrepared, type PreparedStatement } from '../http/prepared-statement.js';
import { hashApiKey } from './api-key.js';
import { RevocationAwareKeyCache } from './revocation-aware-key-cache.js';
import { BOOTSTRAP_ADMIN_PRINCIPAL_ID, isRole, type Principal, type Role } from './principal.js';

/** Serialises the admin key installation of instances starting at once: "api_keys admin bootstrap". */
const ADMIN_BOOTSTRAP_LOCK_KEY = 7_310_442_101;

export type AdminKeyInstallation = 'installed' | 'unchanged' | 'revoked';

/** The lookup every authenticated request makes, prepared once per connection. */
const AUTHENTICATE: PreparedStatement = {
  name: 'ledger_api_key_authenticate',
  text: 'SELECT principal_id, role FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
};

/**
 * The api_keys table, with a revocation-aware cache in front of the lookup
 * every request makes (see RevocationAwareKeyCache: a revocation holds from
 * the very next request, here and on every other instance).
 */
@Injectable()
export class ApiKeyStore implements OnModuleInit, OnModuleDestroy {
  private readonly cache: RevocationAwareKeyCache;
  private readonly sql: ApiKeySql = (text, values) => this.dataSource.query(text, [...values]);

  constructor(private readonly dataSource: DataSource) {
    const url = (dataSource.options as { url?: string }).url;
    this.cache = new RevocationAwareKeyCache(dataSource.options.type === 'postgres' && url !== undefined ? url : null);
  }

  async onModuleInit(): Promise<void> {
    await this.cache.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.cache.stop();
  }

  /** The principal holding this key, or null when the key is unknown or revoked. */
  async authenticate(key: string): Promise<Principal | null> {
    const keyHash = hashApiKey(key);
    const cached = await this.cache.get(keyHash, Date.now());
    if (cached !== null) return cached;
    const lookupStarted = this.cache.lookupStarted();
    const rows = await queryPrepared<{ principal_id: string; role: string }>(this.dataSource, AUTHENTICATE, [keyHash]);
    const row = rows[0];
    if (row === undefined) return null;
    if (!isRole(row.role)) throw new Error(`api_keys holds role "${row.role}" for ${row.principal_id}, outside the table's CHECK`);
    const principal = { principalId: row.principal_id, role: row.role };
    this.cache.remember(keyHash, principal, Date.now(), lookupStarted);
    return principal;
  }

  /** Stores the key's hash for the principal; false when the principal already has an active key. */
  issue(key: string, principalId: string, role: Role, label: string | null): Promise<boolean> {
    return issueApiKey(this.sql, key, principalId, role, label);
  }

  /** Revokes the principal's active key (here at once, and on other instances by notification); false when it has none. */
  async revoke(principalId: string): Promise<boolean> {
    const revoked = await revokeApiKey(this.sql, principalId);
    this.cache.evict(principalId);
    return revoked;
  }

  /**
   * Makes `key` the active key of principal `admin` (role admin), retiring the
   * admin key it replaces. Safe to run on every start of every instance: the
   * same key again changes nothing, and an advisory lock lets instances that
   * start together run it one after the other. A key that was revoked or
   * replaced stays so: an operator who revoked it meant it, and an instance
   * of a rolling deployment still configured with the old key must not bring
   * it back (nor flip the admin key back and forth); the caller warns instead.
   */
  async installAdminKey(key: string): Promise<AdminKeyInstallation> {
    const keyHash = hashApiKey(key);
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_BOOTSTRAP_LOCK_KEY]);
      const found: Array<{ principal_id: string; role: string; revoked: boolean }> = await manager.query(
        'SELECT principal_id, role, revoked_at IS NOT NULL AS revoked FROM api_keys WHERE key_hash = $1',
        [keyHash],
      );
      const existing = found[0];
      if (existing !== undefined) {
        if (existing.principal_id !== BOOTSTRAP_ADMIN_PRINCIPAL_ID || existing.role !== 'admin') {
          throw new Error(`LEDGER_ADMIN_KEY is the key of principal "${existing.principal_id}": choose a key of its own for the admin`);
        }
        return existing.revoked ? 'revoked' : 'unchanged';
      }
      await manager.query('UPDATE api_keys SET revoked_at = now() WHERE principal_id = $1 AND revoked_at IS NULL', [BOOTSTRAP_ADMIN_PRINCIPAL_ID]);
      await manager.query(`SELECT pg_notify('${REVOCATION_CHANNEL}', $1)`, [BOOTSTRAP_ADMIN_PRINCIPAL_ID]);
      this.cache.evict(BOOTSTRAP_ADMIN_PRINCIPAL_ID);
      await manager.query(`INSERT INTO api_keys (principal_id, role, key_hash, label) VALUES ($1, 'admin', $2, 'LEDGER_ADMIN_KEY')`, [
        BOOTSTRAP_ADMIN_PRINCIPAL_ID,
        keyHash,
      ]);
      return 'installed';
    });
  }
}
