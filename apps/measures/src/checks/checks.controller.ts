import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { ChecksService } from './checks.service';
import { CheckDto, CheckResultView } from './dto/check.dto';

/** Counter checks (嵌入式联合奖惩) from the implementing departments' business systems. */
@ApiTags('checks 核查')
@ApiBearerAuth()
@Controller('checks')
export class ChecksController {
  constructor(private readonly checks: ChecksService) {}

  @Post()
  @HttpCode(200)
  @Roles('implementer')
  @ApiOperation({
    operationId: 'checkSubject',
    summary:
      'Is this subject listed, and which of the caller’s measures apply? Recorded; a listed subject links the business to the caller’s tasks',
  })
  @ApiOkResponse({ type: CheckResultView, description: 'the answer; the check is recorded either way' })
  check(@Body() dto: CheckDto, @CurrentPrincipal() principal: Principal): Promise<CheckResultView> {
    return this.checks.check(dto, principal.organization.code);
  }
}
