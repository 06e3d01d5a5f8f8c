/**
 * The field rules of shared/API.md as class-validator decorators, one per
 * kind of field, so every DTO says the same thing the same way.
 */
import { applyDecorators } from '@nestjs/common';
import { IsIn, IsInt, IsISO8601, IsString, Length, Matches, Max, Min, ValidateBy } from 'class-validator';
import { MAX_CENTS } from '#domain';

const CENTS_TEXT = /^(0|[1-9][0-9]{0,15})$/;

/** Amounts are decimal strings of whole cents (`"125000"`), at most MAX_CENTS: never a JSON number, never a float. */
export function IsCents(): PropertyDecorator {
  return ValidateBy({
    name: 'isCents',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && CENTS_TEXT.test(value) && BigInt(value) <= MAX_CENTS,
      defaultMessage: (args) => `${args?.property} must be a decimal string of whole cents from "0" to "${MAX_CENTS}"`,
    },
  });
}

/** Ids of the ledger's own streams: UUIDs. */
export function IsEntityId(): PropertyDecorator {
  return ValidateBy({
    name: 'isEntityId',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
      defaultMessage: (args) => `${args?.property} must be a UUID`,
    },
  });
}

/** Ids of parties outside the ledger (sellers, buyers, brokers): opaque tokens. */
export function IsPartyId(): PropertyDecorator {
  return applyDecorators(IsString(), Length(1, 100), Matches(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, { message: '$property must be 1 to 100 letters, digits or ._:@-' }));
}

/** Free text a person wrote: reasons, references. Bounded. */
export function IsNote(maxLength = 1_000): PropertyDecorator {
  return applyDecorators(IsString(), Length(1, maxLength));
}

/** An instant in ISO 8601 with an explicit offset (`Z` or `+hh:mm`): a time without a zone is ambiguous. */
export function IsInstant(): PropertyDecorator {
  return applyDecorators(
    IsISO8601({ strict: true, strictSeparator: true }),
    Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: '$property must carry a time zone (Z or ±hh:mm)' }),
  );
}

export function IsBasisPoints(): PropertyDecorator {
  return applyDecorators(IsInt(), Min(0), Max(10_000));
}

/** `openai` first; any lower-case provider slug is accepted (API.md). */
export function IsProvider(): PropertyDecorator {
  return applyDecorators(IsString(), Matches(/^[a-z][a-z0-9-]{1,49}$/, { message: '$property must be a lower-case provider slug' }));
}

export function IsCurrency(): PropertyDecorator {
  return applyDecorators(IsString(), Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 code such as USD' }));
}

export function IsOneOf(values: readonly string[]): PropertyDecorator {
  return IsIn(values, { message: `$property must be one of ${values.join(', ')}` });
}
