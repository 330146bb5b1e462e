import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ORGANIZATION_CODE } from '@jrp/contracts';

export class MeasuresQueryDto {
  @ApiPropertyOptional({ description: 'list type code, e.g. BL-COURT-DEBTOR' })
  @IsOptional()
  @Matches(ORGANIZATION_CODE, { message: 'listType must be a list type code' })
  listType?: string;
}
