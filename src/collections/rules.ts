/**
 * Collections' rules (C13), with no I/O: the yearly delinquency schedule derived from the billing
 * schedule, and the protections' arithmetic under Washington's rules (GUIDE 3.2): winter
 * protection's window and payment plan (RCW 54.16.285), medical certificates, notice periods.
 * Every number comes from settings; the defaults here are Washington's.
 *
 * The collections path: which step comes next and when, fees, the disconnection date a notice
 * gives, after-hours reconnection.
 */
import { addBusinessDays, isBusinessDay } from '../billing/schedule.ts';
import { addDays, daysBetween } from '../platform/dates.ts';

export interface DelinquencySettings {
  /** Business days after the due date when the late fee is charged. */
  lateFeeBusinessDays: number;
  /** Business days after the due date when the disconnect notice is mailed. */
  noticeBusinessDays: number;
  /** Business days from a mailed notice to the first day service may be disconnected (WAC 480-100-128: 8; 11 mailed out of state). */
  mailedNoticeBusinessDays: number;
  outOfStateNoticeBusinessDays: number;
}
export const WASHINGTON_DELINQUENCY: DelinquencySettings = { lateFeeBusinessDays: 3, noticeBusinessDays: 5, mailedNoticeBusinessDays: 8, outOfStateNoticeBusinessDays: 11 };

export interface DelinquencyEntry {
  year: number;
  month: number;
  cycle: number;
  dueDate: string;
  /** The first day the bill is past due (the day after the due date). */
  pastDueDate: string;
  lateFeeDate: string;
  noticeDate: string;
  /** The first day service may be disconnected after a mailed notice (in state / out of state). */
  disconnectEligibleDate: string;
  disconnectEligibleOutOfStateDate: string;
}

/** The delinquency schedule of billing-schedule entries: every date a business day after the one before it. */
export function delinquencySchedule(entries: readonly { year: number; month: number; cycle: number; dueDate: string }[], s: DelinquencySettings = WASHINGTON_DELINQUENCY, closures: readonly string[] = []): DelinquencyEntry[] {
  return entries.map((e) => {
    const noticeDate = addBusinessDays(e.dueDate, s.noticeBusinessDays, closures);
    return {
      year: e.year, month: e.month, cycle: e.cycle, dueDate: e.dueDate, pastDueDate: addDays(e.dueDate, 1),
      lateFeeDate: addBusinessDays(e.dueDate, s.lateFeeBusinessDays, closures), noticeDate,
      disconnectEligibleDate: addBusinessDays(noticeDate, s.mailedNoticeBusinessDays, closures),
      disconnectEligibleOutOfStateDate: addBusinessDays(noticeDate, s.outOfStateNoticeBusinessDays, closures),
    };
  });
}

// ---- winter protection (RCW 54.16.285) ----

export interface WinterSettings {
  /** MM-DD: the protected season (Nov 15 to Mar 15). */
  from: string;
  to: string;
  /** MM-DD by which the plan pays the arrears in full (Oct 15). */
  payInFullBy: string;
  /** The plan's payment is at most this percent of monthly income plus 1/divisor of the arrears. */
  incomePercent: number;
  arrearsDivisor: number;
}
export const WASHINGTON_WINTER: WinterSettings = { from: '11-15', to: '03-15', payInFullBy: '10-15', incomePercent: 7, arrearsDivisor: 12 };

/** Whether a day is inside the winter protection season (which spans the new year). */
export function inWinterSeason(date: string, s: WinterSettings = WASHINGTON_WINTER): boolean {
  const md = date.slice(5);
  return s.from <= s.to ? md >= s.from && md <= s.to : md >= s.from || md <= s.to;
}

export interface WinterPlan {
  /** The October 15 after the plan starts. */
  payInFullBy: string;
  /** Monthly payments from the start's month to the pay-in-full month, inclusive. */
  months: number;
  /** The most a monthly payment may be: 7% of monthly income plus 1/12 of the arrears (rounded down to the cent). */
  capCents: number;
  /** What pays the current bills and clears the arrears by the pay-in-full date: the estimated monthly bill plus the arrears over the months (rounded up). */
  neededCents: number;
  /** The plan's monthly payment: what is needed, but never above the cap. */
  paymentCents: number;
  /** Whether the capped payment clears the arrears by the pay-in-full date. */
  clearsArrears: boolean;
}

