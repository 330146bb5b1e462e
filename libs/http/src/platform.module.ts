import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from '@jrp/auth';
import { JrpConfig } from '@jrp/config';
import { BusModule, createBus } from '@jrp/messaging';
import { HEALTH_DATA_SOURCES, HealthController } from './health.controller';

/**
 * What every jrp process has once: its configuration, the bus its configuration names, the
 * authentication guard and `/health`.
 * `dataSources` names the services' data sources that `/health` checks.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: JrpConfig, options: { dataSources: string[] }): DynamicModule {
    return {
      module: PlatformModule,
      imports: [BusModule.forRoot(createBus(config))],
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
