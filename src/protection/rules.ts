/**
 * Protections' and payment arrangements' own arithmetic, with no I/O (the Washington rules of
 * winter protection and medical certificates are collections' rules.ts, used as they are): the
 * instalment schedule of an arrangement, its standing on a day, the winter plan as instalments
 * on the arrears, the request window after a delinquency notice, the season's last day, the
 * delinquent balance and the estimated monthly bill.
 */
import { addBusinessDays } from '../billing/schedule.ts';
import { addDays, addMonths } from '../platform/dates.ts';
import { invalid } from '../platform/errors.ts';
import type { WinterPlan, WinterSettings } from '../collections/rules.ts';

export interface Instalment {
  n: number;
  dueOn: string;
  amountCents: number;
}

const wholeCents = (v: number, field: string, min = 0) => {
  if (!Number.isSafeInteger(v) || v < min) throw invalid(field, `must be a whole number of cents${min > 0 ? ' above zero' : ''}`);
};

/**
 * A standard arrangement's instalments: the arrears in `instalments` monthly parts (the first ones
 * a cent larger when it does not divide evenly), or in parts of `instalmentCents` with the last
 * one what is left; the first due on `firstDueOn`, then the same day each month.
 */
export function instalmentSchedule(input: { arrearsCents: number; instalments?: number; instalmentCents?: number; firstDueOn: string }): Instalment[] {
  wholeCents(input.arrearsCents, 'arrearsCents', 1);
  let amounts: number[];
  if (input.instalmentCents !== undefined) {
    wholeCents(input.instalmentCents, 'instalmentCents', 1);
    const n = Math.ceil(input.arrearsCents / input.instalmentCents);
    amounts = Array.from({ length: n }, (_, i) => (i < n - 1 ? input.instalmentCents! : input.arrearsCents - input.instalmentCents! * (n - 1)));
  } else {
    const n = input.instalments ?? 1;
    if (!Number.isInteger(n) || n < 1) throw invalid('instalments', 'must be a whole number, at least 1');
    if (n > input.arrearsCents) throw invalid('instalments', `${n} instalments of ${input.arrearsCents} cents would leave some at nothing`);
    const base = Math.floor(input.arrearsCents / n);
    const extra = input.arrearsCents - base * n;
    amounts = Array.from({ length: n }, (_, i) => base + (i < extra ? 1 : 0));
  }
  return amounts.map((amountCents, i) => ({ n: i + 1, dueOn: addMonths(input.firstDueOn, i), amountCents }));
}

/**
 * A winter plan as instalments on the arrears: each month the plan's payment less the estimated
 * bill (the current bill is due as usual), the last one, on or before the pay-in-full day, what
 * is left. Due monthly from `firstDueOn`; none after the pay-in-full day.
 */
export function winterInstalments(plan: WinterPlan, input: { arrearsCents: number; estimatedMonthlyBillCents: number; firstDueOn: string }): Instalment[] {
  const part = Math.max(0, plan.paymentCents - input.estimatedMonthlyBillCents);
  let left = input.arrearsCents;
  const out: Instalment[] = [];
  for (let i = 0; i < plan.months; i++) {
    const due = addMonths(input.firstDueOn, i);
    const amountCents = i === plan.months - 1 ? left : Math.min(part, left);
    left -= amountCents;
    out.push({ n: i + 1, dueOn: due < plan.payInFullBy ? due : plan.payInFullBy, amountCents });
  }
  return out;
}

/** What an arrangement's standing is worked out from, on a day (all cents). */
export interface StandingFacts {
  /** Payments (less any returned) since the arrangement started, through the day. */
  paidCents: number;
  /** Instalments owed on the day: due before it, less the grace days (the due date itself is the last day to pay). */
  instalmentsDueCents: number;
  /** Bills due after the start day (current bills) owed on the day in the same way. */
  billsDueCents: number;
  /** Every instalment, due or not. */
  instalmentsTotalCents: number;
  /** Bills due after the start day, by the day itself. */
  billsDueByDayCents: number;
}

/**
 * Good standing: the payments since the start cover every instalment and every bill that fell due
 * (past the grace days). Completed: they cover every instalment and the bills due by the day.
 */
export function standing(f: StandingFacts): { goodStanding: boolean; completed: boolean; shortCents: number } {
  const owed = f.instalmentsDueCents + f.billsDueCents;
  return { goodStanding: f.paidCents >= owed, completed: f.paidCents >= f.instalmentsTotalCents + f.billsDueByDayCents, shortCents: Math.max(0, owed - f.paidCents) };
}

/** The last day a customer may ask for winter protection after a delinquency notice (business days, inclusive). */
export const winterRequestDeadline = (noticeDate: string, businessDays: number) => addBusinessDays(noticeDate, businessDays);

/** The last day of the winter season a day falls in (the season spans the new year); null outside it. */
export function seasonLastDay(date: string, s: Pick<WinterSettings, 'from' | 'to'>): string | null {
  const md = date.slice(5);
  const year = Number(date.slice(0, 4));
  if (s.from <= s.to) return md >= s.from && md <= s.to ? `${year}-${s.to}` : null;
  if (md >= s.from) return `${year + 1}-${s.to}`;
  if (md <= s.to) return `${year}-${s.to}`;
  return null;
}

/** A heat alert's last day in force: its end date, or the day before it was ended early. */
export const heatAlertLastDay = (toDate: string, endedOn: string | null) => (endedOn !== null && addDays(endedOn, -1) < toDate ? addDays(endedOn, -1) : toDate);

/** The delinquent balance: what is owed less the bills not yet due (never below nothing). */
export const delinquentCents = (balanceCents: number, notYetDueCents: number) => Math.max(0, balanceCents - notYetDueCents);

/** The estimated monthly bill: the bills of the months billed, averaged per month (half a cent up); null with no bills. */
export function averageMonthlyBill(bills: readonly { billDate: string; totalCents: number }[]): number | null {
  const months = new Set(bills.map((b) => b.billDate.slice(0, 7)));
  if (months.size === 0) return null;
  const total = bills.reduce((n, b) => n + b.totalCents, 0);
  if (total <= 0) return 0;
  return Math.floor((2 * total + months.size) / (2 * months.size));
}
