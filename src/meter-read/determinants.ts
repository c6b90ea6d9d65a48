/**
 * Billing determinants from interval data: total kWh, peak demand (kW), kWh per time-of-use
 * period and per local day, and how complete the data is, for a bill period of local dates.
 * Pure and exact: energy is a bigint count of millionths of a kWh, local time comes from
 * Intl.DateTimeFormat (no tz library), nothing goes through a float.
 *
 * An interval belongs wholly to the local date and hour of its start; intervals starting outside
 * the period are left out.
 */
import { addDays, isDate } from '../platform/dates.ts';

export interface TouPeriod {
  name: string;
  /** 1-12, all when absent. */
  months?: number[];
  days: 'weekdays' | 'weekends' | 'all';
  /** Local [startHour, endHour) pairs, 0-24. A range over midnight is two pairs. */
  hours: [number, number][];
}

export interface TouSchedule {
  code: string;
  /** The first period that matches an interval's local start wins. */
  periods: TouPeriod[];
  defaultPeriod: string;
  /** YYYY-MM-DD local dates treated as weekends. */
  holidays?: string[];
}

export interface IntervalInput {
  startEpoch: number;
  durationSeconds: number;
  microKwh: bigint;
}

export interface Determinants {
  from: string;
  to: string;
  kwh: string;
  maxKw: string;
  /** Local 'YYYY-MM-DDTHH:mm' of the start of the peak interval (the earliest on a tie). */
  maxKwAt: string | null;
  /** kWh per period name, every period of the schedule (and the default) present, even '0'. */
  tou: Record<string, string>;
  intervals: number;
  /** Real local hours in the period (23 on a spring-forward day, 25 on a fall-back day) / the typical interval length. */
  expectedIntervals: number;
  missingIntervals: number;
  days: { date: string; kwh: string }[];
}

/** The interval length assumed when there are no intervals to take it from. */
const DEFAULT_INTERVAL_SECONDS = 3600;

export function billingDeterminants(
  intervals: IntervalInput[],
  period: { from: string; to: string },
  schedule: TouSchedule,
  timeZone: string,
): Determinants {
  const touOf = touLookup(validateTouSchedule(schedule));
  if (!isDate(period.from)) throw new Error(`period.from: "${period.from}" is not a YYYY-MM-DD date`);
  if (!isDate(period.to)) throw new Error(`period.to: "${period.to}" is not a YYYY-MM-DD date`);
  if (period.to < period.from) throw new Error(`period: from ${period.from} is after to ${period.to}`);
  checkTimeZone(timeZone);

  const firstEpoch = localDayStart(period.from, timeZone);
  const endEpoch = localDayStart(addDays(period.to, 1), timeZone);
  const byDay = new Map<string, bigint>();
  for (let d = period.from; d <= period.to; d = addDays(d, 1)) byDay.set(d, 0n);
  const byTou = new Map<string, bigint>(touOf.names.map((n) => [n, 0n]));
  const durationCounts = new Map<number, number>();
  let total = 0n;
  let counted = 0;
  let peak: { micro: bigint; seconds: number; startEpoch: number } | null = null;

  for (const [i, iv] of intervals.entries()) {
    if (!Number.isSafeInteger(iv.startEpoch)) throw new Error(`intervals[${i}].startEpoch: ${iv.startEpoch} is not a whole number of seconds`);
    if (!Number.isSafeInteger(iv.durationSeconds) || iv.durationSeconds <= 0) throw new Error(`intervals[${i}].durationSeconds: ${iv.durationSeconds} is not a positive whole number`);
    if (iv.startEpoch < firstEpoch || iv.startEpoch >= endEpoch) continue;
    const local = localTime(iv.startEpoch, timeZone);
    total += iv.microKwh;
    counted += 1;
    byDay.set(local.date, (byDay.get(local.date) ?? 0n) + iv.microKwh);
    const tou = touOf.at(local);
    byTou.set(tou, (byTou.get(tou) ?? 0n) + iv.microKwh);
    durationCounts.set(iv.durationSeconds, (durationCounts.get(iv.durationSeconds) ?? 0) + 1);
    // Demand = energy / hours. Compare the exact fractions micro/seconds by cross-multiplying.
    if (peak === null) {
      peak = { micro: iv.microKwh, seconds: iv.durationSeconds, startEpoch: iv.startEpoch };
    } else {
      const lhs = iv.microKwh * BigInt(peak.seconds);
      const rhs = peak.micro * BigInt(iv.durationSeconds);
      if (lhs > rhs || (lhs === rhs && iv.startEpoch < peak.startEpoch)) peak = { micro: iv.microKwh, seconds: iv.durationSeconds, startEpoch: iv.startEpoch };
    }
  }

  const typicalSeconds = mostCommon(durationCounts) ?? DEFAULT_INTERVAL_SECONDS;
  const expectedIntervals = Math.floor((endEpoch - firstEpoch) / typicalSeconds);
  return {
    from: period.from,
    to: period.to,
    kwh: formatMicro(total),
    maxKw: peak ? formatMicro(divHalfUp(peak.micro * 3600n, BigInt(peak.seconds))) : '0',
    maxKwAt: peak ? localStamp(peak.startEpoch, timeZone) : null,
    tou: Object.fromEntries([...byTou].map(([name, micro]) => [name, formatMicro(micro)])),
    intervals: counted,
    expectedIntervals,
    missingIntervals: Math.max(0, expectedIntervals - counted),
    days: [...byDay].map(([date, micro]) => ({ date, kwh: formatMicro(micro) })),
  };
}

