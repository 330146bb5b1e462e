import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CatalogueEvents, CataloguePublishedData, ConsumerGroups, OrganizationChangedData } from '@jrp/contracts';
import { ConsumesEvents } from '@jrp/messaging';
import { CatalogueCopyRepository } from './catalogue-copy.repository';
import { ListTypes } from './list-types';

/**
 * Keeps list-ingestion's copy of the list types and organisations it validates against. Each event is
 * handled in the consumer's inbox transaction, which the repository joins.
 */
@Controller()
export class CatalogueHandler {
  constructor(
    private readonly copy: CatalogueCopyRepository,
    private readonly listTypes: ListTypes,
  ) {}

  @ConsumesEvents(CatalogueEvents.Published, ConsumerGroups.ListIngestion)
  async onPublished(@Payload() data: CataloguePublishedData): Promise<void> {
    const version = await this.copy.lockVersion();
    if (version !== undefined && version >= data.version) return;
    await this.copy.replaceListTypes(data.listTypes, data.version);
    await this.copy.replaceMeasures(data.measures ?? []);
    for (const o of data.organizations) await this.copy.upsertOrganization(o);
    await this.copy.setVersion(data.version);
    this.listTypes.dropAfterCommit();
  }

  @ConsumesEvents(CatalogueEvents.OrganizationChanged, ConsumerGroups.ListIngestion)
  async onOrganizationChanged(@Payload() data: OrganizationChangedData): Promise<void> {
    await this.copy.upsertOrganization(data.organization);
  }
}
