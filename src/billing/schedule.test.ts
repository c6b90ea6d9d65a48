import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dayOfWeek, daysBetween } from '../platform/dates.ts';
import { AppError } from '../platform/errors.ts';
import {
  addBusinessDays,
  generateSchedule,
  holidaysOf,
  isBusinessDay,
  nextBusinessDay,
  previousBusinessDay,
  type ScheduleEntry,
  validateSchedule,
} from './schedule.ts';

const isWeekday = (d: string): boolean => dayOfWeek(d) !== 0 && dayOfWeek(d) !== 6;

describe('holidaysOf', () => {
  it('2026 matches the calendar: federal and Washington, Jul 4 (Sat) observed Fri Jul 3', () => {
    expect(holidaysOf(2026)).toEqual([
      { date: '2026-01-01', name: "New Year's Day" },
      { date: '2026-01-19', name: 'Martin Luther King Jr. Day' },
      { date: '2026-02-16', name: "Washington's Birthday" },
      { date: '2026-05-25', name: 'Memorial Day' },
      { date: '2026-06-19', name: 'Juneteenth' },
      { date: '2026-07-03', name: 'Independence Day', observedFrom: '2026-07-04' },
      { date: '2026-09-07', name: 'Labor Day' },
      { date: '2026-10-12', name: 'Columbus Day' },
      { date: '2026-11-11', name: 'Veterans Day' },
      { date: '2026-11-26', name: 'Thanksgiving Day' },
      { date: '2026-11-27', name: 'Native American Heritage Day' },
      { date: '2026-12-25', name: 'Christmas Day' },
    ]);
    // Spot-check weekdays against the real calendar.
    expect(dayOfWeek('2026-01-01')).toBe(4); // Thursday
    expect(dayOfWeek('2026-06-19')).toBe(5); // Friday
    expect(dayOfWeek('2026-07-04')).toBe(6); // Saturday
    expect(dayOfWeek('2026-11-11')).toBe(3); // Wednesday
    expect(dayOfWeek('2026-12-25')).toBe(5); // Friday
  });

  it("2027 moves weekend holidays and takes 2028's New Year's Day (Sat) on Fri Dec 31", () => {
    expect(holidaysOf(2027)).toEqual([
      { date: '2027-01-01', name: "New Year's Day" },
      { date: '2027-01-18', name: 'Martin Luther King Jr. Day' },
      { date: '2027-02-15', name: "Washington's Birthday" },
      { date: '2027-05-31', name: 'Memorial Day' },
      { date: '2027-06-18', name: 'Juneteenth', observedFrom: '2027-06-19' },
      { date: '2027-07-05', name: 'Independence Day', observedFrom: '2027-07-04' },
      { date: '2027-09-06', name: 'Labor Day' },
      { date: '2027-10-11', name: 'Columbus Day' },
      { date: '2027-11-11', name: 'Veterans Day' },
      { date: '2027-11-25', name: 'Thanksgiving Day' },
      { date: '2027-11-26', name: 'Native American Heritage Day' },
      { date: '2027-12-24', name: 'Christmas Day', observedFrom: '2027-12-25' },
      { date: '2027-12-31', name: "New Year's Day", observedFrom: '2028-01-01' },
    ]);
    expect(dayOfWeek('2027-01-01')).toBe(5);
    expect(dayOfWeek('2028-01-01')).toBe(6);
  });

  it('2028 has no New Year holiday of its own (observed in 2027); Veterans Day (Sat) on Fri Nov 10', () => {
    const y2028 = holidaysOf(2028);
    expect(y2028.find((h) => h.name === "New Year's Day")).toBeUndefined();
    expect(y2028).toContainEqual({ date: '2028-11-10', name: 'Veterans Day', observedFrom: '2028-11-11' });
    expect(y2028).toHaveLength(11);
  });

  it('Juneteenth from 2021 (observed Fri Jun 18 2021), not before', () => {
    expect(holidaysOf(2020).some((h) => h.name === 'Juneteenth')).toBe(false);
    expect(holidaysOf(2021)).toContainEqual({ date: '2021-06-18', name: 'Juneteenth', observedFrom: '2021-06-19' });
  });

  it('every observed date is a weekday in its year, moved only from a neighbouring weekend day', () => {
    for (let year = 2000; year <= 2100; year += 1) {
      const list = holidaysOf(year);
      expect(new Set(list.map((h) => h.date)).size).toBe(list.length);
      for (const h of list) {
        expect(h.date.startsWith(`${year}-`)).toBe(true);
        expect(isWeekday(h.date)).toBe(true);
        if (h.observedFrom !== undefined) {
          expect(isWeekday(h.observedFrom)).toBe(false);
          expect(Math.abs(daysBetween(h.observedFrom, h.date))).toBe(1);
        }
      }
    }
  });

  it('returns copies and refuses unsupported years', () => {
    const first = holidaysOf(2027);
    (first[0] as { name: string }).name = 'changed';
    expect(holidaysOf(2027)[0]?.name).toBe("New Year's Day");
    expect(() => holidaysOf(1999)).toThrow(AppError);
    expect(() => holidaysOf(2027.5)).toThrow(AppError);
  });
});

