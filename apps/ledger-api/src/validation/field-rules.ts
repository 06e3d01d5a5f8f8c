/**
 * The field rules of shared/API.md as class-validator decorators, one per
 * kind of field, so every DTO says the same thing the same way. Each rule
 * also documents itself in the OpenAPI document (@nestjs/swagger's
 * ApiProperty, with the same pattern and bounds): a field is described by
 * the very rule that validates it, so the two cannot say different things.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { EARLIEST_TIME_MS, LATEST_TIME_MS, MAX_CENTS } from '#domain';

/** The longest instant text accepted: nanoseconds and a ±hh:mm offset. */
const MAX_INSTANT_LENGTH = '2026-01-31T00:00:00.123456789+05:30'.length;
/** As the provider slug pattern says (1 + 49 characters). */
const MAX_PROVIDER_LENGTH = 50;

/** Any version, either case. */
const UUID_TEXT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const PARTY_ID_TEXT = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;
const PROVIDER_TEXT = /^[a-z][a-z0-9-]{1,49}$/;
const CURRENCY_TEXT = /^[A-Z]{3}$/;

/** No sign, no leading zero, no fraction or exponent, at most 16 digits (MAX_CENTS has 16). */
const POSITIVE_CENTS_TEXT = /^[1-9][0-9]{0,15}$/;

/**
 * Amounts are decimal strings of whole cents (`"125000"`) from 1 to
 * MAX_CENTS: never a JSON number, never a float. Every amount a command
 * names is positive (libs/domain's requirePositiveCents): zero credits or a
 * free deal is no fact worth recording, so "0" is refused here, not later.
 */
export function IsCents(): PropertyDecorator {
  const documented = ApiProperty({
    type: 'string',
    pattern: POSITIVE_CENTS_TEXT.source,
    maxLength: MAX_CENTS.toString().length,
    description: `A decimal string of whole cents, "1" to "${MAX_CENTS}" (never a JSON number)`,
    example: '125000',
  });
  return applyDecorators(documented, ValidateBy({
    name: 'isCents',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && POSITIVE_CENTS_TEXT.test(value) && BigInt(value) <= MAX_CENTS,
      defaultMessage: (args) => `${args?.property} must be a decimal string of whole cents from "1" to "${MAX_CENTS}"`,
    },
  }));
}

/** Ids of the ledger's own streams: UUIDs. */
export function IsEntityId(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: 'string', format: 'uuid', pattern: UUID_TEXT.source, maxLength: 36 }),
    ValidateBy({
      name: 'isEntityId',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && UUID_TEXT.test(value),
        defaultMessage: (args) => `${args?.property} must be a UUID`,
      },
    }),
  );
}

/** Ids of parties outside the ledger (sellers, buyers, brokers): opaque tokens. */
export function IsPartyId(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: 'string', minLength: 1, maxLength: 100, pattern: PARTY_ID_TEXT.source, example: 'seller-acme' }),
    IsString(),
    Length(1, 100),
    Matches(PARTY_ID_TEXT, { message: '$property must be 1 to 100 letters, digits or ._:@-' }),
  );
}

/**
 * Free text a person wrote: reasons, references. As the domain's requireText
 * holds it: not only blanks, and at most maxLength UTF-16 code units (what
 * String.length counts; class-validator's Length counts an emoji as one).
 */
export function IsNote(maxLength = 1_000): PropertyDecorator {
  const documented = ApiProperty({ type: 'string', minLength: 1, maxLength, pattern: '\\S', description: `Free text, ${maxLength} characters at most (UTF-16 code units), not only blanks` });
  return applyDecorators(documented, ValidateBy({
    name: 'isNote',
    constraints: [maxLength],
    validator: {
      validate: (value: unknown) => typeof value === 'string' && value.length <= maxLength && /\S/.test(value),
      defaultMessage: (args) => `${args?.property} must be text of 1 to ${maxLength} characters, not only blanks`,
    },
  }));
}

/**
 * An instant in ISO 8601 with an explicit offset (`Z` or `+hh:mm`): a time
 * without a zone is ambiguous. Within the years the domain records
 * (EARLIEST_TIME_MS to LATEST_TIME_MS, libs/domain's limits.ts).
 */
export function IsInstant(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: 'string',
      format: 'date-time',
      maxLength: MAX_INSTANT_LENGTH,
      description: 'An ISO 8601 instant with its offset (Z or ±hh:mm), between the years 2000 and 9999',
      example: '2026-06-01T00:00:00Z',
    }),
    // ISO 8601 allows any number of fraction digits (IsISO8601 took 60,000): no instant needs more than
    // nanoseconds and an offset, `2026-01-31T00:00:00.123456789+05:30`.
    MaxLength(MAX_INSTANT_LENGTH),
    IsISO8601({ strict: true, strictSeparator: true }),
    Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: '$property must carry a time zone (Z or ±hh:mm)' }),
    ValidateBy({
      name: 'isLedgerTime',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && Date.parse(value) >= EARLIEST_TIME_MS && Date.parse(value) <= LATEST_TIME_MS,
        defaultMessage: (args) => `${args?.property} must lie between the years 2000 and 9999`,
      },
    }),
  );
}

export function IsBasisPoints(): PropertyDecorator {
  return applyDecorators(ApiProperty({ type: 'integer', minimum: 0, maximum: 10_000, description: 'Basis points: 100 = 1 %' }), IsInt(), Min(0), Max(10_000));
}

/** `openai` first; any lower-case provider slug is accepted (API.md). */
export function IsProvider(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: 'string', maxLength: MAX_PROVIDER_LENGTH, pattern: PROVIDER_TEXT.source, example: 'openai' }),
    IsString(),
    MaxLength(MAX_PROVIDER_LENGTH),
    Matches(PROVIDER_TEXT, { message: '$property must be a lower-case provider slug' }),
  );
}

export function IsCurrency(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: 'string', maxLength: 3, pattern: CURRENCY_TEXT.source, example: 'USD' }),
    IsString(),
    MaxLength(3),
    Matches(CURRENCY_TEXT, { message: '$property must be an ISO 4217 code such as USD' }),
  );
}

export function IsOneOf(values: readonly string[]): PropertyDecorator {
  return applyDecorators(ApiProperty({ type: 'string', enum: [...values] }), IsIn(values, { message: `$property must be one of ${values.join(', ')}` }));
}

/**
 * class-validator's IsOptional, also marked optional in the OpenAPI document
 * (a field rule documents itself as required: a DTO field is unless it says
 * otherwise here).
 */
export function IsOptionalField(): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional(), IsOptional());
}
