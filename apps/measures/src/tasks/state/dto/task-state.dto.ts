import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

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
