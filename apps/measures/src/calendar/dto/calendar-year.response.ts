import { ApiProperty } from '@nestjs/swagger';

/** One exception to the Monday–Friday rule. */
export class CalendarDayResponse {
  @ApiProperty({ format: 'date', example: '2027-02-06' }) date: string;
  @ApiProperty({
    enum: ['workday', 'holiday'],
    description: 'workday: a weekend made a workday (调休); holiday: a weekday off',
  })
  kind: 'workday' | 'holiday';
  @ApiProperty({ type: String, nullable: true, example: '春节' }) name: string | null;
  @ApiProperty({
    enum: ['library', 'office'],
    description: 'library: the bundled holiday library; office: set by the provincial office',
  })
  source: 'library' | 'office';
}

/** A year of the working-day calendar (工作日历). */
export class CalendarYearResponse {
  @ApiProperty({ example: 2027 }) year: number;
  @ApiProperty({ description: 'the year’s exceptions are known; otherwise every weekday counts as a working day' })
  covered: boolean;
  @ApiProperty({ enum: ['library', 'office', null], nullable: true, description: 'null when the year is not covered' })
  source: 'library' | 'office' | null;
  @ApiProperty({ description: 'counts the year’s changes; 0 when not covered' }) version: number;
  @ApiProperty({ type: [CalendarDayResponse], description: 'by date' }) days: CalendarDayResponse[];
}
