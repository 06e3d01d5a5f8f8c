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

/**
 * How deep a request body may nest. The deepest body a route declares is two
 * levels (a verification's evidence); 32 leaves room, and keeps the libraries
 * that walk a body by recursion (class-transformer, the idempotency hash) far
 * from the end of the stack: a 64 kB body could otherwise nest 32,000 deep.
 */
export const MAX_BODY_DEPTH = 32;
/**
 * How many items any array in a body may hold. The longest list a command
 * takes is a buy request's credit types (6); 100 leaves room, and keeps the
 * work of a 64 kB body bounded (class-validator's ArrayUnique compares each
 * item with each: 7,000 items took 100 ms).
 */
export const MAX_BODY_ARRAY_ITEMS = 100;
/** A property path in an answer: enough to find the place, bounded however long the keys. */
const MAX_PATH_LENGTH = 200;

/**
 * Object.prototype's members (constructor, toString, __proto__, ...) and
 * `prototype`: no DTO declares them, and class-transformer skips a key whose
 * instance value is a function instead of handing it to the whitelist, so
 * such a key would pass unseen rather than be refused.
 */
function isPrototypeKey(key: string): boolean {
  return key === 'prototype' || Object.hasOwn(Object.prototype, key);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A NUL (PostgreSQL's text and jsonb cannot hold it) or a lone surrogate (not Unicode: jsonb refuses it). */
function isUnstorable(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

/**
 * What no command body may hold: anything but an object of fields at the
 * top, and anywhere in it nesting deeper than MAX_BODY_DEPTH, an array of
 * more than MAX_BODY_ARRAY_ITEMS, `null` (no field takes it: leave an
 * optional field out), a prototype key, a string the ledger cannot store or
 * a number too large to be finite. Null when the body is clean; else one
 * problem, by path, for `details`. Iterative, so a body nested as deep as
 * the body limit allows cannot exhaust the stack.
 */
export function bodyProblem(body: unknown): { readonly path: string; readonly problem: string } | null {
  if (body === undefined) return null;
  // Every command body is an object of fields; an array of 30,000 would be validated as 30,000 DTOs.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { path: '(body)', problem: 'must be a JSON object of fields' };
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value: body, path: '', depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path, depth } = next;
    const at = path === '' ? '(body)' : truncatePath(path);
    if (value === null) return { path: at, problem: 'null is not a value here: leave an optional field out' };
    if (typeof value === 'string' && isUnstorable(value)) return { path: at, problem: 'must be text without NUL characters or lone surrogates' };
    // JSON.parse reads 1e309 as Infinity, which no JSON (and no canonical request hash) can hold.
    if (typeof value === 'number' && !Number.isFinite(value)) return { path: at, problem: 'must be a finite number' };
    if (typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return { path: at, problem: `nests deeper than ${MAX_BODY_DEPTH} levels` };
    if (Array.isArray(value)) {
      if (value.length > MAX_BODY_ARRAY_ITEMS) return { path: at, problem: `holds more than ${MAX_BODY_ARRAY_ITEMS} items` };
      value.forEach((item, index) => pending.push({ value: item, path: `${path}[${index}]`, depth: depth + 1 }));
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      const itemPath = path === '' ? key : `${path}.${key}`;
      if (isPrototypeKey(key)) return { path: truncatePath(itemPath), problem: `${key} is not a field of any request` };
      pending.push({ value: item, path: itemPath, depth: depth + 1 });
    }
  }
  return null;
}

function truncatePath(path: string): string {
  return path.length <= MAX_PATH_LENGTH ? path : `${path.slice(0, MAX_PATH_LENGTH - 3)}...`;
}

/** UTF-8's name, quoted or not, and `utf8`, which clients send as often. */
const UTF_8_NAMES: ReadonlySet<string> = new Set(['utf-8', '"utf-8"', 'utf8', '"utf8"']);

/**
 * Request bodies are JSON in UTF-8 (shared/API.md: JSON everywhere): the
 * media type application/json, with no charset or charset=utf-8. Anything
 * else, a form or a multipart body included, is 415 before it is parsed.
 */
export function isJsonInUtf8(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [mediaType, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  return parameters.every((parameter) => {
    const [name, value] = parameter.split('=').map((part) => part.trim());
    return name !== 'charset' || UTF_8_NAMES.has(value ?? '');
  });
}

/** Whether a request carries a body, the way Fastify decides to parse one. */
export function carriesBody(headers: { readonly 'content-length'?: string; readonly 'transfer-encoding'?: string }): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
