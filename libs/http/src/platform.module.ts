import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RefusedRequests } from '@jrp/audit';
import { AuthGuard, RevocationList, TokenUsage } from '@jrp/auth';
import { JrpConfig } from '@jrp/config';
import { BusModule, createBus } from '@jrp/messaging';
import { PersonalData } from '@jrp/crypto';
import { HealthController } from './health.controller';
import { HEALTH_DATA_SOURCES, ReadinessService } from './readiness.service';
import { MetricsController } from './metrics.controller';
import { OperatorEndpoints } from './operator-endpoints';
import { TokenUsageReporter } from './token-usage.reporter';

/**
 * What every jrp process has once: its configuration, the bus its configuration names, the
 * authentication guard with the revocation list and token usage, the record of refused requests, the
 * health probes (`/health`, `/health/live`, `/health/ready`) and the metrics (`/metrics`, unless
 * `JRP_OPS_PORT` serves it apart).
 * `dataSources` names the services' data sources that `/health` checks.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: JrpConfig, options: { dataSources: string[] }): DynamicModule {
    return {
      module: PlatformModule,
      imports: [BusModule.forRoot(createBus(config))],
      controllers: [HealthController, ...(config.opsPort === undefined ? [MetricsController] : [])],
      providers: [
        { provide: JrpConfig, useValue: config },
        { provide: HEALTH_DATA_SOURCES, useValue: options.dataSources },
        ReadinessService,
        {
          provide: PersonalData,
          useFactory: () =>
            config.dataKeys
              ? new PersonalData({
                  dataKeys: config.dataKeys,
                  cipher: config.dataCipher,
                  lookupSecret: config.subjectKeySecret,
                  lookup: config.lookupHash,
                })
              : null,
        },
        RevocationList,
        TokenUsage,
        TokenUsageReporter,
        RefusedRequests,
        OperatorEndpoints,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [JrpConfig, PersonalData, RevocationList, TokenUsage, TokenUsageReporter, RefusedRequests],
    };
  }
}
