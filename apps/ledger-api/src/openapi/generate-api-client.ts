/**
 * `npm run openapi:client`: writes the OpenAPI document of the API as the
 * code declares it to apps/ledger-api/openapi.json, and the typed client's
 * types to libs/api-client/src/ledger-api.schema.ts. Offline: no database,
 * no event store, no port (offline-openapi-document.ts). Commit both files;
 * test/openapi.spec.ts fails while either differs from what the running
 * API serves.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apiClientTypesOf } from './api-client-types.js';
import { API_CLIENT_TYPES_FILE, OPENAPI_DOCUMENT_FILE, buildOfflineOpenApiDocument, openApiDocumentText } from './offline-openapi-document.js';

const document = await buildOfflineOpenApiDocument();
await writeFile(join(process.cwd(), OPENAPI_DOCUMENT_FILE), openApiDocumentText(document));
await writeFile(join(process.cwd(), API_CLIENT_TYPES_FILE), await apiClientTypesOf(document));
process.stdout.write(`wrote ${OPENAPI_DOCUMENT_FILE} (${Object.keys(document.paths).length} paths) and ${API_CLIENT_TYPES_FILE}\n`);
