import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Public, Roles } from '@jrp/auth';
import { IdempotencyInterceptor, PageOf } from '@jrp/http';
import { CasesService } from './cases.service';
import { CasesQueryDto, PublicCasesQueryDto, RecordCaseDto } from './dto/case.dto';
import { CaseResponse, PublicCaseResponse } from './dto/case.response';

@ApiTags('cases 联合奖惩案例')
@Controller('feedback/cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post()
  @ApiBearerAuth()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a repeated key replays the first result' })
  @UseInterceptors(IdempotencyInterceptor)
  @Roles('implementer')
  @ApiCreatedResponse({ type: CaseResponse })
  @ApiOperation({
    operationId: 'recordCase',
    summary: 'Record a case (联合奖惩案例) from one of your tasks, as a draft for the office to review',
  })
  record(@Body() dto: RecordCaseDto, @CurrentPrincipal() principal: Principal) {
    return this.cases.record(dto, principal);
  }

  @Post(':id/publication')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a repeated key replays the first result' })
  @UseInterceptors(IdempotencyInterceptor)
  @Roles('office')
  @ApiOkResponse({ type: PublicCaseResponse, description: 'the case as published, its personal data masked' })
  @ApiConflictResponse({ description: 'published already, or its organisation did not allow publication' })
  @ApiOperation({
    operationId: 'publishCase',
    summary:
      'Publish a case (案例公示) after review: its text masked (ID numbers, phones, addresses, the names its entry holds); a city office its city’s only',
  })
  publish(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.cases.publish(id, principal);
  }

  @Get('public')
  @Public()
  @ApiOkResponse({ type: PageOf(PublicCaseResponse) })
  @ApiOperation({
    operationId: 'listPublicCases',
    summary: 'Published cases (案例公示), personal data masked: open to anyone',
  })
  publicList(@Query() q: PublicCasesQueryDto) {
    return this.cases.publicList(q);
  }

  @Get()
  @ApiBearerAuth()
  @Roles('implementer', 'office')
  @ApiOkResponse({ type: PageOf(CaseResponse) })
  @ApiOperation({
    operationId: 'listCases',
    summary: 'Cases: your own organisation’s, or for the office every one (a city office: its city’s), paged by cursor',
  })
  list(@Query() q: CasesQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.cases.list(q, principal);
  }
}
