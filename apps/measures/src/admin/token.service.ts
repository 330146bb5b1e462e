import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ADMIN_ORGANIZATION, issueToken } from '@jrp/auth';
import { JrpConfig } from '@jrp/config';
import { eventIdOf, TokenEvents, TokenRevokedData } from '@jrp/contracts';
import { OutboxService } from '@jrp/messaging';
import { CatalogueRepository, OrganizationRow } from '../catalogue/catalogue.repository';

export const DEFAULT_TOKEN_DAYS = 365;

type TokenHolder = Pick<OrganizationRow, 'code' | 'name' | 'level' | 'region' | 'roles'>;

export interface TokenView {
  id: string;
  organization: string;
  label: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/**
 * Issues and revokes bearer tokens for organisations. A token is returned once; only its id and
 * digest are kept. An organisation may hold several (one per system or person), so a token is rotated
 * by issuing the next and revoking the old one once its holder has switched. The system administrator
 * (JRP-ADMIN, no catalogue row) holds tokens too: admin tokens, issued like the others.
 */
@Injectable()
export class TokenService {
  constructor(
    @Inject(JrpConfig) private readonly config: JrpConfig,
    private readonly catalogue: CatalogueRepository,
  ) {}

  async issue(
    m: EntityManager,
    organizationCode: string,
    label?: string,
    expiresInDays = DEFAULT_TOKEN_DAYS,
  ): Promise<{ id: string; token: string; expiresAt: string }> {
    const org = await this.organizationOf(organizationCode, m);
    if (!this.config.tokenSigningKey) throw new Error('this process cannot issue tokens (no JRP_TOKEN_SIGNING_KEY)');
    const expiresAt = new Date(Date.now() + expiresInDays * 86400000);
    const { id, token, digest } = issueToken(this.config.tokenSigningKey, {
      organization: { code: org.code, name: org.name, level: org.level, region: org.region },
      roles: org.roles,
      label,
      expiresAt,
    });
    await m.query(`INSERT INTO tokens (id, organization_code, digest, label, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
      id,
      org.code,
      digest,
      label ?? null,
      expiresAt,
    ]);
    return { id, token, expiresAt: expiresAt.toISOString() };
  }

  /** The tokens of one organisation, or of every organisation, oldest first. */
  async list(m: EntityManager, organizationCode?: string): Promise<TokenView[]> {
    if (organizationCode !== undefined) await this.organizationOf(organizationCode, m);
    return m.query(
      `SELECT id, organization_code AS organization, label, created_at AS "createdAt", expires_at AS "expiresAt",
              revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"
       FROM tokens WHERE $1::text IS NULL OR organization_code = $1 ORDER BY created_at, id`,
      [organizationCode ?? null],
    );
  }

  /**
   * Revokes a token (of the organisation, when one is named) and announces it, so every service refuses it
   * within seconds. Revoking it again changes nothing: its first revocation stands, announced once.
   */
  async revoke(
    m: EntityManager,
    outbox: OutboxService,
    organizationCode: string | undefined,
    tokenId: string,
  ): Promise<TokenRevokedData> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count]
    const [[token]] = await m.query<
      [Array<{ organization_code: string; revoked_at: Date; expires_at: Date | null }>, number]
    >(
      `UPDATE tokens SET revoked_at = COALESCE(revoked_at, now())
       WHERE id = $1 AND ($2::text IS NULL OR organization_code = $2) RETURNING organization_code, revoked_at, expires_at`,
      [tokenId, organizationCode ?? null],
    );
    if (!token) throw new NotFoundException('no such token');
    const data: TokenRevokedData = {
      tokenId,
      organization: token.organization_code,
      revokedAt: new Date(token.revoked_at).toISOString(),
      expiresAt: token.expires_at ? new Date(token.expires_at).toISOString() : null,
    };
    await outbox.append(m, [
      { id: eventIdOf('token', tokenId, 1, TokenEvents.Revoked), type: TokenEvents.Revoked, key: tokenId, data },
    ]);
    return data;
  }

  /** The organisation a token is issued to: its catalogue row, or the system administrator. */
  private async organizationOf(code: string, m: EntityManager): Promise<TokenHolder> {
    const org = await this.catalogue.organization(code, m);
    if (org) return org;
    if (code === ADMIN_ORGANIZATION.code) return { ...ADMIN_ORGANIZATION, roles: ['admin'] };
    throw new NotFoundException(`no organisation ${code}`);
  }
}
