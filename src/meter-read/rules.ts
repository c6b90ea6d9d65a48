/**
 * The rules of register reads, as pure functions: usage from two reads (dials, multiplier,
 * rollover), validation against history, and estimation of a missing read. No I/O.
 */
import { Dec } from '../platform/decimal.ts';

export interface ValidationSettings {
  highRatio: string;
  lowRatio: string;
  minDailyUse: string;
  rolloverMaxShare: string;
}

export interface RegisterUsage {
  /** Register units moved, after the rollover if any, before the multiplier. */
  delta: Dec;
  /** delta x multiplier, in the meter's unit. */
  usage: Dec;
  rollover: boolean;
  /** The register went backwards and it is not a rollover. */
  negative: boolean;
}

/**
 * Usage between two register reads. A register that went backwards rolled over when the reader
 * said so, or when wrapping past 10^dials gives a use smaller than `rolloverMaxShare` of the
 * register's range (99,950 to 00,120 on five dials is 170, not -99,830); otherwise the use is
 * negative and the read is an exception.
 */
export function registerUsage(previous: string, current: string, dials: number, multiplier: string, rollover: boolean | undefined, rolloverMaxShare: string): RegisterUsage {
  const prev = Dec.of(previous);
  const cur = Dec.of(current);
  const range = Dec.pow10(dials);
  const mult = Dec.of(multiplier);
  if (!cur.lt(prev)) {
    return { delta: cur.minus(prev), usage: cur.minus(prev).times(mult), rollover: false, negative: false };
  }
  const wrapped = range.minus(prev).plus(cur);
  if (rollover === true || (rollover !== false && wrapped.lt(range.times(rolloverMaxShare)))) {
    return { delta: wrapped, usage: wrapped.times(mult), rollover: true, negative: false };
  }
  const delta = cur.minus(prev);
  return { delta, usage: delta.times(mult), rollover: false, negative: true };
}

/** A register value must fit the dials. */
export function fitsDials(reading: string, dials: number): boolean {
  return Dec.of(reading).lt(Dec.pow10(dials)) && !Dec.of(reading).isNegative();
}

export interface PeriodUse {
  usage: string;
  days: number;
}

/**
 * The three periods validation and estimation compare with, from the latest periods (newest
 * first): actual reads where there are three, else whatever there is.
 */
export function lastThreePeriods(recent: (PeriodUse & { estimated: boolean })[]): PeriodUse[] {
  const actual = recent.filter((p) => !p.estimated);
  return (actual.length >= 3 ? actual : recent).slice(0, 3).map((p) => ({ usage: p.usage, days: p.days }));
}

export type ReadExceptionCode =
  | 'negative_use'
  | 'high_vs_last_year'
  | 'low_vs_last_year'
  | 'high_vs_average'
  | 'low_vs_average'
  | 'zero_use_active'
  | 'use_on_inactive';

export interface ReadCheckInput {
  usage: Dec;
  days: number;
  negative: boolean;
  unit: string;
  /** The service point is active and an agreement covers the read date. */
  serviceActive: boolean;
  servicePointStatus: 'active' | 'inactive' | 'disconnected';
  /** The read period around the same date a year earlier. */
  lastYear: PeriodUse | null;
  /** The last three read periods before this one, newest first. */
  lastThree: PeriodUse[];
  settings: ValidationSettings;
}

export interface ReadFinding {
  code: ReadExceptionCode;
  message: string;
}

const periods = (n: number) => (n === 1 ? 'read period' : `${n} read periods`);
const daily = (p: PeriodUse) => Dec.of(p.usage).div(Math.max(p.days, 1), 6);
const show = (d: Dec) => d.toFixed(2);

