/**
 * The yearly billing schedule: which day each read cycle is read, billed and due, month by month.
 * Pure: no database, no clock. Every date is a `YYYY-MM-DD` string (`platform/dates.ts`).
 *
 * Business days. A business day is a Monday to Friday that is not a district holiday and not an
 * extra closure the caller names (a storm day, a system cut-over). District holidays are the union
 * of the US federal holidays (5 U.S.C. 6103) and Washington State's legal holidays
 * (RCW 1.16.050): every federal holiday (Columbus Day is federal only), plus Native American
 * Heritage Day, the day after Thanksgiving (WA only). Juneteenth counts from 2021 (federal; WA
 * from 2022). A holiday on a Saturday is observed the Friday before, on a Sunday the Monday after
 * (both jurisdictions); so New Year's Day of Y+1 on a Saturday is observed on Friday December 31
 * of Y and belongs to Y's list. Holidays are the rules in force today; years before 2000 are not
 * modelled and are refused.
 *
 * The schedule rule. For each month of the year, the month's business days are numbered
 * 1..B. With `readLeadDays` = L (default 0) the first L of them are left free and the N cycles
 * (default 20) are spread over the remaining E = B - L business days: cycle c (1..N) reads on
 * business day L + round((c - 1) * E / N) + 1, rounding halves up, and never past the last one
 * (with more cycles than days, cycles share days). With L = 0 and 20 cycles over ~21 business
 * days, the cycles read on consecutive business days, cycle 1 on the month's first business day.
 *   billDate = addBusinessDays(readDate, billLagDays)               (default 2 business days)
 *   dueDate  = nextBusinessDay(billDate + dueDays calendar days)      (default 20 days)
 * Every date is a business day; entries come sorted by month, then cycle.
 */
import { addDays, dayOfWeek, isDate } from '../platform/dates.ts';
import { invalid } from '../platform/errors.ts';

export interface Holiday {
  /** The observed date (the day the district is closed). */
  date: string;
  name: string;
  /** The actual date, when the holiday fell on a weekend and is observed on another day. */
  observedFrom?: string;
}

export interface ScheduleEntry {
  cycle: number;
  /** 1-12 */
  month: number;
  readDate: string;
  billDate: string;
  dueDate: string;
  /** The billing period, 'YYYY-MM' */
  periodLabel: string;
}

export interface ScheduleInput {
  year: number;
  /** Read cycles per month; default 20. */
  cycles?: number;
  /** Business days at the start of each month kept free of reads; default 0. */
  readLeadDays?: number;
  /** Business days from read to bill; default 2. */
  billLagDays?: number;
  /** Calendar days from bill to due, then moved to the next business day; default 20. */
  dueDays?: number;
  /** Extra district closures (dates), treated like holidays. */
  closures?: readonly string[];
}

export interface ScheduleProblem {
  cycle: number;
  month: number;
  field: keyof ScheduleEntry;
  message: string;
}

export const FIRST_SUPPORTED_YEAR = 2000;
export const LAST_SUPPORTED_YEAR = 9998;

// ---------------------------------------------------------------------------------------------
// Holidays

const pad2 = (n: number): string => String(n).padStart(2, '0');
const ymd = (year: number, month: number, day: number): string => `${year}-${pad2(month)}-${pad2(day)}`;

/** The nth (1-based) given weekday (0 = Sunday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  const first = ymd(year, month, 1);
  return addDays(first, ((weekday - dayOfWeek(first) + 7) % 7) + (n - 1) * 7);
}

/** The last given weekday (0 = Sunday) of a month. */
function lastWeekday(year: number, month: number, weekday: number): string {
  const last = addDays(month === 12 ? ymd(year + 1, 1, 1) : ymd(year, month + 1, 1), -1);
  return addDays(last, -((dayOfWeek(last) - weekday + 7) % 7));
}

const MON = 1;
const THU = 4;

