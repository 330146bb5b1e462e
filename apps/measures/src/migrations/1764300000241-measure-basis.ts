import { MigrationInterface, QueryRunner } from 'typeorm';
import { LEGACY_PENDING_REASON } from '../catalogue/versions/measure-basis';

/**
 * A measure's basis (依据) and source (来源), issue 19 part 1: structured basis items, the source
 * (memorandum, national base list item, catalogue level) and whether the basis is pending (待核对). The
 * columns are added before the seed catalogue is written (`SeedCatalogue1764300000003` calls
 * {@link addMeasureBasisColumns} first, so a new installation's version 1 carries the seed's bases); on an
 * installation seeded before, this migration adds them and sets, on the live catalogue, what readers
 * complete for documents of that time (`completeLegacyBasis`): the memorandum as source, and every
 * punishment `basisPending`, its free-text `legal_basis` never having been sorted by kind. Published
 * versions are immutable and keep their documents. The office confirms bases by publishing a version.
 */
export async function addMeasureBasisColumns(q: QueryRunner): Promise<void> {
  await q.query(`
    ALTER TABLE measures
      ADD COLUMN IF NOT EXISTS basis jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN IF NOT EXISTS source jsonb,
      ADD COLUMN IF NOT EXISTS basis_pending boolean NOT NULL DEFAULT false,
      ADD COLUMN IF NOT EXISTS basis_pending_reason text`);
}

export class MeasureBasis1764300000241 implements MigrationInterface {
  name = 'MeasureBasis1764300000241';

  async up(q: QueryRunner): Promise<void> {
    await addMeasureBasisColumns(q);
    await q.query(
      `UPDATE measures SET source = jsonb_build_object('memorandum', memorandum, 'baseList', NULL,
                'catalogue', CASE WHEN scope_region IS NULL THEN 'provincial' ELSE 'city' END),
              basis_pending = (kind = 'punishment'),
              basis_pending_reason = CASE WHEN kind = 'punishment' THEN $1 END
       WHERE source IS NULL`,
      [LEGACY_PENDING_REASON],
    );
    await q.query(`ALTER TABLE measures ALTER COLUMN source SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE measures DROP COLUMN basis, DROP COLUMN source, DROP COLUMN basis_pending, DROP COLUMN basis_pending_reason`,
    );
  }
}
