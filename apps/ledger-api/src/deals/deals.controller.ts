import { Body, Controller, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ExecuteDealCommand, OpenDealCommand, QuoteDealQuery, type DealCommandInput, type OpenDealRequestData } from '#commands';
import { parseCents, type DealQuote } from '#domain';
import { Roles } from '../access/access.decorators.js';
import { commandAnswer, commandContext, newEntityId, type CommandAnswer } from '../commands/command-answer.js';
import { forbidden, validationFailed } from '../http/api-error.js';
import { IfMatch } from '../http/if-match.js';
import { RequestContext } from '../http/request-context.js';
import {
  AmendDealTermsRequest,
  ApproveDealRequest,
  ConfirmTransferRequest,
  IssuePayoutRequest,
  OpenDealRequest,
  ReasonRequest,
  ReassignDealBrokerRequest,
  ReceivePaymentRequest,
  RejectDealRequest,
  ResolveDisputeRequest,
  StartTransferRequest,
} from './deal-requests.js';

const dealId = new ParseUUIDPipe();

/** The deal command routes of shared/API.md. */
@Controller('v1/deals')
@Roles('broker', 'admin')
export class DealsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** Reserves on the listing (the lock against over-selling), then opens the deal. */
  @Post()
  @HttpCode(HttpStatus.CREATED)
  async open(@Body() body: OpenDealRequest, @RequestContext() request: RequestContext): Promise<CommandAnswer> {
    const outcome = await this.commands.execute(new OpenDealCommand(openDealData(body, request), commandContext(request)));
    return commandAnswer(outcome);
  }

  /** The same body as POST /v1/deals; records nothing. */
  @Post('quote')
  @HttpCode(HttpStatus.OK)
  async quote(@Body() body: OpenDealRequest, @RequestContext() request: RequestContext): Promise<QuoteAnswer> {
    return quoteAnswer(body.listingId, await this.queries.execute(new QuoteDealQuery(openDealData(body, request))));
  }

  @Post(':id/terms')
  @HttpCode(HttpStatus.OK)
  amendTerms(@Param('id', dealId) id: string, @Body() body: AmendDealTermsRequest, @RequestContext() request: RequestContext, @IfMatch() expected: bigint | undefined) {
    if (body.priceCents === undefined && body.faceValueCents === undefined && body.commissionBps === undefined) {
      throw validationFailed('name at least one of priceCents, faceValueCents, commissionBps', { terms: 'at least one term must change' });
    }
    return this.run(
      {
        type: 'AmendDealTerms',
        dealId: id,
        ...(body.priceCents === undefined ? {} : { priceCents: parseCents(body.priceCents) }),
        ...(body.faceValueCents === undefined ? {} : { faceValueCents: parseCents(body.faceValueCents) }),
        ...(body.commissionBps === undefined ? {} : { commissionBps: body.commissionBps }),
      },
      request,
      expected,
    );
  }

  @Post(':id/approvals')
  @HttpCode(HttpStatus.OK)
  approve(@Param('id', dealId) id: string, @Body() body: ApproveDealRequest, @RequestContext() request: RequestContext, @IfMatch() expected: bigint | undefined) {
    return this.run(
      {
        type: 'ApproveDeal',
        dealId: id,
        party: body.party,
        termsVersion: body.termsVersion,
        approvedBy: commandContext(request).actorId,
        ...(body.evidence === undefined ? {} : { evidence: { method: body.evidence.method, reference: body.evidence.reference } }),
      },
      request,
      expected,
    );
  }

  @Post(':id/rejections')
  @HttpCode(HttpStatus.OK)
  reject(@Param('id', dealId) id: string, @Body() body: RejectDealRequest, @RequestContext() request: RequestContext, @IfMatch() expected: bigint | undefined) {
    return this.run({ type: 'RejectDeal', dealId: id, party: body.party, reason: body.reason, rejectedBy: commandContext(request).actorId }, request, expected);
  }

  @Post(':id/payments')
  @HttpCode(HttpStatus.OK)
  receivePayment(@Param('id', dealId) id: string, @Body() body: ReceivePaymentRequest, @RequestContext() request: RequestContext, @IfMatch() expected: bigint | undefined) {
    return this.run({ type: 'ReceiveBuyerPayment', dealId: id, amountCents: parseCents(body.amountCents), paymentRef: body.paymentRef }, request, expected);
  }

  @Post(':id/transfer')
  @HttpCode(HttpStatus.OK)
  startTransfer(@Param('id', dealId) id: string, @Body() body: StartTransferRequest, @RequestContext() request: RequestContext, @IfMatch() expected: bigint | undefined) {
    return this.run({ type: 'StartCreditTransfer', dealId: id, mechanism: body.mechanism, reference: body.reference }, request, expected);
  }

  @Post(':id/transfer/confirmation')
  @HttpCode(HttpStatus.OK)
  confirmTransfer(@Param('id', dealId) id: string, @Body() body: ConfirmTransferRequest, @RequestContext() request: RequestContext, @IfMatch() expected: bigint | undefined) {
    return this.run(
      {
        type: 'ConfirmCreditTransfer',
        dealId: id,
        confirmedFaceValueCents: parseCents(body.confirmedFaceValueCents),
        evidence: { method: body.evidence.method, reference: body.evidence.reference },
      },
      request,
      expected,
    );
  }

  @Post(':id/transfer/failure')
  @HttpCode(HttpStatus.OK)
  failTransfer(@Param('id', dealId) id: string, @Body() body: ReasonRequest, @RequestContext() request: RequestContext, @IfMatch() expected: bigint | undefined) {
    return this.run({ type: 'FailCreditTransfer', dealId: id, reason: body.reason }, request, expected);
  }

  @Post(':id/payout')
  @HttpCode(HttpStatus.OK)
  issuePayout(@Param('id', dealId) id: string, @Body() body: IssuePayoutRequest, @RequestContext() request: RequestContext, @IfMatch() expected: bigint | undefined) {
    return this.run({ type: 'IssueSellerPayout', dealId: id, payoutRef: body.payoutRef }, request, expected);
  }

  @Post(':id/cancellation')
  @HttpCode(HttpStatus.OK)
  cancel(@Param('id', dealId) id: string, @Body() body: ReasonRequest, @RequestContext() request: RequestContext, @IfMatch() expected: bigint | undefined) {
    return this.run({ type: 'CancelDeal', dealId: id, reason: body.reason }, request, expected);
  }

  @Post(':id/disputes')
  @HttpCode(HttpStatus.OK)
  dispute(@Param('id', dealId) id: string, @Body() body: ReasonRequest, @RequestContext() request: RequestContext, @IfMatch() expected: bigint | undefined) {
    return this.run({ type: 'DisputeDeal', dealId: id, reason: body.reason }, request, expected);
  }

  @Post(':id/disputes/resolution')
  @HttpCode(HttpStatus.OK)
  resolveDispute(@Param('id', dealId) id: string, @Body() body: ResolveDisputeRequest, @RequestContext() request: RequestContext, @IfMatch() expected: bigint | undefined) {
    return this.run(
      { type: 'ResolveDispute', dealId: id, outcome: body.outcome, ...(body.payoutRef === undefined ? {} : { payoutRef: body.payoutRef }) },
      request,
      expected,
    );
  }

  /** Records DealBrokerReassigned: from then on the new broker sees and acts on the deal, the old one gets 404. */
  @Post(':id/broker')
  @HttpCode(HttpStatus.OK)
  @Roles('admin')
  reassignBroker(@Param('id', dealId) id: string, @Body() body: ReassignDealBrokerRequest, @RequestContext() request: RequestContext, @IfMatch() expected: bigint | undefined) {
    return this.run({ type: 'ReassignDealBroker', dealId: id, brokerId: body.brokerId }, request, expected);
  }

  private async run(command: DealCommandInput, request: RequestContext, expectedRevision: bigint | undefined): Promise<CommandAnswer> {
    return commandAnswer(await this.commands.execute(new ExecuteDealCommand(command, commandContext(request), expectedRevision)));
  }
}