/**
 * A winter protection payment plan: the estimated monthly bill plus the arrears spread to the next
 * October 15, held to 7% of monthly income plus 1/12 of the arrears. Whole cents throughout.
 */
export function winterPlan(input: { start: string; monthlyIncomeCents: number; arrearsCents: number; estimatedMonthlyBillCents: number }, s: WinterSettings = WASHINGTON_WINTER): WinterPlan {
  for (const [k, v] of Object.entries(input)) if (k !== 'start' && !(Number.isSafeInteger(v) && (v as number) >= 0)) throw new Error(`Invariant broken: ${k} must be whole cents, got ${v}`);
  const year = Number(input.start.slice(0, 4));
  const thisYears = `${year}-${s.payInFullBy}`;
  const payInFullBy = input.start <= thisYears ? thisYears : `${year + 1}-${s.payInFullBy}`;
  const months = (Number(payInFullBy.slice(0, 4)) - year) * 12 + Number(payInFullBy.slice(5, 7)) - Number(input.start.slice(5, 7)) + 1;
  const capCents = Math.floor((input.monthlyIncomeCents * s.incomePercent) / 100) + Math.floor(input.arrearsCents / s.arrearsDivisor);
  const neededCents = input.estimatedMonthlyBillCents + Math.ceil(input.arrearsCents / months);
  const paymentCents = Math.min(neededCents, capCents);
  return { payInFullBy, months, capCents, neededCents, paymentCents, clearsArrears: (paymentCents - input.estimatedMonthlyBillCents) * months >= input.arrearsCents };
}

// ---- medical certificates ----

export interface MedicalSettings {
  /** Business days a disconnection waits once a medical emergency is told to the district. */
  noticeBusinessDays: number;
  /** Days a written certificate holds it. */
  certificateDays: number;
  /** Percent of the delinquent balance that must be paid for the certificate to hold. */
  paidPercent: number;
  /** At most this many certificates ... */
  maxCertificates: number;
  /** ... in this many days. */
  withinDays: number;
}
export const WASHINGTON_MEDICAL: MedicalSettings = { noticeBusinessDays: 5, certificateDays: 60, paidPercent: 10, maxCertificates: 2, withinDays: 120 };

export type MedicalDecision =
  | { accepted: true; holdsUntil: string; paymentDueCents: number }
  | { accepted: false; reason: string };

/**
 * A written medical certificate received on a day: refused beyond the limit (2 in 120 days,
 * named), else it holds disconnection for up to 60 days once 10% of the delinquent balance is paid.
 */
export function medicalCertificate(input: { receivedOn: string; earlier: readonly string[]; delinquentCents: number }, s: MedicalSettings = WASHINGTON_MEDICAL): MedicalDecision {
  const recent = input.earlier.filter((d) => d <= input.receivedOn && daysBetween(d, input.receivedOn) < s.withinDays);
  if (recent.length >= s.maxCertificates) {
    return { accepted: false, reason: `At most ${s.maxCertificates} medical certificates in ${s.withinDays} days: this account had ${recent.length} (${recent.join(', ')})` };
  }
  return { accepted: true, holdsUntil: addDays(input.receivedOn, s.certificateDays), paymentDueCents: Math.ceil((input.delinquentCents * s.paidPercent) / 100) };
}

/** The day a disconnection may proceed after a medical emergency was told to the district on a day (without a certificate). */
export const medicalNoticeHoldsUntil = (toldOn: string, s: MedicalSettings = WASHINGTON_MEDICAL, closures: readonly string[] = []) => addBusinessDays(toldOn, s.noticeBusinessDays, closures);

// ---- the collections path (configuration as data; see collection_steps) ----

