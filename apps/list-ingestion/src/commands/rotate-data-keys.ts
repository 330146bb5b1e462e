import { DataSource } from 'typeorm';
import { ID_NUMBER_CONTEXT } from '@jrp/contracts';
import { EncryptedColumn, reencryptColumns, Reencryption } from '@jrp/database';
import { listEntries } from '../entries/list-entries.repository';

/**
 * Every column of list-ingestion's schema that holds ciphertexts of the data keys: the ID numbers of
 * list entries (the subject's and the legal representative's). `npm run rotate-data-keys` re-encrypts them.
 */
export const LIST_INGESTION_ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  {
    table: 'list_entries',
    key: 'id',
    keyType: 'uuid',
    column: listEntries.column('subjectIdNumberEncrypted'),
    context: () => ID_NUMBER_CONTEXT.subject,
  },
  {
    table: 'list_entries',
    key: 'id',
    keyType: 'uuid',
    column: listEntries.column('legalRepIdNumberEncrypted'),
    context: () => ID_NUMBER_CONTEXT.legalRepresentative,
  },
];

/**
 * Re-encrypts list-ingestion's stored ID numbers that are not under the current data key (the first of
 * JRP_DATA_KEYS) and cipher, in batches, each in its own transaction; answers how many. Run (through
 * `npm run rotate-data-keys`) after putting a new key first; see docs/security.md.
 */
export async function rotateDataKeys(dataSource: DataSource, cipher: Reencryption, batchSize = 500): Promise<number> {
  const done = await reencryptColumns(dataSource, LIST_INGESTION_ENCRYPTED_COLUMNS, cipher, batchSize);
  return done.reduce((sum, c) => sum + c.rotated, 0);
}
