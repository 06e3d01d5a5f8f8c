import { Controller, Get, Inject, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, verifyStoredStream, type EventStore } from '#event-store';
import { AUDIT_EXPORT_CONTENT_TYPES, openAuditExport, readDealTimeline, type DealTimeline } from '#read-models';
import { Roles } from '../access/access.decorators.js';
import { notFound } from '../http/api-error.js';
import { logPage, streamPage, verificationAnswer, type AuditPage, type VerificationAnswer } from './audit-answers.js';
import {
  parseAuditPageLimit,
  parseExportFormat,
  parseFromPosition,
  parseFromRevision,
  parseRecordedWindow,
  parseStreamName,
  AuditParameterDocs as Docs,
} from './audit-query-params.js';

const dealId = new ParseUUIDPipe({ version: undefined });

/**
 * The compliance routes of shared/API.md. They read the event store itself,
 * not projections: what compliance sees is what is recorded, hashes included.
 */
@Controller('v1/audit')
@Roles('compliance', 'admin')
export class AuditController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('streams/:stream')
  @Docs.stream() @Docs.fromRevision() @Docs.limit()
  async streamHistory(@Param('stream') stream: unknown, @Query('fromRevision') fromRevision: unknown, @Query('limit') limit: unknown): Promise<AuditPage> {
    const streamId = parseStreamName(stream);
    const maxCount = parseAuditPageLimit(limit);
    const events = await this.store.readStream(streamId, { fromRevision: parseFromRevision(fromRevision), maxCount });
    if (events.length === 0 && !(await this.streamExists(streamId))) throw notFound(`No events in stream ${streamId}`);
    return streamPage(events, maxCount);
  }

  @Get('streams/:stream/verification')
  @Docs.stream()
  async verification(@Param('stream') stream: unknown): Promise<VerificationAnswer> {
    const streamId = parseStreamName(stream);
    const result = await verifyStoredStream(this.store, streamId);
    if (result.valid && result.events === 0) throw notFound(`No events in stream ${streamId}`);
    return verificationAnswer(result);
  }

  @Get('events')
  @Docs.fromPosition() @Docs.limit()
  async log(@Query('fromPosition') fromPosition: unknown, @Query('limit') limit: unknown): Promise<AuditPage> {
    const maxCount = parseAuditPageLimit(limit);
    const events = await this.store.readAll({ after: parseFromPosition(fromPosition), maxCount });
    return logPage(events, maxCount);
  }

  @Get('deals/:id/timeline')
  async dealTimeline(@Param('id', dealId) id: string): Promise<DealTimeline> {
    const timeline = await readDealTimeline(this.store, id);
    if (timeline === null) throw notFound(`No events for deal ${id}`);
    return timeline;
  }

  /** Streamed: the reply is sent here, page by page, rather than returned. */
  @Get('export')
  @Docs.format() @Docs.from() @Docs.to()
  export(@Query('format') formatText: unknown, @Query('from') from: unknown, @Query('to') to: unknown, @Res() reply: FastifyReply): FastifyReply {
    const format = parseExportFormat(formatText);
    const window = parseRecordedWindow(from, to);
    return reply
      .header('content-type', AUDIT_EXPORT_CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="ledger-audit.${format}"`)
      .header('cache-control', 'no-store')
      .send(openAuditExport(this.store, { format, window }));
  }

  /** An empty page past the end of a stream is 200; a stream with no events at all is 404. */
  private async streamExists(streamId: string): Promise<boolean> {
    return (await this.store.readStream(streamId, { maxCount: 1 })).length > 0;
  }
}
