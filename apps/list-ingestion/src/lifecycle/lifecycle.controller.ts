import { Body, Controller, UseInterceptors, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdempotencyInterceptor } from '@jrp/http';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { EntryResponse } from '../queries/dto/entry.response';
import { entryView } from '../queries/entries.queries';
import { CorrectEntryDto } from './dto/correct-entry.dto';
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
      'A lifecycle step: move-to-watch, record-commitment, record-training, remove (409 with the reason when not allowed)',
  })
  @ApiOkResponse({ type: EntryResponse, description: 'the entry after the step' })
  async transition(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: TransitionDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return entryView(await this.lifecycle.transition(id, dto, principal));
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
