import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ORGANIZATION_CODE, ORGANIZATION_LEVELS, OrganizationLevel } from '@jrp/contracts';

/** Cursor paging of catalogue reads: by code. */
export class CataloguePageDto {
  @ApiPropertyOptional({ description: 'cursor from `next`' }) @IsOptional() @IsString() after?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class MeasuresQueryDto extends CataloguePageDto {
  @ApiPropertyOptional({ description: 'list type code, e.g. BL-COURT-DEBTOR' })
  @IsOptional()
  @Matches(ORGANIZATION_CODE, { message: 'listType must be a list type code' })
  listType?: string;

  @ApiPropertyOptional({ description: 'memorandum code, e.g. M01' })
  @IsOptional()
  @Matches(ORGANIZATION_CODE)
  memorandum?: string;

  @ApiPropertyOptional({ description: 'implementing organisation code' })
  @IsOptional()
  @Matches(ORGANIZATION_CODE)
  organization?: string;

  @ApiPropertyOptional({
    description: 'true: only measures whose basis is pending (依据待核对); false: only those with a confirmed basis',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  basisPending?: boolean;
}

export class OrganizationsQueryDto extends CataloguePageDto {
  @ApiPropertyOptional({ enum: ORGANIZATION_LEVELS })
  @IsOptional()
  @IsIn(ORGANIZATION_LEVELS)
  level?: OrganizationLevel;
  @ApiPropertyOptional({ description: 'organisations with this role' })
  @IsOptional()
  @IsIn(['publisher', 'implementer', 'office'])
  role?: string;
}

export class ListTypesQueryDto extends CataloguePageDto {
  @ApiPropertyOptional({ enum: ['red', 'black'] }) @IsOptional() @IsIn(['red', 'black']) colour?: 'red' | 'black';
}
