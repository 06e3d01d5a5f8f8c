import { Module } from '@nestjs/common';
import { OpenApiController } from './openapi.controller.js';
import { OpenApiDocumentSource } from './openapi-document-source.js';

/** GET /docs and GET /docs-json (openapi.controller.ts). */
@Module({
  controllers: [OpenApiController],
  providers: [OpenApiDocumentSource],
  exports: [OpenApiDocumentSource],
})
export class OpenApiModule {}
