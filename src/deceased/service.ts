/**
 * Deceased customers (C15, GUIDE 3.2). Staff record the notice (who told us, the date of death),
 * or an ACH R15/R14 return opens the case on its own (the payment context calls
 * `openFromAchReturn` in the return's transaction). A case covers the customer's accounts, each
 * with a 'deceased' alert while it is open (the bad-debt placement skips such accounts).
 *
 * The estate: the personal representative, the probate court and case number, the first
 * publication of the probate notice and the attorney. A creditor claim against the estate (the
 * account's balance by default) must be presented within 4 months of the first publication (RCW
 * 11.40.051; rules.ts): filing it later is refused with the deadline named. A claim goes draft ->
 * filed -> allowed | rejected -> paid | written_off; a claim written off (supervisor) takes what
 * the account still owes, up to the claim, off the ledger ('writeoff' WRITE_OFF, made once).
 *
 * Service transferred to a survivor (an existing customer, or a new one made through the customer
 * context): a new account for the survivor, a move-out order ending the deceased's service on the
 * last day and a move-in order starting the survivor's the day after, at each service point in
 * force, made through the service-order context for staff to complete in the field (with the
 * reads). The deceased's final bill and balance stay on the estate account for the claim.
 *
 * This context imports no context that imports the payment context (the payment context calls
 * it): customer, premise, service order, ledger and audit only.
 */
