/**
 * Bad debt (C14): what happens to an account once its service has ended with money still owed.
 *
 * A final account is one whose every service agreement has ended with its final bill posted,
 * owing more than zero. The daily job (`run`, once per date) waits until the deposit context has
 * applied any deposit held and until the final bill is past due by the set days, then sends the
 * pre-collection letter (kept as a PDF); after the waiting period, with the balance still owing,
 * it makes the account a placement candidate. Staff place candidates with a collection agency by
 * file (the agency's CSV layout), which records each placement and flags the account. Accounts
 * with a bankruptcy or deceased alert in force, and balances below the minimum, are never placed.
 *
 * What an agency collects is posted net of its commission: the net as a payment (one closed
 * 'agency' batch per remittance, through the payment context), the commission as a 'writeoff'
 * ledger entry (AGENCY_COMMISSION), so the balance falls by the gross. A supervisor (a second
 * person) approves a write-off to bad debt (WRITE_OFF); money that comes later is put back
 * (WRITE_OFF_REINSTATED) up to what was written off, by the agency's collection or by the daily
 * job when a payment leaves a credit. A prior balance moves to the same customer's active account
 * (TRANSFER_OUT and TRANSFER_IN, one transaction). Every change is audited with its reason.
 */
import { createHash } from 'node:crypto';
import { recordChange } from '../audit/index.ts';
import { customers } from '../customer/index.ts';
import { deposits } from '../deposit/index.ts';
import { ledger } from '../ledger/index.ts';
import { agencyPayments } from '../payment/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { isDate } from '../platform/dates.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { formatCents } from '../platform/money.ts';
import { precollectionLetterPdf, type LetterMeta } from './letters.ts';
import { DEFAULT_PLACEMENT_COLUMNS, layoutFault, parseRemittance, placementCsv, recallCsv, RemittanceFileError, type PlacementRow as FileRow } from './placement-file.ts';
import * as repo from './repository.ts';
import { collectionFault, commissionCents, isPercent, normalPercent, placeAfter, reinstatements, stepFor, type FinalAccountStep } from './rules.ts';

export type { FinalAccountStep } from './rules.ts';
export type { LetterMeta } from './letters.ts';

// ---- shapes ----

export interface BadDebtSettings {
  letterAfterDueDays: number;
  placementWaitDays: number;
  minPlacementCents: number;
  /** When set, the daily job makes this agency's placement file of the day's candidates itself. */
  autoPlaceAgencyId: number | null;
  /** Not a setting: a write-off is always approved by a supervisor other than the one who asked. */
  writeOffApproval: 'supervisor';
}

export interface CollectionAgency {
  id: number;
  code: string;
  name: string;
  /** Exact, two decimals: "30.00". */
  commissionPercent: string;
  vendorId: string;
  fileColumns: string[];
  fileHeader: boolean;
  active: boolean;
  createdAt: string;
}

export interface PrecollectionLetter {
  id: number;
  accountId: number;
  letterDate: string;
  balanceCents: number;
  finalBillDate: string;
  finalDueDate: string;
  placeAfter: string;
  agencyName: string | null;
  createdAt: string;
}

export interface Candidate {
  id: number;
  accountId: number;
  since: string;
  source: 'run' | 'staff';
  reason: string;
  placementId: number | null;
  withdrawnAt: string | null;
  withdrawnReason: string | null;
}

export type RecallReason = 'paid' | 'dispute' | 'bankruptcy' | 'deceased' | 'error' | 'other' | 'transferred';
export const recallReasons: readonly RecallReason[] = ['paid', 'dispute', 'bankruptcy', 'deceased', 'error', 'other', 'transferred'];

export interface Placement {
  id: number;
  accountId: number;
  agencyId: number;
  fileId: number;
  placedOn: string;
  amountCents: number;
  status: 'placed' | 'recalled';
  recalledOn: string | null;
  recallReason: RecallReason | null;
  recallNote: string | null;
  recallFileId: number | null;
}

export interface AgencyCollection {
  id: number;
  placementId: number;
  accountId: number;
  agencyId: number;
  collectedOn: string;
  grossCents: number;
  commissionCents: number;
  netCents: number;
  reference: string | null;
  remittanceId: number | null;
  paymentId: number | null;
  batchId: number | null;
  commissionEntryId: number | null;
  createdAt: string;
}

export type WriteOffStatus = 'requested' | 'approved' | 'refused' | 'cancelled';
export interface WriteOff {
  id: number;
  accountId: number;
  status: WriteOffStatus;
  requestedCents: number;
  /** What was written off (the balance on approval). */
  amountCents: number | null;
  /** Of it, put back on the account since (money came later). */
  reinstatedCents: number;
  reason: string;
  requestedAt: string;
  requestedBy: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
  writtenOffOn: string | null;
  ledgerEntryId: number | null;
}

export interface BalanceTransfer {
  id: number;
  transferKey: string;
  fromAccountId: number;
  toAccountId: number;
  amountCents: number;
  transferredOn: string;
  recalledPlacementId: number | null;
  outEntryId: number | null;
  inEntryId: number | null;
  reason: string;
  createdAt: string;
}

export interface FileSummary { id: number; agencyId: number; agencyCode: string; fileName: string; createdAt: string }
export interface PlacementFile extends FileSummary { placements: number; totalCents: number; placedOn: string }
export interface RecallFile extends FileSummary { recalls: number }

export interface RunResult {
  date: string;
  /** The day had been run before: nothing was done now. */
  alreadyRun: boolean;
  firstRunAt: string | null;
  accountsReviewed: number;
  letters: number;
  /** Accounts made placement candidates (ready for an agency's placement file). */
  candidates: number;
  /** Accounts placed by the job itself (when the settings name an agency for it). */
  placed: number;
  placementFileId: number | null;
  /** Placements recalled by the job: a bankruptcy or deceased alert, or the balance paid. */
  recalled: number;
  /** Write-offs with money put back because a payment left a credit, and how much. */
  reinstated: number;
  reinstatedCents: number;
  actions: { accountId: number; accountNumber: string; action: 'letter' | 'candidate' | 'placed' | 'recalled' | 'reinstated'; detail: string }[];
  /** Final accounts the job passed over and why (an alert, a small balance, a deposit still held, a day not yet come). */
  skipped: { accountId: number; accountNumber: string; why: string; until: string | null }[];
}

// ---- mapping ----

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toAgency = (r: repo.AgencyRow): CollectionAgency => ({
  id: r.id, code: r.code, name: r.name, commissionPercent: r.commission_percent, vendorId: r.vendor_id, fileColumns: r.file_columns, fileHeader: r.file_header, active: r.active, createdAt: r.created_at.toISOString(),
});
const toLetter = (r: repo.LetterRow): PrecollectionLetter => ({
  id: r.id, accountId: r.account_id, letterDate: r.letter_date, balanceCents: r.balance_cents, finalBillDate: r.final_bill_date, finalDueDate: r.final_due_date, placeAfter: r.place_after, agencyName: r.agency_name, createdAt: r.created_at.toISOString(),
});
const toCandidate = (r: repo.CandidateRow): Candidate => ({
  id: r.id, accountId: r.account_id, since: r.since, source: r.source, reason: r.reason, placementId: r.placement_id, withdrawnAt: iso(r.withdrawn_at), withdrawnReason: r.withdrawn_reason,
});
const toPlacement = (r: repo.PlacementRow): Placement => ({
  id: r.id, accountId: r.account_id, agencyId: r.agency_id, fileId: r.file_id, placedOn: r.placed_on, amountCents: r.amount_cents, status: r.status,
  recalledOn: r.recalled_on, recallReason: r.recall_reason as RecallReason | null, recallNote: r.recall_note, recallFileId: r.recall_file_id,
});
const toCollection = (r: repo.CollectionRow): AgencyCollection => ({
  id: r.id, placementId: r.placement_id, accountId: r.account_id, agencyId: r.agency_id, collectedOn: r.collected_on, grossCents: r.gross_cents, commissionCents: r.commission_cents, netCents: r.net_cents,
  reference: r.reference, remittanceId: r.remittance_id, paymentId: r.payment_id, batchId: r.batch_id, commissionEntryId: r.commission_entry_id, createdAt: r.created_at.toISOString(),
});
const toWriteOff = (r: repo.WriteOffRow): WriteOff => ({
  id: r.id, accountId: r.account_id, status: r.status, requestedCents: r.requested_cents, amountCents: r.amount_cents, reinstatedCents: r.reinstated_cents, reason: r.reason,
  requestedAt: r.requested_at.toISOString(), requestedBy: r.requested_by_name, decidedAt: iso(r.decided_at), decidedBy: r.decided_by_name, decisionReason: r.decision_reason,
  writtenOffOn: r.written_off_on, ledgerEntryId: r.ledger_entry_id,
});
const toTransfer = (r: repo.TransferRow): BalanceTransfer => ({
  id: r.id, transferKey: r.transfer_key, fromAccountId: r.from_account_id, toAccountId: r.to_account_id, amountCents: r.amount_cents, transferredOn: r.transferred_on,
  recalledPlacementId: r.recalled_placement_id, outEntryId: r.out_entry_id, inEntryId: r.in_entry_id, reason: r.reason, createdAt: r.created_at.toISOString(),
});
const named = (r: repo.Named) => ({ accountNumber: r.account_number, customerName: r.customer_name });
const page = <T extends { id: number }>(rows: T[], limit: number) => ({ items: rows.slice(0, limit), next: rows.length > limit ? rows[limit - 1]!.id : null });

