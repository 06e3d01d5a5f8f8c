import { Body, Controller, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ExecuteBuyRequestCommand, type BuyRequestCommandInput } from '#commands';
import { parseCents } from '#domain';
import { Roles } from '../access/access.decorators.js';
import { commandAnswer, commandContext, newEntityId, type CommandAnswer } from '../commands/command-answer.js';
import { validationFailed } from '../http/api-error.js';
import { IfMatch } from '../http/if-match.js';
import { RequestContext } from '../http/request-context.js';
import { AmendBuyRequestRequest, CancelBuyRequestRequest, PlaceBuyRequestRequest } from './buy-request-requests.js';

const buyRequestId = new ParseUUIDPipe({ version: undefined });

/** The buy-request command routes of shared/API.md. */
@Controller('v1/buy-requests')
@Roles('broker', 'admin')
export class BuyRequestsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  place(@Body() body: PlaceBuyRequestRequest, @RequestContext() request: RequestContext): Promise<CommandAnswer> {
    const buyRequest = newEntityId(request, 'buy-request', body.id);
    return this.run(
      {
        type: 'PlaceBuyRequest',
        buyRequestId: buyRequest.id,
        buyerId: body.buyerId,
        provider: body.provider,
        creditTypes: body.creditTypes,
        faceValueCents: parseCents(body.faceValueCents),
        maxPriceBps: body.maxPriceBps,
        minValidityDays: body.minValidityDays,
        deadline: new Date(body.deadline),
      },
      request,
      undefined,
      buyRequest.fresh,
    );
  }

  @Post(':id/amendment')
  @HttpCode(HttpStatus.OK)
  amend(
    @Param('id', buyRequestId) id: string,
    @Body() body: AmendBuyRequestRequest,
    @RequestContext() request: RequestContext,
    @IfMatch() expectedRevision: bigint | undefined,
  ): Promise<CommandAnswer> {
    const { provider, creditTypes, faceValueCents, maxPriceBps, minValidityDays, deadline } = body;
    if ([provider, creditTypes, faceValueCents, maxPriceBps, minValidityDays, deadline].every((term) => term === undefined)) {
      throw validationFailed('name at least one of provider, creditTypes, faceValueCents, maxPriceBps, minValidityDays, deadline', {
        terms: 'at least one term must change',
      });
    }
    return this.run(
      {
        type: 'AmendBuyRequest',
        buyRequestId: id,
        ...(provider === undefined ? {} : { provider }),
        ...(creditTypes === undefined ? {} : { creditTypes }),
        ...(faceValueCents === undefined ? {} : { faceValueCents: parseCents(faceValueCents) }),
        ...(maxPriceBps === undefined ? {} : { maxPriceBps }),
        ...(minValidityDays === undefined ? {} : { minValidityDays }),
        ...(deadline === undefined ? {} : { deadline: new Date(deadline) }),
      },
      request,
      expectedRevision,
    );
  }

  @Post(':id/cancellation')
  @HttpCode(HttpStatus.OK)
  cancel(
    @Param('id', buyRequestId) id: string,
    @Body() body: CancelBuyRequestRequest,
    @RequestContext() request: RequestContext,
    @IfMatch() expectedRevision: bigint | undefined,
  ): Promise<CommandAnswer> {
    return this.run({ type: 'CancelBuyRequest', buyRequestId: id, reason: body.reason }, request, expectedRevision);
  }

  private async run(command: BuyRequestCommandInput, request: RequestContext, expectedRevision?: bigint, freshStream = false): Promise<CommandAnswer> {
    const outcome = await this.commands.execute(new ExecuteBuyRequestCommand(command, commandContext(request), expectedRevision, freshStream));
    return commandAnswer(outcome);
  }
}
