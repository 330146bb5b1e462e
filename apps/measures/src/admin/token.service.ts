import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { ADMIN_ORGANIZATION, issueToken } from '@jrp/auth';
import { JrpConfig } from '@jrp/config';
import { eventIdOf, TokenEvents, TokenRevokedData } from '@jrp/contracts';
import { OutboxService } from '@jrp/messaging';
import { CatalogueRepository, OrganizationRow } from '../catalogue/catalogue.repository';
import { TokensRepository } from './tokens.repository';

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
    private readonly tokens: TokensRepository,
    private readonly outbox: OutboxService,
  ) {}

  /** A new token of the organisation, in the transaction open here (the caller audits it with the issue). */
  async issue(
    organizationCode: string,
    label?: string,
    expiresInDays = DEFAULT_TOKEN_DAYS,
  ): Promise<{ id: string; token: string; expiresAt: string }> {
    const org = await this.organizationOf(organizationCode);
    if (!this.config.tokenSigningKey) throw new Error('this process cannot issue tokens (no JRP_TOKEN_SIGNING_KEY)');
    const expiresAt = new Date(Date.now() + expiresInDays * 86400000);
    const { id, token, digest } = issueToken(this.config.tokenSigningKey, {
      organization: { code: org.code, name: org.name, level: org.level, region: org.region },
      roles: org.roles,
      label,
      expiresAt,
    });
    await this.tokens.insert({ id, organization: org.code, digest, label: label ?? null, expiresAt });
    return { id, token, expiresAt: expiresAt.toISOString() };
  }

  /** The tokens of one organisation, or of every organisation, oldest first. */
  async list(organizationCode?: string): Promise<TokenView[]> {
    if (organizationCode !== undefined) await this.organizationOf(organizationCode);
    const iso = (at: Date | null) => (at ? new Date(at).toISOString() : null);
    return (await this.tokens.list(organizationCode)).map((token) => ({
      id: token.id,
      organization: token.organization,
      label: token.label,
      createdAt: new Date(token.createdAt).toISOString(),
      expiresAt: iso(token.expiresAt),
      revokedAt: iso(token.revokedAt),
      lastUsedAt: iso(token.lastUsedAt),
    }));
  }

  /**
   * Revokes a token (of the organisation, when one is named) and announces it, so every service refuses it
   * within seconds. Revoking it again changes nothing: its first revocation stands, announced once.
   */
  async revoke(organizationCode: string | undefined, tokenId: string): Promise<TokenRevokedData> {
    const token = await this.tokens.revoke(tokenId, organizationCode);
    if (!token) throw new NotFoundException('no such token');
    const data: TokenRevokedData = {
      tokenId,
      organization: token.organization,
      revokedAt: new Date(token.revokedAt!).toISOString(),
      expiresAt: token.expiresAt ? new Date(token.expiresAt).toISOString() : null,
    };
    await this.outbox.append([
      { id: eventIdOf('token', tokenId, 1, TokenEvents.Revoked), type: TokenEvents.Revoked, key: tokenId, data },
    ]);
    return data;
  }

  /** The organisation a token is issued to: its catalogue row, or the system administrator. */
  private async organizationOf(code: string): Promise<TokenHolder> {
    const org = await this.catalogue.organization(code);
    if (org) return org;
    if (code === ADMIN_ORGANIZATION.code) return { ...ADMIN_ORGANIZATION, roles: ['admin'] };
    throw new NotFoundException(`no organisation ${code}`);
  }
}
