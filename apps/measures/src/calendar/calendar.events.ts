import { CalendarChangedData, CatalogueEvents, eventIdOf } from '@jrp/contracts';
import { OutgoingEvent } from '@jrp/messaging';
import { CalendarYearDayRow } from './calendar.repository';

/** One `jrp.catalogue.calendar-changed` per year: the year's version and all its exceptions. */
export function calendarChangedEvents(rows: CalendarYearDayRow[]): OutgoingEvent<CalendarChangedData>[] {
  const byYear = new Map<number, CalendarChangedData>();
  for (const r of rows) {
    const data = byYear.get(r.year) ?? { year: r.year, version: r.version, days: [] };
    if (r.date) data.days.push({ date: r.date, kind: r.kind, name: r.name });
    byYear.set(r.year, data);
  }
  return [...byYear.values()].map((data) => ({
    id: eventIdOf('calendar', String(data.year), data.version, CatalogueEvents.CalendarChanged),
    type: CatalogueEvents.CalendarChanged,
    key: 'calendar',
    subject: `calendar/${data.year}`,
    data,
  }));
}
