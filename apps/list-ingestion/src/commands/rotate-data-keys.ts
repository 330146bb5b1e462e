import { DataSource } from 'typeorm';
import { ID_NUMBER_CONTEXT } from '@jrp/contracts';
import { PersonalData } from '@jrp/crypto';

const COLUMNS = [
  { column: 'subject_id_number_encrypted', context: ID_NUMBER_CONTEXT.subject },
  { column: 'legal_rep_id_number_encrypted', context: ID_NUMBER_CONTEXT.legalRepresentative },
] as const;

/**
 * Re-encrypts the stored ID numbers that are not under the current data key (the first of
 * JRP_DATA_KEYS), in batches, each in its own transaction. Run after putting a new key first; remove
 * the old key once this reports nothing left and the topics hold no older events.
 */
export async function rotateDataKeys(
  dataSource: DataSource,
  personalData: PersonalData,
  batchSize = 500,
): Promise<number> {
  let rotated = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows: Record<string, string | null>[] = await dataSource.query(
      `SELECT id, ${COLUMNS.map((c) => c.column).join(', ')} FROM list_entries WHERE id > $1 ORDER BY id LIMIT $2`,
      [after, batchSize],
    );
    if (rows.length === 0) return rotated;
    after = rows[rows.length - 1].id!;
    await dataSource.transaction(async (m) => {
      for (const row of rows) {
        for (const { column, context } of COLUMNS) {
          const value = row[column];
          if (!value || !personalData.needsRotation(value)) continue;
          await m.query(`UPDATE list_entries SET ${column} = $2 WHERE id = $1 AND ${column} = $3`, [
            row.id,
            personalData.rotate(value, context),
            value,
          ]);
          rotated++;
        }
      }
    });
  }
}