const canApprove = (actor: Actor) => actor.role === 'supervisor' || actor.role === 'admin' || actor.role === 'system';
/** The same person: the same staff user, or (for the system and tests without users) the same name. */
const samePerson = (a: { userId: number | null; username: string }, userId: number | null, username: string) => (a.userId !== null && userId !== null ? a.userId === userId : a.username === username);

// ---- settings ----

export async function getSettings(db: Db): Promise<BadDebtSettings> {
  const s = await repo.settings(db);
  return { letterAfterDueDays: s.letter_after_due_days, placementWaitDays: s.placement_wait_days, minPlacementCents: s.min_placement_cents, autoPlaceAgencyId: s.auto_place_agency_id, writeOffApproval: 'supervisor' };
}

export async function updateSettings(db: Db, actor: Actor, clock: Clock, patch: Partial<Omit<BadDebtSettings, 'writeOffApproval'>>, reason: string): Promise<BadDebtSettings> {
  for (const k of ['letterAfterDueDays', 'placementWaitDays', 'minPlacementCents'] as const) {
    const v = patch[k];
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= 0 && (k === 'minPlacementCents' || v <= 365))) throw invalid(k, k === 'minPlacementCents' ? 'must be a whole number of cents, 0 or more' : 'must be a whole number of days from 0 to 365');
  }
  return transact(db, async (trx) => {
    if (patch.autoPlaceAgencyId !== undefined && patch.autoPlaceAgencyId !== null) {
      const agency = await repo.findAgency(trx, patch.autoPlaceAgencyId);
      if (!agency) throw notFound('Collection agency', patch.autoPlaceAgencyId);
      if (!agency.active) throw new AppError('conflict', `Collection agency ${agency.code} is not active; the job cannot place with it`);
    }
    const before = await getSettings(trx);
    const after = { ...before, ...patch, writeOffApproval: 'supervisor' as const };
    await repo.updateSettings(trx, after, clock.now(), actor.userId);
    await recordChange(trx, actor, { action: 'update', entityType: 'bad_debt_settings', entityId: 'bad-debt', before: { ...before }, after: { ...after }, reason });
    return after;
  });
}

// ---- agencies ----

export interface AgencyInput { code: string; name: string; commissionPercent: string; vendorId?: string; fileColumns?: string[]; fileHeader?: boolean }

function checkAgency(a: Partial<AgencyInput>) {
  if (a.code !== undefined && !/^[A-Z0-9][A-Z0-9_-]{0,19}$/.test(a.code)) throw invalid('code', 'must be 1 to 20 capital letters, digits, - or _ (e.g. NWCOLL)');
  if (a.name !== undefined && !a.name.trim()) throw invalid('name', 'is required');
  if (a.commissionPercent !== undefined && !isPercent(a.commissionPercent)) throw invalid('commissionPercent', `"${a.commissionPercent}" must be a percentage from 0 to 100 with at most two decimals, e.g. "30.00"`);
  if (a.fileColumns !== undefined) {
    const fault = layoutFault(a.fileColumns);
    if (fault) throw invalid('fileColumns', fault);
  }
}

export const listAgencies = async (db: Db) => (await repo.listAgencies(db)).map(toAgency);
export async function getAgency(db: Db, id: number): Promise<CollectionAgency> {
  const r = await repo.findAgency(db, id);
  if (!r) throw notFound('Collection agency', id);
  return toAgency(r);
}
export async function agencyByCode(db: Db, code: string): Promise<CollectionAgency> {
  const r = await repo.findAgencyByCode(db, code.toUpperCase());
  if (!r) throw notFound('Collection agency', code);
  return toAgency(r);
}

export async function createAgency(db: Db, actor: Actor, clock: Clock, input: AgencyInput, reason: string): Promise<CollectionAgency> {
  checkAgency(input);
  return transact(db, async (trx) => {
    const row = await repo.insertAgency(trx, {
      code: input.code, name: input.name.trim(), commissionPercent: normalPercent(input.commissionPercent), vendorId: input.vendorId?.trim() ?? '',
      fileColumns: input.fileColumns ?? DEFAULT_PLACEMENT_COLUMNS, fileHeader: input.fileHeader ?? true, at: clock.now(), by: actor.userId,
    });
    if (!row) throw new AppError('conflict', `A collection agency with the code ${input.code} exists already`);
    const agency = toAgency(row);
    await recordChange(trx, actor, { action: 'create', entityType: 'collection_agency', entityId: agency.id, after: { ...agency, createdAt: undefined }, reason });
    return agency;
  });
}

export async function updateAgency(db: Db, actor: Actor, clock: Clock, id: number, patch: Partial<Omit<AgencyInput, 'code'>> & { active?: boolean }, reason: string): Promise<CollectionAgency> {
  checkAgency(patch);
  return transact(db, async (trx) => {
    const before = await getAgency(trx, id);
    const next = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as CollectionAgency;
    if (!next.active && (await getSettings(trx)).autoPlaceAgencyId === id) throw new AppError('conflict', `Collection agency ${before.code} is the one the daily job places with; choose another in the settings first`);
    const after = toAgency(await repo.updateAgency(trx, id, {
      name: next.name.trim(), commissionPercent: normalPercent(next.commissionPercent), vendorId: next.vendorId.trim(), fileColumns: next.fileColumns, fileHeader: next.fileHeader, active: next.active, at: clock.now(), by: actor.userId,
    }));
    await recordChange(trx, actor, { action: 'update', entityType: 'collection_agency', entityId: id, before: { ...before }, after: { ...after }, reason });
    return after;
  });
}

// ---- final accounts ----

/** A bankruptcy or deceased alert in force on the account on a day (the account is never placed while one is). */
async function blockingAlert(db: Db, clock: Clock, accountId: number, date: string) {
  const alerts = await customers.listAlerts(db, clock, accountId);
  const a = alerts.find((x) => (x.kind === 'bankruptcy' || x.kind === 'deceased') && x.clearedAt === null && x.startsOn <= date && (x.endsOn === null || x.endsOn >= date));
  return a ? { kind: a.kind, note: a.note } : null;
}

const depositHeld = async (db: Db, clock: Clock, accountId: number) => (await deposits.depositsOfAccount(db, clock, accountId)).some((d) => d.status === 'billing' || d.status === 'held');

/** The account as a final account on a day, or why it is not one. */
async function finalAccountOf(db: Db, accountId: number, date: string): Promise<repo.FinalAccountRow> {
  const account = await customers.getAccount(db, accountId);
  const [row] = await repo.finalAccounts(db, date, { accountIds: [accountId], anyBalance: true });
  if (!row) throw new AppError('conflict', `Account ${account.accountNumber} is not a final account: its service has not ended with a final bill posted`, { accountId });
  return row;
}

export interface FinalAccountItem {
  accountId: number;
  accountNumber: string;
  customerName: string;
  balanceCents: number;
  finalBillDate: string;
  finalDueDate: string;
  letter: PrecollectionLetter | null;
  candidate: Candidate | null;
  placement: (Placement & { agencyCode: string }) | null;
  /** What the daily job does with it next, and when. */
  next: FinalAccountStep;
}

