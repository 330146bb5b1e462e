import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { issueToken, ADMIN_ORGANIZATION } from '@jrp/auth';
import { JrpConfig } from '@jrp/config';
import { listOrganizations } from '../catalogue/catalogue.repository';
import { DEFAULT_TOKEN_DAYS, TokenService } from '../admin/token.service';

export interface DemoToken {
  name: string;
  roles: string[];
  token: string;
}

/**
 * First start of the one-process demo: one token per seeded organisation, and one admin token,
 * written to `JRP_DATA_DIR/demo-tokens.json` (readable by its owner only). Later starts keep the file.
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger('Demo');

  constructor(
    @Inject(JrpConfig) private readonly config: JrpConfig,
    @InjectDataSource('measures') private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
  ) {}

  get file(): string {
    return join(this.config.dataDir, 'demo-tokens.json');
  }

  async seed(): Promise<string> {
    if (existsSync(this.file)) return this.file;
    const result: Record<string, DemoToken> = {};
    await this.dataSource.transaction(async (m) => {
      for (const org of await listOrganizations(m)) {
        const { token } = await this.tokens.issue(m, org.code, 'demo');
        result[org.code] = { name: org.name, roles: org.roles, token };
      }
      const expiresAt = new Date(Date.now() + DEFAULT_TOKEN_DAYS * 86400000);
      const admin = issueToken(this.config.tokenSigningKey!, { organization: ADMIN_ORGANIZATION, roles: ['admin'], label: 'demo admin', expiresAt });
      await m.query(`INSERT INTO tokens (id, organization_code, digest, label, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
        admin.id, ADMIN_ORGANIZATION.code, admin.digest, 'demo admin', expiresAt,
      ]);
      result[ADMIN_ORGANIZATION.code] = { name: ADMIN_ORGANIZATION.name, roles: ['admin'], token: admin.token };
    });
    mkdirSync(this.config.dataDir, { recursive: true });
    writeFileSync(this.file, JSON.stringify(result, null, 2), { mode: 0o600 });
    this.logger.log(`demo tokens written to ${this.file}`);
    return this.file;
  }
}
