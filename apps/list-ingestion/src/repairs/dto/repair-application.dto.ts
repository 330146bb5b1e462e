import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PortalIdentificationDto } from '../../portal/dto/portal-subject.dto';
import { REPAIR_APPLICATION_STATUSES } from '../repair-applications.repository';

/**
 * A repair application (信用修复申请, 信用修复管理办法 2025) on an entry of a list type repaired on
 * application. From the office's counter, or from the public credit website (`portal`) with the subject
 * and the entry's document number.
 */
export class FileRepairApplicationDto extends PortalIdentificationDto {
  @ApiProperty({ description: 'evidence of correction and obligations met (纠正失信行为、履行法定义务的证明)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(8000)
  evidence: string;

  @ApiProperty({ description: 'the public credit commitment (信用承诺书)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(8000)
  commitment: string;

  @ApiProperty({
    example: '2026-03-02',
    description:
      'the filing date (YYYY-MM-DD or a timestamp): not before the entry’s repairableFrom, not in the future',
  })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/, {
    message: 'at must be a date (YYYY-MM-DD) or a timestamp with its offset',
  })
  at: string;
}

/** The decision of the deciding department (谁认定谁修复) or the office. */
export class DecideRepairApplicationDto {
  @ApiProperty({ description: 'true: 准予修复, the entry leaves the list; false: 不予修复, it stands' })
  @IsBoolean()
  approved: boolean;
  @ApiProperty({ description: 'the reason, kept and shown in the decision document' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  reason: string;
}

export class RepairQueueQueryDto {
  @ApiPropertyOptional({ enum: REPAIR_APPLICATION_STATUSES, default: 'pending' })
  @IsOptional()
  @IsIn(REPAIR_APPLICATION_STATUSES)
  status?: (typeof REPAIR_APPLICATION_STATUSES)[number];
}

export class RepairDocumentQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'html'], description: 'html: a printable page (also with Accept: text/html)' })
  @IsOptional()
  @IsIn(['json', 'html'])
  format?: 'json' | 'html';
}
