import { MigrationInterface, QueryRunner } from 'typeorm';
import { OutboxService } from '@jrp/messaging';
import { seedCatalogue } from '../catalogue/seed/seed-catalogue';

/** Seeds the provincial catalogue and announces it (jrp.catalogue.published) through the outbox. */
export class SeedCatalogue1764300000003 implements MigrationInterface {
  name = 'SeedCatalogue1764300000003';

  async up(q: QueryRunner): Promise<void> {
    await seedCatalogue(q.manager, new OutboxService('/jrp/measures'));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'catalogue_versions',
      'measure_implementers',
      'measures',
      'list_types',
      'memoranda',
      'organizations',
    ]) {
      await q.query(`DELETE FROM ${t}`);
    }
  }
}
