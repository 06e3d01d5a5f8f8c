/** Request bodies of the buy-request command routes (shared/API.md), validated at the edge. */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, Max, Min } from 'class-validator';
import { MAX_MIN_VALIDITY_DAYS } from '#domain';
import { CREDIT_TYPES } from '../listings/listing-requests.js';
import { IsCents, IsEntityId, IsInstant, IsNote, IsOptionalField, IsPartyId, IsProvider } from '../validation/field-rules.js';

type CreditTypeName = (typeof CREDIT_TYPES)[number];

/** The credit types a buyer accepts: at least one, each once, in any order. */
function IsCreditTypeList(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ enum: [...CREDIT_TYPES], isArray: true, minItems: 1, maxItems: CREDIT_TYPES.length, uniqueItems: true }),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(CREDIT_TYPES.length),
    ArrayUnique(undefined, { message: '$property must name each credit type once' }),
    IsIn(CREDIT_TYPES, { each: true, message: `each of $property must be one of ${CREDIT_TYPES.join(', ')}` }),
  );
}

/** The highest price, in basis points of the face value bought: a price of nothing is no offer. */
function IsPriceCeilingBps(): PropertyDecorator {
  return applyDecorators(ApiProperty({ type: 'integer', minimum: 1, maximum: 10_000, description: 'The highest price, in basis points of the face value' }), IsInt(), Min(1), Max(10_000));
}

/** Whole days of validity the credits must have left; the bound is the domain's (buy-request.policy.ts). */
function IsValidityDays(): PropertyDecorator {
  return applyDecorators(ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_MIN_VALIDITY_DAYS }), IsInt(), Min(0), Max(MAX_MIN_VALIDITY_DAYS));
}

export class PlaceBuyRequestRequest {
  /** Optional: ids are chosen by the server unless the client sends one. */
  @IsOptionalField() @IsEntityId() readonly id?: string;
  @IsPartyId() readonly buyerId!: string;
  @IsProvider() readonly provider!: string;
  @IsCreditTypeList() readonly creditTypes!: CreditTypeName[];
  @IsCents() readonly faceValueCents!: string;
  @IsPriceCeilingBps() readonly maxPriceBps!: number;
  @IsValidityDays() readonly minValidityDays!: number;
  @IsInstant() readonly deadline!: string;
}

/** Any of the terms but the buyer; at least one (checked by the controller). */
export class AmendBuyRequestRequest {
  @IsOptionalField() @IsProvider() readonly provider?: string;
  @IsOptionalField() @IsCreditTypeList() readonly creditTypes?: CreditTypeName[];
  @IsOptionalField() @IsCents() readonly faceValueCents?: string;
  @IsOptionalField() @IsPriceCeilingBps() readonly maxPriceBps?: number;
  @IsOptionalField() @IsValidityDays() readonly minValidityDays?: number;
  @IsOptionalField() @IsInstant() readonly deadline?: string;
}

export class CancelBuyRequestRequest {
  @IsNote() readonly reason!: string;
}