// ---- time of use ----

interface LocalTime { date: string; month: number; hour: number; minute: number; weekday: number }

/**
 * The schedule as a table of (month, weekday-or-weekend, hour) -> period name: 576 cells, so
 * each interval costs one lookup; holidays are looked up by date first.
 */
function touLookup(schedule: TouSchedule): { names: string[]; at: (t: LocalTime) => string } {
  const names = [...new Set([...schedule.periods.map((p) => p.name), schedule.defaultPeriod])];
  const table: string[] = [];
  for (let month = 1; month <= 12; month++) {
    for (const weekend of [false, true]) {
      for (let hour = 0; hour < 24; hour++) {
        const match = schedule.periods.find((p) =>
          (p.months === undefined || p.months.includes(month)) &&
          (p.days === 'all' || (p.days === 'weekends') === weekend) &&
          p.hours.some(([start, end]) => hour >= start && hour < end));
        table.push(match?.name ?? schedule.defaultPeriod);
      }
    }
  }
  const holidays = new Set(schedule.holidays ?? []);
  return {
    names,
    at: (t) => {
      const weekend = t.weekday === 0 || t.weekday === 6 || holidays.has(t.date);
      return table[((t.month - 1) * 2 + (weekend ? 1 : 0)) * 24 + t.hour] ?? schedule.defaultPeriod;
    },
  };
}

/** Checks a schedule read from configuration; throws an Error naming the bad field. Returns a clean copy. */
export function validateTouSchedule(s: unknown): TouSchedule {
  const o = record(s, 'schedule');
  onlyKeys(o, ['code', 'periods', 'defaultPeriod', 'holidays'], '');
  const code = nonEmpty(o['code'], 'code');
  if (!Array.isArray(o['periods'])) throw new Error('periods: must be an array');
  const periods = o['periods'].map((p: unknown, i: number) => validatePeriod(p, `periods[${i}]`));
  const defaultPeriod = nonEmpty(o['defaultPeriod'], 'defaultPeriod');
  const result: TouSchedule = { code, periods, defaultPeriod };
  if (o['holidays'] !== undefined) {
    if (!Array.isArray(o['holidays'])) throw new Error('holidays: must be an array of YYYY-MM-DD dates');
    result.holidays = o['holidays'].map((d: unknown, i: number) => {
      if (typeof d !== 'string' || !isDate(d)) throw new Error(`holidays[${i}]: ${JSON.stringify(d)} is not a YYYY-MM-DD date`);
      return d;
    });
  }
  return result;
}

function validatePeriod(p: unknown, path: string): TouPeriod {
  const o = record(p, path);
  onlyKeys(o, ['name', 'months', 'days', 'hours'], `${path}.`);
  const name = nonEmpty(o['name'], `${path}.name`);
  const days = o['days'];
  if (days !== 'weekdays' && days !== 'weekends' && days !== 'all') throw new Error(`${path}.days: must be 'weekdays', 'weekends' or 'all'`);
  const hours = o['hours'];
  if (!Array.isArray(hours) || hours.length === 0) throw new Error(`${path}.hours: must be a non-empty array of [startHour, endHour) pairs`);
  const pairs = hours.map((h: unknown, i: number): [number, number] => {
    const at = `${path}.hours[${i}]`;
    if (!Array.isArray(h) || h.length !== 2 || !h.every((x) => Number.isInteger(x) && x >= 0 && x <= 24)) {
      throw new Error(`${at}: must be a pair of whole hours 0-24`);
    }
    const [start, end] = h as [number, number];
    if (start >= end) throw new Error(`${at}: start ${start} must be before end ${end} (split a range over midnight into two pairs)`);
    return [start, end];
  });
  const period: TouPeriod = { name, days, hours: pairs };
  if (o['months'] !== undefined) {
    const months = o['months'];
    if (!Array.isArray(months) || months.length === 0 || !months.every((m) => Number.isInteger(m) && m >= 1 && m <= 12)) {
      throw new Error(`${path}.months: must be a non-empty array of months 1-12`);
    }
    period.months = [...months] as number[];
  }
  return period;
}

