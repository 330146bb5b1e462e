import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 法定代表人: the keyed hash (PersonalData.subjectKey('natural', …)) of each entry's legal representative's
 * ID number, so a counter check by a natural person's identifier also finds the legal subjects the person
 * represents. Never the number itself. Filled as entries' states are written (a list-entry change);
 * entries stored before this column get it at their next change.
 */
export class RepresentativeKey1764300000261 implements MigrationInterface {
  name = 'RepresentativeKey1764300000261';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE entry_states ADD COLUMN representative_key text`);
    await q.query(
      `CREATE INDEX entry_states_representative_key ON entry_states (representative_key) WHERE representative_key IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX entry_states_representative_key`);
    await q.query(`ALTER TABLE entry_states DROP COLUMN representative_key`);
  }
}
