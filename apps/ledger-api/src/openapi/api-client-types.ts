/**
 * The TypeScript types of libs/api-client, generated from the OpenAPI
 * document by openapi-typescript: `paths` (each route, its parameters,
 * bodies and answers by status) and `components`. openapi-fetch reads them,
 * so a call the document does not allow, or an answer read as a shape it
 * does not have, is a compile error.
 */
import type { OpenAPIObject } from '@nestjs/swagger';
import openapiTS, { astToString } from 'openapi-typescript';

const HEADER = `/**
 * Generated from apps/ledger-api/openapi.json by \`npm run openapi:client\`: do not edit.
 * test/openapi.spec.ts fails when this file differs from what the running API's document generates.
 */
`;

export async function apiClientTypesOf(document: OpenAPIObject): Promise<string> {
  const ast = await openapiTS(structuredClone(document) as Parameters<typeof openapiTS>[0], {
    // Optional fields stay `?:`, never `| undefined`, as exactOptionalPropertyTypes readers expect.
    exportType: false,
    alphabetize: false,
  });
  return `${HEADER}${astToString(ast)}`;
}
