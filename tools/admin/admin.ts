import { DynamicModule, Global, HttpException, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import { AuditRecorder, AuditSink } from '@jrp/audit';
import { runAsAdministrator } from '@jrp/auth';
import { JrpConfig, resolveConfig } from '@jrp/config';
import { FieldError, FieldValidationException, strictValidationPipe } from '@jrp/http';
import { MessagingModule } from '@jrp/messaging';
import { AuditTrailRepository } from '@jrp/measures/audit/audit-trail.repository';
import { AuditTrailSink } from '@jrp/measures/audit/audit-trail.sink';
import { CreateOrganizationDto } from '@jrp/measures/admin/dto/create-organization.dto';
import { IssueTokenDto } from '@jrp/measures/admin/dto/issue-token.dto';
import { OrganizationsService } from '@jrp/measures/admin/organizations.service';
import { TokenService } from '@jrp/measures/admin/token.service';
import { TokensRepository } from '@jrp/measures/admin/tokens.repository';
import { CatalogueRepository } from '@jrp/measures/catalogue/catalogue.repository';
import { MEASURES, measuresDatabase } from '@jrp/measures/measures-database';
import { SubscriptionsRepository } from '@jrp/measures/subscriptions/subscriptions.repository';
import { UsageError } from '../command-line';
import { AdminCommand } from './admin-args';
import { formatTable } from './table';

/** The configuration the admin services need; no bus, no HTTP, no guard. */
@Global()
@Module({})
class AdminToolPlatform {
  static forRoot(config: JrpConfig): DynamicModule {
    return {
      module: AdminToolPlatform,
      providers: [{ provide: JrpConfig, useValue: config }],
      exports: [JrpConfig],
    };
  }
}

/**
 * measures' database and outbox, and its admin services: what the HTTP admin API uses, without the HTTP
 * server, the consumers or the outbox relay (the running measures service sends what the tool appends).
 */
@Module({})
export class AdminToolModule {
  static register(config: JrpConfig): DynamicModule {
    return {
      module: AdminToolModule,
      imports: [
        AdminToolPlatform.forRoot(config),
        measuresDatabase(),
        MessagingModule.outboxOnly({ service: MEASURES, dataSource: MEASURES }),
      ],
      providers: [
        CatalogueRepository,
        TokensRepository,
        TokenService,
        OrganizationsService,
        SubscriptionsRepository,
        AuditTrailRepository,
        { provide: AuditSink, useClass: AuditTrailSink },
        AuditRecorder,
      ],
    };
  }
}

/** A command the services refused (409, 404): exit status 1, its message on one line. */
export class RefusedError extends Error {}

/** The configuration the tool runs with: measures', without the bus it never connects to. */
export function adminConfig(env: NodeJS.ProcessEnv): JrpConfig {
  return resolveConfig({ ...env, JRP_BUS: 'in-process' }, 'measures');
}

/** Who the audit trail names for the tool's writes: admin-cli, the operating-system user, the host. */
function actor() {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? `uid ${process.getuid?.() ?? '?'}`;
  }
  return { id: 'admin-cli', label: `admin-cli: ${user}`, source: hostname() };
}

