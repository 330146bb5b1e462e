import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CatalogueEvents, CataloguePublishedData, ConsumerGroups, OrganizationChangedData } from '@jrp/contracts';
import { ConsumesEvents } from '@jrp/messaging';
import { CatalogueCopyRepository } from './catalogue-copy.repository';

/**
 * Keeps what the reports need of the catalogue: list types (name, colour), organisations (name, level,
 * city), memoranda, and which memorandum each measure comes from. Runs in the consumer's transaction.
 */
@Controller()
export class CatalogueHandler {
  constructor(private readonly catalogue: CatalogueCopyRepository) {}

  @ConsumesEvents(CatalogueEvents.Published, ConsumerGroups.Feedback)
  async onPublished(@Payload() data: CataloguePublishedData): Promise<void> {
    const version = await this.catalogue.lockVersion();
    if (version !== undefined && version >= data.version) return;
    await this.catalogue.saveListTypes(data.listTypes.map((l) => ({ code: l.code, name: l.name, colour: l.colour })));
    for (const o of data.organizations)
      await this.catalogue.saveOrganization({ code: o.code, name: o.name, level: o.level, region: o.region });
    await this.catalogue.saveMemoranda((data.memoranda ?? []).map((x) => ({ code: x.code, name: x.name })));
    await this.catalogue.saveMeasures((data.measures ?? []).map((x) => ({ code: x.code, memorandum: x.memorandum })));
    await this.catalogue.saveVersion(data.version);
  }

  @ConsumesEvents(CatalogueEvents.OrganizationChanged, ConsumerGroups.Feedback)
  async onOrganizationChanged(@Payload() data: OrganizationChangedData): Promise<void> {
    const o = data.organization;
    await this.catalogue.saveOrganization({ code: o.code, name: o.name, level: o.level, region: o.region });
  }
}
