import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { ID_TYPES, IdType, IsIdType } from '@jrp/domain';

/**
 * How the public credit website (信用网站, role `portal`) names the subject who files there: a legal
 * subject by `uscc`, a natural person by `idType` + `idNumber`. The ID number arrives in clear over TLS;
 * jrp keys it and forgets it (never stored, logged or echoed).
 */
export class PortalSubjectDto {
  @ApiPropertyOptional({ example: '91340100MA2N0X1A2B', description: '统一社会信用代码 of a legal subject' })
  @IsOptional()
  @IsString()
  @MaxLength(18)
  uscc?: string;

  @ApiPropertyOptional({ enum: ID_TYPES, description: '证件类型 of a natural person (resident-id when omitted)' })
  @IsOptional()
  @IsIdType()
  idType?: IdType;

  @ApiPropertyOptional({ description: '证件号码 of a natural person; never stored or logged' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  idNumber?: string;
}

/** What a portal filing adds to name its entry: the subject and the entry's document number (认定文号). */
export class PortalIdentificationDto {
  @ApiPropertyOptional({
    type: PortalSubjectDto,
    description: 'portal callers only (required there): the subject, matched against the entry',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PortalSubjectDto)
  subject?: PortalSubjectDto;

  @ApiPropertyOptional({
    description: 'portal callers only (required there): the entry’s document number (认定文号)',
    example: '皖统罚〔2026〕1号',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  documentNo?: string;
}

/** `POST /api/v1/lists/portal/lookup`: which entries a subject's document number names. */
export class PortalLookupDto {
  @ApiProperty({ type: PortalSubjectDto })
  @ValidateNested()
  @Type(() => PortalSubjectDto)
  subject: PortalSubjectDto;

  @ApiProperty({ description: 'the entry’s document number (认定文号)', example: '皖统罚〔2026〕1号' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  documentNo: string;
}
