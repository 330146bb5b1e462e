import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credit repair on application (信用修复申请, 信用修复管理办法 2025): the applications, one pending per
 * entry, decided by the department that made the finding (谁认定谁修复) or the office within the list
 * type's `repairDecisionWorkingDays` (the copy of the list types gets the column; 10 until the next
 * catalogue arrives). No identifier of the applicant is stored: a portal filing is matched against the
 * entry's subject key and document number and only the portal's organisation is kept.
 */
export class RepairApplications1764300000211 implements MigrationInterface {
  name = 'RepairApplications1764300000211';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE known_list_types ADD COLUMN repair_decision_working_days int NOT NULL DEFAULT 10`);
    await q.query(`
      CREATE TABLE repair_applications (
        id uuid PRIMARY KEY,
        entry_id uuid NOT NULL REFERENCES list_entries (id),
        evidence text NOT NULL,
        commitment text NOT NULL,
        filed_on date NOT NULL,
        filed_at timestamptz NOT NULL DEFAULT now(),
        filed_by text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('counter', 'portal')),
        deciding_organization text NOT NULL,
        deadline date NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
        decided_at timestamptz,
        decided_by text,
        decision_reason text
      )`);
    await q.query(
      `CREATE UNIQUE INDEX repair_applications_one_pending ON repair_applications (entry_id) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX repair_applications_queue ON repair_applications (status, filed_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE repair_applications`);
    await q.query(`ALTER TABLE known_list_types DROP COLUMN repair_decision_working_days`);
  }
}
