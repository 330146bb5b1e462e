import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { RecordFeedbackDto } from './dto/record-feedback.dto';
import { FeedbackService } from './feedback.service';

@ApiTags('feedback 反馈')
@ApiBearerAuth()
@Controller('feedback')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  @Post()
  @Roles('implementer')
  @ApiOperation({ summary: 'Report what was implemented for the measures of one of your tasks' })
  record(@Body() dto: RecordFeedbackDto, @CurrentPrincipal() principal: Principal) {
    return this.feedback.record(dto, principal);
  }
}
