import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  endOfDayShanghai,
  isCalendarDate,
  overridesFromLibrary,
  todayInShanghai,
  WorkingDayCalendar,
} from './working-days';

const library = overridesFromLibrary([2003, 2025, 2026, 2027]);
const calendar = new WorkingDayCalendar(library.overrides, library.years);

const dates = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
};

describe('overridesFromLibrary (chinese-days)', () => {
  it('reports the years it covers and leaves out the others', () => {
    expect(library.years).toEqual([2025, 2026]);
    expect(calendar.covers(2026)).toBe(true);
    expect(calendar.covers(2027)).toBe(false);
    expect(calendar.covers(2003)).toBe(false);
    expect(library.overrides.every((o) => o.date.startsWith('2025') || o.date.startsWith('2026'))).toBe(true);
  });

  it('covers a contiguous run of years from 2004', () => {
    const all = overridesFromLibrary(Array.from({ length: 200 }, (_, i) => 1950 + i)).years;
    expect(all[0]).toBe(2004);
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => 2004 + i));
    expect(all).toContain(2026);
  });

  it('only lists exceptions to the Monday–Friday rule', () => {
    for (const o of library.overrides) {
      const weekday = new Date(`${o.date}T00:00:00Z`).getUTCDay();
      expect(o.kind === 'holiday' ? weekday >= 1 && weekday <= 5 : weekday === 0 || weekday === 6).toBe(true);
    }
  });
});