/** Actual (not observed) dates of the district's holidays in a year, federal and WA together. */
function actualHolidays(year: number): { date: string; name: string }[] {
  const thanksgiving = nthWeekday(year, 11, THU, 4);
  const list = [
    { date: ymd(year, 1, 1), name: "New Year's Day" },
    { date: nthWeekday(year, 1, MON, 3), name: 'Martin Luther King Jr. Day' },
    { date: nthWeekday(year, 2, MON, 3), name: "Washington's Birthday" },
    { date: lastWeekday(year, 5, MON), name: 'Memorial Day' },
    { date: ymd(year, 7, 4), name: 'Independence Day' },
    { date: nthWeekday(year, 9, MON, 1), name: 'Labor Day' },
    { date: nthWeekday(year, 10, MON, 2), name: 'Columbus Day' }, // federal only, not WA
    { date: ymd(year, 11, 11), name: 'Veterans Day' },
    { date: thanksgiving, name: 'Thanksgiving Day' },
    { date: addDays(thanksgiving, 1), name: 'Native American Heritage Day' }, // WA only
    { date: ymd(year, 12, 25), name: 'Christmas Day' },
  ];
  if (year >= 2021) list.push({ date: ymd(year, 6, 19), name: 'Juneteenth' });
  return list;
}

/** Saturday -> the Friday before, Sunday -> the Monday after. */
function observedDate(date: string): string {
  const dow = dayOfWeek(date);
  return dow === 6 ? addDays(date, -1) : dow === 0 ? addDays(date, 1) : date;
}

function checkYear(year: number, field = 'year'): void {
  if (!Number.isInteger(year) || year < FIRST_SUPPORTED_YEAR || year > LAST_SUPPORTED_YEAR) {
    throw invalid(field, `must be a whole year from ${FIRST_SUPPORTED_YEAR} to ${LAST_SUPPORTED_YEAR}`);
  }
}

const holidayCache = new Map<number, { list: readonly Readonly<Holiday>[]; byDate: ReadonlyMap<string, string> }>();

function holidaysCached(year: number): { list: readonly Readonly<Holiday>[]; byDate: ReadonlyMap<string, string> } {
  const hit = holidayCache.get(year);
  if (hit) return hit;
  const prefix = `${year}-`;
  const list: Holiday[] = [];
  // Next year's New Year's Day may be observed on this year's December 31.
  for (const h of [...actualHolidays(year), ...actualHolidays(year + 1)]) {
    const date = observedDate(h.date);
    if (!date.startsWith(prefix)) continue;
    list.push(date === h.date ? { date, name: h.name } : { date, name: h.name, observedFrom: h.date });
  }
  list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const byDate = new Map<string, string>();
  for (const h of list) byDate.set(h.date, byDate.has(h.date) ? `${byDate.get(h.date)}, ${h.name}` : h.name);
  const entry = { list: list.map((h) => Object.freeze(h)), byDate };
  holidayCache.set(year, entry);
  return entry;
}

/**
 * The district's holidays whose observed date falls in `year`, by date: the union of US federal
 * and Washington State legal holidays, with the actual date in `observedFrom` when moved.
 */
export function holidaysOf(year: number): Holiday[] {
  checkYear(year);
  return holidaysCached(year).list.map((h) => ({ ...h }));
}

// ---------------------------------------------------------------------------------------------
// Business days

function checkDate(date: string, field = 'date'): void {
  if (typeof date !== 'string' || !isDate(date)) throw invalid(field, `${String(date)} is not a date (YYYY-MM-DD)`);
  checkYear(Number(date.slice(0, 4)), field);
}

function closureSet(extraClosures: readonly string[] | undefined): ReadonlySet<string> {
  if (!extraClosures || extraClosures.length === 0) return EMPTY;
  for (const d of extraClosures) {
    if (typeof d !== 'string' || !isDate(d)) throw invalid('closures', `${String(d)} is not a date (YYYY-MM-DD)`);
  }
  return new Set(extraClosures);
}
const EMPTY: ReadonlySet<string> = new Set();

/** Why a (valid, supported) date is not a business day, or null when it is one. */
function closedReason(date: string, closures: ReadonlySet<string>): string | null {
  const dow = dayOfWeek(date);
  if (dow === 6) return 'a Saturday';
  if (dow === 0) return 'a Sunday';
  const holiday = holidaysCached(Number(date.slice(0, 4))).byDate.get(date);
  if (holiday !== undefined) return `a holiday (${holiday})`;
  if (closures.has(date)) return 'a district closure';
  return null;
}

