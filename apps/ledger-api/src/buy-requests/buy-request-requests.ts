/** Request bodies of the buy-request command routes (shared/API.md), validated at the edge. */
import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_MIN_VALIDITY_DAYS } from '#domain';
import { CREDIT_TYPES } from '../listings/listing-requests.js';
import { IsCents, IsEntityId, IsInstant, IsNote, IsPartyId, IsProvider } from '../validation/field-rules.js';

type CreditTypeName = (typeof CREDIT_TYPES)[number];

/** The credit types a buyer accepts: at least one, each once, in any order. */
function IsCreditTypeList(): PropertyDecorator {
  return applyDecorators(
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(CREDIT_TYPES.length),
    ArrayUnique(undefined, { message: '$property must name each credit type once' }),
    IsIn(CREDIT_TYPES, { each: true, message: `each of $property must be one of ${CREDIT_TYPES.join(', ')}` }),
  );
}

/** The highest price, in basis points of the face value bought: a price of nothing is no offer. */
function IsPriceCeilingBps(): PropertyDecorator {
  return applyDecorators(IsInt(), Min(1), Max(10_000));
}

/** Whole days of validity the credits must have left; the bound is the domain's (buy-request.policy.ts). */
function IsValidityDays(): PropertyDecorator {
  return applyDecorators(IsInt(), Min(0), Max(MAX_MIN_VALIDITY_DAYS));
}

export class PlaceBuyRequestRequest {
  /** Optional: ids are chosen by the server unless the client sends one. */
  @IsOptional() @IsEntityId() readonly id?: string;
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
  @IsOptional() @IsProvider() readonly provider?: string;
  @IsOptional() @IsCreditTypeList() readonly creditTypes?: CreditTypeName[];
  @IsOptional() @IsCents() readonly faceValueCents?: string;
  @IsOptional() @IsPriceCeilingBps() readonly maxPriceBps?: number;
  @IsOptional() @IsValidityDays() readonly minValidityDays?: number;
  @IsOptional() @IsInstant() readonly deadline?: string;
}

export class CancelBuyRequestRequest {
  @IsNote() readonly reason!: string;
}
