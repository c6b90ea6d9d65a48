/**
 * Bankruptcy (C15, GUIDE 3.2). A customer's bankruptcy case (chapter, petition date, court, case
 * number, debtor, attorney or trustee) covers one or more of the customer's accounts. While it is
 * open the automatic stay holds the pre-petition debt out of collection: `staysOf` tells the
 * collections run how many cents of each account it must leave alone. Each account gets a
 * 'bankruptcy' alert while the case is open (the bad-debt placement skips such accounts), and an
 * adequate-assurance security deposit (deposit context, within its 2/12 cap) due 20 days after the
 * petition, unless staff waive it.
 *
 * The split of each account's debt into pre- and post-petition is the pure rule in rules.ts. It is
 * computed on read: every read of a case and every `staysOf` gathers the facts (the balance before
 * the petition, the bills spanning it posted so far, the balance now) and applies the rule, so a
 * bill spanning the petition that posts after the case was recorded counts at once, with no
 * refresh step. The split as it stood when the case was recorded is kept on the case too.
 *
 * A discharge writes off, per account, the pre-petition debt still held (a 'writeoff' ledger entry
 * BANKRUPTCY_DISCHARGE, keyed, so it is made once); a dismissal ends the stay and collection of all
 * the debt resumes; closing ends a case otherwise. Each ends the alerts.
 */