/** A broker opens deals it brokers; an admin names the broker. */
function openDealData(body: OpenDealRequest, request: RequestContext): OpenDealRequestData {
  const actor = commandContext(request);
  let brokerId: string;
  if (actor.actorRole === 'broker') {
    if (body.brokerId !== undefined && body.brokerId !== actor.actorId) throw forbidden('a broker opens deals in its own name');
    brokerId = actor.actorId;
  } else if (body.brokerId !== undefined) {
    brokerId = body.brokerId;
  } else {
    throw validationFailed('an admin opening a deal must name the broker', { brokerId: 'brokerId is required for admins' });
  }
  const deal = newEntityId(request, 'deal', body.id);
  return {
    dealId: deal.id,
    freshDealId: deal.fresh,
    listingId: body.listingId,
    buyerId: body.buyerId,
    brokerId,
    faceValueCents: parseCents(body.faceValueCents),
    priceCents: parseCents(body.priceCents),
    commissionBps: body.commissionBps,
    buyRequestId: body.buyRequestId ?? null,
  };
}

export interface QuoteAnswer {
  readonly listingId: string;
  readonly currency: string;
  readonly faceValueCents: string;
  readonly priceCents: string;
  readonly discountBps: number;
  readonly commissionBps: number;
  readonly commissionCents: string;
  readonly payoutCents: string;
  readonly postings: ReadonlyArray<{ readonly kind: string; readonly postings: ReadonlyArray<{ readonly account: string; readonly amountCents: string }> }>;
}

function quoteAnswer(listingId: string, quote: DealQuote): QuoteAnswer {
  return {
    listingId,
    currency: quote.currency,
    faceValueCents: quote.faceValueCents.toString(),
    priceCents: quote.priceCents.toString(),
    discountBps: quote.discountBps,
    commissionBps: quote.commissionBps,
    commissionCents: quote.commissionCents.toString(),
    payoutCents: quote.payoutCents.toString(),
    postings: quote.journal.map((entry) => ({
      kind: entry.kind,
      postings: entry.postings.map((posting) => ({ account: posting.account, amountCents: posting.amountCents.toString() })),
    })),
  };
}
