import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CorrectEntryDto } from '../../lifecycle/dto/correct-entry.dto';
import { OmitType } from '@nestjs/swagger';
import { PortalIdentificationDto } from '../../portal/dto/portal-subject.dto';

/**
 * An objection (异议) to an entry, filed by the office on the subject's behalf or by the public credit
 * website (`portal`) with the subject and the entry's document number.
 */
export class FileObjectionDto extends PortalIdentificationDto {
  @ApiProperty({ description: 'what the subject objects to' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  statement: string;
  @ApiProperty({ description: 'how to reach the objector' }) @IsString() @IsNotEmpty() @MaxLength(200) contact: string;
}

export class ObjectionCorrectionsDto extends OmitType(CorrectEntryDto, ['correctionReason'] as const) {}

/** The decision: upheld corrects the entry (with `corrections`) or removes it; rejected clears the flag. */
export class DecideObjectionDto {
  @ApiProperty() @IsBoolean() upheld: boolean;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) reason: string;
  @ApiPropertyOptional({
    type: ObjectionCorrectionsDto,
    description: 'upheld only: correct these fields instead of removing the entry',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ObjectionCorrectionsDto)
  corrections?: ObjectionCorrectionsDto;
}

export const OBJECTION_STATUSES = ['pending', 'upheld', 'rejected'] as const;

export class ObjectionQueryDto {
  @ApiPropertyOptional({ enum: OBJECTION_STATUSES, default: 'pending' })
  @IsOptional()
  @IsIn(OBJECTION_STATUSES)
  status?: (typeof OBJECTION_STATUSES)[number];
}
