import { DynamicModule, Module } from '@nestjs/common';
import { AuditRecorder, AuditSink, OutboxAuditSink } from '@jrp/audit';
import { serviceDatabase } from '@jrp/database';
import { IDEMPOTENCY_DATA_SOURCE, IdempotencyInterceptor } from '@jrp/http';
import { getDataSourceToken } from '@nestjs/typeorm';
import { MulterModule } from '@nestjs/platform-express';
import { diskStorage } from 'multer';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { JrpConfig } from '@jrp/config';
import { ImportErrorsRetentionJob } from './imports/import-errors-retention.job';
import { ImportQueue } from './imports/import-queue';
import { ImportsController } from './imports/imports.controller';
import { ImportsRepository } from './imports/imports.repository';
import { ImportsService } from './imports/imports.service';
import { IMPORT_UPLOAD_LIMIT_BYTES } from './imports/upload-limit';
import { importsFolder } from './imports/upload-folder';
import { MessagingModule } from '@jrp/messaging';
import { TokenRevocationModule } from '@jrp/auth';
import { ConsumerGroups } from '@jrp/contracts';
import { CatalogueHandler } from './catalogue-copy/catalogue.handler';
import { CatalogueCopyRepository } from './catalogue-copy/catalogue-copy.repository';
import { EntryHistoryRepository } from './entries/entry-history.repository';
import { EntryJournal } from './entries/entry-journal';
import { ListEntriesRepository } from './entries/list-entries.repository';
import { ExpiryJob } from './lifecycle/expiry.job';
import { LifecycleController } from './lifecycle/lifecycle.controller';
import { ListingDecisionController } from './documents/listing-decision.controller';
import { ListingDecisionService } from './documents/listing-decision.service';
import { LifecycleService } from './lifecycle/lifecycle.service';
import { ObjectionsController } from './objections/objections.controller';
import { ObjectionsRepository } from './objections/objections.repository';
import { ObjectionsService } from './objections/objections.service';
import { PublishingController } from './publishing/publishing.controller';
import { PublishingService } from './publishing/publishing.service';
import { EntriesQueries } from './queries/entries.queries';
import { EntriesQueriesController } from './queries/entries-queries.controller';
import { EntriesQueriesRepository } from './queries/entries-queries.repository';
import { CalendarCopyHandler, WorkingDays } from './catalogue-copy/working-days';
import { ListTypes } from './catalogue-copy/list-types';
import { LIST_INGESTION_MIGRATIONS } from './list-ingestion.migrations';
import { PortalController } from './portal/portal.controller';
import { PortalService } from './portal/portal.service';
import { RepairApplicationsController } from './repairs/repair-applications.controller';
import { RepairApplicationsRepository, RepairReadsRepository } from './repairs/repair-applications.repository';
import { RepairApplicationsService } from './repairs/repair-applications.service';

export const LIST_INGESTION = 'list-ingestion';

/**
 * list-ingestion: red/black list entries — publishing (one, batch, full push, imports), the lifecycle
 * and its history, objections, queries and the public list. Owns the `list_ingestion` schema.
 */
@Module({})
export class ListIngestionModule {
  static register(): DynamicModule {
    return {
      module: ListIngestionModule,
      imports: [
        serviceDatabase({
          name: LIST_INGESTION,
          schema: (config) => config.schemaOf('list-ingestion'),
          migrations: LIST_INGESTION_MIGRATIONS,
        }),
        MessagingModule.forService({ service: LIST_INGESTION, dataSource: LIST_INGESTION }),
        TokenRevocationModule.forService({ group: ConsumerGroups.ListIngestion, dataSource: LIST_INGESTION }),
        // Uploads go to disk as they arrive; the import job reads them as a stream.
        MulterModule.registerAsync({
          inject: [JrpConfig],
          useFactory: (config: JrpConfig) => {
            const destination = importsFolder(config.dataDir);
            mkdirSync(destination, { recursive: true });
            return {
              storage: diskStorage({ destination, filename: (_req, _file, done) => done(null, randomUUID()) }),
              limits: { fileSize: IMPORT_UPLOAD_LIMIT_BYTES, files: 1 },
            };
          },
        }),
      ],
      controllers: [
        PublishingController,
        ImportsController,
        LifecycleController,
        ListingDecisionController,
        ObjectionsController,
        RepairApplicationsController,
        PortalController,
        EntriesQueriesController,
        CatalogueHandler,
        CalendarCopyHandler,
      ],
      providers: [
        { provide: IDEMPOTENCY_DATA_SOURCE, useExisting: getDataSourceToken(LIST_INGESTION) },
        IdempotencyInterceptor,
        { provide: AuditSink, useClass: OutboxAuditSink },
        AuditRecorder,
        ListEntriesRepository,
        EntryHistoryRepository,
        EntriesQueriesRepository,
        ObjectionsRepository,
        ImportsRepository,
        CatalogueCopyRepository,
        EntryJournal,
        PublishingService,
        LifecycleService,
        ListingDecisionService,
        ObjectionsService,
        RepairApplicationsRepository,
        RepairReadsRepository,
        RepairApplicationsService,
        PortalService,
        EntriesQueries,
        ExpiryJob,
        ImportQueue,
        ImportsService,
        ImportErrorsRetentionJob,
        WorkingDays,
        ListTypes,
      ],
    };
  }
}
