import { Body, ConflictException, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@jrp/auth';
import { CatalogueEvents, eventIdOf } from '@jrp/contracts';
import { UnitOfWork } from '@jrp/messaging';
import { CatalogueRepository } from '../catalogue/catalogue.repository';
import { CreateOrganizationDto } from './dto/create-organization.dto';
import { IssueTokenDto } from './dto/issue-token.dto';
import { TokenService } from './token.service';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/organizations')
export class AdminController {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly catalogue: CatalogueRepository,
    private readonly tokens: TokenService,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create an organisation (department or office) with its roles' })
  async create(@Body() dto: CreateOrganizationDto) {
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
      return organization;
    });
  }

  @Post(':code/tokens')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: 'Issue a token for an organisation; the token is shown once' })
  async issueToken(@Param('code') code: string, @Body() dto: IssueTokenDto) {
    return this.uow.run((m) => this.tokens.issue(m, code, dto.label));
  }
}