describe('business days', () => {
  it('knows weekends, holidays and extra closures', () => {
    expect(isBusinessDay('2027-01-01')).toBe(false); // New Year's Day
    expect(isBusinessDay('2027-01-02')).toBe(false); // Saturday
    expect(isBusinessDay('2027-01-03')).toBe(false); // Sunday
    expect(isBusinessDay('2027-01-04')).toBe(true);
    expect(isBusinessDay('2027-10-11')).toBe(false); // Columbus Day (federal only, still closed)
    expect(isBusinessDay('2027-11-26')).toBe(false); // Native American Heritage Day (WA only)
    expect(isBusinessDay('2027-12-31')).toBe(false); // New Year's Day 2028, observed
    expect(isBusinessDay('2027-01-05', ['2027-01-05'])).toBe(false);
    expect(() => isBusinessDay('2027-02-30')).toThrow(AppError);
    expect(() => isBusinessDay('2027-01-05', ['tomorrow'])).toThrow(AppError);
  });

  it('next and previous business day keep a business day and move off a closed one', () => {
    expect(nextBusinessDay('2027-01-04')).toBe('2027-01-04');
    expect(nextBusinessDay('2027-01-01')).toBe('2027-01-04');
    expect(nextBusinessDay('2027-01-01', ['2027-01-04'])).toBe('2027-01-05');
    expect(previousBusinessDay('2027-01-04')).toBe('2027-01-04');
    expect(previousBusinessDay('2027-01-03')).toBe('2026-12-31');
    expect(previousBusinessDay('2028-01-02')).toBe('2027-12-30');
    expect(nextBusinessDay('2027-12-31')).toBe('2028-01-03');
  });

  it('adds business days forward and back, across the year end', () => {
    expect(addBusinessDays('2027-01-04', 0)).toBe('2027-01-04');
    expect(addBusinessDays('2027-01-02', 0)).toBe('2027-01-02');
    expect(addBusinessDays('2027-01-02', 1)).toBe('2027-01-04');
    expect(addBusinessDays('2027-12-30', 1)).toBe('2028-01-03');
    expect(addBusinessDays('2027-12-30', 2)).toBe('2028-01-04');
    expect(addBusinessDays('2027-07-02', 1)).toBe('2027-07-06'); // Jul 5 observed Independence Day
    expect(addBusinessDays('2027-01-04', -1)).toBe('2026-12-31');
    expect(addBusinessDays('2027-01-04', 5, ['2027-01-06'])).toBe('2027-01-12');
    expect(() => addBusinessDays('2027-01-04', 1.5)).toThrow(AppError);
  });

  it('adding n business days then taking them back returns a business day to itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 36_000 }), fc.integer({ min: -40, max: 40 }), (offset, n) => {
        const day = nextBusinessDay(addDays('2001-01-01', offset));
        const moved = addBusinessDays(day, n);
        expect(isBusinessDay(moved)).toBe(true);
        expect(Math.sign(daysBetween(day, moved))).toBe(Math.sign(n));
        expect(addBusinessDays(moved, -n)).toBe(day);
      }),
    );
  });
});