import { recordChange } from '../audit/index.ts';
import { customers } from '../customer/index.ts';
import { deposits } from '../deposit/index.ts';
import { ledger } from '../ledger/index.ts';
import { roleAllows, type Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { isDate } from '../platform/dates.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { formatCents } from '../platform/money.ts';
import * as repo from './repository.ts';
import { assuranceDueOn, assuranceState, prePetitionSplit, type AssuranceState, type Split } from './rules.ts';

export type { AssuranceState, Split } from './rules.ts';
export type CaseStatus = repo.CaseStatus;
export type Chapter = 7 | 11 | 12 | 13;
export const CHAPTERS: readonly Chapter[] = [7, 11, 12, 13];

export interface BankruptcySettings { assuranceDays: number; askAssurance: boolean }

export interface CaseAccount {
  accountId: number;
  accountNumber: string;
  /** The split now (open cases; null once the case has ended). */
  split: Split | null;
  /** The split as it stood when the case was recorded. */
  filed: { balanceBeforeCents: number; prePetitionCents: number; derivation: string };
  assurance: {
    state: AssuranceState;
    depositId: number | null;
    amountCents: number | null;
    heldCents: number | null;
    dueOn: string;
    waivedOn: string | null;
    waivedReason: string | null;
  };
  /** At discharge: the pre-petition debt written off and its ledger entry. */
  dischargedCents: number | null;
  writeoffEntryId: number | null;
  alertId: number | null;
}

export interface BankruptcyCase {
  id: number;
  customerId: number;
  customerName: string;
  chapter: number;
  petitionDate: string;
  court: string;
  caseNumber: string;
  debtorName: string;
  contact: { kind: 'attorney' | 'trustee' | 'debtor'; name: string | null; phone: string | null; email: string | null; address: string | null };
  noticeReceivedOn: string;
  status: CaseStatus;
  assuranceDueOn: string;
  closedOn: string | null;
  closeReason: string | null;
  createdAt: string;
  accounts: CaseAccount[];
  /** Totals over the accounts: pre-petition debt held now, and the balance. */
  heldCents: number;
  /** Some account's assurance deposit is unpaid past its due date. */
  assuranceOverdue: boolean;
}

export interface OpenCaseInput {
  customerId: number;
  /** The accounts the case covers (default: every account of the customer not closed). */
  accountIds?: number[];
  chapter: number;
  petitionDate: string;
  court: string;
  caseNumber: string;
  /** Default: the customer's name. */
  debtorName?: string;
  contact?: { kind?: 'attorney' | 'trustee' | 'debtor'; name?: string | null; phone?: string | null; email?: string | null; address?: string | null };
  /** Default: today. */
  noticeReceivedOn?: string;
  /** The adequate-assurance deposit of each account (default: the deposit rule's cap). */
  assuranceCents?: number;
  /** Asks no deposit: the reason it is waived. */
  waiveAssurance?: string;
  reason: string;
}

// ---- settings ----

const toSettings = (s: repo.SettingsRow): BankruptcySettings => ({ assuranceDays: Number(s.assurance_days), askAssurance: s.ask_assurance });
export async function getSettings(db: Db): Promise<BankruptcySettings> {
  return toSettings(await repo.settings(db));
}
export async function updateSettings(db: Db, actor: Actor, clock: Clock, patch: Partial<BankruptcySettings>, reason: string): Promise<BankruptcySettings> {
  if (patch.assuranceDays !== undefined && !(Number.isInteger(patch.assuranceDays) && patch.assuranceDays >= 1 && patch.assuranceDays <= 365)) throw invalid('assuranceDays', 'must be 1 to 365 days');
  return transact(db, async (trx) => {
    const before = await getSettings(trx);
    const after = toSettings(await repo.updateSettings(trx, { assurance_days: patch.assuranceDays ?? before.assuranceDays, ask_assurance: patch.askAssurance ?? before.askAssurance }, clock.now(), actor.userId));
    await recordChange(trx, actor, { action: 'update', entityType: 'bankruptcy_settings', entityId: 'bankruptcy', before: { ...before }, after: { ...after }, reason });
    return after;
  });
}

// ---- reading ----

const caseLabel = (c: { id: number; case_number: string; court: string }) => `Bankruptcy case ${c.id} (${c.case_number}, ${c.court})`;

async function toCase(db: Db, clock: Clock, row: repo.CaseRow, accounts: repo.CaseAccountRow[]): Promise<BankruptcyCase> {
  const today = clock.today();
  const facts = row.status === 'open' ? new Map((await repo.caseSplitFacts(db, row.id, today)).map((f) => [f.accountId, f])) : new Map();
  const out: CaseAccount[] = [];
  for (const a of accounts) {
    const f = facts.get(Number(a.account_id));
    const split = f ? prePetitionSplit({ petitionDate: row.petition_date, ...f }) : null;
    const deposit = a.deposit_id === null ? null : await deposits.getDeposit(db, clock, Number(a.deposit_id));
    out.push({
      accountId: Number(a.account_id), accountNumber: a.account_number, split,
      filed: { balanceBeforeCents: Number(a.filed_balance_before_cents), prePetitionCents: Number(a.filed_pre_petition_cents), derivation: a.filed_derivation },
      assurance: {
        state: assuranceState({ waived: a.assurance_waived_on !== null, deposit, dueOn: row.assurance_due_on, today }),
        depositId: deposit?.id ?? null, amountCents: deposit?.amountCents ?? null, heldCents: deposit?.heldCents ?? null, dueOn: row.assurance_due_on,
        waivedOn: a.assurance_waived_on, waivedReason: a.assurance_waived_reason,
      },
      dischargedCents: a.discharged_cents === null ? null : Number(a.discharged_cents), writeoffEntryId: a.writeoff_entry_id === null ? null : Number(a.writeoff_entry_id),
      alertId: a.alert_id === null ? null : Number(a.alert_id),
    });
  }
  return {
    id: Number(row.id), customerId: Number(row.customer_id), customerName: row.customer_name, chapter: Number(row.chapter), petitionDate: row.petition_date, court: row.court,
    caseNumber: row.case_number, debtorName: row.debtor_name,
    contact: { kind: row.contact_kind, name: row.contact_name, phone: row.contact_phone, email: row.contact_email, address: row.contact_address },
    noticeReceivedOn: row.notice_received_on, status: row.status, assuranceDueOn: row.assurance_due_on, closedOn: row.closed_on, closeReason: row.close_reason,
    createdAt: row.created_at.toISOString(), accounts: out,
    heldCents: out.reduce((n, a) => n + (a.split?.heldCents ?? 0), 0),
    assuranceOverdue: row.status === 'open' && out.some((a) => a.assurance.state === 'overdue'),
  };
}

export async function getCase(db: Db, clock: Clock, id: number): Promise<BankruptcyCase> {
  const row = await repo.findCase(db, id);
  if (!row) throw notFound('Bankruptcy case', id);
  return toCase(db, clock, row, await repo.accountsOfCases(db, [id]));
}

/** The cases an account is or was in, newest first. */
export async function casesOfAccount(db: Db, clock: Clock, accountId: number): Promise<BankruptcyCase[]> {
  await customers.getAccount(db, accountId);
  return Promise.all((await repo.caseIdsOfAccount(db, accountId)).map((id) => getCase(db, clock, id)));
}

/**
 * Cases newest first, by status or customer; `assurance: 'overdue'` lists the open cases with an
 * adequate-assurance deposit unpaid past its due date.
 */
export async function listCases(db: Db, clock: Clock, q: { status?: CaseStatus; customerId?: number; assurance?: 'overdue'; after: number; limit: number }) {
  const rows = await repo.listCases(db, { ...q, overdueOn: q.assurance === 'overdue' ? clock.today() : undefined });
  const page = rows.slice(0, q.limit);
  const accounts = await repo.accountsOfCases(db, page.map((r) => Number(r.id)));
  let items = await Promise.all(page.map((r) => toCase(db, clock, r, accounts.filter((a) => Number(a.case_id) === Number(r.id)))));
  if (q.assurance === 'overdue') items = items.filter((c) => c.assuranceOverdue);
  return { items, next: rows.length > q.limit ? Number(page[page.length - 1]!.id) : null };
}

/** Open cases on `date` for the accounts, with the pre-petition cents still held out of collection. */
export async function staysOf(db: Db, accountIds: number[], date: string): Promise<Map<number, { caseId: number; caseNumber: string; chapter: number; petitionDate: string; prePetitionCents: number }>> {
  const out = new Map<number, { caseId: number; caseNumber: string; chapter: number; petitionDate: string; prePetitionCents: number }>();
  if (accountIds.length === 0) return out;
  for (const s of await repo.openStays(db, accountIds, date)) {
    const split = prePetitionSplit({ petitionDate: s.petitionDate, ...s.facts });
    out.set(s.facts.accountId, { caseId: s.caseId, caseNumber: s.caseNumber, chapter: s.chapter, petitionDate: s.petitionDate, prePetitionCents: split.heldCents });
  }
  return out;
}

// ---- recording a case ----

const text = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);

