import { decodePageCursor, type PageRequest } from '#read-models';
import { validationFailed } from '../http/api-error.js';

/** The page a list route asks for; a cursor we did not hand out is 400 VALIDATION_FAILED. */
export function pageRequest(params: { readonly limit: number; readonly cursor?: string }): PageRequest {
  if (params.cursor === undefined) return { limit: params.limit };
  const after = decodePageCursor(params.cursor);
  if (after === null) throw validationFailed('cursor must be the nextCursor of an earlier page, unchanged', { cursor: 'malformed cursor' });
  return { limit: params.limit, after };
}
