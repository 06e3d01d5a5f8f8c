/** Request bodies of the listing command routes (shared/API.md), validated at the edge. */
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, ValidateNested } from 'class-validator';
import { IsCents, IsCurrency, IsEntityId, IsInstant, IsNote, IsOneOf, IsOptionalField, IsPartyId, IsProvider } from '../validation/field-rules.js';

export const CREDIT_TYPES = ['prepaid_api', 'enterprise_commitment', 'chatgpt_seats', 'startup_program', 'accelerator_partner', 'fine_tuning'] as const;

export class SubmitListingRequest {
  /** Optional: ids are chosen by the server unless the client sends one. */
  @IsOptionalField() @IsEntityId() readonly id?: string;
  @IsPartyId() readonly sellerId!: string;
  @IsProvider() readonly provider!: string;
  @IsOneOf(CREDIT_TYPES) readonly creditType!: (typeof CREDIT_TYPES)[number];
  @IsNote(200) readonly providerOrgRef!: string;
  @IsCents() readonly faceValueCents!: string;
  @IsCurrency() readonly currency!: string;
  @IsInstant() readonly creditExpiresAt!: string;
  @IsCents() readonly askPriceCents!: string;
}

export class VerificationEvidence {
  @IsNote(100) readonly method!: string;
  @IsNote(500) readonly reference!: string;
  @IsInstant() readonly checkedAt!: string;
}

export class VerifyListingRequest {
  @IsCents() readonly verifiedFaceValueCents!: string;
  @IsInstant() readonly verifiedExpiresAt!: string;
  @ApiProperty({ type: () => VerificationEvidence })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => VerificationEvidence)
  readonly evidence!: VerificationEvidence;
}

export class FailListingVerificationRequest {
  @IsNote() readonly reason!: string;
}

export class RepriceListingRequest {
  @IsCents() readonly askPriceCents!: string;
}

export class WithdrawListingRequest {
  @IsNote() readonly reason!: string;
}
