import { DynamicModule, Module } from '@nestjs/common';
import { serviceDatabase } from '@jrp/database';
import { MessagingModule, MessagingTables1764300000000 } from '@jrp/messaging';
import { RevokedTokens1764300000010, TokenRevocationModule } from '@jrp/auth';
import { ConsumerGroups } from '@jrp/contracts';
import { CatalogueHandler } from './catalogue-copy/catalogue.handler';
import { EntriesController } from './entries/entries.controller';
import { EntriesService } from './entries/entries.service';
import { ListEntriesRepository } from './entries/list-entries.repository';
import { ListEntries1764300000101 } from './migrations/1764300000101-list-entries';

export const LIST_INGESTION = 'list-ingestion';
export const LIST_INGESTION_MIGRATIONS = [MessagingTables1764300000000, RevokedTokens1764300000010, ListEntries1764300000101];

/** list-ingestion: red/black list entries and their history. Owns the `list_ingestion` schema. */
@Module({})
export class ListIngestionModule {
  static register(): DynamicModule {
    return {
      module: ListIngestionModule,
      imports: [
        serviceDatabase({ name: LIST_INGESTION, schema: (config) => config.schemaOf('list-ingestion'), migrations: LIST_INGESTION_MIGRATIONS }),
        MessagingModule.forService({ service: LIST_INGESTION, dataSource: LIST_INGESTION }),
        TokenRevocationModule.forService({ group: ConsumerGroups.ListIngestion, dataSource: LIST_INGESTION }),
      ],
      controllers: [EntriesController, CatalogueHandler],
      providers: [EntriesService, ListEntriesRepository],
    };
  }
}
