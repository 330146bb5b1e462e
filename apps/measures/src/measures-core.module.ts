import { Module } from '@nestjs/common';
import { TokenRevocationModule } from '@jrp/auth';
import { ConsumerGroups } from '@jrp/contracts';
import { IDEMPOTENCY_DATA_SOURCE, IdempotencyInterceptor } from '@jrp/http';
import { MessagingModule } from '@jrp/messaging';
import { getDataSourceToken } from '@nestjs/typeorm';
import { MEASURES, measuresDatabase } from './measures-database';

/**
 * What every feature module of measures shares: its data source, its outbox, relay and consumer server
 * (UnitOfWork, OutboxService), the revocation list its guard reads, and the `Idempotency-Key` interceptor
 * of its writes (keys in measures' own `idempotency_keys`). Imported once per process; each
 * feature module imports this class and so receives the same instances.
 */
@Module({
  imports: [
    measuresDatabase(),
    MessagingModule.forService({ service: MEASURES, dataSource: MEASURES }),
    TokenRevocationModule.forService({ group: ConsumerGroups.Measures, dataSource: MEASURES }),
  ],
  providers: [{ provide: IDEMPOTENCY_DATA_SOURCE, useExisting: getDataSourceToken(MEASURES) }, IdempotencyInterceptor],
  exports: [MessagingModule, IDEMPOTENCY_DATA_SOURCE, IdempotencyInterceptor],
})
export class MeasuresCoreModule {}
