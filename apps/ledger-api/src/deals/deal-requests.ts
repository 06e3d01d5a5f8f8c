/** Request bodies of the deal command routes (shared/API.md), validated at the edge. */
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { MAX_TERMS_VERSION } from '#domain';
import { IsBasisPoints, IsCents, IsEntityId, IsNote, IsOneOf, IsPartyId } from '../validation/field-rules.js';

export const PARTIES = ['seller', 'buyer'] as const;
export const TRANSFER_MECHANISMS = ['organization_membership', 'reseller_arrangement', 'managed_service'] as const;
export const DISPUTE_OUTCOMES = ['refund_buyer', 'pay_seller'] as const;

/** POST /v1/deals and POST /v1/deals/quote. */
export class OpenDealRequest {
  @IsOptional() @IsEntityId() readonly id?: string;
  @IsEntityId() readonly listingId!: string;
  @IsPartyId() readonly buyerId!: string;
  @IsCents() readonly faceValueCents!: string;
  @IsCents() readonly priceCents!: string;
  @IsBasisPoints() readonly commissionBps!: number;
  @IsOptional() @IsEntityId() readonly buyRequestId?: string;
  /** The broker driving the deal; defaults to the calling broker (an admin must name one). */
  @IsOptional() @IsPartyId() readonly brokerId?: string;
}

export class AmendDealTermsRequest {
  @IsOptional() @IsCents() readonly priceCents?: string;
  @IsOptional() @IsCents() readonly faceValueCents?: string;
  @IsOptional() @IsBasisPoints() readonly commissionBps?: number;
}

export class Evidence {
  @IsNote(100) readonly method!: string;
  @IsNote(500) readonly reference!: string;
}

export class ApproveDealRequest {
  @IsOneOf(PARTIES) readonly party!: (typeof PARTIES)[number];
  /** A deal never has more terms versions than the domain's MAX_TERMS_VERSION: a larger one is no version at all. */
  @IsInt() @Min(1) @Max(MAX_TERMS_VERSION) readonly termsVersion!: number;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Evidence) readonly evidence?: Evidence;
}

export class RejectDealRequest {
  @IsOneOf(PARTIES) readonly party!: (typeof PARTIES)[number];
  @IsNote() readonly reason!: string;
}

export class ReceivePaymentRequest {
  @IsCents() readonly amountCents!: string;
  @IsNote(200) readonly paymentRef!: string;
}

export class StartTransferRequest {
  @IsOneOf(TRANSFER_MECHANISMS) readonly mechanism!: (typeof TRANSFER_MECHANISMS)[number];
  @IsNote(500) readonly reference!: string;
}

export class ConfirmTransferRequest {
  @IsCents() readonly confirmedFaceValueCents!: string;
  @IsObject() @ValidateNested() @Type(() => Evidence) readonly evidence!: Evidence;
}

export class ReasonRequest {
  @IsNote() readonly reason!: string;
}

export class IssuePayoutRequest {
  @IsNote(200) readonly payoutRef!: string;
}

/** POST /v1/deals/:id/broker (admin only): the broker the deal is handed to. */
export class ReassignDealBrokerRequest {
  @IsPartyId() readonly brokerId!: string;
}

export class ResolveDisputeRequest {
  @IsOneOf(DISPUTE_OUTCOMES) readonly outcome!: (typeof DISPUTE_OUTCOMES)[number];
  /** With pay_seller: pay out now under this reference (settles the deal); without, the payout route pays later. */
  @IsOptional() @IsNote(200) readonly payoutRef?: string;
}
