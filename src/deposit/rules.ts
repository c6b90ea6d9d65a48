/**
 * Security deposits' rules, with no I/O: whether credit history calls for a deposit, its cap
 * (WAC 480-100-113 practice: 2/12 of the estimated annual bill), the instalments, and the simple
 * interest earned while it is held.
 */
import { addDays, addMonths, daysBetween } from '../platform/dates.ts';
import { Dec } from '../platform/decimal.ts';

export interface CreditFacts {
  /** Other accounts of the customer with this district, with what each still owes. */
  priorAccounts: { accountNumber: string; status: string; balanceCents: number; openedOn: string }[];
  /** When the account itself was opened (its own history counts too). */
  openedOn: string;
  /** Returned payments of the customer's accounts in the last 12 months. */
  returnedPaymentsInYear: number;
  /** Disconnections for non-payment of the customer's accounts in the set months. */
  disconnects: number;
  today: string;
}
export interface CreditSettings {
  requireWithoutHistory: boolean;
  returnedPaymentsInYear: number;
  disconnectMonths: number;
}
export interface CreditDecision {
  required: boolean;
  /** The rule that calls for a deposit, or 'good_history' when none does. */
  rule: 'unpaid_prior_account' | 'disconnect_history' | 'returned_payments' | 'no_credit_history' | 'good_history';
  detail: string;
}

/** The first credit rule that calls for a deposit. */
export function creditDecision(f: CreditFacts, s: CreditSettings): CreditDecision {
  const unpaid = f.priorAccounts.filter((a) => (a.status === 'final' || a.status === 'closed') && a.balanceCents > 0);
  if (unpaid.length > 0) return { required: true, rule: 'unpaid_prior_account', detail: `Unpaid balance on earlier account(s) ${unpaid.map((a) => a.accountNumber).join(', ')}` };
  if (f.disconnects > 0) return { required: true, rule: 'disconnect_history', detail: `${f.disconnects} disconnection(s) for non-payment in the last ${s.disconnectMonths} months` };
  if (f.returnedPaymentsInYear >= s.returnedPaymentsInYear) return { required: true, rule: 'returned_payments', detail: `${f.returnedPaymentsInYear} returned payment(s) in the last 12 months` };
  const year = addMonths(f.today, -12);
  const history = f.openedOn <= year || f.priorAccounts.some((a) => a.openedOn <= year);
  if (!history && s.requireWithoutHistory) return { required: true, rule: 'no_credit_history', detail: 'No 12 months of payment history with the district' };
  return { required: false, rule: 'good_history', detail: history ? 'Twelve months or more of good payment with the district' : 'No deposit asked of new customers' };
}

/** The most a deposit may be: `twelfths`/12 of the estimated annual bill, in whole dollars (down). */
export const capCents = (annualCents: number, twelfths: number) => Math.floor((annualCents * twelfths) / 12 / 100) * 100;

/** Instalments of a deposit, a month apart from the first; the odd cents go on the first. */
export function instalments(amountCents: number, count: number, firstDue: string): { n: number; amountCents: number; dueOn: string }[] {
  if (!(Number.isSafeInteger(amountCents) && amountCents > 0 && Number.isInteger(count) && count >= 1)) throw new Error(`Invariant broken: ${count} instalments of ${amountCents}`);
  const each = Math.floor(amountCents / count);
  return Array.from({ length: count }, (_, i) => ({ n: i + 1, amountCents: i === 0 ? amountCents - each * (count - 1) : each, dueOn: addMonths(firstDue, i) }));
}

/**
 * Simple interest on the parts of a deposit held, each from the day it was paid to `to` (not
 * counting that day), at the yearly rate in force each day (a year of 365 days), rounded half-up
 * to the cent once at the end.
 */
export function interestCents(parts: { cents: number; from: string }[], to: string, rates: { effectiveFrom: string; percent: string }[]): number {
  const sorted = [...rates].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  let total = Dec.of(0);
  for (const part of parts) {
    if (part.from >= to) continue;
    // Walk the rate periods that overlap [from, to).
    for (let i = 0; i < sorted.length; i++) {
      const start = sorted[i]!.effectiveFrom > part.from ? sorted[i]!.effectiveFrom : part.from;
      const end = i + 1 < sorted.length && sorted[i + 1]!.effectiveFrom < to ? sorted[i + 1]!.effectiveFrom : to;
      if (start >= end) continue;
      const days = daysBetween(start, end);
      total = total.plus(Dec.of(part.cents).times(sorted[i]!.percent).times(days));
    }
  }
  // cents x percent x days / (100 x 365)
  return Number(total.div(36500, 0, 'half_up').toString());
}

/** Whether a deposit fully paid on `paidOn` has been held the good-payment months by `today`. */
export const heldLongEnough = (paidOn: string, today: string, months: number) => addMonths(paidOn, months) <= today;

/** The day an instalment is late: its due date plus the days to pay. */
export const lateAfter = (dueOn: string, dueDays: number) => addDays(dueOn, dueDays);
