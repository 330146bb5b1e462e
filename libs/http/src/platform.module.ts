import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from '@jrp/auth';
import { JrpConfig } from '@jrp/config';
import { EventBus, BusModule } from '@jrp/messaging';
import { HEALTH_DATA_SOURCES, HealthController } from './health.controller';

/**
 * What every jrp process has once: its configuration, the bus, the authentication guard and `/health`.
 * `dataSources` names the services' data sources that `/health` checks.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: JrpConfig, options: { dataSources: string[]; bus?: EventBus }): DynamicModule {
    return {
      module: PlatformModule,
      imports: [BusModule.forRoot({ bus: options.bus })],
      controllers: [HealthController],
      providers: [
        { provide: JrpConfig, useValue: config },
        { provide: HEALTH_DATA_SOURCES, useValue: options.dataSources },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [JrpConfig],
    };
  }
}
