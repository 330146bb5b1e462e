import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notice before listing (告知 / 陈述申辩, 国办发〔2020〕49号) on `notice-first` list types: entries may be
 * `noticed` (拟列入) or `withdrawn` (已撤回); a noticed entry has the last day of its statement period, the
 * notice served (告知书: date and number), the subject's statement and, once decided, the decision. The
 * copy of the catalogue gets the measures' texts, which the listing decision document (列入决定书) states;
 * the copy stored now has none until the next `jrp.catalogue.published` (a new catalogue version) fills it.
 */
export class NoticeBeforeListing1764300000201 implements MigrationInterface {
  name = 'NoticeBeforeListing1764300000201';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_entries DROP CONSTRAINT list_entries_status_check`);
    await q.query(`
      ALTER TABLE list_entries
        ADD CONSTRAINT list_entries_status_check
          CHECK (status IN ('active', 'watch', 'removed', 'expired', 'noticed', 'withdrawn')),
        ADD COLUMN statement_deadline date,
        ADD COLUMN notice jsonb,
        ADD COLUMN statement jsonb,
        ADD COLUMN decision jsonb`);
    await q.query(`CREATE INDEX list_entries_noticed ON list_entries (statement_deadline) WHERE status = 'noticed'`);
    await q.query(`
      CREATE TABLE known_measures (
        code text PRIMARY KEY,
        list_type text NOT NULL,
        text text NOT NULL,
        kind text NOT NULL,
        implementing_organizations text[] NOT NULL DEFAULT '{}',
        scope_region char(6)
      )`);
    await q.query(`CREATE INDEX known_measures_list_type ON known_measures (list_type)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE known_measures`);
    await q.query(`DROP INDEX list_entries_noticed`);
    await q.query(
      `ALTER TABLE list_entries DROP COLUMN statement_deadline, DROP COLUMN notice, DROP COLUMN statement, DROP COLUMN decision`,
    );
    await q.query(`ALTER TABLE list_entries DROP CONSTRAINT list_entries_status_check`);
    await q.query(
      `ALTER TABLE list_entries ADD CONSTRAINT list_entries_status_check CHECK (status IN ('active', 'watch', 'removed', 'expired'))`,
    );
  }
}
