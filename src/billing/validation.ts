/**
 * The billing edits: what holds a bill for review instead of posting it. Pure; thresholds come
 * per customer class from bill_validation_settings. Comparisons are per day, so a 28-day and a
 * 33-day bill compare fairly.
 */
import { formatCents } from '../platform/money.ts';

export interface BillValidationSettings {
  highRatio: string;
  lowRatio: string;
  /** Comparisons are skipped when the history is below this many cents per day. */
  minDailyCents: number;
  minDays: number;
  maxDays: number;
  largeAmountCents: number;
  maxEstimatesInRow: number;
}

export interface PastBill {
  periodTo: string;
  days: number;
  totalCents: number;
}

export interface BillCheckInput {
  totalCents: number;
  days: number;
  /** Metered services: use over the period; null for unmetered (fiber). */
  usage: string | null;
  usageUnit: string | null;
  /** The agreement's service is active over the whole period (not a first or final bill). */
  fullPeriod: boolean;
  estimatesInRow: number;
  /** The posted bill around the same period a year earlier. */
  lastYear: PastBill | null;
  /** The last three posted bills, newest first. */
  lastThree: PastBill[];
  settings: BillValidationSettings;
}

export type BillExceptionCode =
  | 'negative_total' | 'large_amount' | 'zero_use' | 'long_period' | 'short_period' | 'estimates_in_row'
  | 'high_vs_last_year' | 'low_vs_last_year' | 'high_vs_average' | 'low_vs_average'
  // Found while gathering and rating, before these edits run:
  | 'read_exception' | 'missing_intervals' | 'rating_failed';

export interface BillFinding {
  code: BillExceptionCode;
  message: string;
}

/** Cents per day x 1000 as an integer, so comparisons stay exact. */
const perDayMilli = (cents: number, days: number) => Math.round((cents * 1000) / Math.max(days, 1));

/** a > b x ratio, with the ratio a decimal string, exactly: a x 10^k > b x (ratio x 10^k). */
function exceeds(a: number, b: number, ratio: string, direction: 'above' | 'below'): boolean {
  const [whole, frac = ''] = ratio.split('.');
  const scale = 10n ** BigInt(frac.length);
  const r = BigInt(whole! + frac);
  const lhs = BigInt(a) * scale;
  const rhs = BigInt(b) * r;
  return direction === 'above' ? lhs > rhs : lhs < rhs;
}

export function checkBill(input: BillCheckInput): BillFinding[] {
  const { settings: s } = input;
  const findings: BillFinding[] = [];
  if (input.totalCents < 0) findings.push({ code: 'negative_total', message: `The bill totals ${formatCents(input.totalCents)}` });
  if (input.totalCents > s.largeAmountCents) findings.push({ code: 'large_amount', message: `${formatCents(input.totalCents)} is more than the ${formatCents(s.largeAmountCents)} limit for review` });
  if (input.usage !== null && Number(input.usage) === 0 && input.fullPeriod) findings.push({ code: 'zero_use', message: `No use in ${input.days} days on an active service` });
  if (input.fullPeriod && input.days > s.maxDays) findings.push({ code: 'long_period', message: `${input.days} days is longer than ${s.maxDays}` });
  if (input.fullPeriod && input.days < s.minDays) findings.push({ code: 'short_period', message: `${input.days} days is shorter than ${s.minDays}` });
  if (input.estimatesInRow > s.maxEstimatesInRow) findings.push({ code: 'estimates_in_row', message: `${input.estimatesInRow} estimated bills in a row (more than ${s.maxEstimatesInRow})` });
  if (input.totalCents <= 0) return findings;
  const today = perDayMilli(input.totalCents, input.days);
  const compare = (label: 'last_year' | 'average', basis: number, what: string) => {
    if (basis < s.minDailyCents * 1000) return;
    const show = (milli: number) => formatCents(Math.round(milli / 1000));
    if (exceeds(today, basis, s.highRatio, 'above')) findings.push({ code: `high_vs_${label}`, message: `${show(today)}/day is more than ${s.highRatio} x ${what} (${show(basis)}/day)` });
    else if (exceeds(today, basis, s.lowRatio, 'below')) findings.push({ code: `low_vs_${label}`, message: `${show(today)}/day is less than ${s.lowRatio} x ${what} (${show(basis)}/day)` });
  };
  if (input.lastYear && input.lastYear.days > 0) compare('last_year', perDayMilli(input.lastYear.totalCents, input.lastYear.days), 'the same period last year');
  const three = input.lastThree.filter((b) => b.totalCents > 0);
  if (three.length > 0) {
    const cents = three.reduce((n, b) => n + b.totalCents, 0);
    const days = three.reduce((n, b) => n + b.days, 0);
    compare('average', perDayMilli(cents, days), `the average of the last ${three.length === 1 ? 'bill' : `${three.length} bills`}`);
  }
  return findings;
}