describe('WorkingDayCalendar with the 2026 schedule', () => {
  // 国务院办公厅关于2026年部分节假日安排的通知:
  //   春节：2月15日（周日）至23日（周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
  //   国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
  // The expectations below are what chinese-days reports, which matches the notice.
  it('has the Spring Festival holidays 2026-02-15 … 2026-02-23', () => {
    for (const date of dates('2026-02-15', '2026-02-23'))
      expect([date, calendar.isWorkday(date)]).toEqual([date, false]);
    expect(calendar.overrideFor('2026-02-16')).toEqual({ date: '2026-02-16', kind: 'holiday', name: '春节' });
  });

  it('has the make-up Saturdays 2026-02-14 and 2026-02-28', () => {
    expect(calendar.isWorkday('2026-02-14')).toBe(true);
    expect(calendar.isWorkday('2026-02-28')).toBe(true);
    expect(calendar.overrideFor('2026-02-14')?.kind).toBe('workday');
    expect(calendar.isWorkday('2026-02-13')).toBe(true);
    expect(calendar.isWorkday('2026-02-24')).toBe(true);
    expect(calendar.isWorkday('2026-03-07')).toBe(false); // an ordinary Saturday
  });

  it('counts the make-up Saturday as the next working day', () => {
    expect(calendar.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(calendar.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
  });

  it('carries a due date across the holiday', () => {
    // 12 Feb (Thu) + 5 working days: 13, 14 (make-up Sat), 24, 25, 26.
    expect(calendar.addWorkingDays('2026-02-12', 5)).toBe('2026-02-26');
    // 10 Feb + 10 working days: 11, 12, 13, 14, 24, 25, 26, 27, 28 (make-up Sat), 2 Mar.
    expect(calendar.addWorkingDays('2026-02-10', 10)).toBe('2026-03-02');
  });

  it('handles National Day 2026', () => {
    for (const date of dates('2026-10-01', '2026-10-07')) expect(calendar.isWorkday(date)).toBe(false);
    expect(calendar.isWorkday('2026-09-20')).toBe(true); // make-up Sunday
    expect(calendar.isWorkday('2026-10-10')).toBe(true); // make-up Saturday
    expect(calendar.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(calendar.addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    expect(calendar.addWorkingDays('2026-09-30', 4)).toBe('2026-10-12');
  });

  it('counts working days between two dates (from excluded, to included)', () => {
    expect(calendar.workingDaysBetween('2026-01-31', '2026-02-28')).toBe(16);
    expect(calendar.workingDaysBetween('2026-09-30', '2026-10-11')).toBe(3);
    expect(calendar.workingDaysBetween('2026-09-18', '2026-09-21')).toBe(2);
    expect(calendar.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(248);
    expect(calendar.workingDaysBetween('2026-02-13', '2026-02-13')).toBe(0);
    expect(calendar.workingDaysBetween('2026-02-24', '2026-02-13')).toBe(0);
    const due = calendar.addWorkingDays('2026-02-10', 10);
    expect(calendar.workingDaysBetween('2026-02-10', due)).toBe(10);
  });

  it('falls back to Monday–Friday in a year it does not cover', () => {
    expect(calendar.covers(2027)).toBe(false);
    // 2027-02-08 is a Monday (probably in the 2027 Spring Festival, whose schedule is not published in the data).
    expect(calendar.isWorkday('2027-02-08')).toBe(true);
    expect(calendar.isWorkday('2027-02-06')).toBe(false);
    expect(calendar.addWorkingDays('2027-02-05', 1)).toBe('2027-02-08');
  });

  it('rejects bad input', () => {
    expect(() => calendar.isWorkday('2026-02-30')).toThrow(RangeError);
    expect(() => calendar.isWorkday('2026-2-3')).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-02-13', 0)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-02-13', 1.5)).toThrow(RangeError);
    expect(
      () =>
        new WorkingDayCalendar(
          [
            { date: '2026-02-14', kind: 'holiday' },
            { date: '2026-02-14', kind: 'workday' },
          ],
          [],
        ),
    ).toThrow(/conflicting/);
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
  });

  it('works with hand-written overrides', () => {
    const custom = new WorkingDayCalendar([{ date: '2030-01-02', kind: 'holiday' }], [2030]);
    expect(custom.covers(2030)).toBe(true);
    expect(custom.addWorkingDays('2030-01-01', 1)).toBe('2030-01-03');
  });
});

describe('Asia/Shanghai dates', () => {
  it('gives today in Shanghai', () => {
    expect(todayInShanghai(new Date('2026-02-23T15:59:59.999Z'))).toBe('2026-02-23');
    expect(todayInShanghai(new Date('2026-02-23T16:00:00.000Z'))).toBe('2026-02-24');
    expect(todayInShanghai(new Date('2026-02-24T08:00:00-08:00'))).toBe('2026-02-25');
  });

  it('gives the end of a Shanghai day', () => {
    expect(endOfDayShanghai('2026-02-24').toISOString()).toBe('2026-02-24T15:59:59.999Z');
    expect(endOfDayShanghai('2026-02-24').getTime()).toBe(Date.parse('2026-02-24T23:59:59.999+08:00'));
    expect(todayInShanghai(endOfDayShanghai('2026-12-31'))).toBe('2026-12-31');
    expect(todayInShanghai(new Date(endOfDayShanghai('2026-12-31').getTime() + 1))).toBe('2027-01-01');
  });
});

/**
 * Timezone independence. Jest gives each test file a copy of process.env, so assigning
 * process.env.TZ inside a test does not change the timezone V8 uses; instead the module is
 * compiled with swc and run in child Node processes started with TZ set.
 */
describe('timezone independence', () => {
  // Self-contained: it is also run, as source text, in the child processes.
  function scenario(wd: typeof import('./working-days')) {
    const lib = wd.overridesFromLibrary([2025, 2026, 2027]);
    const cal = new wd.WorkingDayCalendar(lib.overrides, lib.years);
    return {
      years: lib.years,
      overrides: lib.overrides.length,
      sat: cal.isWorkday('2026-03-07'),
      makeUp: cal.isWorkday('2026-02-14'),
      springFestival: cal.isWorkday('2026-02-16'),
      next: cal.addWorkingDays('2026-02-13', 1),
      due: cal.addWorkingDays('2026-02-10', 10),
      nationalDay: cal.addWorkingDays('2026-09-30', 1),
      between: cal.workingDaysBetween('2025-12-31', '2026-12-31'),
      today: wd.todayInShanghai(new Date('2026-02-23T16:00:00.000Z')),
      endOfDay: wd.endOfDayShanghai('2026-02-24').toISOString(),
    };
  }

  const expected = {
    years: [2025, 2026],
    overrides: library.overrides.length,
    sat: false,
    makeUp: true,
    springFestival: false,
    next: '2026-02-14',
    due: '2026-03-02',
    nationalDay: '2026-10-08',
    between: 248,
    today: '2026-02-24',
    endOfDay: '2026-02-24T15:59:59.999Z',
  };

  // @swc/core (installed for @swc/jest) compiles the module for the children.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only by this test, not a dependency of the code
  const swc = require('@swc/core') as typeof import('@swc/core');
  const filename = join(__dirname, 'working-days.ts');
  const code = swc.transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  }).code;

  const CHILD = `
    const Module = require('module');
    const path = require('path');
    const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
    const m = new Module(input.filename);
    m.filename = input.filename;
    m.paths = Module._nodeModulePaths(path.dirname(input.filename));
    m._compile(input.code, input.filename);
    const scenario = eval('(' + input.scenario + ')');
    const out = { offset: new Date(2026, 1, 14).getTimezoneOffset(), result: scenario(m.exports) };
    if (input.compareWithLibraryApi) {
      const cd = m.require('chinese-days');
      const wd = m.exports;
      const lib = wd.overridesFromLibrary(Array.from({ length: 100 }, (_, i) => 2000 + i));
      const cal = new wd.WorkingDayCalendar(lib.overrides, lib.years);
      const mismatches = [];
      for (let t = Date.UTC(lib.years[0], 0, 1); t <= Date.UTC(lib.years[lib.years.length - 1], 11, 31); t += 86400000) {
        const date = new Date(t).toISOString().slice(0, 10);
        if (cd.isWorkday(date) !== cal.isWorkday(date)) mismatches.push(date);
      }
      out.api = { years: lib.years, mismatches };
    }
    process.stdout.write(JSON.stringify(out));
  `;

  function runIn(tz: string, compareWithLibraryApi = false) {
    const child = spawnSync(process.execPath, ['-e', CHILD], {
      input: JSON.stringify({ code, filename, scenario: scenario.toString(), compareWithLibraryApi }),
      env: { ...process.env, TZ: tz },
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`child (${tz}) failed: ${child.stderr}`);
    return JSON.parse(child.stdout) as {
      offset: number;
      result: unknown;
      api?: { years: number[]; mismatches: string[] };
    };
  }

  it('computes the expected results in this process', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles'; // has no effect under Jest (see above): the children below are the real check
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- this process's own copy of the module, loaded under TZ
      expect(scenario(require('./working-days') as typeof import('./working-days'))).toEqual(expected);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it.each([
    ['America/Los_Angeles', 480],
    ['Pacific/Kiritimati', -840],
    ['Pacific/Pago_Pago', 660],
    ['Asia/Shanghai', -480],
    ['UTC', 0],
  ])('computes the same results with TZ=%s', (tz, offset) => {
    const out = runIn(tz);
    expect(out.offset).toBe(offset); // the child really runs in that timezone
    expect(out.result).toEqual(expected);
  });

  it("agrees with chinese-days' own isWorkday (evaluated in Asia/Shanghai) on every covered day", () => {
    const out = runIn('Asia/Shanghai', true);
    expect(out.api!.years.length).toBeGreaterThanOrEqual(23);
    expect(out.api!.mismatches).toEqual([]);
  });
});
