import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@jrp/auth';
import { WebhookTargetsResponse } from './dto/subscription.response';
import { WebhookTargetsDto } from './dto/webhook-targets.dto';
import { SubscriptionsService } from './subscriptions.service';

/**
 * The webhook targets an organisation may use although they are private or local (its receivers often
 * sit on the government's private network): kept by the admin, added to JRP_WEBHOOK_ALLOWED_TARGETS.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/organizations')
export class WebhookTargetsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Get(':code/webhook-targets')
  @Roles('admin')
  @ApiOperation({
    operationId: 'getWebhookTargets',
    summary: "The organisation's allowed webhook targets (hosts, addresses, CIDR ranges)",
  })
  @ApiOkResponse({ type: WebhookTargetsResponse })
  get(@Param('code') code: string) {
    return this.subscriptions.allowedTargets(code);
  }

  @Put(':code/webhook-targets')
  @Roles('admin')
  @ApiOperation({
    operationId: 'setWebhookTargets',
    summary:
      "Replace the organisation's allowed webhook targets; checked at the next delivery of each of its subscriptions",
  })
  @ApiOkResponse({ type: WebhookTargetsResponse })
  set(@Param('code') code: string, @Body() dto: WebhookTargetsDto) {
    return this.subscriptions.setAllowedTargets(code, dto.targets);
  }
}
