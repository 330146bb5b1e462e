import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { issueToken } from '@jrp/auth';
import { JrpConfig } from '@jrp/config';
import { CatalogueRepository } from '../catalogue/catalogue.repository';

/** Issues bearer tokens for organisations. The token is returned once; only its digest is kept. */
@Injectable()
export class TokenService {
  constructor(
    @Inject(JrpConfig) private readonly config: JrpConfig,
    private readonly catalogue: CatalogueRepository,
  ) {}

  async issue(m: EntityManager, organizationCode: string, label?: string): Promise<{ id: string; token: string }> {
    const org = await this.catalogue.organization(organizationCode, m);
    if (!org) throw new NotFoundException(`no organisation ${organizationCode}`);
    if (!this.config.tokenSigningKey) throw new Error('this process cannot issue tokens (no JRP_TOKEN_SIGNING_KEY)');
    const { id, token, digest } = issueToken(this.config.tokenSigningKey, {
      organization: { code: org.code, name: org.name, level: org.level, region: org.region },
      roles: org.roles,
      label,
    });
    await m.query(`INSERT INTO tokens (id, organization_code, digest, label) VALUES ($1, $2, $3, $4)`, [id, org.code, digest, label ?? null]);
    return { id, token };
  }
}
