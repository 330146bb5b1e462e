import { MigrationInterface, QueryRunner } from 'typeorm';
import { redactIdNumbers } from '@jrp/crypto';
import { maskRejectedValues } from '../imports/rejected-row';

const BATCH = 1000;

/**
 * Rejected import rows were kept with their identity numbers in clear: they are masked now as new ones
 * are (`maskRejectedValues`: ID-number columns and ID-like cells, ID numbers inside texts), with the
 * reasons, the imports' file names and failure messages. Rows are read in key order, 1,000 at a time.
 */
export class RejectedRowsMasked1764300000171 implements MigrationInterface {
  name = 'RejectedRowsMasked1764300000171';

  async up(q: QueryRunner): Promise<void> {
    let after: [string, number] = ['00000000-0000-0000-0000-000000000000', -1];
    for (;;) {
      const rows = (await q.query(
        `SELECT import_id AS "importId", row, "values", reasons FROM import_errors
         WHERE (import_id, row) > ($1::uuid, $2::int) ORDER BY import_id, row LIMIT ${BATCH}`,
        after,
      )) as { importId: string; row: number; values: Record<string, string>; reasons: string[] }[];
      if (rows.length === 0) break;
      for (const r of rows) {
        const values = maskRejectedValues(r.values);
        const reasons = r.reasons.map(redactIdNumbers);
        if (JSON.stringify(values) === JSON.stringify(r.values) && reasons.every((x, i) => x === r.reasons[i]))
          continue;
        await q.query(`UPDATE import_errors SET "values" = $3::jsonb, reasons = $4 WHERE import_id = $1 AND row = $2`, [
          r.importId,
          r.row,
          JSON.stringify(values),
          reasons,
        ]);
      }
      const last = rows[rows.length - 1];
      after = [last.importId, last.row];
    }
    const imports = (await q.query(`SELECT id, original_name AS name, error FROM imports`)) as {
      id: string;
      name: string;
      error: string | null;
    }[];
    for (const i of imports) {
      const name = redactIdNumbers(i.name);
      const error = i.error === null ? null : redactIdNumbers(i.error);
      if (name !== i.name || error !== i.error)
        await q.query(`UPDATE imports SET original_name = $2, error = $3 WHERE id = $1`, [i.id, name, error]);
    }
  }

  async down(): Promise<void> {
    // what was masked cannot be unmasked
  }
}
