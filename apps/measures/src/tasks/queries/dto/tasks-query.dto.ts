import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { TASK_VIEW_STATUSES, TaskViewStatus } from '../../task-labels';

export class TasksQueryDto {
  @ApiPropertyOptional({ enum: TASK_VIEW_STATUSES })
  @IsOptional()
  @IsIn(TASK_VIEW_STATUSES)
  status?: TaskViewStatus;

  @ApiPropertyOptional({ description: 'true: only tasks past their due date without feedback; false: only the others' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ description: 'list type code' })
  @IsOptional()
  @IsString()
  listType?: string;

  @ApiPropertyOptional({ description: "office only: one organisation's tasks (its code)" })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'organization must be an organisation code' })
  organization?: string;

  @ApiPropertyOptional({ description: 'cursor of the last task already read (from `next`)' })
  @IsOptional()
  @IsString()
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
