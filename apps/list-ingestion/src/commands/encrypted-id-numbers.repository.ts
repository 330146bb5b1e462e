import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository } from '@jrp/database';
import { Entry } from '../entries/entry';
import { listEntries } from '../entries/list-entries.repository';

/** The properties of an entry that hold an encrypted ID number. */
export type EncryptedIdNumber = 'subjectIdNumberEncrypted' | 'legalRepIdNumberEncrypted';

export type EncryptedIdNumbers = Pick<Entry, 'id' | EncryptedIdNumber>;

const SELECTED = (['id', 'subjectIdNumberEncrypted', 'legalRepIdNumberEncrypted'] as const)
  .map((key) => `${listEntries.column(key)} AS "${key}"`)
  .join(', ');

/** The encrypted ID numbers of list_entries, read and rewritten in id order for a key rotation. */
@Injectable()
export class EncryptedIdNumbersRepository extends DatabaseRepository {
  constructor(@InjectDataSource('list-ingestion') dataSource: DataSource) {
    super(dataSource);
  }

  /** The next `limit` entries after the id `after`, with their encrypted ID numbers. */
  after(after: string, limit: number): Promise<EncryptedIdNumbers[]> {
    return this.query<EncryptedIdNumbers[]>(`SELECT ${SELECTED} FROM list_entries WHERE id > $1 ORDER BY id LIMIT $2`, [
      after,
      limit,
    ]);
  }

  /** Replaces an ID number's ciphertext, unless it changed since it was read. */
  async replace(id: string, key: EncryptedIdNumber, read: string, replacement: string): Promise<void> {
    const column = listEntries.column(key);
    await this.query(`UPDATE list_entries SET ${column} = $2 WHERE id = $1 AND ${column} = $3`, [
      id,
      replacement,
      read,
    ]);
  }
}