/** Final accounts owing money on a day, with their letter, candidacy, placement and the job's next step. */
export async function finalAccounts(db: Db, clock: Clock, date = clock.today()): Promise<FinalAccountItem[]> {
  const s = await getSettings(db);
  const rows = await repo.finalAccounts(db, date);
  const ids = rows.map((r) => r.account_id);
  const letters = await repo.lettersOfAccounts(db, ids);
  const ever = await repo.everCandidate(db, ids);
  const agencies = new Map((await repo.listAgencies(db)).map((a) => [a.id, a.code]));
  const out: FinalAccountItem[] = [];
  for (const r of rows) {
    const letter = letters.get(r.account_id);
    const candidate = await repo.openCandidateOf(db, r.account_id);
    const placement = await repo.livePlacementOf(db, r.account_id);
    const next = stepFor({
      balanceCents: r.balance_cents, finalDueDate: r.final_due_date, letter: letter ? { date: letter.letter_date, placeAfter: letter.place_after } : null,
      depositHeld: letter ? false : await depositHeld(db, clock, r.account_id), blockingAlert: await blockingAlert(db, clock, r.account_id, date), candidateBefore: ever.has(r.account_id),
    }, s, date);
    out.push({
      accountId: r.account_id, accountNumber: r.account_number, customerName: r.customer_name, balanceCents: r.balance_cents, finalBillDate: r.final_bill_date, finalDueDate: r.final_due_date,
      letter: letter ? toLetter(letter) : null, candidate: candidate ? toCandidate(candidate) : null,
      placement: placement ? { ...toPlacement(placement), agencyCode: agencies.get(placement.agency_id) ?? '' } : null, next,
    });
  }
  return out;
}

/** Accounts ready to be placed, oldest first, with their letter dates and balance. */
export async function candidates(db: Db) {
  const rows = await repo.openCandidates(db);
  const ids = rows.map((r) => r.account_id);
  const letters = await repo.lettersOfAccounts(db, ids);
  const balances = await repo.balancesOf(db, ids);
  return rows.map((r) => {
    const l = letters.get(r.account_id);
    return { ...toCandidate(r), ...named(r), balanceCents: balances.get(r.account_id) ?? 0, letterDate: l?.letter_date ?? null, placeAfter: l?.place_after ?? null, letterId: l?.id ?? null };
  });
}

/** Staff make an account a placement candidate again (after a recall), or before the job does; the pre-collection letter must have gone. */
export async function placeAgain(db: Db, actor: Actor, clock: Clock, accountId: number, reason: string): Promise<Candidate> {
  return transact(db, async (trx) => {
    await ledger.lockAccount(trx, accountId);
    const today = clock.today();
    const f = await finalAccountOf(trx, accountId, today);
    const s = await getSettings(trx);
    if (f.balance_cents < s.minPlacementCents) throw new AppError('conflict', `Account ${f.account_number} owes ${formatCents(f.balance_cents)}, below the ${formatCents(s.minPlacementCents)} minimum to place`);
    if (!(await repo.letterOfAccount(trx, accountId))) throw new AppError('conflict', `Account ${f.account_number} has had no pre-collection letter; it cannot be placed before the customer is told`);
    const live = await repo.livePlacementOf(trx, accountId);
    if (live) throw new AppError('conflict', `Account ${f.account_number} is placed already (placement ${live.id})`);
    const open = await repo.openCandidateOf(trx, accountId);
    if (open) throw new AppError('conflict', `Account ${f.account_number} is a placement candidate already (since ${open.since})`);
    const alert = await blockingAlert(trx, clock, accountId, today);
    if (alert) throw new AppError('conflict', `Account ${f.account_number} has a ${alert.kind} alert in force: it is not placed`);
    const c = toCandidate(await repo.insertCandidate(trx, { accountId, since: today, source: 'staff', reason, at: clock.now(), by: actor.userId }));
    await recordChange(trx, actor, { action: 'candidate', entityType: 'placement_candidate', entityId: c.id, accountId, after: { since: today, source: 'staff' }, reason });
    return c;
  });
}

// ---- letters ----

export async function listLetters(db: Db, q: { after: number; limit: number; from?: string; to?: string }) {
  const rows = await repo.listLetters(db, q);
  return page(rows.map((r) => ({ ...toLetter(r), ...named(r) })), q.limit);
}
export async function letterPdf(db: Db, id: number): Promise<{ pdf: Buffer; fileName: string }> {
  const r = await repo.letterPdf(db, id);
  if (!r) throw notFound('Pre-collection letter', id);
  return { pdf: Buffer.from(r.pdf), fileName: `precollection-letter-${id}-${r.letter_date}.pdf` };
}

/** The agency a letter names: the one the job places with, else the only active one. */
async function letterAgencyName(db: Db, s: BadDebtSettings): Promise<string | null> {
  const agencies = (await repo.listAgencies(db)).filter((a) => a.active);
  const auto = agencies.find((a) => a.id === s.autoPlaceAgencyId);
  return auto?.name ?? (agencies.length === 1 ? agencies[0]!.name : null);
}

async function sendLetter(trx: Db, actor: Actor, clock: Clock, meta: LetterMeta, f: repo.FinalAccountRow, date: string, s: BadDebtSettings, agencyName: string | null) {
  const account = await customers.getAccount(trx, f.account_id);
  const a = account.billingAddress;
  const after = placeAfter(date, s);
  const pdf = await precollectionLetterPdf(meta, clock.now(), {
    accountNumber: account.accountNumber, customerName: f.customer_name, address: { line1: a.line1, line2: a.line2, city: a.city, state: a.state, postalCode: a.postalCode },
    letterDate: date, balanceCents: f.balance_cents, finalBillDate: f.final_bill_date, finalDueDate: f.final_due_date, placeAfter: after, agencyName,
  });
  const row = await repo.insertLetter(trx, { accountId: f.account_id, letterDate: date, balanceCents: f.balance_cents, finalBillDate: f.final_bill_date, finalDueDate: f.final_due_date, placeAfter: after, agencyName, pdf, at: clock.now(), by: actor.userId });
  if (!row) return null;
  await recordChange(trx, actor, { action: 'precollection_letter', entityType: 'precollection_letter', entityId: row.id, accountId: f.account_id, after: { letterDate: date, balanceCents: f.balance_cents, placeAfter: after }, reason: `Pre-collection letter: final bill due ${f.final_due_date} unpaid` });
  return toLetter(row);
}

// ---- placements ----

export async function listPlacements(db: Db, q: { status?: 'placed' | 'recalled'; agencyId?: number; after: number; limit: number }) {
  const rows = await repo.listPlacements(db, q);
  return page(rows.map((r) => ({ ...toPlacement(r), ...named(r), agencyCode: r.agency_code, agencyName: r.agency_name, collectedCents: r.collected_cents })), q.limit);
}
export async function getPlacement(db: Db, id: number): Promise<Placement> {
  const r = await repo.findPlacement(db, id);
  if (!r) throw notFound('Placement', id);
  return toPlacement(r);
}

export interface PlacementFileResult {
  file: (PlacementFile & { body: string }) | null;
  placed: (Placement & { accountNumber: string })[];
  /** Candidates left out of the file, and why (an alert; a balance paid down, whose candidacy ends). */
  skipped: { accountId: number; accountNumber: string; why: string }[];
}

/**
 * The placement file for an agency: every candidate waiting (or the ones named), each placed now
 * for its balance, flagged on the account; the CSV in the agency's layout, kept once. No
 * candidate to place: no file.
 */
