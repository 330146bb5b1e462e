import { Body, Controller, Get, Param, ParseIntPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { CalendarService } from './calendar.service';
import { CalendarYearDto } from './dto/calendar-year.dto';
import { CalendarYearResponse } from './dto/calendar-year.response';

/** The working-day calendar (工作日历): read by all; a year set by the provincial office. */
@ApiTags('catalogue 联合奖惩措施清单')
@ApiBearerAuth()
@Controller('catalogue/calendar')
export class CalendarController {
  constructor(private readonly calendars: CalendarService) {}

  @Get(':year')
  @AnyRole()
  @ApiOperation({
    operationId: 'getCalendarYear',
    summary:
      'A year’s exceptions to Monday–Friday (holidays on weekdays, make-up workdays) and whether the year is known',
  })
  @ApiOkResponse({ type: CalendarYearResponse })
  year(@Param('year', ParseIntPipe) year: number): Promise<CalendarYearResponse> {
    return this.calendars.year(year);
  }

  @Put(':year')
  @Roles('office')
  @ApiOperation({
    operationId: 'setCalendarYear',
    summary: 'Set a year’s exceptions (the State Council’s announcement): corrects the library or adds a year it lacks',
  })
  @ApiOkResponse({ type: CalendarYearResponse, description: 'the year as it now stands' })
  async setYear(
    @Param('year', ParseIntPipe) year: number,
    @Body() dto: CalendarYearDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CalendarYearResponse> {
    return this.calendars.setYear(year, dto.days, principal);
  }
}
