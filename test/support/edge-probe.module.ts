/**
 * A stand-in for the command controllers, mounted behind the real edge
 * (guard, pipe, filter, hooks, Idempotency-Key) so the edge can be tested
 * over HTTP without the domain. Counts its calls, so a test can tell a replay
 * from a second run.
 */
import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Module, Param, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { ConcurrencyError, EventStoreUnavailableError } from '#event-store';
import { CurrentPrincipal, Roles } from '../../apps/ledger-api/src/access/access.decorators.js';
import type { Principal } from '../../apps/ledger-api/src/access/principal.js';
import { IfMatch } from '../../apps/ledger-api/src/http/if-match.js';
import { RequestContext } from '../../apps/ledger-api/src/http/request-context.js';

export const probeCalls = { created: 0, flaky: 0, rejected: 0 };

/** Time a probe command takes: long enough for concurrent duplicates to overlap it. */
const COMMAND_DURATION_MS = 100;

class EvidenceDto {
  @IsString()
  method!: string;
}

export class ProbeDto {
  @IsString()
  @MaxLength(100)
  name!: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  amountCents?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => EvidenceDto)
  evidence?: EvidenceDto;
}

/** Shaped like libs/domain's DomainError, which the edge recognises by shape. */
class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

@Controller('v1/probes')
@Roles('broker', 'admin')
export class ProbeController {
  @Post()
  async create(
    @Body() body: ProbeDto,
    @RequestContext() context: RequestContext,
    @IfMatch() expectedRevision: bigint | undefined,
  ): Promise<Record<string, unknown>> {
    probeCalls.created++;
    await new Promise((resolve) => setTimeout(resolve, COMMAND_DURATION_MS));
    return {
      id: randomUUID(),
      name: body.name,
      isDto: body instanceof ProbeDto,
      correlationId: context.correlationId,
      principalId: context.principal?.principalId ?? null,
      expectedRevision: expectedRevision === undefined ? null : expectedRevision.toString(),
    };
  }

  /** Fails on our side (500) on its first call, then works: a retry with the same key must run it again. */
  @Post('flaky')
  flaky(@Body() body: ProbeDto): { id: string; name: string } {
    probeCalls.flaky++;
    if (probeCalls.flaky === 1) throw new Error('connection string postgres://secret@db leaked into an error');
    return { id: randomUUID(), name: body.name };
  }

  @Post(':id/rejections')
  reject(@Param('id') id: string): never {
    probeCalls.rejected++;
    throw new DomainError('LISTING_NOT_VERIFIED', `listing ${id} is not verified`, { listingId: id });
  }

  @Post(':id/missing')
  missing(@Param('id') id: string): never {
    throw new DomainError('DEAL_NOT_FOUND', `deal ${id} does not exist`);
  }

  @Post('conflict')
  conflict(): never {
    throw new ConcurrencyError('deal-123', 3n, 5n);
  }

  @Post('store-down')
  storeDown(): never {
    throw new EventStoreUnavailableError('connect ECONNREFUSED 10.0.0.7:5432');
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(): void {}

  @Get('whoami')
  @Roles('broker', 'compliance', 'dashboard', 'admin')
  whoami(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}

@Module({ controllers: [ProbeController] })
export class EdgeProbeModule {}