export async function makePlacementFile(db: Db, actor: Actor, clock: Clock, input: { agencyId: number; accountIds?: number[] }): Promise<PlacementFileResult> {
  return transact(db, async (trx) => {
    await repo.lockPlacing(trx);
    const agency = await getAgency(trx, input.agencyId);
    if (!agency.active) throw new AppError('conflict', `Collection agency ${agency.code} is not active; nothing is placed with it`);
    const s = await getSettings(trx);
    const today = clock.today();
    const waiting = await repo.openCandidates(trx, { accountIds: input.accountIds, lock: true });
    if (input.accountIds) {
      const missing = input.accountIds.filter((id) => !waiting.some((c) => c.account_id === id));
      if (missing.length > 0) throw new AppError('conflict', `Account(s) ${missing.join(', ')} are not placement candidates (the daily job makes them after the waiting period; staff may make one again)`, { accountIds: missing });
    }
    const out: PlacementFileResult = { file: null, placed: [], skipped: [] };
    const ready: { c: (typeof waiting)[number]; f: repo.FinalAccountRow }[] = [];
    for (const c of waiting) {
      await ledger.lockAccount(trx, c.account_id);
      const [f] = await repo.finalAccounts(trx, today, { accountIds: [c.account_id], anyBalance: true });
      const alert = await blockingAlert(trx, clock, c.account_id, today);
      const why = !f ? 'its service is live again' : f.balance_cents < s.minPlacementCents ? `balance ${formatCents(f.balance_cents)} is below the ${formatCents(s.minPlacementCents)} minimum` : alert ? `${alert.kind} alert in force` : null;
      if (why) {
        out.skipped.push({ accountId: c.account_id, accountNumber: c.account_number, why });
        // Paid down or live again: no longer a candidate (an alert may end: the candidacy waits).
        if (!alert) {
          await repo.withdrawCandidate(trx, c.id, clock.now(), why);
          await recordChange(trx, actor, { action: 'withdraw', entityType: 'placement_candidate', entityId: c.id, accountId: c.account_id, after: { withdrawn: true }, reason: `No longer to be placed: ${why}` });
        }
        continue;
      }
      ready.push({ c, f: f! });
    }
    if (ready.length === 0) return out;
    const total = ready.reduce((n, r) => n + r.f.balance_cents, 0);
    const fileId = await repo.insertPlacementFile(trx, { agencyId: agency.id, fileName: '', body: '', sha256: '', placements: ready.length, totalCents: total, placedOn: today, at: clock.now(), by: actor.userId });
    const fileName = `placement-${agency.code}-${today}-${fileId}.csv`;
    const lastPaid = await repo.lastPaymentDates(trx, ready.map((r) => r.c.account_id));
    const letters = await repo.lettersOfAccounts(trx, ready.map((r) => r.c.account_id));
    const rows: FileRow[] = [];
    for (const { c, f } of ready) {
      const account = await customers.getAccount(trx, c.account_id);
      const customer = await customers.getCustomer(trx, account.customerId);
      const phone = customer.contacts.find((x) => x.kind !== 'email' && x.isPrimary) ?? customer.contacts.find((x) => x.kind !== 'email');
      const email = customer.contacts.find((x) => x.kind === 'email');
      const placementId = await repo.insertPlacement(trx, { accountId: c.account_id, agencyId: agency.id, candidateId: c.id, fileId, placedOn: today, amountCents: f.balance_cents, alertId: null, at: clock.now(), by: actor.userId });
      const alert = await customers.addAlert(trx, actor, clock, c.account_id, { kind: 'other', note: `Placed with collection agency ${agency.name} (${agency.code}) on ${today} for ${formatCents(f.balance_cents)}: placement ${placementId}` }, 'Placed with a collection agency');
      await repo.setPlacementAlert(trx, placementId, alert.id);
      await repo.markCandidatePlaced(trx, c.id, placementId);
      await recordChange(trx, actor, { action: 'place', entityType: 'agency_placement', entityId: placementId, accountId: c.account_id, after: { agency: agency.code, amountCents: f.balance_cents, placedOn: today, fileId }, reason: `Placed with ${agency.name} in ${fileName}` });
      const a = account.billingAddress;
      rows.push({
        placementId, accountNumber: account.accountNumber, customerName: customer.displayName, firstName: customer.firstName, lastName: customer.lastName, businessName: customer.businessName,
        addressLine1: a.line1, addressLine2: a.line2, city: a.city, state: a.state, postalCode: a.postalCode, phone: phone?.value ?? null, email: email?.value ?? null,
        lastPaymentDate: lastPaid.get(c.account_id) ?? null, finalBillDate: f.final_bill_date, letterDate: letters.get(c.account_id)?.letter_date ?? null, balancePlacedCents: f.balance_cents, placementDate: today,
      });
      out.placed.push({ ...toPlacement((await repo.findPlacement(trx, placementId))!), accountNumber: account.accountNumber });
    }
    const body = placementCsv(rows, { columns: agency.fileColumns, header: agency.fileHeader }, agency.vendorId);
    const sha256 = createHash('sha256').update(body).digest('hex');
    await repo.updatePlacementFileBody(trx, fileId, body, sha256);
    await repo.setPlacementFileName(trx, fileId, fileName);
    await recordChange(trx, actor, { action: 'placement_file', entityType: 'placement_file', entityId: fileId, after: { agency: agency.code, placements: ready.length, totalCents: total, fileName, sha256 }, reason: `Placement file for ${agency.name}` });
    out.file = { id: fileId, agencyId: agency.id, agencyCode: agency.code, fileName, placements: ready.length, totalCents: total, placedOn: today, createdAt: clock.now().toISOString(), body };
    return out;
  });
}

export async function listPlacementFiles(db: Db, agencyId?: number): Promise<PlacementFile[]> {
  return (await repo.listPlacementFiles(db, agencyId)).map((f) => ({ id: f.id, agencyId: f.agency_id, agencyCode: f.agency_code, fileName: f.file_name, placements: f.placements, totalCents: f.total_cents, placedOn: f.placed_on, createdAt: f.created_at.toISOString() }));
}
export async function placementFile(db: Db, id: number): Promise<{ fileName: string; body: string }> {
  const f = await repo.findPlacementFile(db, id);
  if (!f) throw notFound('Placement file', id);
  return { fileName: f.file_name, body: f.body };
}

// ---- recalls ----

async function recallIn(trx: Db, actor: Actor, clock: Clock, p: repo.PlacementRow, input: { reason: RecallReason; note?: string | null }, date: string): Promise<void> {
  await repo.recallPlacement(trx, p.id, { on: date, reason: input.reason, note: input.note ?? null, at: clock.now(), by: actor.userId });
  if (p.alert_id !== null) {
    try {
      await customers.clearAlert(trx, actor, clock, p.account_id, p.alert_id, `Placement ${p.id} recalled (${input.reason})`);
    } catch (e) {
      // Staff may have cleared the flag by hand already.
      if (!(e instanceof AppError)) throw e;
    }
  }
  await recordChange(trx, actor, { action: 'recall', entityType: 'agency_placement', entityId: p.id, accountId: p.account_id, before: { status: 'placed' }, after: { status: 'recalled', recalledOn: date, recallReason: input.reason }, reason: input.note ? `${input.reason}: ${input.note}` : `Recalled: ${input.reason}` });
}

/** Takes a placement back from the agency (it goes in the agency's next recall file); the account is not placed again unless staff place it. */
export async function recall(db: Db, actor: Actor, clock: Clock, placementId: number, input: { reason: RecallReason; note?: string | null }): Promise<Placement> {
  if (!recallReasons.includes(input.reason)) throw invalid('reason', `must be one of ${recallReasons.join(', ')}`);
  if (input.reason === 'other' && !input.note?.trim()) throw invalid('note', "say why when the reason is 'other'");
  return transact(db, async (trx) => {
    const p = await repo.findPlacement(trx, placementId, true);
    if (!p) throw notFound('Placement', placementId);
    if (p.status !== 'placed') throw new AppError('conflict', `Placement ${placementId} was recalled already on ${p.recalled_on} (${p.recall_reason})`);
    await recallIn(trx, actor, clock, p, input, clock.today());
    return getPlacement(trx, placementId);
  });
}

/** The recall file for an agency: every placement recalled and not yet sent; none: no file. */
export async function makeRecallFile(db: Db, actor: Actor, clock: Clock, agencyId: number): Promise<(RecallFile & { body: string }) | null> {
  return transact(db, async (trx) => {
    const agency = await getAgency(trx, agencyId);
    const rows = await repo.recallsToSend(trx, agencyId);
    if (rows.length === 0) return null;
    const body = recallCsv(rows.map((r) => ({ placementId: r.id, accountNumber: r.account_number, customerName: r.customer_name, placedOn: r.placed_on, amountPlacedCents: r.amount_cents, recalledOn: r.recalled_on!, reason: r.recall_reason!, note: r.recall_note })), agency.vendorId);
    const today = clock.today();
    const sha256 = createHash('sha256').update(body).digest('hex');
    const id = await repo.insertRecallFile(trx, { agencyId, fileName: `recall-${agency.code}-${today}.csv`, body, sha256, recalls: rows.length, at: clock.now(), by: actor.userId });
    const fileName = `recall-${agency.code}-${today}-${id}.csv`;
    await repo.setRecallFileName(trx, id, fileName);
    await repo.markRecallFile(trx, rows.map((r) => r.id), id);
    await recordChange(trx, actor, { action: 'recall_file', entityType: 'recall_file', entityId: id, after: { agency: agency.code, recalls: rows.length, fileName, sha256 }, reason: `Recall file for ${agency.name}` });
    return { id, agencyId, agencyCode: agency.code, fileName, recalls: rows.length, createdAt: clock.now().toISOString(), body };
  });
}
export async function listRecallFiles(db: Db): Promise<RecallFile[]> {
  return (await repo.listRecallFiles(db)).map((f) => ({ id: f.id, agencyId: f.agency_id, agencyCode: f.agency_code, fileName: f.file_name, recalls: f.recalls, createdAt: f.created_at.toISOString() }));
}
export async function recallFile(db: Db, id: number): Promise<{ fileName: string; body: string }> {
  const f = await repo.findRecallFile(db, id);
  if (!f) throw notFound('Recall file', id);
  return { fileName: f.file_name, body: f.body };
}