/**
 * Records a bankruptcy case for a customer's accounts: the split per account at filing, a
 * 'bankruptcy' alert on each, and the adequate-assurance deposit asked of each (due the petition
 * date plus the set days), all in one transaction.
 */
export async function openCase(db: Db, actor: Actor, clock: Clock, input: OpenCaseInput): Promise<BankruptcyCase> {
  const today = clock.today();
  if (!CHAPTERS.includes(input.chapter as Chapter)) throw invalid('chapter', `must be chapter 7, 11, 12 or 13, not ${input.chapter}`);
  if (!isDate(input.petitionDate)) throw invalid('petitionDate', 'must be a date YYYY-MM-DD');
  if (input.petitionDate > today) throw invalid('petitionDate', `${input.petitionDate} is after today (${today})`);
  const noticeOn = input.noticeReceivedOn ?? today;
  if (!isDate(noticeOn) || noticeOn < input.petitionDate || noticeOn > today) throw invalid('noticeReceivedOn', `must be a date from the petition (${input.petitionDate}) to today`);
  const court = input.court?.trim();
  const caseNumber = input.caseNumber?.trim().toUpperCase();
  if (!court) throw invalid('court', 'name the court and its district');
  if (!caseNumber) throw invalid('caseNumber', 'give the case number the court assigned');
  if (input.assuranceCents !== undefined && !(Number.isSafeInteger(input.assuranceCents) && input.assuranceCents > 0)) throw invalid('assuranceCents', 'must be a positive whole number of cents');
  if (input.waiveAssurance !== undefined && input.waiveAssurance.trim().length < 3) throw invalid('waiveAssurance', 'say why the deposit is waived');
  return transact(db, async (trx) => {
    const customer = await customers.getCustomer(trx, input.customerId);
    const ids = [...new Set(input.accountIds ?? customer.accounts.filter((a) => a.status !== 'closed').map((a) => a.id))].sort((a, b) => a - b);
    if (ids.length === 0) throw invalid('accountIds', `customer ${customer.displayName} has no open account for the case to cover`);
    const foreign = ids.filter((id) => !customer.accounts.some((a) => a.id === id));
    if (foreign.length > 0) throw invalid('accountIds', `account(s) ${foreign.join(', ')} are not ${customer.displayName}'s`);
    for (const id of ids) await ledger.lockAccount(trx, id);
    const taken = await repo.openCaseOfAccounts(trx, ids);
    if (taken.length > 0) {
      const t = taken[0]!;
      throw new AppError('conflict', `Account ${customer.accounts.find((a) => a.id === Number(t.account_id))!.accountNumber} is in open bankruptcy case ${t.case_id} (${t.case_number}) already`, { caseId: Number(t.case_id) });
    }
    const same = await repo.findCaseByNumber(trx, court, caseNumber);
    if (same) throw new AppError('conflict', `Case ${caseNumber} of ${court} is recorded already as bankruptcy case ${same.id} (${same.status})`, { caseId: Number(same.id) });

    const s = await getSettings(trx);
    const dueOn = assuranceDueOn(input.petitionDate, s.assuranceDays);
    const contact = input.contact ?? {};
    const caseId = await repo.insertCase(trx, {
      customer_id: customer.id, chapter: input.chapter, petition_date: input.petitionDate, court, case_number: caseNumber, debtor_name: text(input.debtorName) ?? customer.displayName,
      contact_kind: contact.kind ?? 'attorney', contact_name: text(contact.name), contact_phone: text(contact.phone), contact_email: text(contact.email), contact_address: text(contact.address),
      notice_received_on: noticeOn, assurance_due_on: dueOn, created_at: clock.now(), created_by: actor.userId,
    });
    const label = `Chapter ${input.chapter} bankruptcy, case ${caseNumber} (${court}), petition ${input.petitionDate}`;
    const waived = input.waiveAssurance?.trim() || (s.askAssurance ? null : 'The district asks no adequate-assurance deposit (settings)');
    const facts = new Map((await repo.splitFactsFor(trx, ids, input.petitionDate, today)).map((f) => [f.accountId, f]));
    for (const accountId of ids) {
      const account = customer.accounts.find((a) => a.id === accountId)!;
      const split = prePetitionSplit({ petitionDate: input.petitionDate, ...facts.get(accountId)! });
      const alert = await customers.addAlert(trx, actor, clock, accountId, { kind: 'bankruptcy', note: `${label}: automatic stay on the ${formatCents(split.prePetitionCents)} pre-petition debt (case ${caseId})`, startsOn: input.petitionDate }, `Bankruptcy case ${caseId} recorded`);
      let depositId: number | null = null;
      let askedForCase = false;
      if (!waived) {
        const live = (await deposits.depositsOfAccount(trx, clock, accountId)).find((d) => d.status === 'billing' || d.status === 'held');
        if (live) depositId = live.id;
        else {
          askedForCase = true;
          try {
            depositId = (await deposits.requireDeposit(trx, actor, clock, { accountId, amountCents: input.assuranceCents, instalments: 1, reason: `Adequate assurance of payment for ${label}, due by ${dueOn}` })).id;
          } catch (e) {
            if (e instanceof AppError) throw new AppError(e.code, `Account ${account.accountNumber}: the adequate-assurance deposit cannot be asked: ${e.message} (give assuranceCents, or waive it with a reason)`, { ...e.details, accountId });
            throw e;
          }
        }
      }
      await repo.insertCaseAccount(trx, { caseId, accountId, alertId: alert.id, balanceBeforeCents: split.balanceBeforeCents, prePetitionCents: split.prePetitionCents, derivation: split.derivation, depositId, askedForCase, waivedOn: waived ? today : null, waivedReason: waived });
      await recordChange(trx, actor, {
        action: 'open', entityType: 'bankruptcy_case', entityId: caseId, accountId,
        after: { chapter: input.chapter, petitionDate: input.petitionDate, court, caseNumber, prePetitionCents: split.prePetitionCents, postPetitionCents: split.postPetitionCents, derivation: split.derivation, assuranceDepositId: depositId, assuranceDueOn: dueOn, assuranceWaived: waived },
        reason: input.reason,
      });
    }
    return getCase(trx, clock, caseId);
  });
}

