import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { CatalogueEvents, CataloguePublishedData, ConsumerGroups, OrganizationChangedData } from '@jrp/contracts';
import { ConsumerContext, ConsumesEvents } from '@jrp/messaging';

/** Keeps list-ingestion's copy of the list types and organisations it validates against. */
@Controller()
export class CatalogueHandler {
  @ConsumesEvents(CatalogueEvents.Published, ConsumerGroups.ListIngestion)
  async onPublished(@Payload() data: CataloguePublishedData, @Ctx() { manager: m }: ConsumerContext): Promise<void> {
    const [state] = await m.query<{ version: number }[]>(`SELECT version FROM catalogue_state WHERE id = 1 FOR UPDATE`);
    if (state && state.version >= data.version) return;
    await m.query(`DELETE FROM known_list_types`);
    for (const l of data.listTypes) {
      await m.query(
        `INSERT INTO known_list_types (code, name, colour, identifying_organization, subject_kinds, repairable, default_validity_days, catalogue_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          l.code,
          l.name,
          l.colour,
          l.identifyingOrganization,
          l.subjectKinds,
          l.repairable,
          l.defaultValidityDays ?? null,
          data.version,
        ],
      );
    }
    for (const o of data.organizations) await this.upsertOrganization(m, o);
    await m.query(
      `INSERT INTO catalogue_state (id, version) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET version = $1`,
      [data.version],
    );
  }

  @ConsumesEvents(CatalogueEvents.OrganizationChanged, ConsumerGroups.ListIngestion)
  async onOrganizationChanged(
    @Payload() data: OrganizationChangedData,
    @Ctx() { manager }: ConsumerContext,
  ): Promise<void> {
    await this.upsertOrganization(manager, data.organization);
  }

  private async upsertOrganization(
    m: ConsumerContext['manager'],
    o: OrganizationChangedData['organization'],
  ): Promise<void> {
    await m.query(
      `INSERT INTO known_organizations (code, name, level, region, roles) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (code) DO UPDATE SET name = $2, level = $3, region = $4, roles = $5`,
      [o.code, o.name, o.level, o.region, o.roles],
    );
  }
}
