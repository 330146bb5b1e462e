import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { GRADES, Grade, IDENTIFICATION_LEVELS, IdentificationLevel } from '@jrp/contracts';
import { IsProvinceRegion } from '@jrp/domain';
import { LegalRepresentativeDto } from '../../publishing/dto/publish-entry.dto';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A correction of an entry's fields (更正): a new version, announced as `updated`. Identity fields cannot change. */
export class CorrectEntryDto {
  @ApiProperty({ description: 'why the entry is corrected' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  correctionReason: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) subjectName?: string;
  @ApiPropertyOptional({ type: LegalRepresentativeDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LegalRepresentativeDto)
  legalRepresentative?: LegalRepresentativeDto;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(1000) reason?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) decidedBy?: string;
  @ApiPropertyOptional({ enum: IDENTIFICATION_LEVELS })
  @IsOptional()
  @IsIn(IDENTIFICATION_LEVELS)
  identificationLevel?: IdentificationLevel;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(DATE, { message: 'listedAt must be a date YYYY-MM-DD' })
  listedAt?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(DATE, { message: 'validUntil must be a date YYYY-MM-DD' })
  validUntil?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{1,16}(\.\d{1,2})?$/, {
    message: 'amount must be a non-negative amount in yuan with at most 2 decimals',
  })
  amount?: string;
  @ApiPropertyOptional() @IsOptional() @IsProvinceRegion() region?: string;
  @ApiPropertyOptional({
    enum: GRADES,
    description: '失信等级, where the list type grades its entries: publicUntil and repairableFrom follow',
  })
  @IsOptional()
  @IsIn(GRADES)
  grade?: Grade;
}
