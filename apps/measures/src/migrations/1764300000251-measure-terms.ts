import { MigrationInterface, QueryRunner } from 'typeorm';

/** The measures' term columns (the seed's migration adds them first: it writes today's catalogue columns). */
export async function addMeasureTermColumns(q: QueryRunner): Promise<void> {
  await q.query(`ALTER TABLE measures
    ADD COLUMN IF NOT EXISTS term_months int CHECK (term_months BETWEEN 1 AND 1200),
    ADD COLUMN IF NOT EXISTS term_from text CHECK (term_from IN ('listing', 'decision'))`);
}

/**
 * A measure's term (措施期限): `term_months` counted from the listing or the decision date (`term_from`); null:
 * until the entry leaves the list. Tasks carry each measure's last day (`applyUntil` in their measures);
 * `task_term_ends_on` is a standing task's earliest, indexed so the daily term job finds the tasks whose
 * terms ran out without reading every task. ISO dates compare as text, so the function is immutable.
 */
export class MeasureTerms1764300000251 implements MigrationInterface {
  name = 'MeasureTerms1764300000251';

  async up(q: QueryRunner): Promise<void> {
    await addMeasureTermColumns(q);
    await q.query(`
      CREATE FUNCTION task_term_ends_on(measures jsonb) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT min(m->>'applyUntil' COLLATE "C") FROM jsonb_array_elements(measures) m $$`);
    await q.query(`CREATE INDEX tasks_term_ends_on ON tasks (task_term_ends_on(measures)) WHERE status <> 'revoked'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tasks_term_ends_on`);
    await q.query(`DROP FUNCTION task_term_ends_on(jsonb)`);
    await q.query(`ALTER TABLE measures DROP COLUMN term_from, DROP COLUMN term_months`);
  }
}
