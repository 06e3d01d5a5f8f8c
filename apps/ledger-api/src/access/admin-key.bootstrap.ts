import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { isWellFormedApiKey, MAX_API_KEY_LENGTH } from './api-key.js';
import { ApiKeyStore } from './api-key.store.js';

export const ACCESS_OPTIONS = Symbol('ACCESS_OPTIONS');

export interface AccessOptions {
  /** LEDGER_ADMIN_KEY, or the key the embedded default made for this run; null: install none. */
  readonly adminKey: string | null;
  readonly rateLimitPerMinute: number;
}

/** Installs the admin key before the API takes requests (see ApiKeyStore.installAdminKey). */
@Injectable()
export class AdminKeyBootstrap implements OnModuleInit {
  private readonly logger = new Logger('AdminKeyBootstrap');

  constructor(
    @Inject(ACCESS_OPTIONS) private readonly options: AccessOptions,
    private readonly keys: ApiKeyStore,
  ) {}

  async onModuleInit(): Promise<void> {
    const key = this.options.adminKey;
    if (key === null) return;
    if (!isWellFormedApiKey(key)) {
      throw new Error(`LEDGER_ADMIN_KEY must be at most ${MAX_API_KEY_LENGTH} visible ASCII characters without spaces, as a bearer token is`);
    }
    const outcome = await this.keys.installAdminKey(key);
    if (outcome === 'revoked') {
      this.logger.warn('LEDGER_ADMIN_KEY was revoked or replaced and stays so: this instance installs no admin key (set a new LEDGER_ADMIN_KEY for one)');
    }
  }
}
