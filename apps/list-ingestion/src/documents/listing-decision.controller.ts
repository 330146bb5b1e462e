import { Controller, Get, Headers, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { ListingDecisionResponse } from './dto/listing-decision.response';
import { renderListingDecision } from './listing-decision';
import { ListingDecisionService } from './listing-decision.service';

/** Whether the caller asked for the printable page: `?format=html`, or `Accept` preferring text/html. */
export function wantsHtml(format: string | undefined, accept: string | undefined): boolean {
  if (format) return format === 'html';
  return /(^|,)\s*text\/html/.test(accept ?? '');
}

@ApiTags('lists 红黑名单')
@ApiBearerAuth()
@Controller('lists/entries')
export class ListingDecisionController {
  constructor(private readonly decisions: ListingDecisionService) {}

  @Get(':id/decision')
  @Roles('publisher', 'office')
  @ApiProduces('application/json', 'text/html')
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'html'] })
  @ApiOperation({
    operationId: 'getListingDecision',
    summary:
      'The listing decision document (列入决定书): reasons, basis, measures, grade and publication period, removal conditions, remedies, the statement; JSON, or a printable Chinese page with Accept: text/html or ?format=html (409 while noticed or once withdrawn)',
  })
  @ApiOkResponse({ type: ListingDecisionResponse })
  async decision(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('format') format: string | undefined,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const doc = await this.decisions.decision(id, principal);
    if (!wantsHtml(format, accept)) return doc;
    res.type('text/html; charset=utf-8');
    return renderListingDecision(doc);
  }
}
