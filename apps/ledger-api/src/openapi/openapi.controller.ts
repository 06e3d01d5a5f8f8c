/**
 * GET /docs (Swagger UI) and GET /docs-json (the OpenAPI document), public
 * like /health: the document holds the contract, no data.
 *
 * Served by a controller rather than SwaggerModule.setup(): setup() adds its
 * routes straight to Fastify, beside Nest's router, where the global access
 * guard never runs and the access matrix (test/access-matrix.spec.ts, which
 * holds every route Fastify serves to a Nest handler with a declaration)
 * cannot see them. Here each route is a Nest route, declared @Public(), with
 * a row in docs/security/access-matrix.md. The page is swagger-ui-dist's
 * files and a start-up script of ours, all from this origin, so it runs
 * under the Content-Security-Policy of http/security-headers.ts ('self', no
 * inline script or style).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiExcludeController, type OpenAPIObject } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../access/access.decorators.js';
import { notFound } from '../http/api-error.js';
import { OpenApiDocumentSource } from './openapi-document-source.js';

const swaggerUiDirectory = (createRequire(import.meta.url)('swagger-ui-dist/absolute-path.js') as () => string)();

/** The files of swagger-ui-dist the page loads, and their types: nothing else of that folder is served. */
const SWAGGER_UI_FILES: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <title>AI-credit ledger API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="stylesheet" href="/docs/index.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-start.js"></script>
</body>
</html>
`;

/** The start-up script: a file, not an inline script, for the Content-Security-Policy. */
const START_SCRIPT = `window.ui = SwaggerUIBundle({ url: '/docs-json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: false });\n`;

@ApiExcludeController()
@Public()
@Controller()
export class OpenApiController {
  private readonly files = new Map<string, Promise<Buffer>>();

  constructor(private readonly source: OpenApiDocumentSource) {}

  @Get('docs-json')
  @Header('cache-control', 'no-cache')
  document(): OpenAPIObject {
    return this.source.document();
  }

  @Get('docs')
  page(@Res() reply: FastifyReply): FastifyReply {
    return reply.type('text/html; charset=utf-8').send(PAGE);
  }

  @Get('docs/swagger-ui-start.js')
  startScript(@Res() reply: FastifyReply): FastifyReply {
    return reply.type('application/javascript; charset=utf-8').send(START_SCRIPT);
  }

  @Get('docs/:file')
  async asset(@Param('file') file: string, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const type = Object.hasOwn(SWAGGER_UI_FILES, file) ? SWAGGER_UI_FILES[file] : undefined;
    if (type === undefined) throw notFound(`No file ${file.slice(0, 100)} under /docs`);
    let content = this.files.get(file);
    if (content === undefined) {
      content = readFile(join(swaggerUiDirectory, file));
      this.files.set(file, content);
    }
    return reply.type(type).header('cache-control', 'public, max-age=3600').send(await content);
  }
}