function step(date: string, direction: 1 | -1, closures: ReadonlySet<string>): string {
  let d = addDays(date, direction);
  checkDate(d);
  while (closedReason(d, closures) !== null) {
    d = addDays(d, direction);
    checkDate(d);
  }
  return d;
}

/** A weekday that is not a district holiday and not one of `extraClosures`. */
export function isBusinessDay(date: string, extraClosures?: readonly string[]): boolean {
  checkDate(date);
  return closedReason(date, closureSet(extraClosures)) === null;
}

/** The date itself when it is a business day, else the first business day after it. */
export function nextBusinessDay(date: string, extraClosures?: readonly string[]): string {
  checkDate(date);
  const closures = closureSet(extraClosures);
  return closedReason(date, closures) === null ? date : step(date, 1, closures);
}

/** The date itself when it is a business day, else the last business day before it. */
export function previousBusinessDay(date: string, extraClosures?: readonly string[]): string {
  checkDate(date);
  const closures = closureSet(extraClosures);
  return closedReason(date, closures) === null ? date : step(date, -1, closures);
}

/**
 * The n-th business day after `date` (n > 0) or before it (n < 0), counting only business days
 * strictly after (before) it, so the start need not be a business day. n = 0 returns `date`.
 */
export function addBusinessDays(date: string, n: number, extraClosures?: readonly string[]): string {
  checkDate(date);
  if (!Number.isInteger(n)) throw invalid('n', 'must be a whole number of business days');
  return addBusinessDaysIn(date, n, closureSet(extraClosures));
}

function addBusinessDaysIn(date: string, n: number, closures: ReadonlySet<string>): string {
  let d = date;
  const direction = n < 0 ? -1 : 1;
  for (let i = 0; i < Math.abs(n); i += 1) d = step(d, direction, closures);
  return d;
}

// ---------------------------------------------------------------------------------------------
// The schedule

function wholeNumber(value: number | undefined, fallback: number, field: string, min: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) throw invalid(field, `must be a whole number, at least ${min}`);
  return v;
}

/** The business days of a month, in order. */
function businessDaysOfMonth(year: number, month: number, closures: ReadonlySet<string>): string[] {
  const days: string[] = [];
  const prefix = `${year}-${pad2(month)}`;
  for (let d = `${prefix}-01`; d.startsWith(prefix); d = addDays(d, 1)) {
    if (closedReason(d, closures) === null) days.push(d);
  }
  return days;
}

/** The yearly schedule: every cycle's read, bill and due date for each month (rule at the top). */
export function generateSchedule(input: ScheduleInput): ScheduleEntry[] {
  const { year } = input;
  checkYear(year);
  if (year >= LAST_SUPPORTED_YEAR) throw invalid('year', `must be before ${LAST_SUPPORTED_YEAR} (bills run into the next year)`);
  const cycles = wholeNumber(input.cycles, 20, 'cycles', 1);
  const lead = wholeNumber(input.readLeadDays, 0, 'readLeadDays', 0);
  const billLag = wholeNumber(input.billLagDays, 2, 'billLagDays', 0);
  const dueDays = wholeNumber(input.dueDays, 20, 'dueDays', 0);
  const closures = closureSet(input.closures);

  const entries: ScheduleEntry[] = [];
  for (let month = 1; month <= 12; month += 1) {
    const days = businessDaysOfMonth(year, month, closures);
    const spread = days.length - lead;
    const periodLabel = `${year}-${pad2(month)}`;
    if (spread < 1) {
      throw invalid('readLeadDays', `${periodLabel} has ${days.length} business days, too few to leave ${lead} free before reads`);
    }
    for (let cycle = 1; cycle <= cycles; cycle += 1) {
      // round((c - 1) * E / N), halves up, in whole numbers: floor((2p + q) / 2q)
      const offset = Math.floor((2 * (cycle - 1) * spread + cycles) / (2 * cycles));
      const readDate = days[lead + Math.min(offset, spread - 1)] as string;
      const billDate = addBusinessDaysIn(readDate, billLag, closures);
      const dueCalendar = addDays(billDate, dueDays);
      checkDate(dueCalendar, 'dueDays');
      const dueDate = closedReason(dueCalendar, closures) === null ? dueCalendar : step(dueCalendar, 1, closures);
      entries.push({ cycle, month, readDate, billDate, dueDate, periodLabel });
    }
  }
  return entries;
}

