import { Body, Controller, Delete, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiError, notFound } from '../http/api-error.js';
import { Roles } from './access.decorators.js';
import { generateApiKey } from './api-key.js';
import { ApiKeyStore } from './api-key.store.js';
import { CreateApiKeyDto, PrincipalParams } from './create-api-key.dto.js';
import type { Role } from './principal.js';

/** shared/API.md, Access: admins issue and revoke the keys of principals. */
@Controller('v1/admin/api-keys')
@Roles('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyStore) {}

  /** The key is in this answer only: the ledger keeps its hash. */
  @Post()
  @HttpCode(HttpStatus.CREATED)
  async create(@Body() body: CreateApiKeyDto): Promise<{ key: string; principalId: string; role: Role }> {
    const key = generateApiKey(body.role);
    const issued = await this.keys.issue(key, body.principalId, body.role, body.label ?? null);
    if (!issued) {
      throw new ApiError(409, 'PRINCIPAL_EXISTS', `Principal ${body.principalId} already has an active key: revoke it first`);
    }
    return { key, principalId: body.principalId, role: body.role };
  }

  /** Revoked at once, on every instance: the next request with the key is refused (see RevocationAwareKeyCache). */
  @Delete(':principalId')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(@Param() params: PrincipalParams): Promise<void> {
    if (!(await this.keys.revoke(params.principalId))) throw notFound(`Principal ${params.principalId} has no active key`);
  }
}
