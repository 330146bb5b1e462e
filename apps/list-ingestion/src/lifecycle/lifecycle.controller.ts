import { Body, Controller, UseInterceptors, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdempotencyInterceptor } from '@jrp/http';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { EntryResponse } from '../queries/dto/entry.response';
import { entryView } from '../queries/entries.queries';
import { CorrectEntryDto } from './dto/correct-entry.dto';
import { StatementDto } from './dto/statement.dto';
import { TransitionDto } from './dto/transition.dto';
import { LifecycleService } from './lifecycle.service';

@ApiTags('lists 红黑名单')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a repeated key replays the first result' })
@UseInterceptors(IdempotencyInterceptor)
@Controller('lists/entries')
export class LifecycleController {
  constructor(private readonly lifecycle: LifecycleService) {}

  @Post(':id/transitions')
  @HttpCode(200)
  @Roles('publisher', 'office')
  @ApiOperation({
    operationId: 'transitionEntry',
    summary:
      'A lifecycle step: move-to-watch, record-commitment, record-training, remove; on a noticed entry (拟列入) decide (→ active, listedAt = at) or withdraw (409 with the reason when not allowed; decide before the statement deadline without a statement: 409 naming it)',
  })
  @ApiOkResponse({ type: EntryResponse, description: 'the entry after the step' })
  async transition(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: TransitionDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return entryView(await this.lifecycle.transition(id, dto, principal));
  }

  @Post(':id/statements')
  @HttpCode(201)
  @Roles('publisher', 'office')
  @ApiOperation({
    operationId: 'recordStatement',
    summary:
      'Record the subject’s statement (陈述申辩) on a noticed entry (拟列入): in the history, announced as statement-recorded (409 unless noticed, or when one is recorded)',
  })
  @ApiCreatedResponse({ type: EntryResponse, description: 'the entry with its statement' })
  async statement(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: StatementDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return entryView(await this.lifecycle.recordStatement(id, dto, principal));
  }

  @Patch(':id')
  @Roles('publisher', 'office')
  @ApiOperation({
    operationId: 'correctEntry',
    summary: 'Correct an entry’s fields (更正): a new version, announced as updated',
  })
  @ApiOkResponse({ type: EntryResponse, description: 'the corrected entry' })
  async correct(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CorrectEntryDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return entryView(await this.lifecycle.correct(id, dto, principal));
  }
}
