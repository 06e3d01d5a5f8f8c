import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../access/access.decorators.js';
import { LedgerMetrics } from './ledger-metrics.js';

/**
 * GET /metrics, Prometheus text format. Public like /health (a scraper
 * carries no API key): it holds operational figures only, no amounts, no
 * ids of principals, deals or listings (ledger-metrics.ts lists them).
 */
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: LedgerMetrics) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const text = await this.metrics.render();
    void reply.header('content-type', this.metrics.contentType);
    return text;
  }
}