function record(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${path}: must be an object`);
  return v as Record<string, unknown>;
}

/** Unknown fields are refused: a misspelt 'month' would otherwise silently mean all months. */
function onlyKeys(o: Record<string, unknown>, allowed: string[], prefix: string): void {
  const extra = Object.keys(o).find((k) => !allowed.includes(k));
  if (extra !== undefined) throw new Error(`${prefix}${extra}: unknown field`);
}

function nonEmpty(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new Error(`${path}: must be a non-empty string`);
  return v;
}

// ---- local time through Intl ----

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function checkTimeZone(timeZone: string): void {
  try {
    formatter(timeZone);
  } catch {
    throw new Error(`timeZone: "${timeZone}" is not a known IANA time zone`);
  }
}

/**
 * UTC offset cache: every zone's offset has been a multiple of 15 minutes since the 1970s and
 * changes on such a boundary, so one Intl call per zone and quarter hour serves all intervals in
 * it (and all accounts of a billing run). Bounded: cleared when large.
 */
const offsetCache = new Map<string, Map<number, number>>();
const QUARTER_HOUR = 900;

function offsetSeconds(epoch: number, timeZone: string): number {
  const bucket = epoch - (((epoch % QUARTER_HOUR) + QUARTER_HOUR) % QUARTER_HOUR);
  let zone = offsetCache.get(timeZone);
  if (!zone) offsetCache.set(timeZone, (zone = new Map()));
  const cached = zone.get(bucket);
  if (cached !== undefined) return cached;
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(bucket * 1000))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0) / 1000;
  if (zone.size > 100_000) zone.clear();
  zone.set(bucket, asUtc - bucket);
  return asUtc - bucket;
}

function localTime(epoch: number, timeZone: string): LocalTime {
  const d = new Date((epoch + offsetSeconds(epoch, timeZone)) * 1000);
  return { date: d.toISOString().slice(0, 10), month: d.getUTCMonth() + 1, hour: d.getUTCHours(), minute: d.getUTCMinutes(), weekday: d.getUTCDay() };
}

function localStamp(epoch: number, timeZone: string): string {
  const t = localTime(epoch, timeZone);
  return `${t.date}T${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

/**
 * The first instant of a local date: the earliest candidate "midnight as UTC minus an offset in
 * force nearby" that falls on that date. Where midnight itself is skipped by a DST change, that
 * is the instant of the change.
 */
export function localDayStart(date: string, timeZone: string): number {
  const midnightAsUtc = Date.parse(`${date}T00:00:00Z`) / 1000;
  const offsets = new Set([-86_400, 0, 86_400].map((shift) => offsetSeconds(midnightAsUtc + shift, timeZone)));
  const candidates = [...offsets].map((o) => midnightAsUtc - o).filter((c) => localTime(c, timeZone).date === date);
  if (candidates.length === 0) throw new Error(`cannot find the start of ${date} in ${timeZone}`);
  return Math.min(...candidates);
}

// ---- exact numbers ----

/** The most frequent value; the smaller on a tie. */
function mostCommon(counts: Map<number, number>): number | null {
  let best: [number, number] | null = null;
  for (const [value, n] of counts) if (!best || n > best[1] || (n === best[1] && value < best[0])) best = [value, n];
  return best ? best[0] : null;
}

/** n / d rounded half away from zero (d > 0). */
function divHalfUp(n: bigint, d: bigint): bigint {
  const abs = n < 0n ? -n : n;
  const q = (abs * 2n + d) / (2n * d);
  return n < 0n ? -q : q;
}

/** Millionths as plain decimal text, trailing zeros trimmed ('12.5', '0'). */
function formatMicro(micro: bigint): string {
  const neg = micro < 0n;
  const abs = neg ? -micro : micro;
  const frac = (abs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${abs / 1_000_000n}${frac ? `.${frac}` : ''}`;
}