// ---- ending a case ----

async function lockOpen(trx: Db, id: number, what: string): Promise<repo.CaseRow> {
  const row = await repo.findCase(trx, id, true);
  if (!row) throw notFound('Bankruptcy case', id);
  if (row.status !== 'open') throw new AppError('conflict', `${caseLabel(row)} was ${row.status} on ${row.closed_on}: it cannot be ${what}`, { status: row.status });
  return row;
}

function checkDate(on: string, row: repo.CaseRow, today: string, field = 'on') {
  if (!isDate(on)) throw invalid(field, 'must be a date YYYY-MM-DD');
  if (on < row.petition_date || on > today) throw invalid(field, `${on} must be from the petition (${row.petition_date}) to today (${today})`);
}

/** Ends the alert a case put on an account, unless staff ended it already. */
async function endAlert(trx: Db, actor: Actor, clock: Clock, accountId: number, alertId: number | null, reason: string) {
  if (alertId === null) return;
  const alert = (await customers.listAlerts(trx, clock, accountId)).find((a) => a.id === alertId);
  if (alert && alert.clearedAt === null) await customers.clearAlert(trx, actor, clock, accountId, alertId, reason);
}

/**
 * The court's discharge: per account, the pre-petition debt still held is written off (a
 * 'writeoff' entry BANKRUPTCY_DISCHARGE dated the discharge, made once per case and account), the
 * alerts end and the case is discharged. Supervisors only.
 */