const flagOf = (field: string) => `--${field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

/** Field errors as one line: `--level: …; --region: …`. */
function fieldLine(errors: FieldError[]): string {
  return errors.map((error) => `${flagOf(error.field)}: ${error.message}`).join('; ');
}

/** `value` validated exactly as the HTTP admin API validates its body; a UsageError names each wrong field. */
async function validated<T>(metatype: new () => T, value: object, what: string): Promise<T> {
  try {
    return (await strictValidationPipe().transform(value, { type: 'body', metatype })) as T;
  } catch (error) {
    if (!(error instanceof FieldValidationException)) throw error;
    throw new UsageError(`invalid ${what}: ${fieldLine(error.errors)}`);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const minute = (value: string | Date | null | undefined) =>
  value ? new Date(String(value)).toISOString().slice(0, 16).replace('T', ' ') : '-';

/** What a command needs, checked before anything is opened or changed. */
export async function prepare(command: Exclude<AdminCommand, { kind: 'help' }>): Promise<AdminAction> {
  const { options, args } = command;
  switch (command.kind) {
    case 'organizations list':
      return listOrganizations;
    case 'organizations create': {
      const required = ['--code', '--name', '--level', '--region', '--roles'];
      const missing = required.filter((flag) => options[flag] === undefined);
      if (missing.length > 0) throw new UsageError(`organizations create needs ${missing.join(', ')}`);
      const roles = options['--roles']
        .split(',')
        .map((role) => role.trim())
        .filter(Boolean);
      const dto = await validated(
        CreateOrganizationDto,
        {
          code: options['--code'],
          name: options['--name'],
          level: options['--level'],
          region: options['--region'],
          roles,
        },
        'organisation',
      );
      return (service) => createOrganization(service, dto);
    }
    case 'tokens issue': {
      if (options['--organization'] === undefined) throw new UsageError('tokens issue needs --organization <code>');
      const days = options['--expires-in-days'];
      if (days !== undefined && !/^\d+$/.test(days)) {
        throw new UsageError(`--expires-in-days: ${days} is not a whole number of days`);
      }
      const dto = await validated(
        IssueTokenDto,
        {
          ...(options['--label'] !== undefined ? { label: options['--label'] } : {}),
          ...(days !== undefined ? { expiresInDays: Number(days) } : {}),
        },
        'token',
      );
      return (service) => issueToken(service, options['--organization'], dto);
    }
    case 'tokens list':
      return (service) => listTokens(service, options['--organization']);
    case 'tokens revoke': {
      if (!UUID.test(args[0])) throw new UsageError(`${args[0]} is not a token id (a UUID, see tokens list)`);
      return (service) => revokeToken(service, args[0]);
    }
    case 'demo-tokens': {
      const out = options['--out'] === undefined ? undefined : resolve(options['--out']);
      if (out && existsSync(out)) throw new UsageError(`${out} exists: remove it or name another file`);
      if (out && !existsSync(dirname(out))) throw new UsageError(`--out: there is no folder ${dirname(out)}`);
      return (service) => demoTokens(service, out);
    }
  }
}

/** A command's result: the JSON form and the human form. */
interface Result {
  json: unknown;
  text: string;
}

export type AdminAction = (service: OrganizationsService) => Promise<Result>;

async function listOrganizations(service: OrganizationsService): Promise<Result> {
  const organizations = await service.list();
  const items = organizations.map(({ code, name, level, region, roles }) => ({ code, name, level, region, roles }));
  const rows = items.map((org) => [org.code, org.name, org.level, org.region, org.roles.join(',')]);
  const table = formatTable(['CODE', 'NAME', 'LEVEL', 'REGION', 'ROLES'], rows);
  return { json: { items }, text: `${table}\n${items.length} organisation(s)` };
}

async function createOrganization(service: OrganizationsService, dto: CreateOrganizationDto): Promise<Result> {
  const organization = await service.create(dto);
  const roles = organization.roles.join(',') || 'no roles';
  const { code, name, level, region } = organization;
  return { json: organization, text: `created ${code} ${name} (${level}, ${region}; ${roles})` };
}

async function issueToken(service: OrganizationsService, code: string, dto: IssueTokenDto): Promise<Result> {
  const issued = await service.issueToken(code, { label: dto.label, expiresInDays: dto.expiresInDays });
  return {
    json: { organization: code, ...issued },
    text:
      `token ${issued.id} for ${code}, valid until ${issued.expiresAt}; shown this once, keep it secret:\n` +
      issued.token,
  };
}

async function listTokens(service: OrganizationsService, code?: string): Promise<Result> {
  const items = await service.listTokens(code);
  const rows = items.map((token) => [
    token.id,
    token.organization,
    token.label ?? '-',
    ...[token.createdAt, token.expiresAt, token.revokedAt, token.lastUsedAt].map(minute),
  ]);
  const table = formatTable(['ID', 'ORGANIZATION', 'LABEL', 'CREATED', 'EXPIRES', 'REVOKED', 'LAST USED'], rows);
  return { json: { items }, text: `${table}\n${items.length} token(s)` };
}

async function revokeToken(service: OrganizationsService, id: string): Promise<Result> {
  const revoked = await service.revokeToken(undefined, id);
  return { json: revoked, text: `revoked token ${id} of ${revoked.organization} (since ${revoked.revokedAt})` };
}

async function demoTokens(service: OrganizationsService, out?: string): Promise<Result> {
  const tokens = await service.issueDemoTokens();
  if (out) writeFileSync(out, JSON.stringify(tokens, null, 2), { mode: 0o600, flag: 'wx' });
  const rows = Object.entries(tokens).map(([code, t]) => [code, t.name, t.roles.join(','), t.token]);
  const written = out ? `\nwritten to ${out}` : '';
  const table = formatTable(['CODE', 'NAME', 'ROLES', 'TOKEN'], rows);
  return { json: tokens, text: `${table}\n${rows.length} token(s)${written}` };
}

/**
 * Runs one prepared command against the deployment `config` describes, as the system administrator
 * (audited as admin-cli), and prints its result. The context is closed whatever happens.
 */
export async function runAdmin(
  config: JrpConfig,
  run: AdminAction,
  json: boolean,
  print: (text: string) => void,
): Promise<void> {
  let context: INestApplicationContext | undefined;
  try {
    const module = AdminToolModule.register(config);
    context = await NestFactory.createApplicationContext(module, { logger: false, abortOnError: false });
    const service = context.get(OrganizationsService);
    const result = await runAsAdministrator(actor(), () => run(service));
    print(json ? JSON.stringify(result.json, null, 2) : result.text);
  } catch (error) {
    if (error instanceof FieldValidationException) throw new UsageError(`invalid input: ${fieldLine(error.errors)}`);
    if (error instanceof HttpException) throw new RefusedError(error.message);
    throw error;
  } finally {
    await context?.close();
  }
}
