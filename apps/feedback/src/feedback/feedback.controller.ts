import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { IdempotencyInterceptor } from '@jrp/http';
import { CancelFeedbackDto, CorrectFeedbackDto, RecordFeedbackDto } from './dto/record-feedback.dto';
import { FeedbackResponse } from './dto/feedback.response';
import { FeedbackService } from './feedback.service';

@ApiTags('feedback 反馈')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a repeated key replays the first result' })
@UseInterceptors(IdempotencyInterceptor)
@Controller('feedback')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  @Post()
  @Roles('implementer')
  @ApiCreatedResponse({ type: FeedbackResponse })
  @ApiOperation({
    operationId: 'recordFeedback',
    summary:
      'Report, per measure item, what was implemented on one of your tasks (409 on a revoked task unless it reports what happened before)',
  })
  record(@Body() dto: RecordFeedbackDto, @CurrentPrincipal() principal: Principal) {
    return this.feedback.record(dto, principal);
  }

  @Get(':id')
  @Roles('implementer', 'office')
  @ApiOkResponse({ type: FeedbackResponse })
  @ApiOperation({
    operationId: 'getFeedback',
    summary: 'One feedback with every version: your own, or for the office any (a city office: its city’s)',
  })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.feedback.get(id, principal);
  }

  @Post(':id/corrections')
  @Roles('implementer')
  @ApiCreatedResponse({ type: FeedbackResponse })
  @ApiOperation({
    operationId: 'correctFeedback',
    summary: 'Correct your feedback (更正): its items as they should be, and why; a new version',
  })
  correct(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CorrectFeedbackDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.feedback.correct(id, dto, principal);
  }

  @Post(':id/cancellation')
  @HttpCode(200)
  @Roles('implementer')
  @ApiOkResponse({ type: FeedbackResponse })
  @ApiOperation({
    operationId: 'cancelFeedback',
    summary: 'Cancel your feedback (作废), with a reason; its history stays',
  })
  cancel(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CancelFeedbackDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.feedback.cancel(id, dto, principal);
  }
}