import { recordChange } from '../audit/index.ts';
import { customers, type Account, type Address } from '../customer/index.ts';
import { ledger } from '../ledger/index.ts';
import { roleAllows, type Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { addDays, isDate } from '../platform/dates.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { formatCents } from '../platform/money.ts';
import { premises } from '../premise/index.ts';
import { serviceOrders } from '../service-order/index.ts';
import * as repo from './repository.ts';
import { canStep, claimDeadline, dueSoon, lateClaimReason, type ClaimStatus } from './rules.ts';

export type { ClaimStatus } from './rules.ts';
export type CaseStatus = repo.CaseStatus;
export type CaseSource = repo.Source;

export interface DeceasedSettings { claimMonths: number; warnDays: number }

export interface Estate {
  representativeName: string | null;
  representativeAddress: string | null;
  representativePhone: string | null;
  probateCourt: string | null;
  probateCaseNumber: string | null;
  firstPublicationOn: string | null;
  estateAttorney: string | null;
  /** The last day to present a claim (first publication + the claim months), once published. */
  claimDeadline: string | null;
}

export interface Claim {
  id: number;
  caseId: number;
  accountId: number;
  accountNumber: string;
  customerName: string;
  amountCents: number;
  status: ClaimStatus;
  deadline: string | null;
  /** Not filed, and the deadline is from today to the warning days ahead. */
  dueSoon: boolean;
  filedOn: string | null;
  decidedOn: string | null;
  settledOn: string | null;
  writeoffEntryId: number | null;
  note: string | null;
  createdAt: string;
}

export interface Transfer {
  id: number;
  fromAccountId: number;
  survivorCustomerId: number;
  survivorName: string;
  survivorAccountId: number;
  survivorAccountNumber: string;
  lastDay: string;
  reason: string;
  orders: { id: number; number: string; type: string; status: string; servicePointId: number; effectiveDate: string; accountId: number | null }[];
  createdAt: string;
}

export interface DeceasedCase {
  id: number;
  customerId: number;
  customerName: string;
  status: CaseStatus;
  source: CaseSource;
  dateOfDeath: string | null;
  notifiedOn: string;
  notifiedBy: string | null;
  relationship: string | null;
  paymentId: number | null;
  estate: Estate;
  accounts: { accountId: number; accountNumber: string; status: string; balanceCents: number; alertId: number | null }[];
  claims: Claim[];
  transfers: Transfer[];
  closedOn: string | null;
  closeReason: string | null;
  createdAt: string;
}

// ---- settings ----

const toSettings = (s: repo.SettingsRow): DeceasedSettings => ({ claimMonths: Number(s.claim_months), warnDays: Number(s.warn_days) });
export async function getSettings(db: Db): Promise<DeceasedSettings> {
  return toSettings(await repo.settings(db));
}
export async function updateSettings(db: Db, actor: Actor, clock: Clock, patch: Partial<DeceasedSettings>, reason: string): Promise<DeceasedSettings> {
  if (patch.claimMonths !== undefined && !(Number.isInteger(patch.claimMonths) && patch.claimMonths >= 1 && patch.claimMonths <= 36)) throw invalid('claimMonths', 'must be 1 to 36 months');
  if (patch.warnDays !== undefined && !(Number.isInteger(patch.warnDays) && patch.warnDays >= 1 && patch.warnDays <= 120)) throw invalid('warnDays', 'must be 1 to 120 days');
  return transact(db, async (trx) => {
    const before = await getSettings(trx);
    const after = toSettings(await repo.updateSettings(trx, { claim_months: patch.claimMonths ?? before.claimMonths, warn_days: patch.warnDays ?? before.warnDays }, clock.now(), actor.userId));
    await recordChange(trx, actor, { action: 'update', entityType: 'deceased_settings', entityId: 'deceased', before: { ...before }, after: { ...after }, reason });
    return after;
  });
}

// ---- reading ----

const toClaim = (r: repo.ClaimRow, s: DeceasedSettings, today: string): Claim => {
  const deadline = r.first_publication_on ? claimDeadline(r.first_publication_on, s.claimMonths) : null;
  return {
    id: Number(r.id), caseId: Number(r.case_id), accountId: Number(r.account_id), accountNumber: r.account_number, customerName: r.customer_name, amountCents: Number(r.amount_cents), status: r.status,
    deadline, dueSoon: r.status === 'draft' && dueSoon(deadline, today, s.warnDays), filedOn: r.filed_on, decidedOn: r.decided_on, settledOn: r.settled_on,
    writeoffEntryId: r.writeoff_entry_id === null ? null : Number(r.writeoff_entry_id), note: r.note, createdAt: r.created_at.toISOString(),
  };
};

async function toCases(db: Db, clock: Clock, rows: repo.CaseRow[]): Promise<DeceasedCase[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => Number(r.id));
  const s = await getSettings(db);
  const today = clock.today();
  const [accounts, claims, transfers] = await Promise.all([repo.accountsOfCases(db, ids), repo.claimsOfCases(db, ids), repo.transfersOfCases(db, ids)]);
  const balances = new Map<number, number>();
  for (const a of accounts) if (!balances.has(Number(a.account_id))) balances.set(Number(a.account_id), await ledger.balanceOf(db, Number(a.account_id)));
  const orderOf = async (id: number) => {
    const o = await serviceOrders.getOrder(db, id);
    return { id: o.id, number: o.number, type: o.type, status: o.status, servicePointId: o.servicePointId, effectiveDate: o.effectiveDate, accountId: o.accountId };
  };
  const out: DeceasedCase[] = [];
  for (const r of rows) {
    const id = Number(r.id);
    out.push({
      id, customerId: Number(r.customer_id), customerName: r.customer_name, status: r.status, source: r.source, dateOfDeath: r.date_of_death, notifiedOn: r.notified_on,
      notifiedBy: r.notified_by, relationship: r.relationship, paymentId: r.payment_id === null ? null : Number(r.payment_id),
      estate: {
        representativeName: r.representative_name, representativeAddress: r.representative_address, representativePhone: r.representative_phone, probateCourt: r.probate_court,
        probateCaseNumber: r.probate_case_number, firstPublicationOn: r.first_publication_on, estateAttorney: r.estate_attorney,
        claimDeadline: r.first_publication_on ? claimDeadline(r.first_publication_on, s.claimMonths) : null,
      },
      accounts: accounts.filter((a) => Number(a.case_id) === id).map((a) => ({ accountId: Number(a.account_id), accountNumber: a.account_number, status: a.account_status, balanceCents: balances.get(Number(a.account_id))!, alertId: a.alert_id === null ? null : Number(a.alert_id) })),
      claims: claims.filter((c) => Number(c.case_id) === id).map((c) => toClaim(c, s, today)),
      transfers: await Promise.all(transfers.filter((t) => Number(t.case_id) === id).map(async (t) => ({
        id: Number(t.id), fromAccountId: Number(t.from_account_id), survivorCustomerId: Number(t.survivor_customer_id), survivorName: t.survivor_name, survivorAccountId: Number(t.survivor_account_id),
        survivorAccountNumber: t.survivor_account_number, lastDay: t.last_day, reason: t.reason, orders: await Promise.all(t.order_ids.map((o) => orderOf(Number(o)))), createdAt: t.created_at.toISOString(),
      }))),
      closedOn: r.closed_on, closeReason: r.close_reason, createdAt: r.created_at.toISOString(),
    });
  }
  return out;
}

