import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EntityManager } from 'typeorm';
import {
  CatalogueEvents,
  CataloguePublishedData,
  ConsumerGroups,
  OrganizationChangedData,
  OrganizationData,
} from '@jrp/contracts';
import { ConsumerContext, ConsumesEvents } from '@jrp/messaging';

/**
 * Keeps what the reports need of the catalogue: list types (name, colour), organisations (name, level,
 * city), memoranda, and which memorandum each measure comes from.
 */
@Controller()
export class CatalogueHandler {
  @ConsumesEvents(CatalogueEvents.Published, ConsumerGroups.Feedback)
  async onPublished(@Payload() data: CataloguePublishedData, @Ctx() { manager: m }: ConsumerContext): Promise<void> {
    const [state] = await m.query<{ version: number }[]>(`SELECT version FROM catalogue_state WHERE id = 1 FOR UPDATE`);
    if (state && state.version >= data.version) return;
    for (const l of data.listTypes) {
      await m.query(
        `INSERT INTO known_list_types (code, name, colour) VALUES ($1, $2, $3) ON CONFLICT (code) DO UPDATE SET name = $2, colour = $3`,
        [l.code, l.name, l.colour],
      );
    }
    for (const o of data.organizations) await this.upsertOrganization(m, o);
    for (const x of data.memoranda ?? []) {
      await m.query(
        `INSERT INTO known_memoranda (code, name) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET name = $2`,
        [x.code, x.name],
      );
    }
    if (data.measures?.length) {
      await m.query(
        `INSERT INTO known_measures (code, memorandum) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (code) DO UPDATE SET memorandum = EXCLUDED.memorandum`,
        [data.measures.map((x) => x.code), data.measures.map((x) => x.memorandum)],
      );
    }
    await m.query(
      `INSERT INTO catalogue_state (id, version) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET version = $1`,
      [data.version],
    );
  }

  @ConsumesEvents(CatalogueEvents.OrganizationChanged, ConsumerGroups.Feedback)
  async onOrganizationChanged(
    @Payload() data: OrganizationChangedData,
    @Ctx() { manager }: ConsumerContext,
  ): Promise<void> {
    await this.upsertOrganization(manager, data.organization);
  }

  private async upsertOrganization(m: EntityManager, o: OrganizationData): Promise<void> {
    await m.query(
      `INSERT INTO known_organizations (code, name, level, region) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO UPDATE SET name = $2, level = $3, region = $4`,
      [o.code, o.name, o.level, o.region],
    );
  }
}
