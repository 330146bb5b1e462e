import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsString, MaxLength } from 'class-validator';

export const TRANSITION_ACTIONS = ['remove'] as const;
export type TransitionAction = (typeof TRANSITION_ACTIONS)[number];

export class TransitionDto {
  @ApiProperty({ enum: TRANSITION_ACTIONS, description: 'remove: 移出 (court revokes, error corrected, repaired)' })
  @IsIn(TRANSITION_ACTIONS)
  action: TransitionAction;

  @ApiProperty({ example: '已履行全部义务', description: '移出事由' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;

  @ApiProperty({ example: '2026-11-20', description: 'when it took effect: a date or a timestamp with offset' })
  @IsISO8601({ strict: true })
  at: string;
}
