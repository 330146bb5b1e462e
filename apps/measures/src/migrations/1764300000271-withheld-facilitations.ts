import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The facilitations (便利措施) a list type withholds while an entry is in force (不适用的便利措施, e.g.
 * 告知承诺), read by the counter check from the list type instead of a constant in code. A new
 * installation gets the column with the other rule-set columns (`addListTypeRuleColumns`) and the seed's
 * values; on an installation seeded before, the current catalogue's black list types get what the
 * counter answered until now (告知承诺 and 容缺受理), red ones none. Published versions keep their
 * documents: readers complete the missing field the same way (`listTypeRules`).
 */
export class WithheldFacilitations1764300000271 implements MigrationInterface {
  name = 'WithheldFacilitations1764300000271';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_types ADD COLUMN IF NOT EXISTS withheld_facilitations jsonb`);
    // as of this migration (the values of DEFAULT_WITHHELD_FACILITATIONS then), frozen here
    await q.query(
      `UPDATE list_types SET withheld_facilitations = CASE WHEN colour = 'black' THEN $1::jsonb ELSE '[]'::jsonb END
       WHERE withheld_facilitations IS NULL`,
      [
        JSON.stringify([
          {
            code: 'notify-commit',
            label: '不适用告知承诺制',
            basis: '国务院办公厅关于全面推行证明事项告知承诺制的指导意见（国办发〔2020〕42号）',
          },
          {
            code: 'tolerance-acceptance',
            label: '不适用容缺受理',
            basis: '国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见（国发〔2016〕33号）',
          },
        ]),
      ],
    );
    await q.query(`ALTER TABLE list_types ALTER COLUMN withheld_facilitations SET DEFAULT '[]'::jsonb`);
    await q.query(`ALTER TABLE list_types ALTER COLUMN withheld_facilitations SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_types DROP COLUMN withheld_facilitations`);
  }
}
