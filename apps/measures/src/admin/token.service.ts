import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { issueToken } from '@jrp/auth';
import { JrpConfig } from '@jrp/config';
import { eventIdOf, TokenEvents, TokenRevokedData } from '@jrp/contracts';
import { OutboxService } from '@jrp/messaging';
import { CatalogueRepository } from '../catalogue/catalogue.repository';

export const DEFAULT_TOKEN_DAYS = 365;

export interface TokenView {
  id: string;
  label: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/**
 * Issues and revokes bearer tokens for organisations. A token is returned once; only its id and
 * digest are kept. An organisation may hold several (one per system or person), so a token is rotated
 * by issuing the next and revoking the old one once its holder has switched.
 */
@Injectable()
export class TokenService {
  constructor(
    @Inject(JrpConfig) private readonly config: JrpConfig,
    private readonly catalogue: CatalogueRepository,
  ) {}

  async issue(m: EntityManager, organizationCode: string, label?: string, expiresInDays = DEFAULT_TOKEN_DAYS): Promise<{ id: string; token: string; expiresAt: string }> {
    const org = await this.catalogue.organization(organizationCode, m);
    if (!org) throw new NotFoundException(`no organisation ${organizationCode}`);
    if (!this.config.tokenSigningKey) throw new Error('this process cannot issue tokens (no JRP_TOKEN_SIGNING_KEY)');
    const expiresAt = new Date(Date.now() + expiresInDays * 86400000);
    const { id, token, digest } = issueToken(this.config.tokenSigningKey, {
      organization: { code: org.code, name: org.name, level: org.level, region: org.region },
      roles: org.roles,
      label,
      expiresAt,
    });
    await m.query(`INSERT INTO tokens (id, organization_code, digest, label, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
      id, org.code, digest, label ?? null, expiresAt,
    ]);
    return { id, token, expiresAt: expiresAt.toISOString() };
  }

  async list(m: EntityManager, organizationCode: string): Promise<TokenView[]> {
    if (!(await this.catalogue.organization(organizationCode, m))) throw new NotFoundException(`no organisation ${organizationCode}`);
    return m.query(
      `SELECT id, label, created_at AS "createdAt", expires_at AS "expiresAt", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"
       FROM tokens WHERE organization_code = $1 ORDER BY created_at, id`,
      [organizationCode],
    );
  }

  /** Revokes a token of the organisation and announces it, so every service refuses it within seconds. */
  async revoke(m: EntityManager, outbox: OutboxService, organizationCode: string, tokenId: string): Promise<void> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count]
    const [[token]] = await m.query(
      `UPDATE tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 AND organization_code = $2
       RETURNING revoked_at, expires_at`,
      [tokenId, organizationCode],
    );
    if (!token) throw new NotFoundException('no such token');
    const data: TokenRevokedData = {
      tokenId,
      organization: organizationCode,
      revokedAt: new Date(token.revoked_at).toISOString(),
      expiresAt: token.expires_at ? new Date(token.expires_at).toISOString() : null,
    };
    await outbox.append(m, [{ id: eventIdOf('token', tokenId, 1, TokenEvents.Revoked), type: TokenEvents.Revoked, key: tokenId, data }]);
  }
}