// ---- what the agency collected ----

/** Puts back written-off money on an account (oldest write-off first), up to `cents`. */
async function reinstate(trx: Db, actor: Actor, clock: Clock, accountId: number, cents: number, how: { date: string; source: 'run' | 'agency_collection'; collectionId: number | null }): Promise<number> {
  const plan = reinstatements(cents, (await repo.writeOffsWithRoom(trx, [accountId])).map((w) => ({ id: w.id, amountCents: w.amount_cents!, reinstatedCents: w.reinstated_cents })));
  let done = 0;
  for (const p of plan) {
    const key = how.source === 'run' ? `writeoff-reinstate:${p.writeOffId}:run:${how.date}` : `writeoff-reinstate:${p.writeOffId}:collection:${how.collectionId}`;
    if (await ledger.entryByKey(trx, key)) continue;
    const entry = await ledger.postSystemEntry(trx, actor, clock, {
      accountId, kind: 'writeoff', amountCents: p.cents, reasonCode: 'WRITE_OFF_REINSTATED', entryDate: how.date, key,
      reason: how.source === 'run' ? `Write-off ${p.writeOffId}: money received later, reinstated as recovered bad debt` : `Write-off ${p.writeOffId}: collected by the agency (collection ${how.collectionId}), reinstated`,
    });
    await repo.insertReinstatement(trx, { writeOffId: p.writeOffId, accountId, amountCents: p.cents, onDate: how.date, source: how.source, collectionId: how.collectionId, entryId: entry.id, at: clock.now(), by: actor.userId });
    await recordChange(trx, actor, { action: 'reinstate', entityType: 'write_off', entityId: p.writeOffId, accountId, after: { reinstatedCents: p.cents, ledgerEntryId: entry.id }, reason: how.source === 'run' ? 'A payment after the write-off left a credit: the written-off balance is reinstated' : 'The collection agency collected on a written-off balance' });
    done += p.cents;
  }
  return done;
}

interface CollectionToPost { placement: repo.PlacementRow; accountNumber: string; customerName: string; collectedOn: string; grossCents: number; commissionCents: number; reference: string | null; recordNo: number | null }

/** Records collections of one agency and posts them: reinstatement, the net as payments in one closed 'agency' batch, the commission. */
async function postCollections(trx: Db, actor: Actor, clock: Clock, agency: CollectionAgency, items: CollectionToPost[], remittanceId: number | null, note: string): Promise<{ collections: AgencyCollection[]; batchId: number | null }> {
  const today = clock.today();
  const accounts = [...new Set(items.map((i) => i.placement.account_id))];
  if (accounts.length === 1) await ledger.lockAccount(trx, accounts[0]!);
  else await ledger.lockAllAccounts(trx);
  const ids: number[] = [];
  for (const i of items) {
    const id = await repo.insertCollection(trx, {
      placementId: i.placement.id, accountId: i.placement.account_id, agencyId: agency.id, collectedOn: i.collectedOn, grossCents: i.grossCents, commissionCents: i.commissionCents,
      netCents: i.grossCents - i.commissionCents, reference: i.reference, remittanceId, recordNo: i.recordNo, at: clock.now(), by: actor.userId,
    });
    ids.push(id);
    // A written-off account first gets back what the agency collected (up to what was written off), so the collection counts as recovered bad debt.
    await reinstate(trx, actor, clock, i.placement.account_id, i.grossCents, { date: today, source: 'agency_collection', collectionId: id });
  }
  const paying = items.map((i, n) => ({ i, id: ids[n]! })).filter(({ i }) => i.grossCents - i.commissionCents > 0);
  const batch = paying.length === 0 ? null : await agencyPayments.postAgencyBatch(trx, actor, clock, {
    day: today, checkNumber: remittanceId === null ? items[0]!.reference : `REM-${remittanceId}`, note,
    items: paying.map(({ i }) => ({ accountId: i.placement.account_id, accountRef: i.accountNumber, amountCents: i.grossCents - i.commissionCents, payerName: `${agency.name} for ${i.customerName}`, matchedBy: 'account_number' as const })),
  });
  const paymentOf = new Map(paying.map(({ id }, n) => [id, batch!.payments[n]!.paymentId]));
  for (const [n, i] of items.entries()) {
    const id = ids[n]!;
    const entry = i.commissionCents === 0 ? null : await ledger.postSystemEntry(trx, actor, clock, {
      accountId: i.placement.account_id, kind: 'writeoff', amountCents: -i.commissionCents, reasonCode: 'AGENCY_COMMISSION', entryDate: today, key: `agency-commission:${id}`,
      reason: `Commission kept by ${agency.name} (${agency.commissionPercent}%) on ${formatCents(i.grossCents)} collected (collection ${id})`,
    });
    await repo.setCollectionPosting(trx, id, { paymentId: paymentOf.get(id) ?? null, batchId: paymentOf.has(id) ? batch!.batchId : null, commissionEntryId: entry?.id ?? null });
    await recordChange(trx, actor, {
      action: 'agency_collection', entityType: 'agency_collection', entityId: id, accountId: i.placement.account_id,
      after: { placementId: i.placement.id, agency: agency.code, collectedOn: i.collectedOn, grossCents: i.grossCents, commissionCents: i.commissionCents, netCents: i.grossCents - i.commissionCents, paymentId: paymentOf.get(id) ?? null },
      reason: note,
    });
  }
  const collections = [];
  for (const id of ids) collections.push(toCollection((await repo.findCollection(trx, id))!));
  return { collections, batchId: batch?.batchId ?? null };
}

/**
 * What an agency collected on a placement, entered by staff: the net (gross less the commission,
 * by default the agency's percentage) posted as a payment, the commission written off.
 */
export async function recordCollection(db: Db, actor: Actor, clock: Clock, input: { placementId: number; grossCents: number; commissionCents?: number; collectedOn: string; reference?: string | null }): Promise<AgencyCollection> {
  if (!Number.isSafeInteger(input.grossCents) || input.grossCents <= 0) throw invalid('grossCents', 'must be a positive whole number of cents');
  if (!isDate(input.collectedOn)) throw invalid('collectedOn', `${input.collectedOn} is not a date (YYYY-MM-DD)`);
  if (input.collectedOn > clock.today()) throw invalid('collectedOn', `${input.collectedOn} is after today`);
  return transact(db, async (trx) => {
    const p = await repo.findPlacement(trx, input.placementId, true);
    if (!p) throw notFound('Placement', input.placementId);
    const agency = await getAgency(trx, p.agency_id);
    const commission = input.commissionCents ?? commissionCents(input.grossCents, agency.commissionPercent);
    const fault = collectionFault({ grossCents: input.grossCents, commissionCents: commission, netCents: input.grossCents - commission }, agency.commissionPercent);
    if (fault) throw invalid('commissionCents', `placement ${p.id}: ${fault}`);
    const reference = input.reference?.trim() || null;
    if (reference) {
      const seen = await repo.collectionByReference(trx, p.id, reference);
      if (seen) throw new AppError('conflict', `${agency.code}'s collection ${reference} on placement ${p.id} was recorded already (collection ${seen.id} of ${formatCents(seen.gross_cents)})`, { collectionId: seen.id });
    }
    const account = await customers.getAccount(trx, p.account_id);
    const customer = await customers.getCustomer(trx, account.customerId);
    const { collections } = await postCollections(trx, actor, clock, agency, [{ placement: p, accountNumber: account.accountNumber, customerName: customer.displayName, collectedOn: input.collectedOn, grossCents: input.grossCents, commissionCents: commission, reference, recordNo: null }], null,
      `Collection agency ${agency.name} (${agency.code}): ${formatCents(input.grossCents)} collected on account ${account.accountNumber}, ${formatCents(commission)} commission kept`);
    return collections[0]!;
  });
}

