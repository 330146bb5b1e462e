import { ConflictException, Injectable, Optional } from '@nestjs/common';
import { AuditRecorder } from '@jrp/audit';
import { ADMIN_ORGANIZATION, RevocationList } from '@jrp/auth';
import { CatalogueEvents, eventIdOf, OrganizationData, TokenRevokedData } from '@jrp/contracts';
import { afterCommit } from '@jrp/database';
import { OutboxService, UnitOfWork } from '@jrp/messaging';
import { CatalogueRepository, OrganizationRow } from '../catalogue/catalogue.repository';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { CreateOrganizationDto } from './dto/create-organization.dto';
import { TokenService, TokenView } from './token.service';

/** A token just issued: the only time it is shown. */
export interface IssuedToken {
  id: string;
  token: string;
  expiresAt: string;
}

/** A demo token, by organisation code: what `demo-tokens.json` holds. */
export interface DemoToken {
  name: string;
  roles: string[];
  token: string;
}

/**
 * The administrator's use cases: organisations (departments and offices) with their roles, and their
 * tokens. Each write commits with its events and its audit record, whoever asks: the HTTP admin API or
 * the admin tool (`npm run admin`).
 */
@Injectable()
export class OrganizationsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly outbox: OutboxService,
    private readonly catalogue: CatalogueRepository,
    private readonly tokens: TokenService,
    private readonly audit: AuditRecorder,
    private readonly subscriptions: SubscriptionsRepository,
    /** This process's revocation list; the admin tool, which serves no requests, has none. */
    @Optional() private readonly revocations?: RevocationList,
  ) {}

  /** Every organisation of the catalogue, by code. */
  list(): Promise<OrganizationRow[]> {
    return this.catalogue.allOrganizations();
  }

  /** A new organisation, announced to the other services (jrp.catalogue.organization-changed). */
  async create(dto: CreateOrganizationDto): Promise<OrganizationData> {
    return this.uow.run(async () => {
      const organization = { code: dto.code, name: dto.name, level: dto.level, region: dto.region, roles: dto.roles };
      if (!(await this.catalogue.insertOrganization(organization)))
        throw new ConflictException(`organisation ${dto.code} already exists`);
      await this.outbox.append([
        {
          id: eventIdOf('organization', dto.code, 1, CatalogueEvents.OrganizationChanged),
          type: CatalogueEvents.OrganizationChanged,
          key: 'catalogue',
          subject: `organizations/${dto.code}`,
          data: { version: 1, organization },
        },
      ]);
      await this.audit.record({
        action: 'organization.create',
        objectType: 'organization',
        objectId: dto.code,
      });
      return organization;
    });
  }

  /** A new token of the organisation; the token itself is returned this once. */
  async issueToken(code: string, options: { label?: string; expiresInDays?: number } = {}): Promise<IssuedToken> {
    return this.uow.run(async () => {
      const issued = await this.tokens.issue(code, options.label, options.expiresInDays);
      await this.audit.record({ action: 'token.issue', objectType: 'token', objectId: issued.id });
      return issued;
    });
  }

  /** The tokens of one organisation (or of all of them): never the tokens themselves. */
  listTokens(code?: string): Promise<TokenView[]> {
    return this.tokens.list(code);
  }

  /**
   * Revokes a token (of `code`, when given): every service refuses it within seconds (jrp.token.revoked),
   * this process at once; the webhook subscriptions acting under it are disabled in the same transaction
   * (`token-revoked`), each with its audit record. Returns what was announced.
   */
  async revokeToken(code: string | undefined, id: string): Promise<TokenRevokedData> {
    return this.uow.run(async () => {
      const revoked = await this.tokens.revoke(code, id);
      await this.audit.record({ action: 'token.revoke', objectType: 'token', objectId: id });
      const disabled = await this.subscriptions.disableForToken(id, revoked.revokedAt);
      if (disabled.length > 0)
        await this.audit.recordMany(
          disabled.map((subscription) => ({
            action: 'webhook-subscription.disable',
            objectType: 'webhook-subscription',
            objectId: subscription,
          })),
        );
      // open streams and long polls of this process end now, not when the event comes back
      afterCommit(this.uow.dataSource, () => this.revocations?.add(id));
      return revoked;
    });
  }

  /**
   * One new token, labelled `demo`, for every organisation of the catalogue, and one admin token
   * (`demo admin`, organisation JRP-ADMIN), in one transaction, by organisation code.
   */
  async issueDemoTokens(): Promise<Record<string, DemoToken>> {
    return this.uow.run(async () => {
      const result: Record<string, DemoToken> = {};
      const holders = [
        ...(await this.catalogue.allOrganizations()).map((org) => ({ ...org, label: 'demo' })),
        { ...ADMIN_ORGANIZATION, roles: ['admin'], label: 'demo admin' },
      ];
      const issuedIds: string[] = [];
      for (const holder of holders) {
        const issued = await this.tokens.issue(holder.code, holder.label);
        issuedIds.push(issued.id);
        result[holder.code] = { name: holder.name, roles: holder.roles, token: issued.token };
      }
      const entries = issuedIds.map((id) => ({ action: 'token.issue', objectType: 'token', objectId: id }));
      await this.audit.recordMany(entries);
      return result;
    });
  }
}