describe('generateSchedule', () => {
  const schedule2027 = generateSchedule({ year: 2027, cycles: 20 });

  it('2027 with 20 cycles: 240 entries sorted by month then cycle, every date a business day, in order', () => {
    expect(schedule2027).toHaveLength(240);
    schedule2027.forEach((e, i) => {
      expect(e.month).toBe(Math.floor(i / 20) + 1);
      expect(e.cycle).toBe((i % 20) + 1);
      expect(e.periodLabel).toBe(`2027-${String(e.month).padStart(2, '0')}`);
      expect(e.readDate.startsWith(`${e.periodLabel}-`)).toBe(true);
      for (const d of [e.readDate, e.billDate, e.dueDate]) expect(isBusinessDay(d)).toBe(true);
      expect(e.billDate > e.readDate).toBe(true);
      expect(e.dueDate > e.billDate).toBe(true);
      expect(e.billDate).toBe(addBusinessDays(e.readDate, 2));
      expect(e.dueDate).toBe(nextBusinessDay(addDays(e.billDate, 20)));
    });
    expect(validateSchedule(schedule2027)).toEqual([]);
  });

  it('cycle 1 reads on the first business day of each month, the last cycle on the last', () => {
    const firsts = schedule2027.filter((e) => e.cycle === 1).map((e) => e.readDate);
    expect(firsts).toEqual([
      '2027-01-04', // Jan 1 holiday (Fri), Jan 2-3 weekend
      '2027-02-01',
      '2027-03-01',
      '2027-04-01',
      '2027-05-03',
      '2027-06-01',
      '2027-07-01',
      '2027-08-02',
      '2027-09-01',
      '2027-10-01',
      '2027-11-01',
      '2027-12-01',
    ]);
    const lasts = schedule2027.filter((e) => e.cycle === 20).map((e) => e.readDate);
    expect(lasts[11]).toBe('2027-12-30'); // Dec 31 is New Year's Day 2028, observed
    for (const d of lasts) expect(nextBusinessDay(addDays(d, 1)).slice(0, 7)).not.toBe(d.slice(0, 7));
  });

  it('cycles read on consecutive business days: one skipped when B > 20, one shared when B < 20', () => {
    for (let month = 1; month <= 12; month += 1) {
      const reads = schedule2027.filter((e) => e.month === month).map((e) => e.readDate);
      let steps = 0;
      for (let i = 1; i < reads.length; i += 1) {
        const prev = reads[i - 1] as string;
        const cur = reads[i] as string;
        const step = [prev, addBusinessDays(prev, 1), addBusinessDays(prev, 2)].indexOf(cur);
        expect(step).toBeGreaterThanOrEqual(0);
        steps += step;
      }
      // From the first business day to the last: B - 1 steps.
      let businessDays = 0;
      for (let d = `${reads[0]?.slice(0, 8)}01`; d.slice(5, 7) === reads[0]?.slice(5, 7); d = addDays(d, 1)) {
        if (isBusinessDay(d)) businessDays += 1;
      }
      expect(steps).toBe(businessDays - 1);
    }
    // January 2027 has 19 business days (Jan 1, Jan 18 holidays): cycles 11 and 12 share Jan 19.
    const jan = schedule2027.filter((e) => e.month === 1);
    expect(jan[10]?.readDate).toBe('2027-01-19');
    expect(jan[11]?.readDate).toBe('2027-01-19');
  });

  it("a cycle's reads are about a month apart (26-35 days), into the next year", () => {
    const jan2028 = generateSchedule({ year: 2028, cycles: 20 }).filter((e) => e.month === 1);
    for (let cycle = 1; cycle <= 20; cycle += 1) {
      const reads = [...schedule2027, ...jan2028].filter((e) => e.cycle === cycle).map((e) => e.readDate);
      expect(reads).toHaveLength(13);
      for (let i = 1; i < reads.length; i += 1) {
        const gap = daysBetween(reads[i - 1] as string, reads[i] as string);
        expect(gap).toBeGreaterThanOrEqual(26);
        expect(gap).toBeLessThanOrEqual(35);
      }
    }
  });

  it('bills skip holidays and due dates move off weekends, across the year end', () => {
    const at = (month: number, cycle: number): ScheduleEntry =>
      schedule2027.find((e) => e.month === month && e.cycle === cycle) as ScheduleEntry;
    expect(at(1, 1)).toEqual({ cycle: 1, month: 1, readDate: '2027-01-04', billDate: '2027-01-06', dueDate: '2027-01-26', periodLabel: '2027-01' });
    expect(at(7, 1).billDate).toBe('2027-07-06'); // Jul 5 observed Independence Day
    expect(at(9, 20)).toMatchObject({ readDate: '2027-09-30', billDate: '2027-10-04', dueDate: '2027-10-25' }); // Oct 24 is a Sunday
    expect(at(12, 20)).toMatchObject({ readDate: '2027-12-30', billDate: '2028-01-04', dueDate: '2028-01-24' });
  });

  it('defaults to 20 cycles, 2 business days to bill, 20 days to due', () => {
    expect(generateSchedule({ year: 2027 })).toEqual(schedule2027);
    const custom = generateSchedule({ year: 2027, cycles: 4, billLagDays: 5, dueDays: 30 });
    expect(custom).toHaveLength(48);
    for (const e of custom) {
      expect(e.billDate).toBe(addBusinessDays(e.readDate, 5));
      expect(e.dueDate).toBe(nextBusinessDay(addDays(e.billDate, 30)));
    }
    // 4 cycles over January's 19 business days: business days 1, 6, 11, 15 (round 0, 4.75, 9.5, 14.25)
    expect(custom.filter((e) => e.month === 1).map((e) => e.readDate)).toEqual(['2027-01-04', '2027-01-11', '2027-01-19', '2027-01-25']);
  });

  it('keeps closures free and leaves readLeadDays free at the start of each month', () => {
    const closed = generateSchedule({ year: 2027, closures: ['2027-03-01', '2027-03-03'] });
    const all = closed.flatMap((e) => [e.readDate, e.billDate, e.dueDate]);
    expect(all).not.toContain('2027-03-01');
    expect(all).not.toContain('2027-03-03');
    expect(closed.find((e) => e.month === 3 && e.cycle === 1)).toMatchObject({ readDate: '2027-03-02', billDate: '2027-03-05' });
    expect(validateSchedule(closed, ['2027-03-01', '2027-03-03'])).toEqual([]);

    const lead = generateSchedule({ year: 2027, cycles: 10, readLeadDays: 2 });
    expect(lead.find((e) => e.month === 1 && e.cycle === 1)?.readDate).toBe('2027-01-06');
  });

  it('more cycles than business days share days and stay in the month', () => {
    const many = generateSchedule({ year: 2027, cycles: 45 });
    expect(many).toHaveLength(540);
    for (const e of many) expect(e.readDate.startsWith(`${e.periodLabel}-`)).toBe(true);
    expect(validateSchedule(many)).toEqual([]);
  });

  it('refuses bad input', () => {
    expect(() => generateSchedule({ year: 2027, cycles: 0 })).toThrow(AppError);
    expect(() => generateSchedule({ year: 2027, billLagDays: -1 })).toThrow(AppError);
    expect(() => generateSchedule({ year: 2027, dueDays: 1.5 })).toThrow(AppError);
    expect(() => generateSchedule({ year: 2027, closures: ['2027-13-01'] })).toThrow(AppError);
    expect(() => generateSchedule({ year: 2027, readLeadDays: 19 })).toThrow(/2027-01 has 19 business days/);
    expect(() => generateSchedule({ year: 1999 })).toThrow(AppError);
  });

  it('property: any year 2000-2100 and 1-22 cycles give business days, ordered, valid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 1, max: 22 }), (year, cycles) => {
        const entries = generateSchedule({ year, cycles });
        expect(entries).toHaveLength(12 * cycles);
        let previous: ScheduleEntry | undefined;
        for (const e of entries) {
          for (const d of [e.readDate, e.billDate, e.dueDate]) expect(isBusinessDay(d)).toBe(true);
          expect(e.readDate < e.billDate && e.billDate < e.dueDate).toBe(true);
          expect(e.readDate.slice(0, 7)).toBe(e.periodLabel);
          if (previous) {
            expect(previous.month * 100 + previous.cycle).toBeLessThan(e.month * 100 + e.cycle);
            if (previous.month === e.month) expect(previous.readDate <= e.readDate).toBe(true);
          }
          previous = e;
        }
        expect(validateSchedule(entries)).toEqual([]);
      }),
    );
  });

  it('property: any lags and closures still give business days in order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2100 }),
        fc.integer({ min: 1, max: 22 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 45 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 15 }),
        (year, cycles, billLagDays, dueDays, closureOffsets) => {
          const closures = closureOffsets.map((o) => addDays(`${year}-01-01`, o));
          const entries = generateSchedule({ year, cycles, billLagDays, dueDays, closures });
          for (const e of entries) {
            for (const d of [e.readDate, e.billDate, e.dueDate]) expect(isBusinessDay(d, closures)).toBe(true);
            expect(e.readDate <= e.billDate && e.billDate <= e.dueDate).toBe(true);
          }
          expect(validateSchedule(entries, closures)).toEqual([]);
        },
      ),
    );
  });
});

