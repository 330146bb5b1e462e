import { ApiProperty } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsIn, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { ORGANIZATION_CODE, ORGANIZATION_LEVELS, OrganizationLevel, Role, ROLES } from '@jrp/contracts';
import { IsProvinceRegion } from '@jrp/domain';

export class CreateOrganizationDto {
  @ApiProperty({ example: 'AH-C340100-TAX', pattern: ORGANIZATION_CODE.source })
  @Matches(ORGANIZATION_CODE, {
    message: 'code must be 2–32 upper-case letters, digits or -, starting with a letter or digit',
  })
  code: string;

  @ApiProperty({ example: '国家税务总局合肥市税务局' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: ORGANIZATION_LEVELS })
  @IsIn(ORGANIZATION_LEVELS)
  level: OrganizationLevel;

  @ApiProperty({ example: '340100', description: '行政区划代码 of the province or one of its divisions' })
  @IsProvinceRegion()
  region: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];
}
