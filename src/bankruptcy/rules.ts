/**
 * Bankruptcy's rules, with no I/O: the split of an account's debt at the petition into
 * pre-petition debt (which the automatic stay holds out of collection and a discharge writes off)
 * and post-petition debt (collected as usual), and how much of the pre-petition debt is still held.
 *
 * Pre-petition debt = the balance at the end of the day before the petition (every ledger entry
 * dated before it) + for each posted bill dated on or after the petition whose service period began
 * before it, the share of its total for the days of its period before the petition:
 *   total x days before the petition / days in the period (both ends counted),
 * rounded half up (away from zero) to the cent, each bill on its own; never below zero.
 * Held = the pre-petition debt, but never more than what the account owes now (payments after the
 * petition are applied as usual; the held amount does not change until discharge or dismissal,
 * except that it never exceeds the balance). Post-petition = the balance less what is held.
 */
import { addDays, daysBetween } from '../platform/dates.ts';
import { Dec } from '../platform/decimal.ts';
import { formatCents } from '../platform/money.ts';

export interface SpanningBill {
  billId: number;
  service: string;
  periodFrom: string;
  periodTo: string;
  billDate: string;
  totalCents: number;
}

export interface SplitFacts {
  petitionDate: string;
  /** The balance at the end of the day before the petition. */
  balanceBeforeCents: number;
  /** Posted bills dated on or after the petition whose period began before it. */
  bills: SpanningBill[];
  /** What the account owes now (at the end of the day asked about). */
  balanceCents: number;
}

export interface SplitBillShare extends SpanningBill {
  periodDays: number;
  daysBefore: number;
  prePetitionCents: number;
}

export interface Split {
  petitionDate: string;
  balanceBeforeCents: number;
  bills: SplitBillShare[];
  /** The pre-petition debt (never below zero). */
  prePetitionCents: number;
  /** Of it, what the stay still holds out of collection: at most the balance now. */
  heldCents: number;
  balanceCents: number;
  /** The balance less what is held (negative: a credit). */
  postPetitionCents: number;
  /** The arithmetic in words, for the case file and the screens. */
  derivation: string;
}

/** A bill's share for the days of its period before the petition, half up to the cent. */
export function billShare(bill: SpanningBill, petitionDate: string): SplitBillShare {
  const periodDays = daysBetween(bill.periodFrom, bill.periodTo) + 1;
  const daysBefore = Math.max(0, Math.min(periodDays, daysBetween(bill.periodFrom, petitionDate)));
  const cents = daysBefore === periodDays ? bill.totalCents : Number(Dec.of(bill.totalCents).times(daysBefore).div(periodDays, 0, 'half_up').toString());
  return { ...bill, periodDays, daysBefore, prePetitionCents: cents };
}

export function prePetitionSplit(f: SplitFacts): Split {
  const shares = f.bills.map((b) => billShare(b, f.petitionDate));
  const raw = f.balanceBeforeCents + shares.reduce((n, s) => n + s.prePetitionCents, 0);
  const pre = Math.max(0, raw);
  const held = Math.max(0, Math.min(pre, f.balanceCents));
  const parts = [`Balance at the end of ${addDays(f.petitionDate, -1)} (the day before the petition): ${formatCents(f.balanceBeforeCents)}`];
  for (const s of shares) {
    parts.push(`+ bill ${s.billId} (${s.service}, ${s.periodFrom} to ${s.periodTo}, ${formatCents(s.totalCents)}): ${s.daysBefore} of ${s.periodDays} days before the petition = ${formatCents(s.prePetitionCents)}${(s.totalCents * s.daysBefore) % s.periodDays !== 0 ? ' (rounded half up to the cent)' : ''}`);
  }
  let derivation = `${parts.join('; ')}; = pre-petition debt ${formatCents(pre)}${raw < 0 ? ` (${formatCents(raw)} is a credit: no pre-petition debt)` : ''}`;
  if (held < pre) derivation += `; held ${formatCents(held)}, no more than the balance now (${formatCents(f.balanceCents)})`;
  return {
    petitionDate: f.petitionDate, balanceBeforeCents: f.balanceBeforeCents, bills: shares, prePetitionCents: pre, heldCents: held, balanceCents: f.balanceCents,
    postPetitionCents: f.balanceCents - held, derivation,
  };
}

/** The day the adequate-assurance deposit is due: the petition date plus the set days. */
export const assuranceDueOn = (petitionDate: string, days: number) => addDays(petitionDate, days);

export type AssuranceState = 'not_asked' | 'due' | 'overdue' | 'paid' | 'waived' | 'ended';

/** Where an account's adequate assurance stands (the deposit's status and what of it is held). */
export function assuranceState(a: { waived: boolean; deposit: { status: string; amountCents: number; heldCents: number } | null; dueOn: string; today: string }): AssuranceState {
  if (a.waived) return 'waived';
  if (!a.deposit) return 'not_asked';
  if (a.deposit.status === 'held' || (a.deposit.status === 'billing' && a.deposit.heldCents >= a.deposit.amountCents)) return 'paid';
  if (a.deposit.status !== 'billing') return 'ended';
  return a.today > a.dueOn ? 'overdue' : 'due';
}
