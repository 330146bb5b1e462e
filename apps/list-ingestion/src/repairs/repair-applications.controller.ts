import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { IdempotencyInterceptor } from '@jrp/http';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { renderRepairDecisionHtml } from '../documents/repair-decision';
import {
  DecideRepairApplicationDto,
  FileRepairApplicationDto,
  RepairDocumentQueryDto,
  RepairQueueQueryDto,
} from './dto/repair-application.dto';
import {
  RepairApplicationResponse,
  RepairDecisionResponse,
  RepairDocumentResponse,
  RepairQueueResponse,
} from './dto/repair-application.response';
import { RepairApplicationsService } from './repair-applications.service';

@ApiTags('lists 红黑名单')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a repeated key replays the first result' })
@UseInterceptors(IdempotencyInterceptor)
@Controller('lists')
export class RepairApplicationsController {
  constructor(private readonly repairs: RepairApplicationsService) {}

  @Post('entries/:id/repair-applications')
  @Roles('office', 'portal')
  @ApiOperation({
    operationId: 'fileRepairApplication',
    summary:
      'File a repair application (信用修复申请) on an entry of a list type repaired on application (409: another path, not active, one pending, before repairableFrom)',
  })
  @ApiCreatedResponse({ type: RepairApplicationResponse })
  file(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: FileRepairApplicationDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.repairs.file(id, dto, principal);
  }

  @Get('repair-applications')
  @Roles('publisher', 'office')
  @ApiOperation({
    operationId: 'listRepairApplications',
    summary: 'The repair queue: a deciding department its own, the office all (a city office its city), oldest first',
  })
  @ApiOkResponse({ type: RepairQueueResponse })
  async queue(@Query() q: RepairQueueQueryDto, @CurrentPrincipal() principal: Principal) {
    return { items: await this.repairs.queue(q.status ?? 'pending', principal) };
  }

  @Get('repair-applications/:id')
  @Roles('publisher', 'office', 'portal')
  @ApiOperation({
    operationId: 'getRepairApplication',
    summary: 'A repair application’s status (the portal: only those it filed)',
  })
  @ApiOkResponse({ type: RepairApplicationResponse })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.repairs.get(id, principal);
  }

  @Post('repair-applications/:id/decision')
  @HttpCode(200)
  @Roles('publisher', 'office')
  @ApiOperation({
    operationId: 'decideRepairApplication',
    summary: 'Decide a repair application: approved removes the entry (jrp.list-entry.repaired), rejected leaves it',
  })
  @ApiOkResponse({ type: RepairDecisionResponse })
  decide(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: DecideRepairApplicationDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.repairs.decide(id, dto, principal);
  }

  @Get('repair-applications/:id/document')
  @Roles('publisher', 'office')
  @ApiOperation({
    operationId: 'getRepairDecisionDocument',
    summary: '信用修复决定书: JSON, or a printable Chinese HTML page (?format=html or Accept: text/html)',
  })
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: RepairDocumentResponse })
  async document(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: RepairDocumentQueryDto,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ): Promise<void> {
    const doc = await this.repairs.document(id, principal);
    const html = q.format === 'html' || (q.format !== 'json' && /\btext\/html\b/.test(accept ?? ''));
    if (!html) {
      res.json(doc);
      return;
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.send(renderRepairDecisionHtml(doc));
  }
}
