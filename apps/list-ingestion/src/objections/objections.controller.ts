import { Body, Controller, UseInterceptors, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdempotencyInterceptor } from '@jrp/http';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { DecideObjectionDto, FileObjectionDto, ObjectionQueryDto } from './dto/objection.dto';
import {
  FiledObjectionResponse,
  ObjectionDecisionResponse,
  ObjectionQueueResponse,
  ObjectionResponse,
} from './dto/objection.response';
import { ObjectionsService } from './objections.service';

@ApiTags('lists 红黑名单')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a repeated key replays the first result' })
@UseInterceptors(IdempotencyInterceptor)
@Controller('lists')
export class ObjectionsController {
  constructor(private readonly objections: ObjectionsService) {}

  @Post('entries/:id/objections')
  @Roles('office', 'portal')
  @ApiOperation({
    operationId: 'fileObjection',
    summary: 'File an objection (异议): the entry is marked disputed until decided',
  })
  @ApiCreatedResponse({ type: FiledObjectionResponse })
  file(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: FileObjectionDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<FiledObjectionResponse> {
    return this.objections.file(id, dto, principal);
  }

  @Post('objections/:id/decision')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({
    operationId: 'decideObjection',
    summary: 'Decide an objection: upheld corrects or removes the entry, rejected clears the flag',
  })
  @ApiOkResponse({ type: ObjectionDecisionResponse })
  decide(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: DecideObjectionDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ObjectionDecisionResponse> {
    return this.objections.decide(id, dto, principal);
  }

  @Get('objections/:id')
  @Roles('office', 'portal')
  @ApiOperation({ operationId: 'getObjection', summary: 'An objection’s status (the portal: only those it filed)' })
  @ApiOkResponse({ type: ObjectionResponse })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.objections.get(id, principal);
  }

  @Get('objections')
  @Roles('office')
  @ApiOperation({
    operationId: 'listObjections',
    summary: 'The objection queue, oldest first, with the deadline in working days',
  })
  @ApiOkResponse({ type: ObjectionQueueResponse })
  async queue(@Query() q: ObjectionQueryDto, @CurrentPrincipal() principal: Principal) {
    return { items: await this.objections.queue(q.status ?? 'pending', principal) };
  }
}