export async function getCase(db: Db, clock: Clock, id: number): Promise<DeceasedCase> {
  const row = await repo.findCase(db, id);
  if (!row) throw notFound('Deceased case', id);
  return (await toCases(db, clock, [row]))[0]!;
}

export async function casesOfAccount(db: Db, clock: Clock, accountId: number): Promise<DeceasedCase[]> {
  await customers.getAccount(db, accountId);
  return Promise.all((await repo.caseIdsOfAccount(db, accountId)).map((id) => getCase(db, clock, id)));
}

/** Cases newest first: by status, or every case not closed (`open: true`). */
export async function listCases(db: Db, clock: Clock, q: { status?: CaseStatus; open?: boolean; after: number; limit: number }) {
  const rows = await repo.listCases(db, q);
  const items = await toCases(db, clock, rows.slice(0, q.limit));
  return { items, next: rows.length > q.limit ? items[items.length - 1]!.id : null };
}

/** Claims newest first by status; `due: 'soon'`: claims not filed whose deadline is from today to the warning days ahead, soonest first. */
export async function listClaims(db: Db, clock: Clock, q: { status?: ClaimStatus; due?: 'soon'; after: number; limit: number }): Promise<{ items: Claim[]; next: number | null }> {
  const s = await getSettings(db);
  const today = clock.today();
  if (q.due === 'soon') return { items: (await repo.draftClaimsWithDeadline(db)).map((r) => toClaim(r, s, today)).filter((c) => c.dueSoon).sort((a, b) => a.deadline!.localeCompare(b.deadline!) || a.id - b.id), next: null };
  const rows = await repo.listClaims(db, q);
  const items = rows.slice(0, q.limit).map((r) => toClaim(r, s, today));
  return { items, next: rows.length > q.limit ? items[items.length - 1]!.id : null };
}

export async function getClaim(db: Db, clock: Clock, id: number): Promise<Claim> {
  const r = await repo.findClaim(db, id);
  if (!r) throw notFound('Creditor claim', id);
  return toClaim(r, await getSettings(db), clock.today());
}

// ---- the notice ----

const text = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);

/**
 * Puts the case's 'deceased' alert on an account, or takes one already in force there (an account
 * gets one, however the district heard), and adds the account to the case.
 */
async function coverAccount(trx: Db, actor: Actor, clock: Clock, caseId: number, accountId: number, note: string, startsOn: string, reason: string): Promise<number> {
  const existing = (await customers.listAlerts(trx, clock, accountId)).find((a) => a.kind === 'deceased' && a.clearedAt === null && (a.endsOn === null || a.endsOn >= clock.today()));
  const alertId = existing ? existing.id : (await customers.addAlert(trx, actor, clock, accountId, { kind: 'deceased', note, startsOn: startsOn > clock.today() ? clock.today() : startsOn }, reason)).id;
  await repo.insertCaseAccount(trx, caseId, accountId, alertId);
  return alertId;
}

export interface NotifyInput {
  customerId: number;
  /** The accounts the case covers (default: every account of the customer not closed). */
  accountIds?: number[];
  dateOfDeath?: string | null;
  /** Default: today. */
  notifiedOn?: string;
  /** Who told us, and their relationship to the deceased. */
  notifiedBy: string;
  relationship?: string | null;
  reason: string;
}

