import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { attachment } from '@jrp/http';
import { CompletionQueryDto, ListReportQueryDto, ReportQueryDto } from './dto/report-query.dto';
import { ReportResponse } from './dto/report.response';
import { formatOf, XLSX_TYPE } from './report-format';
import { ReportTable, tableToJson } from './report-table';
import { tableToCsv } from './render-csv';
import { tableToXlsx } from './render-xlsx';
import { ReportsService } from './reports.service';

const REPORT_RESPONSE = {
  description: 'the report as JSON, or as a file (CSV, XLSX) with format= or Accept',
  content: {
    'application/json': { schema: { $ref: '#/components/schemas/ReportResponse' } },
    'text/csv': { schema: { type: 'string' as const, format: 'binary' } },
    [XLSX_TYPE]: { schema: { type: 'string' as const, format: 'binary' } },
  },
};

/** The office's reports (a city office: its own city), as JSON, CSV (UTF-8 with BOM) or XLSX. */
@ApiTags('reports 报表')
@ApiBearerAuth()
@ApiProduces('application/json', 'text/csv', XLSX_TYPE)
@ApiExtraModels(ReportResponse)
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('completion')
  @Roles('office')
  @ApiOkResponse(REPORT_RESPONSE)
  @ApiOperation({
    operationId: 'getCompletionReport',
    summary:
      'Completion (完成情况) by organisation, list type, memorandum (measure items), city or week: dispatched, acknowledged, due, fed back, on time, overdue, rates, cases',
  })
  async completion(
    @Query() q: CompletionQueryDto,
    @CurrentPrincipal() p: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.send(
      await this.reports.completion(q.groupBy ?? 'organization', this.reports.scope(q, p)),
      formatOf(q.format, accept),
      res,
    );
  }

  @Get('overdue')
  @Roles('office')
  @ApiOkResponse(REPORT_RESPONSE)
  @ApiOperation({
    operationId: 'getOverdueReport',
    summary: '督办: due tasks past their due date without feedback, by organisation, oldest first',
  })
  async overdue(
    @Query() q: ListReportQueryDto,
    @CurrentPrincipal() p: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.send(
      await this.reports.overdue(this.reports.scope(q, p), q.limit ?? 1000),
      formatOf(q.format, accept),
      res,
    );
  }

  @Get('cases')
  @Roles('office')
  @ApiOkResponse(REPORT_RESPONSE)
  @ApiOperation({ operationId: 'getCasesReport', summary: 'The cases (案例台账) of the period' })
  async cases(
    @Query() q: ListReportQueryDto,
    @CurrentPrincipal() p: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.send(
      await this.reports.cases(this.reports.scope(q, p), q.limit ?? 1000),
      formatOf(q.format, accept),
      res,
    );
  }

  @Get('assessment')
  @Roles('office')
  @ApiOkResponse(REPORT_RESPONSE)
  @ApiOperation({
    operationId: 'getAssessmentReport',
    summary:
      '考核指标 per city and for the province: cases ÷ national-level entries (≥10%), commitments (≥30%), repair training, feedback rate',
  })
  async assessment(
    @Query() q: ReportQueryDto,
    @CurrentPrincipal() p: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.send(await this.reports.assessment(this.reports.scope(q, p)), formatOf(q.format, accept), res);
  }

  @Get('lifting')
  @Roles('office')
  @ApiOkResponse(REPORT_RESPONSE)
  @ApiOperation({
    operationId: 'getLiftingReport',
    summary:
      '解除确认: per revoked entry (repair, removal, expiry, objection upheld) and department, whether the department confirmed lifting the measures, is pending, or overdue',
  })
  async lifting(
    @Query() q: ListReportQueryDto,
    @CurrentPrincipal() p: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.send(
      await this.reports.lifting(this.reports.scope(q, p), q.limit ?? 1000),
      formatOf(q.format, accept),
      res,
    );
  }

  private async send(table: ReportTable, format: 'json' | 'csv' | 'xlsx', res: Response) {
    res.setHeader('Vary', 'Accept');
    if (format === 'json') return tableToJson(table);
    const stamp = table.period.from || table.period.to ? `-${table.period.from ?? ''}至${table.period.to ?? ''}` : '';
    res.setHeader('Content-Disposition', attachment(`${table.name}${stamp}.${format}`));
    if (format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.send(tableToCsv(table));
    } else {
      res.setHeader('Content-Type', XLSX_TYPE);
      res.send(await tableToXlsx(table));
    }
  }
}
