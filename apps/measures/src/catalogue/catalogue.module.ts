import { Module } from '@nestjs/common';
import { MeasuresCoreModule } from '../measures-core.module';
import { CatalogueController } from './catalogue.controller';
import { CatalogueQueriesService } from './catalogue-queries.service';
import { CatalogueRepository } from './catalogue.repository';

/** The provincial measure catalogue (措施清单) as published: its reads, and the repository matching uses. */
@Module({
  imports: [MeasuresCoreModule],
  controllers: [CatalogueController],
  providers: [CatalogueRepository, CatalogueQueriesService],
  exports: [CatalogueRepository],
})
export class CatalogueModule {}
