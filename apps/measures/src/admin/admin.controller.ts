import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@jrp/auth';
import { CreatedOrganizationResponse, IssuedTokenResponse, TokenListResponse } from './dto/admin.response';
import { CreateOrganizationDto } from './dto/create-organization.dto';
import { IssueTokenDto } from './dto/issue-token.dto';
import { OrganizationsService } from './organizations.service';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/organizations')
export class AdminController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({
    operationId: 'createOrganization',
    summary: 'Create an organisation (department or office) with its roles',
  })
  @ApiCreatedResponse({ type: CreatedOrganizationResponse })
  create(@Body() dto: CreateOrganizationDto): Promise<CreatedOrganizationResponse> {
    return this.organizations.create(dto);
  }

  @Post(':code/tokens')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ operationId: 'issueToken', summary: 'Issue a token for an organisation; the token is shown once' })
  @ApiCreatedResponse({ type: IssuedTokenResponse })
  issueToken(@Param('code') code: string, @Body() dto: IssueTokenDto): Promise<IssuedTokenResponse> {
    return this.organizations.issueToken(code, { label: dto.label, expiresInDays: dto.expiresInDays });
  }

  @Get(':code/tokens')
  @Roles('admin')
  @ApiOperation({
    operationId: 'listTokens',
    summary: "An organisation's tokens: label, expiry, revocation, last use (never the token itself)",
  })
  @ApiOkResponse({ type: TokenListResponse })
  async listTokens(@Param('code') code: string): Promise<TokenListResponse> {
    const tokens = await this.organizations.listTokens(code);
    return { items: tokens.map(({ organization: _organization, ...token }) => token) };
  }

  @Delete(':code/tokens/:id')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ operationId: 'revokeToken', summary: 'Revoke a token: every service refuses it within seconds' })
  @ApiNoContentResponse({ description: 'revoked (also when it already was)' })
  async revokeToken(@Param('code') code: string, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.organizations.revokeToken(code, id);
  }
}
