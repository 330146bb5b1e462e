import { Module } from '@nestjs/common';
import { TokensRepository } from './tokens.repository';
import { AuditModule } from '../audit/audit.module';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { DemoSeeder } from '../demo/demo-seeder';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { MeasuresCoreModule } from '../measures-core.module';
import { AdminController } from './admin.controller';
import { OrganizationsService } from './organizations.service';
import { TokenService } from './token.service';
import { TokenUsageHandler } from './token-usage.handler';

/** Who may call: organisations, their tokens (issue, revoke, last use) and the demonstration tokens. */
@Module({
  imports: [MeasuresCoreModule, AuditModule, CatalogueModule],
  controllers: [AdminController, TokenUsageHandler],
  // SubscriptionsRepository: a revocation disables the subscriptions acting under the token, in its transaction
  providers: [TokensRepository, TokenService, OrganizationsService, DemoSeeder, SubscriptionsRepository],
  exports: [DemoSeeder],
})
export class IdentityModule {}
