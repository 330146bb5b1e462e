import { EntityManager } from 'typeorm';
import { CalendarChangedData, CatalogueEvents, eventIdOf } from '@jrp/contracts';
import { OutboxService } from '@jrp/messaging';

/** Appends one `jrp.catalogue.calendar-changed` per year: the year's version and all its exceptions. */
export async function announceCalendarYears(m: EntityManager, outbox: OutboxService, years: number[]): Promise<void> {
  if (years.length === 0) return;
  const rows: { year: number; version: number; date: string; kind: 'workday' | 'holiday'; name: string | null }[] =
    await m.query(
      `SELECT y.year, y.version, to_char(d.date, 'YYYY-MM-DD') AS date, d.kind, d.name
     FROM calendar_years y LEFT JOIN calendar_days d ON extract(year FROM d.date) = y.year
     WHERE y.year = ANY($1) ORDER BY y.year, d.date`,
      [years],
    );
  const byYear = new Map<number, CalendarChangedData>();
  for (const r of rows) {
    const data = byYear.get(r.year) ?? { year: r.year, version: r.version, days: [] };
    if (r.date) data.days.push({ date: r.date, kind: r.kind, name: r.name });
    byYear.set(r.year, data);
  }
  await outbox.append(
    m,
    [...byYear.values()].map((data) => ({
      id: eventIdOf('calendar', String(data.year), data.version, CatalogueEvents.CalendarChanged),
      type: CatalogueEvents.CalendarChanged,
      key: 'calendar',
      subject: `calendar/${data.year}`,
      data,
    })),
  );
}
