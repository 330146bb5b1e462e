import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { decodeSeqCursor, PageOf } from '@jrp/http';
import { CreateSubscriptionDto } from './dto/create-subscription.dto';
import { DeliveriesQueryDto, ReplayDto, SubscriptionsQueryDto } from './dto/subscription-queries.dto';
import {
  CreatedSubscriptionResponse,
  DeliveryAttemptResponse,
  ReplayResponse,
  RotatedSecretResponse,
  SubscriptionResponse,
} from './dto/subscription.response';
import { SubscriptionsService } from './subscriptions.service';

/**
 * Webhook subscriptions (Webhook 订阅): an implementing organisation's task changes pushed to its URL,
 * signed as Standard Webhooks says. Only the owner reaches a subscription (another organisation's
 * answers 404); the office lists every organisation's, to see the disabled ones.
 */
@ApiTags('subscriptions 订阅')
@ApiBearerAuth()
@Controller('subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @Roles('implementer')
  @ApiOperation({
    operationId: 'createSubscription',
    summary:
      'Subscribe a URL to the caller’s task changes of the given types, from now on, under the caller’s token (revoking it disables the subscription); the signing secret is shown once',
  })
  @ApiCreatedResponse({ type: CreatedSubscriptionResponse })
  create(@Body() dto: CreateSubscriptionDto, @CurrentPrincipal() principal: Principal) {
    return this.subscriptions.create(principal, dto);
  }

  @Get()
  @Roles('implementer', 'office')
  @ApiOperation({
    operationId: 'listSubscriptions',
    summary:
      "Subscriptions, oldest first: the caller's own, or for the office every organisation's (`status=disabled` for the failing ones)",
  })
  @ApiOkResponse({ type: PageOf(SubscriptionResponse) })
  list(@Query() query: SubscriptionsQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.subscriptions.list(query, principal);
  }

  @Get(':id')
  @Roles('implementer')
  @ApiOperation({
    operationId: 'getSubscription',
    summary: 'One of the caller’s subscriptions: status, cursor, retry state (never the secret)',
  })
  @ApiOkResponse({ type: SubscriptionResponse })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.subscriptions.get(id, principal.organization.code);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('implementer')
  @ApiOperation({
    operationId: 'deleteSubscription',
    summary: 'Delete one of the caller’s subscriptions and its delivery log',
  })
  @ApiNoContentResponse({ description: 'deleted' })
  async delete(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.subscriptions.delete(id, principal.organization.code);
  }

  @Post(':id/secret')
  @HttpCode(200)
  @Roles('implementer')
  @ApiOperation({
    operationId: 'rotateSubscriptionSecret',
    summary: 'Rotate the signing secret: the new one is shown once; the old one keeps signing alongside for 24 hours',
  })
  @ApiOkResponse({ type: RotatedSecretResponse })
  rotate(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.subscriptions.rotateSecret(id, principal.organization.code);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @Roles('implementer')
  @ApiOperation({
    operationId: 'enableSubscription',
    summary:
      'Enable a disabled subscription again under the caller’s token: deliveries resume from the change it stopped at; an active one moves to the caller’s token',
  })
  @ApiOkResponse({ type: SubscriptionResponse })
  enable(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.subscriptions.enable(id, principal);
  }

  @Get(':id/deliveries')
  @Roles('implementer')
  @ApiOperation({
    operationId: 'listSubscriptionDeliveries',
    summary: 'Delivery attempts, oldest first: webhook id, change, attempt number, status code or error, latency',
  })
  @ApiOkResponse({ type: PageOf(DeliveryAttemptResponse) })
  deliveries(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: DeliveriesQueryDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.subscriptions.deliveries(
      id,
      principal.organization.code,
      decodeSeqCursor(query.after),
      query.limit ?? 100,
    );
  }

  @Post(':id/replay')
  @HttpCode(202)
  @Roles('implementer')
  @ApiOperation({
    operationId: 'replaySubscription',
    summary: 'Redeliver the subscription’s changes made since `since`, in order, under the same webhook ids',
  })
  @ApiAcceptedResponse({ type: ReplayResponse })
  replay(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ReplayDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.subscriptions.replay(id, principal.organization.code, new Date(dto.since));
  }
}
