/**
 * The OpenAPI document without a database or an event store: the
 * application is created (its modules, controllers and providers) but never
 * initialised or listening, so nothing connects anywhere. The same
 * AppModule the service runs, so the same document it serves at /docs-json;
 * test/openapi.spec.ts compares the two.
 */
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { EventStore } from '#event-store';
import { AppModule } from '../app.module.js';
import { buildOpenApiDocument } from './openapi-document.js';

/** The committed files `npm run openapi:client` writes, from the repository's root. */
export const OPENAPI_DOCUMENT_FILE = 'apps/ledger-api/openapi.json';
export const API_CLIENT_TYPES_FILE = 'libs/api-client/src/ledger-api.schema.ts';

/** A call to the store is a bug here: nothing may read or write while the document is built (Nest may still look at it). */
const NO_STORE = new Proxy({} as EventStore, {
  get: (target, property) => {
    if (typeof property === 'symbol' || property === 'constructor' || property === 'then') return Reflect.get(target, property);
    return () => {
      throw new Error(`the offline OpenAPI build called the event store (${property})`);
    };
  },
});

export async function buildOfflineOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(
    AppModule.register({
      store: NO_STORE,
      // Never initialised: no connection is opened.
      dataSource: new DataSource({ type: 'postgres' }),
      policies: { expiryMarginMs: 0, approvalWindowMs: 0 },
    }),
    new FastifyAdapter(),
    { logger: false, abortOnError: false, preview: false },
  );
  try {
    return buildOpenApiDocument(app);
  } finally {
    // Not app.close(): it would run shutdown hooks of providers that never started.
    await app.getHttpAdapter().close();
  }
}

/** The document as the committed file holds it: two-space JSON and a final newline. */
export function openApiDocumentText(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
