import { Controller, Get, Headers, Inject, Logger, Query, StreamableFile } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { ApiBearerAuth, ApiCookieAuth, ApiExtraModels, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import type { Response } from 'express';
import { DIRECTORY_CLIENT, DIRECTORY_PATTERNS, MAX_PAGE_SIZE, type AuditEventView, type AuditQuery, type AuthenticatedPrincipal, type Page } from '@am/contracts';
import { call } from '@am/service-kit';
import { Principal } from '../auth/principal';
import { toErrorResponse } from '../common/http-error.filter';
import { PageQueryDto } from '../common/pagination.dto';
import { AuditEventPageResponse } from './audit.responses';
import { auditCsv, auditEvents, CSV_COLUMNS, type AuditPageReader } from './csv-export';

/** The CSV export stops here; narrow the period for more. */
export const CSV_EXPORT_MAX_ROWS = 100_000;

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Events of this organization only' })
  @IsOptional()
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or date-time' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or date-time' })
  to?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv (or Accept: text/csv) exports every matching event, ignoring page/pageSize' })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: 'json' | 'csv';
}

@ApiTags('audit')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('audit')
export class AuditController {
  private readonly logger = new Logger(AuditController.name);

  constructor(@Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy) {}

  @Get()
  @ApiOperation({ summary: 'Audit events, newest first: Security Officials read their organizations’, the help desk all' })
  @ApiExtraModels(AuditEventPageResponse)
  @ApiOkResponse({
    description:
      'A page of events, or (format=csv / Accept: text/csv) every matching event as CSV, streamed (at most 100,000 rows: narrow the period for more). ' +
      'Cells a spreadsheet would read as a formula (starting with =, +, -, @, a tab or a carriage return) are written as text: a leading single quote, quoted.',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(AuditEventPageResponse) } },
      'text/csv': {
        schema: { type: 'string', description: `Columns: ${CSV_COLUMNS.join(',')}; details as JSON` },
        example:
          'id,occurredAt,action,actorId,organizationId,subjectId,details,prevHash,hash\n' +
          '7c4b1a0f-2d8e-4f5b-8a9c-3e0d8b9f1c27,2026-03-02T14:05:09.123Z,role-request.approved,2d9c6b5a-7e3f-4a0c-9b4d-8f5e3c4a6d72,0b7a4f3e-5c1d-4e8a-9f2b-6d3c1a2e4b50,5a2f9e8d-0b6c-4d3f-8e7a-1c8b6f7d9a05,"{""role"":""STAFF_USER""}",a3f1…,5b6a…\n',
      },
    },
  })
  @ApiForbiddenResponse({ description: 'Neither a Security Official (of this organization, when organizationId is given) nor the help desk' })
  async list(
    @Principal() p: AuthenticatedPrincipal,
    @Query() q: AuditQueryDto,
    @Headers('accept') accept: string | undefined,
  ): Promise<Page<AuditEventView> | StreamableFile> {
    const query: AuditQuery = { viewerId: p.userId, organizationId: q.organizationId, from: q.from, to: q.to, page: q.page, pageSize: q.pageSize };
    const csv = q.format === 'csv' || (q.format === undefined && /\btext\/csv\b/i.test(accept ?? ''));
    if (!csv) return call(this.directory, DIRECTORY_PATTERNS.listAudit, query);

    // Page by page, each after the last event of the one before (keyset: rows appended meanwhile
    // neither repeat nor shift), read as the response is written: one page in memory at a time.
    const read: AuditPageReader = (after) => call<Page<AuditEventView>>(this.directory, DIRECTORY_PATTERNS.listAudit, { ...query, page: 1, pageSize: MAX_PAGE_SIZE, after });
    // The first page before any byte is sent, so a refusal (403) is still answered as an error.
    const first = await read(undefined);
    const file = new StreamableFile(auditCsv(auditEvents(first, read, MAX_PAGE_SIZE, CSV_EXPORT_MAX_ROWS)), {
      type: 'text/csv; charset=utf-8',
      disposition: 'attachment; filename="audit-events.csv"',
    });
    // A page that fails once rows are sent cannot change the status: the connection is cut, so
    // the download fails instead of looking complete.
    return file.setErrorHandler((err, response) => {
      this.logger.warn(`The audit CSV export stopped: ${err.message}`);
      const res = response as unknown as Response;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const { status, body } = toErrorResponse(err, this.logger);
      res.removeHeader('content-disposition');
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.status(status).send(JSON.stringify({ error: body }));
    });
  }
}
