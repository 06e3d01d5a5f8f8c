/** Request bodies of the deal command routes (shared/API.md), validated at the edge. */
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { MAX_TERMS_VERSION } from '#domain';
import { IsBasisPoints, IsCents, IsEntityId, IsNote, IsOneOf, IsOptionalField, IsPartyId } from '../validation/field-rules.js';

export const PARTIES = ['seller', 'buyer'] as const;
export const TRANSFER_MECHANISMS = ['organization_membership', 'reseller_arrangement', 'managed_service'] as const;
export const DISPUTE_OUTCOMES = ['refund_buyer', 'pay_seller'] as const;

/** POST /v1/deals and POST /v1/deals/quote. */
export class OpenDealRequest {
  @IsOptionalField() @IsEntityId() readonly id?: string;
  @IsEntityId() readonly listingId!: string;
  @IsPartyId() readonly buyerId!: string;
  @IsCents() readonly faceValueCents!: string;
  @IsCents() readonly priceCents!: string;
  @IsBasisPoints() readonly commissionBps!: number;
  @IsOptionalField() @IsEntityId() readonly buyRequestId?: string;
  /** The broker driving the deal; defaults to the calling broker (an admin must name one). */
  @IsOptionalField() @IsPartyId() readonly brokerId?: string;
}

export class AmendDealTermsRequest {
  @IsOptionalField() @IsCents() readonly priceCents?: string;
  @IsOptionalField() @IsCents() readonly faceValueCents?: string;
  @IsOptionalField() @IsBasisPoints() readonly commissionBps?: number;
}

export class Evidence {
  @IsNote(100) readonly method!: string;
  @IsNote(500) readonly reference!: string;
}

export class ApproveDealRequest {
  @IsOneOf(PARTIES) readonly party!: (typeof PARTIES)[number];
  /** A deal never has more terms versions than the domain's MAX_TERMS_VERSION: a larger one is no version at all. */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_TERMS_VERSION, description: "The terms version approved: the deal's current termsVersion" })
  @IsInt() @Min(1) @Max(MAX_TERMS_VERSION) readonly termsVersion!: number;
  @ApiProperty({ type: () => Evidence }) @IsOptionalField() @IsObject() @ValidateNested() @Type(() => Evidence) readonly evidence?: Evidence;
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
  @ApiProperty({ type: () => Evidence }) @IsObject() @ValidateNested() @Type(() => Evidence) readonly evidence!: Evidence;
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
  @IsOptionalField() @IsNote(200) readonly payoutRef?: string;
}
