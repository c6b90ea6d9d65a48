/**
 * Energy assistance's rules that need no database: a pledge's status from what arrived, its flag,
 * which pledge an agency's payment is for, and the program monitoring report (with its CSV). The
 * service gathers the facts and stores the outcome. Money is integer cents throughout.
 */
import { csvText } from '../platform/csv.ts';
import { centsToDecimal } from '../platform/money.ts';

export type PledgeStatus = 'open' | 'partial' | 'paid' | 'expired' | 'cancelled';
/** expired: the pledge lapsed with nothing received; short: it lapsed with part of it received. */
export type PledgeFlag = 'expired' | 'short';

/** What is still to come of a pledge (never negative: an agency may pay more than it pledged). */
export const outstandingOf = (p: { amountCents: number; receivedCents: number; status: PledgeStatus }): number =>
  p.status === 'cancelled' || p.status === 'expired' ? 0 : Math.max(0, p.amountCents - p.receivedCents);

/**
 * A pledge's status once `receivedCents` has arrived against it: paid when all of it has (even
 * after it expired: the agency paid late), partial when some has, and otherwise as it was. A
 * cancelled pledge stays cancelled, an expired one expired until it is paid in full.
 */
export function statusAfterReceipt(status: PledgeStatus, amountCents: number, receivedCents: number): PledgeStatus {
  if (status === 'cancelled') return 'cancelled';
  if (receivedCents >= amountCents) return 'paid';
  if (status === 'expired') return 'expired';
  return receivedCents > 0 ? 'partial' : 'open';
}

/** The flag a lapsed pledge carries on the lists: expired (nothing came) or short (less than pledged came). */
export function flagOf(p: { status: PledgeStatus; amountCents: number; receivedCents: number }): PledgeFlag | null {
  if (p.status !== 'expired') return null;
  return p.receivedCents > 0 && p.receivedCents < p.amountCents ? 'short' : 'expired';
}

/** An open pledge holds collection from the day it was pledged through its expiry date. */
export const holdsOn = (p: { status: PledgeStatus; pledgedOn: string; expiresOn: string }, date: string): boolean =>
  (p.status === 'open' || p.status === 'partial') && p.pledgedOn <= date && date <= p.expiresOn;

export interface CandidatePledge {
  id: number;
  accountId: number;
  agencyId: number;
  status: PledgeStatus;
  amountCents: number;
  receivedCents: number;
  pledgedOn: string;
  expiresOn: string;
}

/**
 * The pledge an agency's payment on an account is for, when the agency did not name one: the
 * oldest open pledge of that agency on the account with something still to come; else the latest
 * expired one with something still to come (the agency paid late); else none. `candidates` are
 * the account's pledges with what has arrived so far (this payment's earlier items included).
 */
export function pledgeFor(candidates: readonly CandidatePledge[], agencyId: number, accountId: number): CandidatePledge | null {
  const mine = candidates.filter((p) => p.agencyId === agencyId && p.accountId === accountId && p.receivedCents < p.amountCents);
  const live = mine.filter((p) => p.status === 'open' || p.status === 'partial').sort((a, b) => a.pledgedOn.localeCompare(b.pledgedOn) || a.id - b.id);
  if (live.length > 0) return live[0]!;
  const late = mine.filter((p) => p.status === 'expired').sort((a, b) => b.expiresOn.localeCompare(a.expiresOn) || b.id - a.id);
  return late[0] ?? null;
}

/** The items of an agency check must add up to the check: else the difference, in cents (check less items). */
export function itemsDifference(totalCents: number, items: readonly { amountCents: number }[]): number {
  return totalCents - items.reduce((a, i) => a + i.amountCents, 0);
}

// ---- the program monitoring report ----

export interface ReportPledge {
  agencyId: number;
  agencyCode: string;
  agencyName: string;
  programId: number;
  programCode: string;
  programName: string;
  status: PledgeStatus;
  amountCents: number;
  receivedCents: number;
}

export interface ReportRow {
  agencyId: number;
  agencyCode: string;
  agencyName: string;
  /** null on an agency's total row and the grand total. */
  programId: number | null;
  programCode: string | null;
  programName: string | null;
  /** Pledges made (cancelled ones left out) and their amount. */
  pledgedCount: number;
  pledgedCents: number;
  /** What the agency's payments against them came to. */
  receivedCents: number;
  /** Still to come on open and partly paid pledges. */
  outstandingCents: number;
  /** Pledges that lapsed before all of it came, and what never came of them. */
  expiredCount: number;
  expiredCents: number;
  /** Of the lapsed ones, those that came in part. */
  shortCount: number;
  cancelledCount: number;
}