export async function dischargeCase(db: Db, actor: Actor, clock: Clock, id: number, input: { on?: string; reason: string }): Promise<BankruptcyCase> {
  if (!roleAllows(actor.role, 'supervisor')) throw new AppError('forbidden', `Bankruptcy case ${id}: writing off the pre-petition debt at discharge needs a supervisor`);
  const today = clock.today();
  const on = input.on ?? today;
  return transact(db, async (trx) => {
    const row = await lockOpen(trx, id, 'discharged');
    checkDate(on, row, today);
    const accounts = await repo.accountsOfCases(trx, [id]);
    for (const a of accounts) await ledger.lockAccount(trx, Number(a.account_id));
    const facts = new Map((await repo.caseSplitFacts(trx, id, today)).map((f) => [f.accountId, f]));
    for (const a of accounts) {
      const accountId = Number(a.account_id);
      const split = prePetitionSplit({ petitionDate: row.petition_date, ...facts.get(accountId)! });
      let entryId: number | null = null;
      if (split.heldCents > 0) {
        entryId = (await ledger.postSystemEntry(trx, actor, clock, {
          accountId, kind: 'writeoff', amountCents: -split.heldCents, reasonCode: 'BANKRUPTCY_DISCHARGE', entryDate: on, key: `bankruptcy-discharge:${id}:${accountId}`,
          reason: `Chapter ${row.chapter} discharge, case ${row.case_number} (${row.court}): pre-petition debt written off`,
        })).id;
      }
      await repo.closeCaseAccount(trx, id, accountId, { cents: split.heldCents, entryId });
      await endAlert(trx, actor, clock, accountId, a.alert_id === null ? null : Number(a.alert_id), `Bankruptcy case ${id} discharged`);
      await recordChange(trx, actor, { action: 'discharge', entityType: 'bankruptcy_case', entityId: id, accountId, before: { status: 'open' }, after: { status: 'discharged', dischargedOn: on, writtenOffCents: split.heldCents, ledgerEntryId: entryId, derivation: split.derivation }, reason: input.reason });
    }
    await repo.closeCase(trx, id, { status: 'discharged', closedOn: on, reason: input.reason, at: clock.now(), by: actor.userId });
    return getCase(trx, clock, id);
  });
}

