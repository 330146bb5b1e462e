import type { DataSource } from 'typeorm';
import { currentManager, inTransaction } from './transactions';

/** A text column of a service's table that holds ciphertexts of the data keys (JRP_DATA_KEYS). */
export interface EncryptedColumn {
  table: string;
  /** The table's primary key (one column) and its type: rows are read in its order, through its index. */
  key: string;
  keyType: 'uuid' | 'text' | 'bigint';
  column: string;
  /** The context each ciphertext is bound to (`FieldCipher`), from its row's key. */
  context: (key: string) => string;
}

/** What re-encrypts a ciphertext under the current data key (`FieldCipher`, `PersonalData`). */
export interface Reencryption {
  needsRotation(ciphertext: string): boolean;
  rotate(ciphertext: string, context: string): string;
}

const quoted = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * Re-encrypts the values of `columns` that are not under the current data key and cipher, `batchSize`
 * rows a transaction, each value replaced only if it did not change since it was read (a concurrent
 * write wins). Answers how many values each column had re-encrypted, in the order given.
 */
export async function reencryptColumns(
  dataSource: DataSource,
  columns: readonly EncryptedColumn[],
  cipher: Reencryption,
  batchSize = 500,
): Promise<{ table: string; column: string; rotated: number }[]> {
  const done: { table: string; column: string; rotated: number }[] = [];
  for (const c of columns) {
    const [table, key, column] = [quoted(c.table), quoted(c.key), quoted(c.column)];
    let rotated = 0;
    let after: string | null = null;
    for (;;) {
      const rows: { key: string; value: string }[] = await dataSource.query(
        `SELECT ${key}::text AS key, ${column} AS value FROM ${table}
         WHERE ($1::${c.keyType} IS NULL OR ${key} > $1::${c.keyType}) AND ${column} IS NOT NULL ORDER BY ${key} LIMIT $2`,
        [after, batchSize],
      );
      if (rows.length === 0) break;
      after = rows[rows.length - 1].key;
      rotated += await inTransaction(dataSource, async () => {
        let n = 0;
        for (const row of rows) {
          if (!cipher.needsRotation(row.value)) continue;
          await currentManager(dataSource).query(
            `UPDATE ${table} SET ${column} = $2 WHERE ${key} = $1::${c.keyType} AND ${column} = $3`,
            [row.key, cipher.rotate(row.value, c.context(row.key)), row.value],
          );
          n++;
        }
        return n;
      });
    }
    done.push({ table: c.table, column: c.column, rotated });
  }
  return done;
}