const emptyRow = (p: Pick<ReportPledge, 'agencyId' | 'agencyCode' | 'agencyName'>, program: Pick<ReportPledge, 'programId' | 'programCode' | 'programName'> | null): ReportRow => ({
  agencyId: p.agencyId, agencyCode: p.agencyCode, agencyName: p.agencyName,
  programId: program?.programId ?? null, programCode: program?.programCode ?? null, programName: program?.programName ?? null,
  pledgedCount: 0, pledgedCents: 0, receivedCents: 0, outstandingCents: 0, expiredCount: 0, expiredCents: 0, shortCount: 0, cancelledCount: 0,
});

function add(row: ReportRow, p: ReportPledge): void {
  if (p.status === 'cancelled') {
    row.cancelledCount++;
    row.receivedCents += p.receivedCents;
    return;
  }
  row.pledgedCount++;
  row.pledgedCents += p.amountCents;
  row.receivedCents += p.receivedCents;
  row.outstandingCents += outstandingOf(p);
  if (p.status === 'expired') {
    row.expiredCount++;
    row.expiredCents += Math.max(0, p.amountCents - p.receivedCents);
    if (flagOf(p) === 'short') row.shortCount++;
  }
}

function sum(into: ReportRow, r: ReportRow): void {
  for (const k of ['pledgedCount', 'pledgedCents', 'receivedCents', 'outstandingCents', 'expiredCount', 'expiredCents', 'shortCount', 'cancelledCount'] as const) into[k] += r[k];
}

/**
 * Pledges by agency and program: for each program its row, after each agency's programs the
 * agency's total, and last the grand total (agency and program null). Programs without pledges
 * may be passed in `programs` to show them with zeros. Sorted by agency code, then program code.
 */
export function programReport(pledges: readonly ReportPledge[], programs: readonly Omit<ReportPledge, 'status' | 'amountCents' | 'receivedCents'>[] = []): { programs: ReportRow[]; agencies: ReportRow[]; total: ReportRow } {
  const byProgram = new Map<number, ReportRow>();
  for (const p of programs) byProgram.set(p.programId, emptyRow(p, p));
  for (const p of pledges) {
    const row = byProgram.get(p.programId) ?? emptyRow(p, p);
    byProgram.set(p.programId, row);
    add(row, p);
  }
  const rows = [...byProgram.values()].sort((a, b) => a.agencyCode.localeCompare(b.agencyCode) || (a.programCode ?? '').localeCompare(b.programCode ?? ''));
  const agencies = new Map<number, ReportRow>();
  for (const r of rows) {
    const a = agencies.get(r.agencyId) ?? emptyRow(r, null);
    agencies.set(r.agencyId, a);
    sum(a, r);
  }
  const total = emptyRow({ agencyId: 0, agencyCode: '', agencyName: 'All agencies' }, null);
  for (const a of agencies.values()) sum(total, a);
  return { programs: rows, agencies: [...agencies.values()], total };
}

/**
 * The report as CSV: one line per program, each agency's total after its programs ("All
 * programs"), the grand total last; amounts in dollars and cents ("1234.50").
 */
export function programReportCsv(report: ReturnType<typeof programReport>, range: { from: string | null; to: string | null }): string {
  const header = ['Agency code', 'Agency', 'Program code', 'Program', 'Pledges', 'Pledged', 'Received', 'Outstanding', 'Expired pledges', 'Expired unpaid', 'Short pledges', 'Cancelled pledges', 'Pledged from', 'Pledged to'];
  const line = (r: ReportRow, programCode: string | null, programName: string | null) => [
    r.agencyCode, r.agencyName, programCode, programName, r.pledgedCount, centsToDecimal(r.pledgedCents), centsToDecimal(r.receivedCents), centsToDecimal(r.outstandingCents),
    r.expiredCount, centsToDecimal(r.expiredCents), r.shortCount, r.cancelledCount, range.from, range.to,
  ].map((v) => (v === null ? '' : String(v)));
  const lines = [header];
  for (const agency of report.agencies) {
    for (const r of report.programs.filter((p) => p.agencyId === agency.agencyId)) lines.push(line(r, r.programCode, r.programName));
    lines.push(line(agency, '', 'All programs'));
  }
  lines.push(line(report.total, '', 'All programs'));
  return csvText(lines);
}
