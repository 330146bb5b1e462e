import { Module } from '@nestjs/common';
import { TokenRevocationModule } from '@jrp/auth';
import { ConsumerGroups } from '@jrp/contracts';
import { serviceDatabase } from '@jrp/database';
import { MessagingModule } from '@jrp/messaging';
import { MEASURES_MIGRATIONS } from './measures.migrations';

export const MEASURES = 'measures';

/** measures' data source: its schema, migrated at start (also what the admin tool opens). */
export const measuresDatabase = () =>
  serviceDatabase({ name: MEASURES, schema: (config) => config.schemaOf('measures'), migrations: MEASURES_MIGRATIONS });

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
