import { Module } from '@nestjs/common';
import { TokenRevocationModule } from '@jrp/auth';
import { ConsumerGroups } from '@jrp/contracts';
import { MessagingModule } from '@jrp/messaging';
import { MEASURES, measuresDatabase } from './measures-database';

/**
 * What every feature module of measures shares: its data source, its outbox, relay and consumer server
 * (UnitOfWork, OutboxService), and the revocation list its guard reads. Imported once per process; each
 * feature module imports this class and so receives the same instances.
 */
@Module({
  imports: [
    measuresDatabase(),
    MessagingModule.forService({ service: MEASURES, dataSource: MEASURES }),
    TokenRevocationModule.forService({ group: ConsumerGroups.Measures, dataSource: MEASURES }),
  ],
  exports: [MessagingModule],
})
export class MeasuresCoreModule {}
