/**
 * The rules of final accounts (C14), pure: no I/O, no clock. The service gathers the facts of an
 * account on a day and asks what the daily job does with it; the agency's commission on what it
 * collected; how much written-off money goes back on an account when money comes later.
 */
import { addDays } from '../platform/dates.ts';
import { Dec } from '../platform/decimal.ts';
import { formatCents } from '../platform/money.ts';

export interface BadDebtRules {
  /** The pre-collection letter goes this many days after the final bill's due date. */
  letterAfterDueDays: number;
  /** Days after the letter before the account may be placed with an agency. */
  placementWaitDays: number;
  /** Balances below this are not worked. */
  minPlacementCents: number;
}

/** What the daily job knows of a final account on a day. */
export interface FinalAccountFacts {
  balanceCents: number;
  /** The latest final bill's due date. */
  finalDueDate: string;
  /** The pre-collection letter, once sent. */
  letter: { date: string; placeAfter: string } | null;
  /** A security deposit still billed or held: the deposit job applies it to the final bill first. */
  depositHeld: boolean;
  /** A bankruptcy or deceased alert in force on the account (never placed while it is). */
  blockingAlert: { kind: string; note: string | null } | null;
  /** Made a placement candidate, or placed, at any time before (the job makes each account a candidate once). */
  candidateBefore: boolean;
}

export type FinalAccountStep =
  | { action: 'letter' }
  | { action: 'candidate' }
  /** Nothing today: waiting for a day, the deposit, or already done. */
  | { action: 'wait'; until: string | null; why: string }
  /** Not worked at all while this holds (an alert, a small balance). */
  | { action: 'skip'; why: string };

/** The day the pre-collection letter is due: the final bill's due date plus the set days. */
export const letterDay = (finalDueDate: string, rules: Pick<BadDebtRules, 'letterAfterDueDays'>) => addDays(finalDueDate, rules.letterAfterDueDays);
/** The first day an account may be placed: the letter's date plus the waiting period. */
export const placeAfter = (letterDate: string, rules: Pick<BadDebtRules, 'placementWaitDays'>) => addDays(letterDate, rules.placementWaitDays);

/** What the daily job does with a final account on `date`. */
export function stepFor(facts: FinalAccountFacts, rules: BadDebtRules, date: string): FinalAccountStep {
  if (facts.blockingAlert) return { action: 'skip', why: `${facts.blockingAlert.kind === 'bankruptcy' ? 'Bankruptcy' : 'Deceased'} alert in force${facts.blockingAlert.note ? ` (${facts.blockingAlert.note})` : ''}: not collected` };
  if (facts.balanceCents < rules.minPlacementCents) return { action: 'skip', why: `Balance ${formatCents(facts.balanceCents)} is below the ${formatCents(rules.minPlacementCents)} minimum` };
  if (!facts.letter) {
    if (facts.depositHeld) return { action: 'wait', until: null, why: 'A security deposit is still held: the deposit job applies it to the final bill first' };
    const due = letterDay(facts.finalDueDate, rules);
    if (date < due) return { action: 'wait', until: due, why: `Pre-collection letter due on ${due} (${rules.letterAfterDueDays} days after the final bill's due date ${facts.finalDueDate})` };
    return { action: 'letter' };
  }
  if (facts.candidateBefore) return { action: 'wait', until: null, why: 'Placed, or made ready to place, before: the job does not place it again (staff may)' };
  if (date < facts.letter.placeAfter) return { action: 'wait', until: facts.letter.placeAfter, why: `Waiting period after the letter of ${facts.letter.date} ends on ${facts.letter.placeAfter}` };
  return { action: 'candidate' };
}

/** The agency's commission on what it collected: gross x percent / 100, to the cent, half up. */
export function commissionCents(grossCents: number, percent: string): number {
  if (!Number.isSafeInteger(grossCents) || grossCents < 0) throw new Error(`commissionCents: ${grossCents} is not a whole number of cents`);
  return Number(Dec.of(grossCents).times(percent).div(100, 0, 'half_up').toString());
}

/** Whether a percentage is one an agency may keep: 0 to 100 with at most two decimals ("30", "30.00", "27.5"). */
export const isPercent = (text: string) => /^\d{1,3}(\.\d{1,2})?$/.test(text) && Dec.of(text).cmp(100) <= 0;
/** A percentage as the database keeps it, two decimals: "30" -> "30.00". */
export const normalPercent = (text: string) => Dec.of(text).round(2).toFixed(2);

/**
 * Money written off and now to be put back: up to `cents` (the credit on the account, or what an
 * agency collected), from the oldest write-off with something not yet reinstated, never more than
 * was written off.
 */
export function reinstatements(cents: number, writeOffs: { id: number; amountCents: number; reinstatedCents: number }[]): { writeOffId: number; cents: number }[] {
  const out: { writeOffId: number; cents: number }[] = [];
  let left = Math.max(0, cents);
  for (const w of [...writeOffs].sort((a, b) => a.id - b.id)) {
    if (left === 0) break;
    const open = w.amountCents - w.reinstatedCents;
    if (open <= 0) continue;
    const take = Math.min(open, left);
    out.push({ writeOffId: w.id, cents: take });
    left -= take;
  }
  return out;
}

/**
 * An agency's report of one collection checked: gross = commission + net, and the commission the
 * agreed percentage of the gross (a cent either way allowed for the agency's rounding). Null when
 * it is right, else why not.
 */
export function collectionFault(c: { grossCents: number; commissionCents: number; netCents: number }, percent: string): string | null {
  if (c.grossCents <= 0) return 'the gross collected must be more than zero';
  if (c.commissionCents < 0 || c.netCents < 0) return 'the commission and the net cannot be negative';
  if (c.commissionCents + c.netCents !== c.grossCents) return `the commission ${formatCents(c.commissionCents)} and the net ${formatCents(c.netCents)} do not add up to the gross ${formatCents(c.grossCents)}`;
  const expected = commissionCents(c.grossCents, percent);
  if (Math.abs(c.commissionCents - expected) > 1) return `the commission ${formatCents(c.commissionCents)} is not ${percent}% of ${formatCents(c.grossCents)} (${formatCents(expected)})`;
  return null;
}