export interface RemittanceResult { remittanceId: number; fileName: string; duplicate: boolean; records: number; grossCents: number; commissionCents: number; netCents: number; batchId: number | null; collections: AgencyCollection[] }

/**
 * An agency's remittance file (account number, gross, commission, net, date per collection): kept
 * as it came and posted once (the same file again posts nothing); refused whole, naming the line,
 * when a record does not read, names an account the agency was never given, or whose commission
 * is not the agreed one.
 */
export async function importRemittance(db: Db, actor: Actor, clock: Clock, input: { agencyId: number; fileName: string; bytes: Buffer }): Promise<RemittanceResult> {
  const agency = await getAgency(db, input.agencyId);
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const seen = await repo.findRemittance(db, agency.id, sha256);
  const summary = (r: repo.RemittanceRow, duplicate: boolean, collections: AgencyCollection[]): RemittanceResult => ({
    remittanceId: r.id, fileName: r.file_name, duplicate, records: r.records, grossCents: r.gross_cents, commissionCents: r.commission_cents, netCents: r.net_cents, batchId: r.batch_id, collections,
  });
  if (seen) return summary(seen, true, []);
  const refuse = (line: number | null, reason: string) => new AppError('validation', `The remittance file was refused, nothing was posted: ${line === null ? '' : `line ${line}: `}${reason}`, { line, reason });
  let records;
  try {
    records = parseRemittance(input.bytes.toString('utf8'));
  } catch (e) {
    if (e instanceof RemittanceFileError) throw refuse(e.line, e.reason);
    throw e;
  }
  const today = clock.today();
  try {
    return await transact(db, async (trx) => {
      const items: CollectionToPost[] = [];
      for (const r of records) {
        if (r.collectedOn > today) throw refuse(r.line, `date ${r.collectedOn} is after today`);
        const account = await customers.findAccountByNumber(trx, r.accountNumber);
        if (!account) throw refuse(r.line, `account ${r.accountNumber} is not one of ours`);
        const placement = await repo.placementForCollection(trx, account.id, agency.id);
        if (!placement) throw refuse(r.line, `account ${r.accountNumber} was never placed with ${agency.code}`);
        const fault = collectionFault({ grossCents: r.grossCents, commissionCents: r.commissionCents, netCents: r.netCents }, agency.commissionPercent);
        if (fault) throw refuse(r.line, fault);
        const customer = await customers.getCustomer(trx, account.customerId);
        items.push({ placement, accountNumber: account.accountNumber, customerName: customer.displayName, collectedOn: r.collectedOn, grossCents: r.grossCents, commissionCents: r.commissionCents, reference: r.reference, recordNo: r.line });
      }
      const gross = items.reduce((n, i) => n + i.grossCents, 0);
      const commission = items.reduce((n, i) => n + i.commissionCents, 0);
      const remittanceId = await repo.insertRemittance(trx, { agencyId: agency.id, fileName: input.fileName, sha256, bytes: input.bytes, records: items.length, grossCents: gross, commissionCents: commission, netCents: gross - commission, at: clock.now(), by: actor.userId });
      const { collections, batchId } = await postCollections(trx, actor, clock, agency, items, remittanceId,
        `Collection agency ${agency.name} (${agency.code}): remittance ${input.fileName}, ${items.length} collection(s), ${formatCents(gross)} gross less ${formatCents(commission)} commission`);
      await repo.setRemittanceBatch(trx, remittanceId, batchId);
      await recordChange(trx, actor, { action: 'import', entityType: 'agency_remittance', entityId: remittanceId, after: { agency: agency.code, fileName: input.fileName, sha256, records: items.length, grossCents: gross, commissionCents: commission, batchId }, reason: `Remittance from ${agency.name}` });
      return summary((await repo.findRemittance(trx, agency.id, sha256))!, false, collections);
    });
  } catch (e) {
    // The same file posted at the same moment by someone else: theirs counts, this one is a duplicate.
    const first = (e as { code?: string }).code === '23505' ? await repo.findRemittance(db, agency.id, sha256) : undefined;
    if (first) return summary(first, true, []);
    throw e;
  }
}

export async function listCollections(db: Db, q: { agencyId?: number; after: number; limit: number }) {
  const rows = await repo.listCollections(db, q);
  return page(rows.map((r) => ({ ...toCollection(r), ...named(r), agencyCode: r.agency_code })), q.limit);
}
export async function listRemittances(db: Db) {
  return (await repo.listRemittances(db)).map((r) => ({ id: r.id, agencyId: r.agency_id, agencyCode: r.agency_code, fileName: r.file_name, records: r.records, grossCents: r.gross_cents, commissionCents: r.commission_cents, netCents: r.net_cents, batchId: r.batch_id, createdAt: r.created_at.toISOString() }));
}
export async function remittanceFile(db: Db, id: number): Promise<{ fileName: string; bytes: Buffer }> {
  const r = await repo.remittanceFile(db, id);
  if (!r) throw notFound('Remittance', id);
  return { fileName: r.file_name, bytes: Buffer.from(r.bytes) };
}

// ---- write-offs ----

export async function getWriteOff(db: Db, id: number): Promise<WriteOff> {
  const r = await repo.findWriteOff(db, id);
  if (!r) throw notFound('Write-off', id);
  return toWriteOff(r);
}

/** Asks to write a final account's balance off to bad debt (placed or not); a supervisor, not the one asking, approves it. */
export async function requestWriteOff(db: Db, actor: Actor, clock: Clock, accountId: number, reason: string): Promise<WriteOff> {
  return transact(db, async (trx) => {
    await ledger.lockAccount(trx, accountId);
    const f = await finalAccountOf(trx, accountId, clock.today());
    if (f.balance_cents <= 0) throw new AppError('conflict', `Account ${f.account_number} owes nothing (balance ${formatCents(f.balance_cents)}): there is nothing to write off`);
    const open = await repo.openWriteOffOf(trx, accountId);
    if (open) throw new AppError('conflict', `Account ${f.account_number} has write-off ${open.id} waiting for approval already`, { writeOffId: open.id });
    const id = await repo.insertWriteOff(trx, { accountId, requestedCents: f.balance_cents, reason, at: clock.now(), by: actor.userId, byName: actor.username });
    await recordChange(trx, actor, { action: 'request', entityType: 'write_off', entityId: id, accountId, after: { requestedCents: f.balance_cents }, reason });
    return getWriteOff(trx, id);
  });
}

async function lockedRequest(trx: Db, id: number) {
  const w = await repo.findWriteOff(trx, id, true);
  if (!w) throw notFound('Write-off', id);
  if (w.status !== 'requested') throw new AppError('conflict', `Write-off ${id} is ${w.status}, not waiting for approval`);
  return w;
}

/** A supervisor's approval: the balance now is written off (a 'writeoff' entry, WRITE_OFF). */
export async function approveWriteOff(db: Db, actor: Actor, clock: Clock, id: number, reason: string): Promise<WriteOff> {
  return transact(db, async (trx) => {
    const w = await lockedRequest(trx, id);
    if (!canApprove(actor)) throw new AppError('forbidden', `Write-off ${id}: a supervisor must approve a write-off`);
    if (samePerson(actor, w.requested_by, w.requested_by_name)) throw new AppError('forbidden', `Write-off ${id} was asked for by ${w.requested_by_name}; another person must approve it`);
    await ledger.lockAccount(trx, w.account_id);
    const balance = await ledger.balanceOf(trx, w.account_id);
    const account = await customers.getAccount(trx, w.account_id);
    if (balance <= 0) throw new AppError('conflict', `Write-off ${id}: account ${account.accountNumber} owes nothing now (balance ${formatCents(balance)})`);
    const today = clock.today();
    const entry = await ledger.postSystemEntry(trx, actor, clock, { accountId: w.account_id, kind: 'writeoff', amountCents: -balance, reasonCode: 'WRITE_OFF', entryDate: today, key: `writeoff:${id}`, reason: `Write-off ${id} to bad debt: ${w.reason}` });
    await repo.decideWriteOff(trx, id, { status: 'approved', amountCents: balance, at: clock.now(), by: actor.userId, byName: actor.username, reason, on: today, entryId: entry.id });
    await recordChange(trx, actor, { action: 'approve', entityType: 'write_off', entityId: id, accountId: w.account_id, before: { status: 'requested' }, after: { status: 'approved', amountCents: balance, ledgerEntryId: entry.id }, reason });
    return getWriteOff(trx, id);
  });
}

