import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MeasuresCoreModule } from '../measures-core.module';
import { TasksModule } from '../tasks/tasks.module';
import { DeliveryRepository } from './delivery/delivery.repository';
import { WebhookDeliveryWorker } from './delivery/webhook-delivery.worker';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsRepository } from './subscriptions.repository';
import { SubscriptionsService } from './subscriptions.service';
import { TargetChecker } from './target-checker';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookTargetsController } from './webhook-targets.controller';

/** Delivery of task changes to departments: subscriptions and their signed webhooks. */
@Module({
  imports: [MeasuresCoreModule, AuditModule, TasksModule],
  controllers: [SubscriptionsController, WebhookTargetsController],
  providers: [
    SubscriptionsRepository,
    SubscriptionsService,
    TargetChecker,
    WebhookSecrets,
    DeliveryRepository,
    WebhookDeliveryWorker,
  ],
})
export class DeliveryModule {}