/** Staff record that a customer has died: a case (one per customer at a time) with a 'deceased' alert on each account. */
export async function notify(db: Db, actor: Actor, clock: Clock, input: NotifyInput): Promise<DeceasedCase> {
  const today = clock.today();
  const notifiedOn = input.notifiedOn ?? today;
  if (!isDate(notifiedOn) || notifiedOn > today) throw invalid('notifiedOn', `must be a date no later than today (${today})`);
  if (input.dateOfDeath != null && (!isDate(input.dateOfDeath) || input.dateOfDeath > notifiedOn)) throw invalid('dateOfDeath', `must be a date no later than the notice (${notifiedOn})`);
  if (!input.notifiedBy?.trim()) throw invalid('notifiedBy', 'say who told the district');
  return transact(db, async (trx) => {
    await repo.lockCustomerNotices(trx, input.customerId);
    const customer = await customers.getCustomer(trx, input.customerId);
    const live = await repo.liveCaseOfCustomer(trx, customer.id);
    if (live) throw new AppError('conflict', `${customer.displayName} has deceased case ${live.id} (${live.status}) already, notified ${live.notified_on}`, { caseId: Number(live.id) });
    const ids = [...new Set(input.accountIds ?? customer.accounts.filter((a) => a.status !== 'closed').map((a) => a.id))].sort((a, b) => a - b);
    if (ids.length === 0) throw invalid('accountIds', `customer ${customer.displayName} has no account that is not closed`);
    const foreign = ids.filter((id) => !customer.accounts.some((a) => a.id === id));
    if (foreign.length > 0) throw invalid('accountIds', `account(s) ${foreign.join(', ')} are not ${customer.displayName}'s`);
    const caseId = await repo.insertCase(trx, { customerId: customer.id, source: 'staff', dateOfDeath: input.dateOfDeath ?? null, notifiedOn, notifiedBy: input.notifiedBy.trim(), relationship: text(input.relationship), paymentId: null, at: clock.now(), by: actor.userId });
    const note = `Customer deceased${input.dateOfDeath ? ` ${input.dateOfDeath}` : ''}; notified by ${input.notifiedBy.trim()}${input.relationship ? ` (${input.relationship})` : ''} on ${notifiedOn} (deceased case ${caseId})`;
    for (const accountId of ids) {
      const alertId = await coverAccount(trx, actor, clock, caseId, accountId, note, notifiedOn, `Deceased case ${caseId} opened`);
      await recordChange(trx, actor, { action: 'notify', entityType: 'deceased_case', entityId: caseId, accountId, after: { source: 'staff', dateOfDeath: input.dateOfDeath ?? null, notifiedOn, notifiedBy: input.notifiedBy.trim(), relationship: text(input.relationship), alertId }, reason: input.reason });
    }
    return getCase(trx, clock, caseId);
  });
}

/**
 * An ACH return R15 (beneficiary or account holder deceased) or R14 (representative payee
 * deceased), in the return's transaction: opens the customer's deceased case with the date of
 * death the bank gave and the payment (or, if the customer has one open, adds the account to it),
 * with a 'deceased' alert on the account (one, never two). R15 covers every account of the
 * customer not closed; R14 the account of the payment.
 */
export async function openFromAchReturn(db: Db, actor: Actor, clock: Clock, input: { accountId: number; paymentId: number; reasonCode: 'R14' | 'R15'; dateOfDeath: string | null; returnedOn: string }): Promise<{ caseId: number; created: boolean }> {
  return transact(db, async (trx) => {
    const account = await customers.getAccount(trx, input.accountId);
    await repo.lockCustomerNotices(trx, account.customerId);
    const customer = await customers.getCustomer(trx, account.customerId);
    const today = clock.today();
    const notifiedOn = input.returnedOn > today ? today : input.returnedOn;
    // A date of death after the notice is a bank's error: kept out of the case, named in the alert.
    const dateOfDeath = input.dateOfDeath && isDate(input.dateOfDeath) && input.dateOfDeath <= notifiedOn ? input.dateOfDeath : null;
    const source = input.reasonCode === 'R15' ? 'ach_r15' : 'ach_r14';
    const why = `ACH return ${input.reasonCode} on payment ${input.paymentId}${input.dateOfDeath ? `; date of death ${input.dateOfDeath}` : ''}`;
    const live = await repo.liveCaseOfCustomer(trx, customer.id);
    const caseId = live ? Number(live.id) : await repo.insertCase(trx, { customerId: customer.id, source, dateOfDeath, notifiedOn, notifiedBy: 'Bank (ACH return)', relationship: null, paymentId: input.paymentId, at: clock.now(), by: actor.userId });
    if (live && live.date_of_death === null && dateOfDeath) await repo.updateEstate(trx, caseId, { date_of_death: dateOfDeath }, clock.now());
    const covered = new Set((await repo.accountsOfCases(trx, [caseId])).map((a) => Number(a.account_id)));
    const accounts: Account[] = input.reasonCode === 'R15' ? customer.accounts.filter((a) => a.status !== 'closed' || a.id === account.id) : [account];
    for (const a of accounts) {
      if (covered.has(a.id)) continue;
      const alertId = await coverAccount(trx, actor, clock, caseId, a.id, `${why}: confirm and record the estate (deceased case ${caseId})`, notifiedOn, `ACH return ${input.reasonCode}`);
      await recordChange(trx, actor, { action: live ? 'add_account' : 'notify', entityType: 'deceased_case', entityId: caseId, accountId: a.id, after: { source, dateOfDeath, notifiedOn, paymentId: input.paymentId, alertId }, reason: why });
    }
    if (live) await recordChange(trx, actor, { action: 'ach_return', entityType: 'deceased_case', entityId: caseId, accountId: account.id, after: { paymentId: input.paymentId, reasonCode: input.reasonCode, dateOfDeath: input.dateOfDeath }, reason: why });
    return { caseId, created: !live };
  });
}

