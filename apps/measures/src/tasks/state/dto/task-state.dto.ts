import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class ReturnTaskDto {
  @ApiProperty({ description: '退回原因: why the task is not this organisation’s', maxLength: 500 })
  @IsString()
  @IsNotEmpty({ message: 'reason must not be empty' })
  @MaxLength(500)
  reason: string;
}

export class ReassignTaskDto {
  @ApiProperty({ description: 'code of the organisation that takes the returned measures over' })
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'organization must be an organisation code' })
  organization: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class LiftTaskDto {
  @ApiProperty({
    example: '2026-11-21',
    description:
      '解除时间: when the measures were lifted, a date (Asia/Shanghai) or a timestamp with offset; not before the revocation, not in the future',
  })
  @IsISO8601({ strict: true }, { message: 'liftedAt must be a date (YYYY-MM-DD) or a timestamp with offset' })
  liftedAt: string;

  @ApiPropertyOptional({ description: '说明: how the measures were lifted', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}