export type StepAction = 'late_fee' | 'past_due_notice' | 'disconnect_notice' | 'final_notice' | 'disconnect_order' | 'final_bill';
export interface Step {
  code: string;
  position: number;
  action: StepAction;
  label: string;
  anchor: 'due_date' | 'previous_step' | 'disconnected';
  days: number;
  dayKind: 'business' | 'calendar';
  minPastDueCents: number;
  /** null: every customer class. */
  customerClasses: string[] | null;
  fee: { kind: 'flat'; cents: number; minBalanceCents: number; reasonCode: string } | { kind: 'percent'; percent: string; minBalanceCents: number; reasonCode: string } | null;
  active: boolean;
}

/** Where an account's case stands: what the steps count from. */
export interface CaseState {
  dueDate: string;
  openedOn: string;
  /** The last step done, and when. */
  stepCode: string | null;
  stepOn: string | null;
  /** From the disconnect notice: the first day service may be disconnected. */
  disconnectFrom: string | null;
  disconnectedOn: string | null;
}

const after = (date: string, days: number, kind: 'business' | 'calendar', closures: readonly string[]) => (kind === 'business' ? addBusinessDays(date, days, closures) : addDays(date, days));

/** The steps a case goes through after its late fees (which are per bill), for a customer class, in order. */
export const pathFor = (steps: readonly Step[], customerClass: string) =>
  steps.filter((s) => s.active && s.action !== 'late_fee' && (s.customerClasses === null || s.customerClasses.includes(customerClass))).sort((a, b) => a.position - b.position);

/**
 * The next step of a case and the first day it may be taken, or null at the end of the path (or
 * when the next step counts from a disconnection that has not happened). A disconnect order is
 * never due before the day the disconnect notice gave.
 */
export function nextStep(path: readonly Step[], c: CaseState, closures: readonly string[] = []): { step: Step; on: string } | null {
  const doneAt = c.stepCode === null ? -1 : path.findIndex((s) => s.code === c.stepCode);
  const step = path[doneAt + 1];
  if (!step) return null;
  let on: string;
  if (step.anchor === 'due_date') on = after(c.dueDate, step.days, step.dayKind, closures);
  else if (step.anchor === 'previous_step') on = after(c.stepOn ?? c.openedOn, step.days, step.dayKind, closures);
  else {
    if (!c.disconnectedOn) return null;
    on = after(c.disconnectedOn, step.days, step.dayKind, closures);
  }
  if (step.action === 'disconnect_order') {
    if (!c.disconnectFrom) return null; // no disconnection without a disconnect notice
    if (c.disconnectFrom > on) on = c.disconnectFrom;
  }
  if (on < c.openedOn) on = c.openedOn;
  return { step, on };
}

/** A step's fee on a past-due amount: flat, or a percent rounded half up to the cent; none below the minimum balance. */
export function feeCents(fee: NonNullable<Step['fee']>, pastDueCents: number): number {
  if (pastDueCents < fee.minBalanceCents || pastDueCents <= 0) return 0;
  if (fee.kind === 'flat') return fee.cents;
  const [whole, frac = ''] = fee.percent.split('.');
  const thousandths = BigInt(whole!) * 1000n + BigInt((frac + '000').slice(0, 3)); // percent x 1000
  const num = BigInt(pastDueCents) * thousandths; // cents x percent x 1000
  const den = 100_000n;
  return Number((num * 2n + den) / (2n * den));
}

/** The first day service may be disconnected after a notice mailed on `noticeOn` (in state or out of state). */
export const disconnectFrom = (noticeOn: string, outOfState: boolean, s: DelinquencySettings = WASHINGTON_DELINQUENCY, closures: readonly string[] = []) =>
  addBusinessDays(noticeOn, outOfState ? s.outOfStateNoticeBusinessDays : s.mailedNoticeBusinessDays, closures);

/** Whether a local time (HH:MM) is outside business hours or the day is not a business day: the after-hours reconnection fee applies. */
export function afterHours(localDate: string, localTime: string, from: string, to: string, closures: readonly string[] = []): boolean {
  return !isBusinessDay(localDate, closures) || localTime < from || localTime >= to;
}