// ---- the estate ----

export interface EstateInput {
  dateOfDeath?: string | null;
  representativeName?: string | null;
  representativeAddress?: string | null;
  representativePhone?: string | null;
  probateCourt?: string | null;
  probateCaseNumber?: string | null;
  firstPublicationOn?: string | null;
  estateAttorney?: string | null;
}

async function lockLive(trx: Db, id: number, what: string): Promise<repo.CaseRow> {
  const row = await repo.findCase(trx, id, true);
  if (!row) throw notFound('Deceased case', id);
  if (row.status === 'closed') throw new AppError('conflict', `Deceased case ${id} (${row.customer_name}) was closed on ${row.closed_on}: ${what}`);
  return row;
}

/** Records or corrects the estate's details (any of them). */
export async function recordEstate(db: Db, actor: Actor, clock: Clock, id: number, input: EstateInput, reason: string): Promise<DeceasedCase> {
  const today = clock.today();
  for (const f of ['dateOfDeath', 'firstPublicationOn'] as const) {
    const v = input[f];
    if (v != null && (!isDate(v) || v > today)) throw invalid(f, `must be a date no later than today (${today})`);
  }
  return transact(db, async (trx) => {
    const row = await lockLive(trx, id, 'its estate cannot be changed');
    const death = input.dateOfDeath === undefined ? row.date_of_death : input.dateOfDeath;
    const published = input.firstPublicationOn === undefined ? row.first_publication_on : input.firstPublicationOn;
    if (death && death > row.notified_on) throw invalid('dateOfDeath', `${death} is after the district was told (${row.notified_on})`);
    if (death && published && published < death) throw invalid('firstPublicationOn', `${published} is before the date of death (${death})`);
    const patch: repo.EstatePatch = {
      date_of_death: input.dateOfDeath, representative_name: input.representativeName === undefined ? undefined : text(input.representativeName),
      representative_address: input.representativeAddress === undefined ? undefined : text(input.representativeAddress), representative_phone: input.representativePhone === undefined ? undefined : text(input.representativePhone),
      probate_court: input.probateCourt === undefined ? undefined : text(input.probateCourt), probate_case_number: input.probateCaseNumber === undefined ? undefined : text(input.probateCaseNumber),
      first_publication_on: input.firstPublicationOn, estate_attorney: input.estateAttorney === undefined ? undefined : text(input.estateAttorney),
    };
    if (Object.values(patch).every((v) => v === undefined)) throw invalid('body', 'give at least one detail of the estate');
    const before = Object.fromEntries(Object.keys(patch).filter((k) => patch[k as keyof repo.EstatePatch] !== undefined).map((k) => [k, row[k as keyof repo.CaseRow]]));
    await repo.updateEstate(trx, id, patch, clock.now());
    const after = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    for (const a of await repo.accountsOfCases(trx, [id])) await recordChange(trx, actor, { action: 'estate', entityType: 'deceased_case', entityId: id, accountId: Number(a.account_id), before, after, reason });
    return getCase(trx, clock, id);
  });
}

// ---- creditor claims ----

