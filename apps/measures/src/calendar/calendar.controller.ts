import { Body, Controller, ForbiddenException, Get, Param, ParseIntPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditRecorder } from '@jrp/audit';
import { AnyRole, CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { FieldValidationException } from '@jrp/http';
import { UnitOfWork } from '@jrp/messaging';
import { announceCalendarYears } from './calendar.events';
import { CalendarService } from './calendar.service';
import { CalendarYearDto } from './dto/calendar-year.dto';
import { CalendarYearResponse } from './dto/calendar-year.response';

/** The working-day calendar (工作日历): read by all; a year set by the provincial office. */
@ApiTags('catalogue 联合奖惩措施清单')
@ApiBearerAuth()
@Controller('catalogue/calendar')
export class CalendarController {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly calendars: CalendarService,
    private readonly audit: AuditRecorder,
  ) {}

  @Get(':year')
  @AnyRole()
  @ApiOperation({
    summary:
      'A year’s exceptions to Monday–Friday (holidays on weekdays, make-up workdays) and whether the year is known',
  })
  @ApiOkResponse({ type: CalendarYearResponse })
  async year(@Param('year', ParseIntPipe) year: number): Promise<CalendarYearResponse> {
    const [known] = await this.uow.dataSource.query<(Pick<CalendarYearResponse, 'source' | 'version'> | undefined)[]>(
      `SELECT source, version FROM calendar_years WHERE year = $1`,
      [year],
    );
    const days = await this.uow.dataSource.query<CalendarYearResponse['days']>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, name, source FROM calendar_days WHERE extract(year FROM date) = $1 ORDER BY date`,
      [year],
    );
    return { year, covered: Boolean(known), source: known?.source ?? null, version: known?.version ?? 0, days };
  }

  @Put(':year')
  @Roles('office')
  @ApiOperation({
    summary: 'Set a year’s exceptions (the State Council’s announcement): corrects the library or adds a year it lacks',
  })
  @ApiOkResponse({ type: CalendarYearResponse, description: 'the year as it now stands' })
  async setYear(
    @Param('year', ParseIntPipe) year: number,
    @Body() dto: CalendarYearDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CalendarYearResponse> {
    if (principal.organization.level !== 'province')
      throw new ForbiddenException('only the provincial office sets the calendar');
    const errors = dto.days.flatMap((d, i) => {
      const day = new Date(`${d.date}T00:00:00Z`);
      if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== d.date)
        return [{ field: `days.${i}.date`, message: 'is not a real date' }];
      if (day.getUTCFullYear() !== year) return [{ field: `days.${i}.date`, message: `is not in ${year}` }];
      const weekend = day.getUTCDay() === 0 || day.getUTCDay() === 6;
      if (weekend && d.kind === 'holiday')
        return [
          {
            field: `days.${i}.kind`,
            message: 'a weekend is not a working day anyway: only weekday holidays are listed',
          },
        ];
      if (!weekend && d.kind === 'workday')
        return [
          {
            field: `days.${i}.kind`,
            message: 'a weekday is a working day anyway: only weekend make-up workdays are listed',
          },
        ];
      return [];
    });
    if (new Set(dto.days.map((d) => d.date)).size !== dto.days.length)
      errors.push({ field: 'days', message: 'a date appears twice' });
    if (errors.length) throw new FieldValidationException(errors);
    await this.uow.run(async (m, outbox) => {
      await m.query(`DELETE FROM calendar_days WHERE extract(year FROM date) = $1`, [year]);
      if (dto.days.length) {
        await m.query(
          `INSERT INTO calendar_days (date, kind, name, source) SELECT d, k, n, 'office' FROM unnest($1::date[], $2::text[], $3::text[]) AS t(d, k, n)`,
          [dto.days.map((d) => d.date), dto.days.map((d) => d.kind), dto.days.map((d) => d.name ?? null)],
        );
      }
      await m.query(
        `INSERT INTO calendar_years (year, source, version) VALUES ($1, 'office', 1)
         ON CONFLICT (year) DO UPDATE SET source = 'office', version = calendar_years.version + 1`,
        [year],
      );
      await announceCalendarYears(m, outbox, [year]);
      await this.audit.record({
        action: 'calendar.set-year',
        objectType: 'calendar',
        objectId: String(year),
      });
    });
    this.calendars.invalidate();
    return this.year(year);
  }
}
