/**
 * Budget billing's arithmetic, with no I/O: the yearly cost of an account's services at today's
 * rates, the level monthly amount, when a review re-levels it, and who may enrol.
 */
import { addDays, addMonths } from '../platform/dates.ts';
import { AppError } from '../platform/errors.ts';
import { formatCents } from '../platform/money.ts';
import { calculateBill, type TariffVersion } from '../tariff/index.ts';

/** One month of an agreement's use, as billed or as estimated. */
export interface MonthOfUse {
  /** YYYY-MM */
  month: string;
  from: string;
  to: string;
  /** null for a service with no metered use (fiber). */
  usage: string | null;
  estimated: boolean;
}

export interface AgreementYear {
  agreementId: number;
  service: 'electric' | 'water' | 'fiber';
  /** The tariff version in force today: the whole year is rated at it. */
  version: TariffVersion;
  usageUnit: string | null;
  meterSize: string | null;
  months: MonthOfUse[];
}

export interface YearCost {
  annualCents: number;
  estimatedMonths: number;
  agreements: { agreementId: number; service: string; rateCode: string; annualCents: number; estimatedMonths: number; months: { month: string; usage: string | null; estimated: boolean; cents: number }[] }[];
}

/** The twelve calendar months before the month of `asOf`, oldest first (YYYY-MM). */
export function monthsBefore(asOf: string): string[] {
  const first = `${asOf.slice(0, 7)}-01`;
  return Array.from({ length: 12 }, (_, i) => addMonths(first, i - 12).slice(0, 7));
}

/** The first and last day of a calendar month. */
export function monthBounds(month: string): { from: string; to: string } {
  const from = `${month}-01`;
  return { from, to: addDays(addMonths(from, 1), -1) };
}

/**
 * What a year of the account's use costs at the rates in force today: every month rated with
 * today's version of each agreement's tariff (as if it had always been in force), taxes included.
 */
export function yearAtCurrentRates(agreements: AgreementYear[]): YearCost {
  const out: YearCost = { annualCents: 0, estimatedMonths: 0, agreements: [] };
  for (const a of agreements) {
    // Today's version stands for the whole year.
    const versions = [{ ...a.version, effectiveFrom: '1900-01-01' }];
    const months = a.months.map((m) => {
      let cents: number;
      try {
        cents = calculateBill({
          versions, periodFrom: m.from, periodTo: m.to, partial: false, firstBill: false,
          usage: m.usage ?? undefined, usageUnit: (a.usageUnit ?? undefined) as never, meterSize: a.meterSize ?? undefined,
        }).totalCents;
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        throw new AppError('validation', `Agreement ${a.agreementId} (${a.version.code}) cannot be rated for a budget: ${e.message}`, { agreementId: a.agreementId });
      }
      return { month: m.month, usage: m.usage, estimated: m.estimated, cents };
    });
    const annualCents = months.reduce((n, m) => n + m.cents, 0);
    const estimatedMonths = months.filter((m) => m.estimated).length;
    out.agreements.push({ agreementId: a.agreementId, service: a.service, rateCode: a.version.code, annualCents, estimatedMonths, months });
    out.annualCents += annualCents;
    out.estimatedMonths += estimatedMonths;
  }
  return out;
}

/** Rounds a positive amount up to a multiple of `step` cents (whole dollars by default). */
export const roundUp = (cents: number, step: number) => Math.max(step, Math.ceil(cents / step) * step);

/**
 * How many monthly amounts remain until the settle-up, counting the settle-up month's: from the
 * month after `month` (both 1-12). A plan reviewed in its settle-up month looks a full year ahead.
 */
export const monthsToSettle = (month: number, settleMonth: number) => ((settleMonth - month + 11) % 12) + 1;

/**
 * The level monthly amount: a year's cost spread over twelve months, plus the deferred balance
 * (what the customer's bills came to beyond the amounts paid so far; negative when ahead) spread
 * over the months left until the settle-up. Never less than one rounding step.
 */
export function levelAmount(input: { annualCents: number; deferredCents: number; monthsLeft: number; roundToCents: number }): number {
  if (!(input.monthsLeft >= 1 && input.monthsLeft <= 12)) throw new Error(`Invariant broken: ${input.monthsLeft} months to the settle-up`);
  // In whole numbers: (annual x months + deferred x 12) / (12 x months), rounded up to the step.
  const n = BigInt(input.annualCents) * BigInt(input.monthsLeft) + BigInt(input.deferredCents) * 12n;
  const d = 12n * BigInt(input.monthsLeft) * BigInt(input.roundToCents);
  const steps = n > 0n ? (n + d - 1n) / d : n / d;
  return Math.max(input.roundToCents, Number(steps) * input.roundToCents);
}

/** A review re-levels when the deferred balance (either way) is more than `percent` of a year's budget amounts. */
export const drifted = (deferredCents: number, monthlyCents: number, percent: number) => Math.abs(deferredCents) * 100 > percent * monthlyCents * 12;

export interface EligibilityInput {
  accountStatus: string;
  openServices: number;
  alreadyEnrolled: boolean;
  /** Charges unpaid after their due date. */
  pastDueCents: number;
  /** A payment arrangement in good standing covers the arrears. */
  arrangement: boolean;
  /** Eligible for low-income energy assistance: the occupancy and month rules do not apply (GUIDE 3.1). */
  assistanceEligible: boolean;
  occupancyMonths: number;
  /** 1-12, the month of the enrolment. */
  month: number;
  minOccupancyMonths: number;
  enrolMonths: number[];
}

export interface EligibilityFailure {
  rule: 'account_not_active' | 'no_service' | 'already_enrolled' | 'arrears' | 'occupancy' | 'enrolment_month' | 'cannot_estimate';
  message: string;
}

/** The first rule an account fails for budget billing, or null when it may enrol. */
export function eligibility(i: EligibilityInput): EligibilityFailure | null {
  if (i.accountStatus !== 'active') return { rule: 'account_not_active', message: `The account is ${i.accountStatus}; only an active account can be budget billed` };
  if (i.openServices === 0) return { rule: 'no_service', message: 'The account has no service in force to budget' };
  if (i.alreadyEnrolled) return { rule: 'already_enrolled', message: 'The account is on budget billing already' };
  if (i.pastDueCents > 0 && !i.arrangement) return { rule: 'arrears', message: `The account is in arrears (${formatCents(i.pastDueCents)} past due) and has no payment arrangement` };
  if (i.assistanceEligible) return null;
  if (i.occupancyMonths < i.minOccupancyMonths) return { rule: 'occupancy', message: `Service began ${i.occupancyMonths} month(s) ago; budget billing needs ${i.minOccupancyMonths} (customers eligible for energy assistance are exempt)` };
  if (i.enrolMonths.length > 0 && !i.enrolMonths.includes(i.month)) return { rule: 'enrolment_month', message: `New plans start in months ${i.enrolMonths.join(', ')} only (customers eligible for energy assistance are exempt)` };
  return null;
}