const DATE_FIELDS = ['readDate', 'billDate', 'dueDate'] as const;

/**
 * Problems in a schedule edited by staff: a malformed period or date, a date that is not a
 * business day (weekend, holiday, one of `closures`), a bill before its read, a due date before
 * its bill, a read outside its month, a cycle listed twice for one period, and a cycle's reads
 * not moving forward from period to period. Empty when the schedule is sound.
 */
export function validateSchedule(entries: readonly ScheduleEntry[], closures?: readonly string[]): ScheduleProblem[] {
  const closed = closureSet(closures);
  const problems: ScheduleProblem[] = [];
  const add = (e: ScheduleEntry, field: keyof ScheduleEntry, message: string): void => {
    problems.push({ cycle: e.cycle, month: e.month, field, message });
  };
  const goodLabel = (e: ScheduleEntry): boolean =>
    typeof e.periodLabel === 'string' && /^\d{4}-\d{2}$/.test(e.periodLabel) && Number(e.periodLabel.slice(5)) === e.month;
  const goodDate = (d: unknown): d is string => {
    if (typeof d !== 'string' || !isDate(d)) return false;
    const y = Number(d.slice(0, 4));
    return y >= FIRST_SUPPORTED_YEAR && y <= LAST_SUPPORTED_YEAR;
  };

  for (const e of entries) {
    if (!Number.isInteger(e.cycle) || e.cycle < 1) add(e, 'cycle', `cycle ${String(e.cycle)} is not a cycle number (1 or more)`);
    if (!Number.isInteger(e.month) || e.month < 1 || e.month > 12) add(e, 'month', `month ${String(e.month)} is not 1-12`);
    else if (!goodLabel(e)) add(e, 'periodLabel', `period ${String(e.periodLabel)} is not YYYY-MM for month ${e.month}`);

    for (const field of DATE_FIELDS) {
      const d = e[field];
      if (!goodDate(d)) {
        add(e, field, `${String(d)} is not a date from ${FIRST_SUPPORTED_YEAR} to ${LAST_SUPPORTED_YEAR}`);
        continue;
      }
      const reason = closedReason(d, closed);
      if (reason !== null) add(e, field, `${d} is ${reason}, not a business day`);
    }
    if (goodDate(e.readDate) && goodDate(e.billDate) && e.billDate < e.readDate) {
      add(e, 'billDate', `bill date ${e.billDate} is before read date ${e.readDate}`);
    }
    if (goodDate(e.billDate) && goodDate(e.dueDate) && e.dueDate < e.billDate) {
      add(e, 'dueDate', `due date ${e.dueDate} is before bill date ${e.billDate}`);
    }
    if (goodDate(e.readDate) && goodLabel(e) && !e.readDate.startsWith(`${e.periodLabel}-`)) {
      add(e, 'readDate', `read date ${e.readDate} is not in its month ${e.periodLabel}`);
    }
  }

  // Each cycle, period by period: one entry per period, reads moving forward.
  const byCycle = new Map<number, ScheduleEntry[]>();
  for (const e of entries) {
    if (!goodLabel(e)) continue;
    const list = byCycle.get(e.cycle) ?? [];
    list.push(e);
    byCycle.set(e.cycle, list);
  }
  for (const list of byCycle.values()) {
    const sorted = [...list].sort((a, b) => (a.periodLabel < b.periodLabel ? -1 : a.periodLabel > b.periodLabel ? 1 : 0));
    let previousLabel: string | undefined;
    let lastRead: ScheduleEntry | undefined; // the latest earlier period with a readable read date
    for (const e of sorted) {
      if (previousLabel === e.periodLabel) {
        add(e, 'periodLabel', `cycle ${e.cycle} has more than one entry for ${e.periodLabel}`);
        continue;
      }
      previousLabel = e.periodLabel;
      if (!goodDate(e.readDate)) continue;
      if (lastRead && e.readDate <= lastRead.readDate) {
        add(e, 'readDate', `read date ${e.readDate} (${e.periodLabel}) is not after cycle ${e.cycle}'s read ${lastRead.readDate} (${lastRead.periodLabel})`);
      }
      lastRead = e;
    }
  }

  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.month - b.p.month || a.p.cycle - b.p.cycle || a.i - b.i)
    .map(({ p }) => p);
}