/** A supervisor refuses a write-off (the balance stays to collect); the one who asked may withdraw it. */
export async function decideAgainst(db: Db, actor: Actor, clock: Clock, id: number, how: 'refused' | 'cancelled', reason: string): Promise<WriteOff> {
  return transact(db, async (trx) => {
    const w = await lockedRequest(trx, id);
    if (how === 'refused' && !canApprove(actor)) throw new AppError('forbidden', `Write-off ${id}: a supervisor refuses a write-off`);
    if (how === 'cancelled' && !canApprove(actor) && !samePerson(actor, w.requested_by, w.requested_by_name)) throw new AppError('forbidden', `Write-off ${id}: only ${w.requested_by_name}, who asked, or a supervisor may withdraw it`);
    await repo.decideWriteOff(trx, id, { status: how, amountCents: null, at: clock.now(), by: actor.userId, byName: actor.username, reason, on: null, entryId: null });
    await recordChange(trx, actor, { action: how === 'refused' ? 'refuse' : 'cancel', entityType: 'write_off', entityId: id, accountId: w.account_id, before: { status: 'requested' }, after: { status: how }, reason });
    return getWriteOff(trx, id);
  });
}

/** Write-offs (newest first) and the bad-debt totals of the days asked (written off, reinstated, agency commission). */
export async function listWriteOffs(db: Db, q: { status?: WriteOffStatus; from?: string; to?: string; after: number; limit: number }) {
  const rows = await repo.listWriteOffs(db, q);
  const t = await repo.writeOffTotals(db, q);
  return {
    ...page(rows.map((r) => ({ ...toWriteOff(r), ...named(r) })), q.limit),
    totals: { writtenOffCents: t.written_off, writeOffs: t.count, reinstatedCents: t.reinstated, agencyCollectedCents: t.collected, agencyCommissionCents: t.commission, netBadDebtCents: t.written_off - t.reinstated + t.commission },
  };
}

// ---- balance transfers ----

/**
 * Moves a final account's whole balance to the same customer's active account: TRANSFER_OUT on
 * the old account and TRANSFER_IN on the new, under one transfer key, in one transaction. A placed
 * account is recalled first ('transferred'); a write-off waiting is withdrawn.
 */
export async function transferBalance(db: Db, actor: Actor, clock: Clock, fromAccountId: number, input: { toAccountId: number; reason: string }): Promise<BalanceTransfer> {
  if (fromAccountId === input.toAccountId) throw invalid('toAccountId', 'is the account the balance is on');
  return transact(db, async (trx) => {
    for (const id of [fromAccountId, input.toAccountId].sort((a, b) => a - b)) await ledger.lockAccount(trx, id);
    const from = await customers.getAccount(trx, fromAccountId);
    const to = await customers.getAccount(trx, input.toAccountId);
    if (from.customerId !== to.customerId) {
      const [a, b] = [await customers.getCustomer(trx, from.customerId), await customers.getCustomer(trx, to.customerId)];
      throw new AppError('conflict', `Account ${from.accountNumber} belongs to ${a.displayName} and account ${to.accountNumber} to ${b.displayName}: a balance moves only between one customer's accounts`);
    }
    if (to.status !== 'active') throw new AppError('conflict', `Account ${to.accountNumber} is ${to.status}: a prior balance moves only to an active account`);
    const today = clock.today();
    const f = await finalAccountOf(trx, fromAccountId, today);
    if (f.balance_cents <= 0) throw new AppError('conflict', `Account ${from.accountNumber} owes nothing (balance ${formatCents(f.balance_cents)}): there is nothing to move`);
    const live = await repo.livePlacementOf(trx, fromAccountId);
    if (live) await recallIn(trx, actor, clock, live, { reason: 'transferred', note: `Balance moved to account ${to.accountNumber}` }, today);
    const open = await repo.openWriteOffOf(trx, fromAccountId);
    if (open) {
      await repo.decideWriteOff(trx, open.id, { status: 'cancelled', amountCents: null, at: clock.now(), by: actor.userId, byName: actor.username, reason: `Balance moved to account ${to.accountNumber}`, on: null, entryId: null });
      await recordChange(trx, actor, { action: 'cancel', entityType: 'write_off', entityId: open.id, accountId: fromAccountId, before: { status: 'requested' }, after: { status: 'cancelled' }, reason: `Balance moved to account ${to.accountNumber}` });
    }
    const candidate = await repo.openCandidateOf(trx, fromAccountId);
    if (candidate) await repo.withdrawCandidate(trx, candidate.id, clock.now(), `Balance moved to account ${to.accountNumber}`);
    const amount = f.balance_cents;
    const { id, transfer_key: key } = await repo.insertTransfer(trx, { fromAccountId, toAccountId: to.id, amountCents: amount, on: today, recalledPlacementId: live?.id ?? null, reason: input.reason, at: clock.now(), by: actor.userId });
    const out = await ledger.postSystemEntry(trx, actor, clock, { accountId: fromAccountId, kind: 'transfer', amountCents: -amount, reasonCode: 'TRANSFER_OUT', entryDate: today, key: `${key}:out`, reason: `Balance moved to account ${to.accountNumber} (transfer ${key})` });
    const into = await ledger.postSystemEntry(trx, actor, clock, { accountId: to.id, kind: 'transfer', amountCents: amount, reasonCode: 'TRANSFER_IN', entryDate: today, key: `${key}:in`, reason: `Prior balance moved from account ${from.accountNumber} (transfer ${key})` });
    await repo.setTransferEntries(trx, id, out.id, into.id);
    for (const [accountId, side] of [[fromAccountId, 'out'], [to.id, 'in']] as const) {
      await recordChange(trx, actor, { action: `transfer_${side}`, entityType: 'balance_transfer', entityId: id, accountId, after: { transferKey: key, fromAccountId, toAccountId: to.id, amountCents: amount, entryId: side === 'out' ? out.id : into.id }, reason: input.reason });
    }
    return toTransfer((await repo.findTransfer(trx, id))!);
  });
}

// ---- an account's bad-debt state ----

export interface AccountBadDebt {
  accountId: number;
  accountNumber: string;
  balanceCents: number;
  /** Null while the account has live service (or no final bill posted). */
  final: { finalBillDate: string; finalDueDate: string } | null;
  /** What the daily job does with it next (final accounts owing money only). */
  next: FinalAccountStep | null;
  letter: PrecollectionLetter | null;
  candidate: Candidate | null;
  placements: (Placement & { agencyCode: string; agencyName: string })[];
  collections: AgencyCollection[];
  writeOffs: WriteOff[];
  reinstatements: { id: number; writeOffId: number; amountCents: number; onDate: string; source: 'run' | 'agency_collection' }[];
  transfers: (BalanceTransfer & { fromAccountNumber: string; toAccountNumber: string })[];
  /** The same customer's active accounts a prior balance may move to. */
  transferTargets: { id: number; accountNumber: string; status: string }[];
}