/** Every check a read must pass; an empty list means the read is valid. */
export function checkRead(input: ReadCheckInput): ReadFinding[] {
  const { usage, days, unit, settings } = input;
  if (input.negative) {
    return [{ code: 'negative_use', message: `The register went back by ${usage.neg().toString()} ${unit} with no rollover or meter exchange` }];
  }
  const findings: ReadFinding[] = [];
  if (!input.serviceActive && usage.gt(0)) {
    findings.push({
      code: 'use_on_inactive',
      message: `${usage.toString()} ${unit} used while the service is ${input.servicePointStatus === 'active' ? 'without a responsible account' : input.servicePointStatus}: possible unauthorized use`,
    });
  }
  if (input.serviceActive && usage.isZero() && days > 0) {
    findings.push({ code: 'zero_use_active', message: `No use in ${days} days on an active service` });
  }
  if (usage.isZero() || days <= 0) return findings;
  const perDay = usage.div(days, 6);
  const compare = (label: 'last_year' | 'average', basis: Dec, what: string) => {
    if (basis.lt(settings.minDailyUse)) return;
    if (perDay.gt(basis.times(settings.highRatio))) {
      findings.push({ code: `high_vs_${label}`, message: `${show(perDay)} ${unit}/day is more than ${Dec.of(settings.highRatio).toString()} x ${what} (${show(basis)} ${unit}/day)` });
    } else if (perDay.lt(basis.times(settings.lowRatio))) {
      findings.push({ code: `low_vs_${label}`, message: `${show(perDay)} ${unit}/day is less than ${Dec.of(settings.lowRatio).toString()} x ${what} (${show(basis)} ${unit}/day)` });
    }
  };
  if (input.lastYear && input.lastYear.days > 0) compare('last_year', daily(input.lastYear), 'the same period last year');
  // Periods with no use (vacant, disconnected) say nothing about how much this customer uses: the
  // average is taken over the periods with use, so a new tenant's reads are not judged against a
  // vacancy.
  const withUse = input.lastThree.filter((p) => Dec.of(p.usage).gt(0));
  if (withUse.length > 0) {
    const totalDays = withUse.reduce((n, p) => n + p.days, 0);
    if (totalDays > 0) {
      const total = withUse.reduce((acc, p) => acc.plus(p.usage), Dec.zero);
      compare('average', total.div(totalDays, 6), `the average of the last ${periods(withUse.length)} with use`);
    }
  }
  return findings;
}

export interface Estimate {
  /** Estimated use in the meter's unit, rounded to whole register units x multiplier. */
  usage: Dec;
  /** The register value to record. */
  reading: string;
  rollover: boolean;
  /** The rule and the figures it used, in words, kept on the read. */
  rule: string;
}

/**
 * The estimation rule: the average daily use of the last three read periods (actual reads only
 * where there are some) times the days since the last read; with no recent history, the daily use
 * of the same period last year; with neither, no use. The register moves by whole units.
 */
export function estimateRead(input: { lastReading: string; days: number; dials: number; multiplier: string; unit: string; lastThree: PeriodUse[]; lastYear: PeriodUse | null }): Estimate {
  const { days, unit } = input;
  let perDay = Dec.zero;
  let basis = 'no history: no use estimated';
  const totalDays = input.lastThree.reduce((n, p) => n + p.days, 0);
  if (input.lastThree.length > 0 && totalDays > 0) {
    const total = input.lastThree.reduce((acc, p) => acc.plus(p.usage), Dec.zero);
    perDay = total.div(totalDays, 6);
    basis = `average of the last ${periods(input.lastThree.length)}: ${total.toString()} ${unit} over ${totalDays} days = ${perDay.toString()} ${unit}/day`;
  } else if (input.lastYear && input.lastYear.days > 0) {
    perDay = Dec.of(input.lastYear.usage).div(input.lastYear.days, 6);
    basis = `same period last year: ${input.lastYear.usage} ${unit} over ${input.lastYear.days} days = ${perDay.toString()} ${unit}/day`;
  }
  const mult = Dec.of(input.multiplier);
  const registerUnits = perDay.times(days).div(mult, 0, 'half_up');
  const range = Dec.pow10(input.dials);
  let next = Dec.of(input.lastReading).plus(registerUnits);
  let rollover = false;
  if (!next.lt(range)) {
    next = next.minus(range);
    rollover = true;
  }
  const usage = registerUnits.times(mult);
  return { usage, reading: next.toString(), rollover, rule: `${basis}; x ${days} days = ${usage.toString()} ${unit}` };
}
