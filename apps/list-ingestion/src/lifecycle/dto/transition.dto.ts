import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsNumber, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { TRANSITION_ACTIONS, TransitionAction } from '../../entries/lifecycle';

/**
 * A step of the lifecycle: `move-to-watch` (→ 重点关注), `record-commitment` {text} (信用承诺),
 * `record-training` {provider, hours} (信用修复培训), `remove` (移出).
 */
export class TransitionDto {
  @ApiProperty({ enum: TRANSITION_ACTIONS }) @IsIn(TRANSITION_ACTIONS) action: TransitionAction;

  @ApiProperty({ example: '已履行全部义务', description: 'why (移出事由 …)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;

  @ApiProperty({
    example: '2026-11-20',
    description: 'when it took effect: a date (Asia/Shanghai) or a timestamp with offset',
  })
  @IsISO8601({ strict: true })
  at: string;

  @ApiPropertyOptional({ description: 'the commitment’s text (record-commitment)' })
  @ValidateIf((t: TransitionDto) => t.action === 'record-commitment')
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  text?: string;

  @ApiPropertyOptional({ description: 'who gave the training (record-training)' })
  @ValidateIf((t: TransitionDto) => t.action === 'record-training')
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  provider?: string;

  @ApiPropertyOptional({ description: 'hours of training (record-training)' })
  @ValidateIf((t: TransitionDto) => t.action === 'record-training')
  @IsNumber()
  @Min(0.5)
  @Max(1000)
  hours?: number;
}
