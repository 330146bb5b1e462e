import { ApiProperty } from '@nestjs/swagger';
import { ORGANIZATION_LEVELS, OrganizationLevel, Role, ROLES } from '@jrp/contracts';

/** An organisation just created. */
export class CreatedOrganizationResponse {
  @ApiProperty({ example: 'AH-C340100-TAX' }) code: string;
  @ApiProperty({ example: '国家税务总局合肥市税务局' }) name: string;
  @ApiProperty({ enum: ORGANIZATION_LEVELS }) level: OrganizationLevel;
  @ApiProperty({ example: '340100', description: '行政区划代码' }) region: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
}

/** A token just issued: the only time it is shown. */
export class IssuedTokenResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'the bearer token; keep it secret, it is not stored' }) token: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

/** A token as the admin sees it later: never the token itself. */
export class TokenResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true, example: '税务征管系统对接' }) label: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt: string | null;
}

export class TokenListResponse {
  @ApiProperty({ type: [TokenResponse], description: 'oldest first' }) items: TokenResponse[];
}
