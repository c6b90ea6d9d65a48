/**
 * Deceased customers' rules, with no I/O: the creditor-claim deadline (RCW 11.40.051: a claim must
 * be presented within 4 months of the first publication of the probate notice), whether a claim
 * filed on a day is in time, which claims are due soon, and the claim's status steps.
 */
import { addDays, addMonths } from '../platform/dates.ts';

/**
 * The last day a claim may be presented: the first publication plus the claim months, the same
 * day of the month, clamped to the month's end (Oct 31 + 4 months = Feb 28, or Feb 29 in a leap
 * year). A claim on that day is in time.
 */
export const claimDeadline = (firstPublicationOn: string, months = 4): string => addMonths(firstPublicationOn, months);

/** Why a claim filed on `filedOn` is refused, or null when it is in time. */
export function lateClaimReason(filedOn: string, firstPublicationOn: string | null, months = 4): string | null {
  if (firstPublicationOn === null) return 'the date the probate notice was first published is not recorded: record the estate first';
  const deadline = claimDeadline(firstPublicationOn, months);
  if (filedOn > deadline) return `the deadline to present a claim was ${deadline} (${months} months after the probate notice was first published on ${firstPublicationOn}; RCW 11.40.051)`;
  return null;
}

/** A claim not yet filed is due soon when its deadline is from today to `warnDays` days ahead. */
export const dueSoon = (deadline: string | null, today: string, warnDays = 14): boolean => deadline !== null && deadline >= today && deadline <= addDays(today, warnDays);

export type ClaimStatus = 'draft' | 'filed' | 'allowed' | 'rejected' | 'paid' | 'written_off';

/** The steps a claim may take from each status. */
export const CLAIM_STEPS: Readonly<Record<ClaimStatus, readonly ClaimStatus[]>> = {
  draft: ['filed'],
  filed: ['allowed', 'rejected'],
  allowed: ['paid', 'written_off'],
  rejected: ['written_off'],
  paid: [],
  written_off: [],
};
export const canStep = (from: ClaimStatus, to: ClaimStatus) => CLAIM_STEPS[from].includes(to);