describe('validateSchedule', () => {
  const base = (): ScheduleEntry[] => generateSchedule({ year: 2027, cycles: 3 });
  const edit = (entries: ScheduleEntry[], month: number, cycle: number, change: Partial<ScheduleEntry>): ScheduleEntry[] =>
    entries.map((e) => (e.month === month && e.cycle === cycle ? { ...e, ...change } : e));
  const fields = (problems: ReturnType<typeof validateSchedule>): string[] => problems.map((p) => `${p.month}/${p.cycle}/${p.field}`);

  it('finds nothing wrong with a generated schedule', () => {
    expect(validateSchedule(base())).toEqual([]);
  });

  it('catches a date on a weekend', () => {
    const problems = validateSchedule(edit(base(), 2, 2, { dueDate: '2027-03-13' }));
    expect(problems).toEqual([{ cycle: 2, month: 2, field: 'dueDate', message: '2027-03-13 is a Saturday, not a business day' }]);
  });

  it('catches a date on a holiday, naming it, and on a closure', () => {
    const holiday = validateSchedule(edit(base(), 6, 3, { billDate: '2027-07-05' }));
    expect(holiday).toHaveLength(1);
    expect(holiday[0]).toMatchObject({ cycle: 3, month: 6, field: 'billDate' });
    expect(holiday[0]?.message).toContain('Independence Day');
    const entries = base();
    const read = entries.find((e) => e.month === 4 && e.cycle === 1)?.readDate as string;
    expect(fields(validateSchedule(entries, [read]))).toEqual(['4/1/readDate']);
  });

  it('catches a bill before its read and a due date before its bill', () => {
    const entries = base();
    const may = entries.find((e) => e.month === 5 && e.cycle === 2) as ScheduleEntry;
    const billEarly = validateSchedule(edit(entries, 5, 2, { billDate: addBusinessDays(may.readDate, -1) }));
    expect(fields(billEarly)).toEqual(['5/2/billDate']);
    expect(billEarly[0]?.message).toMatch(/bill date .* is before read date/);
    const dueEarly = validateSchedule(edit(entries, 5, 2, { dueDate: addBusinessDays(may.billDate, -1) }));
    expect(fields(dueEarly)).toEqual(['5/2/dueDate']);
    expect(dueEarly[0]?.message).toMatch(/due date .* is before bill date/);
  });

  it("catches a cycle's reads out of order month to month, however the entries are listed", () => {
    // March cycle 1 read moved to before February cycle 1's read.
    const entries = edit(base(), 3, 1, { readDate: '2027-02-01' });
    for (const list of [entries, [...entries].reverse()]) {
      const problems = validateSchedule(list);
      expect(problems).toEqual([
        { cycle: 1, month: 3, field: 'readDate', message: 'read date 2027-02-01 is not in its month 2027-03' },
        { cycle: 1, month: 3, field: 'readDate', message: "read date 2027-02-01 (2027-03) is not after cycle 1's read 2027-02-01 (2027-02)" },
      ]);
    }
    expect(validateSchedule([...base()].reverse())).toEqual([]);
    // Across a year end: 2028-01 read before 2027-12's.
    const dec = base().filter((e) => e.month === 12 && e.cycle === 2);
    const jan = generateSchedule({ year: 2028, cycles: 3 }).filter((e) => e.month === 1 && e.cycle === 2);
    expect(validateSchedule([...dec, ...jan])).toEqual([]);
    const early = validateSchedule([...dec, ...jan.map((e) => ({ ...e, readDate: '2027-12-01' }))]);
    expect(fields(early)).toEqual(['1/2/readDate', '1/2/readDate']);
  });

  it('catches a read date not in its month', () => {
    const problems = validateSchedule(edit(base(), 10, 2, { readDate: '2027-09-29' }));
    expect(problems).toContainEqual({ cycle: 2, month: 10, field: 'readDate', message: 'read date 2027-09-29 is not in its month 2027-10' });
  });

  it('catches malformed dates, periods, months and duplicate entries', () => {
    const entries = base();
    const first = entries[0] as ScheduleEntry;
    expect(fields(validateSchedule(edit(entries, 1, 1, { dueDate: '2027-02-30' })))).toEqual(['1/1/dueDate']);
    expect(fields(validateSchedule(edit(entries, 1, 1, { periodLabel: '2027-02' })))).toContain('1/1/periodLabel');
    expect(fields(validateSchedule([{ ...first, month: 13 }]))).toContain('13/1/month');
    expect(fields(validateSchedule([...entries, { ...first }]))).toEqual(['1/1/periodLabel']);
  });
});