/** A claim against the estate for an account of the case: the account's balance by default. */
export async function createClaim(db: Db, actor: Actor, clock: Clock, caseId: number, input: { accountId?: number; amountCents?: number; note?: string | null; reason: string }): Promise<Claim> {
  if (input.amountCents !== undefined && !(Number.isSafeInteger(input.amountCents) && input.amountCents > 0)) throw invalid('amountCents', 'must be a positive whole number of cents');
  return transact(db, async (trx) => {
    const row = await lockLive(trx, caseId, 'no claim can be made');
    const accounts = await repo.accountsOfCases(trx, [caseId]);
    const accountId = input.accountId ?? (accounts.length === 1 ? Number(accounts[0]!.account_id) : undefined);
    if (accountId === undefined) throw invalid('accountId', `deceased case ${caseId} covers ${accounts.length} accounts: name the account`);
    const account = accounts.find((a) => Number(a.account_id) === accountId);
    if (!account) throw invalid('accountId', `account ${accountId} is not in deceased case ${caseId}`);
    const balance = await ledger.balanceOf(trx, accountId);
    const amount = input.amountCents ?? balance;
    if (amount <= 0) throw new AppError('conflict', `Account ${account.account_number} owes nothing (balance ${formatCents(balance)}): there is no claim to make against the estate`);
    const id = await repo.insertClaim(trx, { caseId, accountId, amountCents: amount, note: text(input.note), at: clock.now(), by: actor.userId });
    if (row.status === 'open') await repo.setStatus(trx, caseId, 'estate_claim', clock.now());
    await recordChange(trx, actor, { action: 'claim', entityType: 'deceased_claim', entityId: id, accountId, after: { caseId, amountCents: amount, status: 'draft' }, reason: input.reason });
    return getClaim(trx, clock, id);
  });
}

async function lockClaim(trx: Db, id: number): Promise<repo.ClaimRow> {
  const r = await repo.findClaim(trx, id, true);
  if (!r) throw notFound('Creditor claim', id);
  return r;
}

/** Presents a claim to the estate on a day (today by default): refused after the deadline, which the refusal names. */
export async function fileClaim(db: Db, actor: Actor, clock: Clock, id: number, input: { filedOn?: string; reason: string }): Promise<Claim> {
  const today = clock.today();
  const filedOn = input.filedOn ?? today;
  if (!isDate(filedOn) || filedOn > today) throw invalid('filedOn', `must be a date no later than today (${today})`);
  return transact(db, async (trx) => {
    const claim = await lockClaim(trx, id);
    await lockLive(trx, Number(claim.case_id), 'its claims cannot be filed');
    if (!canStep(claim.status, 'filed')) throw new AppError('conflict', `Claim ${id} is ${claim.status}${claim.filed_on ? ` (filed ${claim.filed_on})` : ''}: only a draft claim is filed`);
    const s = await getSettings(trx);
    const late = lateClaimReason(filedOn, claim.first_publication_on, s.claimMonths);
    if (late) throw new AppError('conflict', `Claim ${id} against the estate of ${claim.customer_name} cannot be filed on ${filedOn}: ${late}`, { deadline: claim.first_publication_on ? claimDeadline(claim.first_publication_on, s.claimMonths) : null });
    await repo.stepClaim(trx, id, { status: 'filed', filedOn, at: clock.now() });
    await recordChange(trx, actor, { action: 'file', entityType: 'deceased_claim', entityId: id, accountId: Number(claim.account_id), before: { status: claim.status }, after: { status: 'filed', filedOn, deadline: claimDeadline(claim.first_publication_on!, s.claimMonths) }, reason: input.reason });
    return getClaim(trx, clock, id);
  });
}

/**
 * The estate's answer (allowed or rejected), then how it ended: paid (the estate's payment is
 * posted as any payment) or written off (supervisor: what the account still owes, up to the
 * claim, is written off: a 'writeoff' entry WRITE_OFF, made once).
 */
