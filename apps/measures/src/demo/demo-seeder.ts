import { Inject, Injectable, Logger } from '@nestjs/common';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { runAsAdministrator } from '@jrp/auth';
import { JrpConfig } from '@jrp/config';
import { OrganizationsService } from '../admin/organizations.service';

/**
 * First start of the one-process demo: one token per seeded organisation, and one admin token,
 * written to `JRP_DATA_DIR/demo-tokens.json` (readable by its owner only). Later starts keep the file.
 * (`npm run admin -- demo-tokens` issues the same set on demand, on any deployment.)
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger('Demo');

  constructor(
    @Inject(JrpConfig) private readonly config: JrpConfig,
    private readonly organizations: OrganizationsService,
  ) {}

  get file(): string {
    return join(this.config.dataDir, 'demo-tokens.json');
  }

  async seed(): Promise<string> {
    if (existsSync(this.file)) return this.file;
    const actor = { id: 'demo-seed', label: 'demo tokens of the first start', source: hostname() };
    const result = await runAsAdministrator(actor, () => this.organizations.issueDemoTokens());
    mkdirSync(this.config.dataDir, { recursive: true });
    writeFileSync(this.file, JSON.stringify(result, null, 2), { mode: 0o600 });
    this.logger.log(`demo tokens written to ${this.file}`);
    return this.file;
  }
}
