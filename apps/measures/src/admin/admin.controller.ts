import { Body, ConflictException, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditRecorder } from '@jrp/audit';
import { Roles } from '@jrp/auth';
import { CatalogueEvents, eventIdOf } from '@jrp/contracts';
import { UnitOfWork } from '@jrp/messaging';
import { CreatedOrganizationResponse, IssuedTokenResponse, TokenListResponse } from './dto/admin.response';
import { CreateOrganizationDto } from './dto/create-organization.dto';
import { IssueTokenDto } from './dto/issue-token.dto';
import { TokenService } from './token.service';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/organizations')
export class AdminController {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tokens: TokenService,
    private readonly audit: AuditRecorder,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create an organisation (department or office) with its roles' })
  @ApiCreatedResponse({ type: CreatedOrganizationResponse })
  async create(@Body() dto: CreateOrganizationDto): Promise<CreatedOrganizationResponse> {
    return this.uow.run(async (m, outbox) => {
      const inserted = await m.query(
        `INSERT INTO organizations (code, name, level, region, roles) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (code) DO NOTHING RETURNING code`,
        [dto.code, dto.name, dto.level, dto.region, dto.roles],
      );
      if (inserted.length === 0) throw new ConflictException(`organisation ${dto.code} already exists`);
      const organization = { code: dto.code, name: dto.name, level: dto.level, region: dto.region, roles: dto.roles };
      await outbox.append(m, [
        {
          id: eventIdOf('organization', dto.code, 1, CatalogueEvents.OrganizationChanged),
          type: CatalogueEvents.OrganizationChanged,
          key: 'catalogue',
          subject: `organizations/${dto.code}`,
          data: { version: 1, organization },
        },
      ]);
      await this.audit.record(m, outbox, { action: 'organization.create', objectType: 'organization', objectId: dto.code });
      return organization;
    });
  }

  @Post(':code/tokens')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: 'Issue a token for an organisation; the token is shown once' })
  @ApiCreatedResponse({ type: IssuedTokenResponse })
  async issueToken(@Param('code') code: string, @Body() dto: IssueTokenDto): Promise<IssuedTokenResponse> {
    return this.uow.run(async (m, outbox) => {
      const issued = await this.tokens.issue(m, code, dto.label, dto.expiresInDays);
      await this.audit.record(m, outbox, { action: 'token.issue', objectType: 'token', objectId: issued.id });
      return issued;
    });
  }

  @Get(':code/tokens')
  @Roles('admin')
  @ApiOperation({ summary: "An organisation's tokens: label, expiry, revocation, last use (never the token itself)" })
  @ApiOkResponse({ type: TokenListResponse })
  async listTokens(@Param('code') code: string): Promise<TokenListResponse> {
    return { items: await this.uow.run((m) => this.tokens.list(m, code)) };
  }

  @Delete(':code/tokens/:id')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Revoke a token: every service refuses it within seconds' })
  @ApiNoContentResponse({ description: 'revoked (also when it already was)' })
  async revokeToken(@Param('code') code: string, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.uow.run(async (m, outbox) => {
      await this.tokens.revoke(m, outbox, code, id);
      await this.audit.record(m, outbox, { action: 'token.revoke', objectType: 'token', objectId: id });
    });
  }
}