export async function accountBadDebt(db: Db, clock: Clock, accountId: number): Promise<AccountBadDebt> {
  const account = await customers.getAccount(db, accountId);
  const today = clock.today();
  const [f] = await repo.finalAccounts(db, today, { accountIds: [accountId], anyBalance: true });
  const balance = await ledger.balanceOf(db, accountId);
  const letter = await repo.letterOfAccount(db, accountId);
  const s = await getSettings(db);
  const next = f && balance > 0
    ? stepFor({
      balanceCents: balance, finalDueDate: f.final_due_date, letter: letter ? { date: letter.letter_date, placeAfter: letter.place_after } : null, depositHeld: letter ? false : await depositHeld(db, clock, accountId),
      blockingAlert: await blockingAlert(db, clock, accountId, today), candidateBefore: (await repo.everCandidate(db, [accountId])).has(accountId),
    }, s, today)
    : null;
  const candidate = await repo.openCandidateOf(db, accountId);
  const agencies = new Map((await repo.listAgencies(db)).map((a) => [a.id, a]));
  const customer = await customers.getCustomer(db, account.customerId);
  return {
    accountId, accountNumber: account.accountNumber, balanceCents: balance,
    final: f ? { finalBillDate: f.final_bill_date, finalDueDate: f.final_due_date } : null, next,
    letter: letter ? toLetter(letter) : null, candidate: candidate ? toCandidate(candidate) : null,
    placements: (await repo.placementsOfAccount(db, accountId)).map((p) => ({ ...toPlacement(p), agencyCode: agencies.get(p.agency_id)?.code ?? '', agencyName: agencies.get(p.agency_id)?.name ?? '' })),
    collections: (await repo.collectionsOfAccount(db, accountId)).map(toCollection),
    writeOffs: (await repo.writeOffsOfAccount(db, accountId)).map(toWriteOff),
    reinstatements: (await repo.reinstatementsOfAccount(db, accountId)).map((r) => ({ id: r.id, writeOffId: r.write_off_id, amountCents: r.amount_cents, onDate: r.on_date, source: r.source })),
    transfers: await Promise.all((await repo.transfersOfAccount(db, accountId)).map(async (t) => ({ ...toTransfer(t), fromAccountNumber: (await customers.getAccount(db, t.from_account_id)).accountNumber, toAccountNumber: (await customers.getAccount(db, t.to_account_id)).accountNumber }))),
    transferTargets: customer.accounts.filter((a) => a.id !== accountId && a.status === 'active').map((a) => ({ id: a.id, accountNumber: a.accountNumber, status: a.status })),
  };
}

// ---- the daily job ----

/**
 * The daily bad-debt job for a date (today by default; never a day to come), once per date: a
 * second run of the same date does nothing and says so. In one transaction: letters and
 * candidates for the final accounts due them; placements recalled for a bankruptcy or deceased
 * alert, or a balance paid in full; written-off money reinstated where a payment left a credit;
 * the day's placement file when the settings name an agency for it.
 */
export async function run(db: Db, actor: Actor, clock: Clock, meta: LetterMeta, opts: { date?: string } = {}): Promise<RunResult> {
  const date = opts.date ?? clock.today();
  if (!isDate(date)) throw invalid('date', `${date} is not a date (YYYY-MM-DD)`);
  if (date > clock.today()) throw invalid('date', `${date} is after today: the job runs for today or a day past`);
  const out: RunResult = { date, alreadyRun: false, firstRunAt: null, accountsReviewed: 0, letters: 0, candidates: 0, placed: 0, placementFileId: null, recalled: 0, reinstated: 0, reinstatedCents: 0, actions: [], skipped: [] };
  return transact(db, async (trx) => {
    if (!(await repo.claimRun(trx, { date, at: clock.now(), by: actor.userId, byName: actor.username }))) {
      const first = await repo.findRun(trx, date);
      return { ...out, alreadyRun: true, firstRunAt: first ? first.ran_at.toISOString() : null };
    }
    const s = await getSettings(trx);
    const agencyName = await letterAgencyName(trx, s);
    const finals = await repo.finalAccounts(trx, date);
    const ids = finals.map((f) => f.account_id);
    const letters = await repo.lettersOfAccounts(trx, ids);
    const ever = await repo.everCandidate(trx, ids);
    out.accountsReviewed = finals.length;
    for (const f of finals) {
      await ledger.lockAccount(trx, f.account_id);
      const letter = letters.get(f.account_id);
      const step = stepFor({
        balanceCents: f.balance_cents, finalDueDate: f.final_due_date, letter: letter ? { date: letter.letter_date, placeAfter: letter.place_after } : null,
        depositHeld: letter ? false : await depositHeld(trx, clock, f.account_id), blockingAlert: await blockingAlert(trx, clock, f.account_id, date), candidateBefore: ever.has(f.account_id),
      }, s, date);
      if (step.action === 'letter') {
        const sent = await sendLetter(trx, actor, clock, meta, f, date, s, agencyName);
        if (sent) {
          out.letters++;
          out.actions.push({ accountId: f.account_id, accountNumber: f.account_number, action: 'letter', detail: `Pre-collection letter for ${formatCents(f.balance_cents)}; may be placed from ${sent.placeAfter}` });
        }
      } else if (step.action === 'candidate') {
        const c = await repo.insertCandidate(trx, { accountId: f.account_id, since: date, source: 'run', reason: `Waiting period after the letter of ${letter!.letter_date} ended with ${formatCents(f.balance_cents)} owing`, at: clock.now(), by: actor.userId });
        await recordChange(trx, actor, { action: 'candidate', entityType: 'placement_candidate', entityId: c.id, accountId: f.account_id, after: { since: date, source: 'run', balanceCents: f.balance_cents }, reason: c.reason });
        out.candidates++;
        out.actions.push({ accountId: f.account_id, accountNumber: f.account_number, action: 'candidate', detail: `Ready to place: ${formatCents(f.balance_cents)} owing after the waiting period` });
      } else if (step.action === 'skip' || step.until !== null || step.why.startsWith('A security deposit')) {
        out.skipped.push({ accountId: f.account_id, accountNumber: f.account_number, why: step.why, until: step.action === 'wait' ? step.until : null });
      }
    }
    // Placements the agency must give back: a bankruptcy or deceased alert, or nothing left owing (and nothing written off).
    for (const p of await repo.livePlacements(trx)) {
      const alert = await blockingAlert(trx, clock, p.account_id, date);
      const balance = alert ? 0 : await ledger.balanceOf(trx, p.account_id);
      const writtenOff = (await repo.writeOffsOfAccount(trx, p.account_id)).some((w) => w.status === 'approved');
      const reason: RecallReason | null = alert ? (alert.kind as RecallReason) : balance <= 0 && !writtenOff ? 'paid' : null;
      if (!reason) continue;
      await recallIn(trx, actor, clock, p, { reason, note: alert ? `${alert.kind} alert on the account${alert.note ? `: ${alert.note}` : ''}` : 'Balance paid in full' }, date);
      const account = await customers.getAccount(trx, p.account_id);
      out.recalled++;
      out.actions.push({ accountId: p.account_id, accountNumber: account.accountNumber, action: 'recalled', detail: `Placement ${p.id} recalled: ${reason}` });
    }
    // Money after a write-off: a credit on the account is written-off money recovered.
    const room = await repo.writeOffsWithRoom(trx);
    const balances = await repo.balancesOf(trx, [...new Set(room.map((w) => w.account_id))]);
    for (const accountId of new Set(room.map((w) => w.account_id))) {
      const balance = balances.get(accountId) ?? 0;
      if (balance >= 0) continue;
      await ledger.lockAccount(trx, accountId);
      const cents = await reinstate(trx, actor, clock, accountId, -balance, { date, source: 'run', collectionId: null });
      if (cents > 0) {
        const account = await customers.getAccount(trx, accountId);
        out.reinstated++;
        out.reinstatedCents += cents;
        out.actions.push({ accountId, accountNumber: account.accountNumber, action: 'reinstated', detail: `${formatCents(cents)} of written-off balance reinstated (money received later)` });
      }
    }
    if (s.autoPlaceAgencyId !== null && date === clock.today() && (await repo.openCandidates(trx)).length > 0) {
      const placed = await makePlacementFile(trx, actor, clock, { agencyId: s.autoPlaceAgencyId });
      out.placed = placed.placed.length;
      out.placementFileId = placed.file?.id ?? null;
      for (const p of placed.placed) out.actions.push({ accountId: p.accountId, accountNumber: p.accountNumber, action: 'placed', detail: `Placed for ${formatCents(p.amountCents)} in ${placed.file!.fileName}` });
    }
    await repo.finishRun(trx, date, out);
    await recordChange(trx, actor, { action: 'run', entityType: 'bad_debt_job', entityId: date, after: { letters: out.letters, candidates: out.candidates, placed: out.placed, recalled: out.recalled, reinstated: out.reinstated, reinstatedCents: out.reinstatedCents }, reason: `Bad-debt job for ${date}` });
    return out;
  });
}

export async function listRuns(db: Db, limit = 30) {
  return (await repo.listRuns(db, limit)).map((r) => ({ date: r.run_date, ranAt: r.ran_at.toISOString(), ranBy: r.ran_by_name, result: r.result as unknown as RunResult }));
}
