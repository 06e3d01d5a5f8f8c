import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PRINCIPAL_ID_PATTERN, ROLES, type Role } from './principal.js';

const PRINCIPAL_ID_RULE = 'principalId must be 1 to 100 letters, digits or ._:@- and start with a letter or digit';
/** PRINCIPAL_ID_PATTERN's bound, also as a length: every string a request carries has one (test/limits.spec.ts). */
const MAX_PRINCIPAL_ID_LENGTH = 100;
/** Same bound as the api_keys.label CHECK. */
const MAX_LABEL_LENGTH = 200;

export class CreateApiKeyDto {
  @ApiProperty({ type: 'string', enum: [...ROLES] })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;

  @ApiProperty({ type: 'string', maxLength: MAX_PRINCIPAL_ID_LENGTH, pattern: PRINCIPAL_ID_PATTERN.source })
  @IsString()
  @MaxLength(MAX_PRINCIPAL_ID_LENGTH)
  @Matches(PRINCIPAL_ID_PATTERN, { message: PRINCIPAL_ID_RULE })
  principalId!: string;

  @ApiPropertyOptional({ type: 'string', maxLength: MAX_LABEL_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LABEL_LENGTH)
  label?: string;
}

export class PrincipalParams {
  @ApiProperty({ type: 'string', maxLength: MAX_PRINCIPAL_ID_LENGTH, pattern: PRINCIPAL_ID_PATTERN.source })
  @IsString()
  @MaxLength(MAX_PRINCIPAL_ID_LENGTH)
  @Matches(PRINCIPAL_ID_PATTERN, { message: PRINCIPAL_ID_RULE })
  principalId!: string;
}
