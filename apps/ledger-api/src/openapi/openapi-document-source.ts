import { Injectable } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The OpenAPI document this process serves. Scanning the application needs
 * the application, which its own providers cannot inject: ledger-api.ts
 * hands the builder over once the application exists, and the document is
 * built on the first request for it (most processes, tests among them, are
 * never asked).
 */
@Injectable()
export class OpenApiDocumentSource {
  private build: (() => OpenAPIObject) | null = null;
  private built: OpenAPIObject | null = null;

  use(build: () => OpenAPIObject): void {
    this.build = build;
    this.built = null;
  }

  document(): OpenAPIObject {
    if (this.built === null) {
      if (this.build === null) throw new Error('no OpenAPI document: ledger-api.ts did not hand over its builder (OpenApiDocumentSource.use)');
      this.built = this.build();
    }
    return this.built;
  }
}
