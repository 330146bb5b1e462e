import { DataSource } from 'typeorm';
import { ID_NUMBER_CONTEXT } from '@jrp/contracts';
import { PersonalData } from '@jrp/crypto';
import { inTransaction } from '@jrp/database';
import { EncryptedIdNumber, EncryptedIdNumbersRepository } from './encrypted-id-numbers.repository';

const ENCRYPTED: { key: EncryptedIdNumber; context: string }[] = [
  { key: 'subjectIdNumberEncrypted', context: ID_NUMBER_CONTEXT.subject },
  { key: 'legalRepIdNumberEncrypted', context: ID_NUMBER_CONTEXT.legalRepresentative },
];

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
  const idNumbers = new EncryptedIdNumbersRepository(dataSource);
  let rotated = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await idNumbers.after(after, batchSize);
    if (rows.length === 0) return rotated;
    after = rows[rows.length - 1].id;
    await inTransaction(dataSource, async () => {
      for (const row of rows) {
        for (const { key, context } of ENCRYPTED) {
          const value = row[key];
          if (!value || !personalData.needsRotation(value)) continue;
          await idNumbers.replace(row.id, key, value, personalData.rotate(value, context));
          rotated++;
        }
      }
    });
  }
}
