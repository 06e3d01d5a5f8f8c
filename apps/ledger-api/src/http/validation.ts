import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { validationFailed, type ApiError } from './api-error.js';

/** Enough to fix any real request; a hostile one with thousands of bad fields gets a bounded answer. */
const MAX_DETAIL_FIELDS = 50;
const MAX_DETAIL_LENGTH = 300;
/** The message names the first few; `details` has them all (up to its bound). */
const MAX_FIELDS_IN_MESSAGE = 10;

/**
 * The global pipe: DTOs are whitelists (an unknown field is refused, not
 * ignored, so a misspelt optional field cannot pass unnoticed) and arrive as
 * class instances.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: validationError,
  });
}

/** 400 VALIDATION_FAILED with `details` naming each offending field by its path (`evidence.method`). */
export function validationError(errors: ValidationError[]): ApiError {
  const details: Record<string, string> = {};
  let omitted = 0;
  const visit = (error: ValidationError, parentPath: string): void => {
    const path = parentPath === '' ? error.property : `${parentPath}.${error.property}`;
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) {
      if (Object.keys(details).length < MAX_DETAIL_FIELDS) details[path] = truncate(messages.join('; '));
      else omitted++;
    }
    for (const child of error.children ?? []) visit(child, path);
  };
  for (const error of errors) visit(error, '');
  if (omitted > 0) details['...'] = `${omitted} more fields are invalid`;
  const fields = Object.keys(details);
  const named = fields.slice(0, MAX_FIELDS_IN_MESSAGE).join(', ');
  return validationFailed(`Invalid request: ${named}${fields.length > MAX_FIELDS_IN_MESSAGE ? ', ...' : ''}`, details);
}

function truncate(text: string): string {
  return text.length <= MAX_DETAIL_LENGTH ? text : `${text.slice(0, MAX_DETAIL_LENGTH - 3)}...`;
}