/** Dismissal (the stay ends; collection of all the debt resumes) or closing otherwise: the alerts end, nothing is written off. */
export async function endCase(db: Db, actor: Actor, clock: Clock, id: number, how: 'dismissed' | 'closed', input: { on?: string; reason: string }): Promise<BankruptcyCase> {
  const today = clock.today();
  const on = input.on ?? today;
  return transact(db, async (trx) => {
    const row = await lockOpen(trx, id, how);
    checkDate(on, row, today);
    for (const a of await repo.accountsOfCases(trx, [id])) {
      const accountId = Number(a.account_id);
      await repo.closeCaseAccount(trx, id, accountId, null);
      await endAlert(trx, actor, clock, accountId, a.alert_id === null ? null : Number(a.alert_id), `Bankruptcy case ${id} ${how}`);
      await recordChange(trx, actor, { action: how === 'dismissed' ? 'dismiss' : 'close', entityType: 'bankruptcy_case', entityId: id, accountId, before: { status: 'open' }, after: { status: how, on }, reason: input.reason });
    }
    await repo.closeCase(trx, id, { status: how, closedOn: on, reason: input.reason, at: clock.now(), by: actor.userId });
    return getCase(trx, clock, id);
  });
}

/**
 * Waives the adequate-assurance deposit of a case's accounts (or one of them). A deposit asked
 * for the case and still live is returned through the deposit context (its unpaid instalment taken
 * off the account; what was paid given back), which needs a supervisor.
 */
export async function waiveAssurance(db: Db, actor: Actor, clock: Clock, id: number, input: { accountId?: number; reason: string }): Promise<BankruptcyCase> {
  return transact(db, async (trx) => {
    const row = await lockOpen(trx, id, 'changed');
    const accounts = (await repo.accountsOfCases(trx, [id])).filter((a) => input.accountId === undefined || Number(a.account_id) === input.accountId);
    if (accounts.length === 0) throw invalid('accountId', `account ${input.accountId} is not in ${caseLabel(row)}`);
    const open = accounts.filter((a) => a.assurance_waived_on === null);
    if (open.length === 0) throw new AppError('conflict', `${caseLabel(row)}: the adequate-assurance deposit is waived already`);
    for (const a of open) {
      const accountId = Number(a.account_id);
      if (a.deposit_id !== null) {
        // Only a deposit asked for this case goes back; one the account held before stays.
        const d = await deposits.getDeposit(trx, clock, Number(a.deposit_id));
        if (a.deposit_asked_for_case && (d.status === 'billing' || d.status === 'held')) await deposits.closeDeposit(trx, actor, clock, d.id, 'returned', `Adequate assurance waived for ${caseLabel(row)}: ${input.reason}`);
      }
      await repo.waiveAssurance(trx, id, accountId, clock.today(), input.reason);
      await recordChange(trx, actor, { action: 'waive_assurance', entityType: 'bankruptcy_case', entityId: id, accountId, before: { assuranceWaived: false }, after: { assuranceWaived: true, depositId: a.deposit_id, depositReturned: a.deposit_asked_for_case }, reason: input.reason });
    }
    return getCase(trx, clock, id);
  });
}
