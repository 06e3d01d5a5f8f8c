import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../access/access.decorators.js';
import { notFound } from '../../http/api-error.js';
import { loadDashboardPage, type PageAsset } from './dashboard-page-assets.js';

/**
 * GET /dashboard and its files under /dashboard/assets: public, since they
 * carry no data. The page asks for a dashboard key, keeps it in the tab's
 * sessionStorage, and sends it as a Bearer token to the data routes
 * (/v1/dashboard/..., /v1/ledger/accounts), which check it as any route
 * does. Not an API route: left out of the OpenAPI document.
 */
@ApiExcludeController()
@Controller('dashboard')
@Public()
export class DashboardPageController {
  private readonly page = loadDashboardPage();

  @Get()
  html(@Res() reply: FastifyReply): void {
    send(reply, this.page.html);
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    const asset = this.page.assets.get(file);
    if (asset === undefined) throw notFound('The dashboard has no such file');
    send(reply, asset);
  }
}

/** Revalidated on every load (no-cache): a new release's page is never mixed with an old one's script. */
function send(reply: FastifyReply, asset: PageAsset): void {
  void reply.header('content-type', asset.contentType).header('cache-control', 'no-cache').send(asset.body);
}
