import { Body, Controller, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ExecuteListingCommand, type ListingCommandInput } from '#commands';
import { parseCents } from '#domain';
import { Roles } from '../access/access.decorators.js';
import { commandAnswer, commandContext, newEntityId, type CommandAnswer } from '../commands/command-answer.js';
import { IfMatch } from '../http/if-match.js';
import { RequestContext } from '../http/request-context.js';
import {
  FailListingVerificationRequest,
  RepriceListingRequest,
  SubmitListingRequest,
  VerifyListingRequest,
  WithdrawListingRequest,
} from './listing-requests.js';

const listingId = new ParseUUIDPipe({ version: undefined });

/** The listing command routes of shared/API.md. */
@Controller('v1/listings')
@Roles('broker', 'admin')
export class ListingsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  submit(@Body() body: SubmitListingRequest, @RequestContext() request: RequestContext): Promise<CommandAnswer> {
    const listing = newEntityId(request, 'listing', body.id);
    return this.run(
      {
        type: 'SubmitListing',
        listingId: listing.id,
        sellerId: body.sellerId,
        provider: body.provider,
        creditType: body.creditType,
        providerOrgRef: body.providerOrgRef,
        currency: body.currency,
        claimedFaceValueCents: parseCents(body.faceValueCents),
        creditExpiresAt: new Date(body.creditExpiresAt),
        askPriceCents: parseCents(body.askPriceCents),
      },
      request,
      undefined,
      listing.fresh,
    );
  }

  @Post(':id/verification')
  @HttpCode(HttpStatus.OK)
  verify(
    @Param('id', listingId) id: string,
    @Body() body: VerifyListingRequest,
    @RequestContext() request: RequestContext,
    @IfMatch() expectedRevision: bigint | undefined,
  ): Promise<CommandAnswer> {
    return this.run(
      {
        type: 'VerifyListing',
        listingId: id,
        verifiedBy: commandContext(request).actorId,
        verifiedFaceValueCents: parseCents(body.verifiedFaceValueCents),
        verifiedExpiresAt: new Date(body.verifiedExpiresAt),
        evidence: { method: body.evidence.method, reference: body.evidence.reference, checkedAt: new Date(body.evidence.checkedAt) },
      },
      request,
      expectedRevision,
    );
  }

  @Post(':id/verification-failure')
  @HttpCode(HttpStatus.OK)
  failVerification(
    @Param('id', listingId) id: string,
    @Body() body: FailListingVerificationRequest,
    @RequestContext() request: RequestContext,
    @IfMatch() expectedRevision: bigint | undefined,
  ): Promise<CommandAnswer> {
    return this.run({ type: 'FailListingVerification', listingId: id, reason: body.reason }, request, expectedRevision);
  }

  @Post(':id/price')
  @HttpCode(HttpStatus.OK)
  reprice(
    @Param('id', listingId) id: string,
    @Body() body: RepriceListingRequest,
    @RequestContext() request: RequestContext,
    @IfMatch() expectedRevision: bigint | undefined,
  ): Promise<CommandAnswer> {
    return this.run({ type: 'RepriceListing', listingId: id, askPriceCents: parseCents(body.askPriceCents) }, request, expectedRevision);
  }

  @Post(':id/withdrawal')
  @HttpCode(HttpStatus.OK)
  withdraw(
    @Param('id', listingId) id: string,
    @Body() body: WithdrawListingRequest,
    @RequestContext() request: RequestContext,
    @IfMatch() expectedRevision: bigint | undefined,
  ): Promise<CommandAnswer> {
    return this.run({ type: 'WithdrawListing', listingId: id, reason: body.reason }, request, expectedRevision);
  }

  private async run(command: ListingCommandInput, request: RequestContext, expectedRevision?: bigint, freshStream = false): Promise<CommandAnswer> {
    const outcome = await this.commands.execute(new ExecuteListingCommand(command, commandContext(request), expectedRevision, freshStream));
    return commandAnswer(outcome);
  }
}
