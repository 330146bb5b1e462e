import type { DataSource } from 'typeorm';
import { DatabaseRepository, Table } from '@jrp/database';

/** A row of `revoked_tokens`: a revocation a service learned, kept so a restart refuses the token at once. */
export interface RevokedTokenRow {
  tokenId: string;
  organization: string;
  revokedAt: string;
  expiresAt: string | null;
}

export const revokedTokens = new Table<RevokedTokenRow>('revoked_tokens', {
  tokenId: 'token_id',
  organization: 'organization',
  revokedAt: 'revoked_at',
  expiresAt: 'expires_at',
});

/** One service's revoked tokens. */
export class RevokedTokensRepository extends DatabaseRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  /** Records a revocation (once: a redelivered one changes nothing). */
  async add(row: RevokedTokenRow): Promise<void> {
    await this.insertRows(revokedTokens, [row], { onConflict: 'DO NOTHING' });
  }

  /** The ids of the revoked tokens that have not expired yet. */
  async unexpiredIds(): Promise<string[]> {
    const rows = await this.query<Pick<RevokedTokenRow, 'tokenId'>[]>(
      `SELECT ${revokedTokens.selectList(undefined, ['tokenId'])} FROM ${revokedTokens.name}
       WHERE expires_at IS NULL OR expires_at > now()`,
    );
    return rows.map((row) => row.tokenId);
  }
}
