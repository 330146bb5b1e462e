import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository, Table } from '@jrp/database';

/** A bearer token as kept: its id and digest, never the token itself. */
export interface TokenRow {
  id: string;
  organization: string;
  digest: string;
  label: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export const tokens = new Table<TokenRow>('tokens', {
  id: 'id',
  organization: 'organization_code',
  digest: 'digest',
  label: 'label',
  createdAt: { column: 'created_at', generated: true },
  expiresAt: 'expires_at',
  revokedAt: { column: 'revoked_at', generated: true },
  lastUsedAt: { column: 'last_used_at', generated: true },
});

/** What a token's listing shows: everything but its digest. */
const LISTED = (['id', 'organization', 'label', 'createdAt', 'expiresAt', 'revokedAt', 'lastUsedAt'] as const)
  .map((key) => `${tokens.column(key)} AS "${key}"`)
  .join(', ');

/** The tokens issued to organisations (and to the system administrator). */
@Injectable()
export class TokensRepository extends DatabaseRepository {
  constructor(@InjectDataSource('measures') dataSource: DataSource) {
    super(dataSource);
  }

  async insert(token: Pick<TokenRow, 'id' | 'organization' | 'digest' | 'label' | 'expiresAt'>): Promise<void> {
    // created_at is the database's; a new token is neither revoked nor used
    await this.insertRows(tokens, [token as TokenRow]);
  }

  /** The tokens of one organisation, or of every organisation, oldest first. */
  list(organization?: string): Promise<Omit<TokenRow, 'digest'>[]> {
    return this.query<Omit<TokenRow, 'digest'>[]>(
      `SELECT ${LISTED} FROM tokens WHERE $1::text IS NULL OR organization_code = $1 ORDER BY created_at, id`,
      [organization ?? null],
    );
  }

  /** Revokes a token (of the organisation, when one is named); its first revocation stands. Undefined: no such token. */
  async revoke(
    id: string,
    organization?: string,
  ): Promise<Pick<TokenRow, 'organization' | 'revokedAt' | 'expiresAt'> | undefined> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count]
    const [[token]] = await this.query<[Pick<TokenRow, 'organization' | 'revokedAt' | 'expiresAt'>[], number]>(
      `UPDATE tokens SET revoked_at = COALESCE(revoked_at, now())
       WHERE id = $1 AND ($2::text IS NULL OR organization_code = $2)
       RETURNING organization_code AS organization, revoked_at AS "revokedAt", expires_at AS "expiresAt"`,
      [id, organization ?? null],
    );
    return token;
  }

  /** Keeps a token's latest use, whichever service reports it first. */
  async recordUse(id: string, lastUsedAt: string): Promise<void> {
    await this.query(`UPDATE tokens SET last_used_at = GREATEST(COALESCE(last_used_at, $2), $2) WHERE id = $1`, [
      id,
      lastUsedAt,
    ]);
  }
}
