import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue.module';
import { CatalogueVersionsRepository } from './catalogue-versions.repository';
import { AuditModule } from '../../audit/audit.module';
import { MatchingModule } from '../../matching/matching.module';
import { MeasuresCoreModule } from '../../measures-core.module';
import { CatalogueVersionsController } from './catalogue-versions.controller';
import { CatalogueVersionsService } from './catalogue-versions.service';
import { RematchJob } from './rematch.job';

/** Catalogue versions: the draft, its publication, and the re-matching of entries in force that follows. */
@Module({
  imports: [MeasuresCoreModule, CatalogueModule, AuditModule, MatchingModule],
  controllers: [CatalogueVersionsController],
  providers: [CatalogueVersionsRepository, CatalogueVersionsService, RematchJob],
})
export class CatalogueVersionsModule {}
