import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

export class CalendarDayDto {
  @ApiProperty({ example: '2027-02-06' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date YYYY-MM-DD' })
  date: string;
  @ApiProperty({
    enum: ['workday', 'holiday'],
    description: 'workday: a weekend made a workday (调休); holiday: a weekday off',
  })
  @IsIn(['workday', 'holiday'])
  kind: 'workday' | 'holiday';
  @ApiPropertyOptional({ example: '春节' }) @IsOptional() @IsString() @MaxLength(50) name?: string;
}

/** One year's exceptions to the Monday–Friday rule, as the State Council announced them. */
export class CalendarYearDto {
  @ApiProperty({ type: [CalendarDayDto] })
  @IsArray()
  @ArrayMaxSize(120)
  @ValidateNested({ each: true })
  @Type(() => CalendarDayDto)
  days: CalendarDayDto[];
}