export async function stepClaim(db: Db, actor: Actor, clock: Clock, id: number, input: { outcome: 'allowed' | 'rejected' | 'paid' | 'written_off'; on?: string; reason: string }): Promise<Claim> {
  const today = clock.today();
  const on = input.on ?? today;
  if (!isDate(on) || on > today) throw invalid('on', `must be a date no later than today (${today})`);
  if (input.outcome === 'written_off' && !roleAllows(actor.role, 'supervisor')) throw new AppError('forbidden', `Claim ${id}: writing off what the estate does not pay needs a supervisor`);
  return transact(db, async (trx) => {
    const claim = await lockClaim(trx, id);
    if (!canStep(claim.status, input.outcome)) {
      const next = { draft: 'filed first', filed: 'allowed or rejected', allowed: 'paid or written off', rejected: 'written off', paid: '', written_off: '' }[claim.status];
      throw new AppError('conflict', `Claim ${id} is ${claim.status}: ${next ? `it can only be ${next}` : 'it takes no further step'}`);
    }
    if (claim.filed_on && on < claim.filed_on) throw invalid('on', `${on} is before the claim was filed (${claim.filed_on})`);
    const accountId = Number(claim.account_id);
    let entryId: number | null | undefined;
    if (input.outcome === 'written_off') {
      await ledger.lockAccount(trx, accountId);
      const owed = Math.min(Number(claim.amount_cents), Math.max(0, await ledger.balanceOf(trx, accountId)));
      entryId = owed > 0
        ? (await ledger.postSystemEntry(trx, actor, clock, { accountId, kind: 'writeoff', amountCents: -owed, reasonCode: 'WRITE_OFF', reason: `Claim ${id} against the estate of ${claim.customer_name} ${claim.status === 'rejected' ? 'rejected' : 'not paid'}: written off`, entryDate: on, key: `deceased-claim:${id}` })).id
        : null;
    }
    const decided = input.outcome === 'allowed' || input.outcome === 'rejected';
    await repo.stepClaim(trx, id, { status: input.outcome, decidedOn: decided ? on : undefined, settledOn: decided ? undefined : on, writeoffEntryId: entryId, at: clock.now() });
    await recordChange(trx, actor, { action: input.outcome === 'written_off' ? 'write_off' : input.outcome, entityType: 'deceased_claim', entityId: id, accountId, before: { status: claim.status }, after: { status: input.outcome, on, ...(entryId !== undefined ? { ledgerEntryId: entryId } : {}) }, reason: input.reason });
    return getClaim(trx, clock, id);
  });
}

// ---- service to a survivor ----

export interface TransferInput {
  /** The deceased's account whose service moves (default: the case's one account with service). */
  accountId?: number;
  /** An existing customer takes the service ... */
  survivorCustomerId?: number;
  /** ... or a new one, made through the customer context. */
  survivor?: { kind?: 'person' | 'business'; firstName?: string | null; lastName?: string | null; businessName?: string | null; phone?: string | null };
  /** The deceased's last day of service; the survivor's starts the day after. */
  lastDay: string;
  /** The survivor's billing address (default: the deceased account's). */
  billingAddress?: Omit<Address, 'line2'> & { line2?: string | null };
  reason: string;
}

/**
 * Moves the service of a deceased's account to a survivor: a new account for the survivor (pending
 * until the move-in is completed), and for each service point in force on the last day a move-out
 * of the deceased's account (that day) and a move-in of the survivor's (the day after), made as
 * service orders for staff to complete with the field's reads. The balance stays on the estate's
 * account.
 */
export async function transferService(db: Db, actor: Actor, clock: Clock, caseId: number, input: TransferInput): Promise<DeceasedCase> {
  if (!isDate(input.lastDay)) throw invalid('lastDay', 'must be a date YYYY-MM-DD');
  if ((input.survivorCustomerId === undefined) === (input.survivor === undefined)) throw invalid('survivorCustomerId', 'name the survivor: an existing customer (survivorCustomerId) or a new one (survivor), not both');
  return transact(db, async (trx) => {
    const row = await lockLive(trx, caseId, 'its service cannot be transferred');
    if (row.date_of_death && input.lastDay < row.date_of_death) throw invalid('lastDay', `${input.lastDay} is before the date of death (${row.date_of_death})`);
    const caseAccounts = await repo.accountsOfCases(trx, [caseId]);
    const inForce = async (accountId: number) => (await premises.servicesOfAccount(trx, accountId)).filter((s) => s.agreement.startDate <= input.lastDay && (s.agreement.endDate === null || s.agreement.endDate >= input.lastDay));
    let accountId = input.accountId;
    if (accountId === undefined) {
      const withService = [];
      for (const a of caseAccounts) if ((await inForce(Number(a.account_id))).length > 0) withService.push(Number(a.account_id));
      if (withService.length !== 1) throw invalid('accountId', `deceased case ${caseId} has ${withService.length} accounts with service on ${input.lastDay}: name the account`);
      accountId = withService[0]!;
    } else if (!caseAccounts.some((a) => Number(a.account_id) === accountId)) throw invalid('accountId', `account ${accountId} is not in deceased case ${caseId}`);
    const services = await inForce(accountId);
    const from = await customers.getAccount(trx, accountId);
    if (services.length === 0) throw new AppError('conflict', `Account ${from.accountNumber} has no service in force on ${input.lastDay} to transfer`);

    let survivorId: number;
    if (input.survivorCustomerId !== undefined) {
      survivorId = (await customers.getCustomer(trx, input.survivorCustomerId)).id;
      if (survivorId === Number(row.customer_id)) throw invalid('survivorCustomerId', `customer ${survivorId} is the deceased`);
    } else {
      const s = input.survivor!;
      survivorId = (await customers.createCustomer(trx, actor, {
        kind: s.kind ?? 'person', firstName: s.firstName ?? null, lastName: s.lastName ?? null, businessName: s.businessName ?? null,
        contacts: s.phone?.trim() ? [{ kind: 'phone', value: s.phone.trim(), isPrimary: true }] : [],
      }, `Survivor of ${row.customer_name} taking over service (deceased case ${caseId})`)).id;
    }
    const survivorAccount = await customers.createAccount(trx, actor, clock, {
      customerId: survivorId, customerClass: from.customerClass, billingCycle: from.billingCycle, billingAddress: input.billingAddress ?? from.billingAddress, status: 'pending',
    }, `Service of ${row.customer_name}'s account ${from.accountNumber} transferred to a survivor (deceased case ${caseId})`);
    const why = `Service transferred to a survivor (deceased case ${caseId}): ${input.reason}`;
    const orderIds: number[] = [];
    for (const s of services) {
      const out = await serviceOrders.createOrder(trx, actor, { type: 'move_out', servicePointId: s.servicePoint.id, accountId, effectiveDate: input.lastDay, reason: why, idempotencyKey: `deceased:${caseId}:${accountId}:${s.servicePoint.id}:${input.lastDay}:out` });
      const inn = await serviceOrders.createOrder(trx, actor, { type: 'move_in', servicePointId: s.servicePoint.id, accountId: survivorAccount.id, effectiveDate: addDays(input.lastDay, 1), request: { rateCode: s.agreement.rateCode }, reason: why, idempotencyKey: `deceased:${caseId}:${survivorAccount.id}:${s.servicePoint.id}:${input.lastDay}:in` });
      orderIds.push(out.id, inn.id);
    }
    const transferId = await repo.insertTransfer(trx, { caseId, fromAccountId: accountId, survivorCustomerId: survivorId, survivorAccountId: survivorAccount.id, lastDay: input.lastDay, orderIds, reason: input.reason, at: clock.now(), by: actor.userId });
    if (row.status === 'open' || row.status === 'estate_claim') await repo.setStatus(trx, caseId, 'transferred', clock.now());
    await recordChange(trx, actor, { action: 'transfer', entityType: 'deceased_case', entityId: caseId, accountId, before: { status: row.status }, after: { status: 'transferred', transferId, survivorCustomerId: survivorId, survivorAccountId: survivorAccount.id, lastDay: input.lastDay, orderIds }, reason: input.reason });
    return getCase(trx, clock, caseId);
  });
}

// ---- closing ----

/** Closes a case (nothing more to do): refused while a claim waits to be filed, answered or paid. The alerts end. */
export async function closeCase(db: Db, actor: Actor, clock: Clock, id: number, reason: string): Promise<DeceasedCase> {
  return transact(db, async (trx) => {
    const row = await lockLive(trx, id, 'it is closed already');
    const pending = (await repo.claimsOfCases(trx, [id])).find((c) => c.status === 'draft' || c.status === 'filed' || c.status === 'allowed');
    if (pending) throw new AppError('conflict', `Deceased case ${id} has claim ${pending.id} ${pending.status}: settle it (or write it off) before closing the case`, { claimId: Number(pending.id) });
    for (const a of await repo.accountsOfCases(trx, [id])) {
      const accountId = Number(a.account_id);
      if (a.alert_id !== null) {
        const alert = (await customers.listAlerts(trx, clock, accountId)).find((x) => x.id === Number(a.alert_id));
        if (alert && alert.clearedAt === null) await customers.clearAlert(trx, actor, clock, accountId, alert.id, `Deceased case ${id} closed`);
      }
      await recordChange(trx, actor, { action: 'close', entityType: 'deceased_case', entityId: id, accountId, before: { status: row.status }, after: { status: 'closed' }, reason });
    }
    await repo.setStatus(trx, id, 'closed', clock.now(), { on: clock.today(), reason });
    return getCase(trx, clock, id);
  });
}
