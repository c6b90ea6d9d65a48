/**
 * Energy assistance (C12): agencies (a community-action agency, say) and the programs they pay
 * from (the federal LIHEAP grant, a winter-crisis fund); pledges an agency makes on a customer's
 * account, which hold collection while open and put a pledge_pending alert on the account; the
 * agency's payments (one check covering many accounts, or a file), each item posted as a payment
 * by the payment context and recorded against the pledge it pays; the daily review that expires
 * the pledges whose date passed (flagging those that came in short); and the program monitoring
 * report. The rules without I/O are in rules.ts; agency files are read by agency-file.ts.
 */
import { createHash } from 'node:crypto';
import { recordChange } from '../audit/index.ts';
import { customers } from '../customer/index.ts';
import { agencyPayments as payingAgency } from '../payment/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { addDays, addMonths, isDate } from '../platform/dates.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { formatCents } from '../platform/money.ts';
import { AgencyFileError, defaultAgencyFileLayout, parseAgencyFile, validateAgencyFileLayout, type AgencyFileLayout } from './agency-file.ts';
import * as repo from './repository.ts';
import { flagOf, holdsOn, itemsDifference, outstandingOf, pledgeFor, programReport, programReportCsv, statusAfterReceipt, type CandidatePledge, type PledgeFlag, type PledgeStatus, type ReportRow } from './rules.ts';

export type { PledgeFlag, PledgeStatus, ReportRow, AgencyFileLayout };

// ---- shapes ----

export interface AssistanceSettings {
  defaultValidityDays: number;
}

export interface Agency {
  id: number;
  code: string;
  name: string;
  contactName: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  /** The agency's payment-file layout; null: the default layout. */
  fileLayout: AgencyFileLayout | null;
  active: boolean;
  createdAt: string;
}

export interface Program {
  id: number;
  agencyId: number;
  code: string;
  name: string;
  /** Low-income energy assistance (LIHEAP-type). */
  lowIncome: boolean;
  fundingYear: number | null;
  seasonFrom: string | null;
  seasonTo: string | null;
  active: boolean;
  createdAt: string;
}

export interface Pledge {
  id: number;
  accountId: number;
  accountNumber: string;
  customerName: string;
  agencyId: number;
  agencyCode: string;
  agencyName: string;
  programId: number;
  programCode: string;
  programName: string;
  lowIncome: boolean;
  reference: string | null;
  amountCents: number;
  receivedCents: number;
  outstandingCents: number;
  pledgedOn: string;
  expiresOn: string;
  status: PledgeStatus;
  /** expired or short once it lapsed; null otherwise. */
  flag: PledgeFlag | null;
  /** It holds collection today (open, pledged by now, not past its expiry). */
  holdsCollection: boolean;
  closedOn: string | null;
  cancelReason: string | null;
  createdAt: string;
}

/** What an open pledge holds collection with: for the collections work (issue 7). */
export interface PledgeHold {
  pledgeId: number;
  expiresOn: string;
  amountCents: number;
  outstandingCents: number;
}

export interface AgencyPaymentItemResult {
  itemNo: number;
  paymentId: number;
  accountId: number | null;
  /** The account as the agency or staff gave it. */
  accountRef: string | null;
  amountCents: number;
  /** applied: posted to the account; suspense: no account of ours was named, it waits for staff. */
  status: 'applied' | 'suspense' | 'reversed';
  pledgeId: number | null;
  pledgeStatus: PledgeStatus | null;
}

export interface AgencyPayment {
  id: number;
  agencyId: number;
  agencyCode: string;
  agencyName: string;
  source: 'check' | 'file';
  checkNumber: string | null;
  receivedOn: string;
  totalCents: number;
  batchId: number;
  importId: number | null;
  note: string | null;
  createdAt: string;
  applied: number;
  suspense: number;
  items: AgencyPaymentItemResult[];
}

const toAgency = (r: repo.AgencyRow): Agency => ({
  id: r.id, code: r.code, name: r.name, contactName: r.contact_name, address: r.address, phone: r.phone, email: r.email,
  fileLayout: (r.file_layout ?? null) as AgencyFileLayout | null, active: r.active, createdAt: r.created_at.toISOString(),
});
const toProgram = (r: repo.ProgramRow): Program => ({
  id: r.id, agencyId: r.agency_id, code: r.code, name: r.name, lowIncome: r.low_income, fundingYear: r.funding_year, seasonFrom: r.season_from, seasonTo: r.season_to,
  active: r.active, createdAt: r.created_at.toISOString(),
});
const toPledge = (r: repo.PledgeView, today: string): Pledge => {
  const core = { status: r.status, amountCents: Number(r.amount_cents), receivedCents: Number(r.received_cents), pledgedOn: r.pledged_on, expiresOn: r.expires_on };
  return {
    id: r.id, accountId: r.account_id, accountNumber: r.account_number, customerName: r.customer_name, agencyId: r.agency_id, agencyCode: r.agency_code, agencyName: r.agency_name,
    programId: r.program_id, programCode: r.program_code, programName: r.program_name, lowIncome: r.low_income, reference: r.reference, ...core,
    outstandingCents: outstandingOf(core), flag: flagOf(core), holdsCollection: holdsOn(core, today), closedOn: r.closed_on, cancelReason: r.cancel_reason, createdAt: r.created_at.toISOString(),
  };
};
const candidateOf = (r: repo.PledgeView): CandidatePledge => ({
  id: r.id, accountId: r.account_id, agencyId: r.agency_id, status: r.status, amountCents: Number(r.amount_cents), receivedCents: Number(r.received_cents), pledgedOn: r.pledged_on, expiresOn: r.expires_on,
});

const CODE = /^[A-Z0-9][A-Z0-9_-]{0,19}$/;
const code = (field: string, raw: string) => {
  const c = raw.trim().toUpperCase();
  if (!CODE.test(c)) throw invalid(field, `"${raw}" is not a code: letters, digits, - and _, up to 20`);
  return c;
};
const text = (v: string | null | undefined) => (v === undefined ? undefined : v === null ? null : v.trim() || null);
const uniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

// ---- settings ----

export async function getSettings(db: Db): Promise<AssistanceSettings> {
  return { defaultValidityDays: (await repo.settings(db)).default_validity_days };
}

export async function updateSettings(db: Db, actor: Actor, clock: Clock, patch: Partial<AssistanceSettings>, reason: string): Promise<AssistanceSettings> {
  if (patch.defaultValidityDays !== undefined && (!Number.isInteger(patch.defaultValidityDays) || patch.defaultValidityDays < 1 || patch.defaultValidityDays > 366)) throw invalid('defaultValidityDays', 'must be 1 to 366 days');
  return transact(db, async (trx) => {
    const before = await getSettings(trx);
    await repo.updateSettings(trx, { default_validity_days: patch.defaultValidityDays, updated_at: clock.now(), updated_by: actor.userId });
    const after = await getSettings(trx);
    await recordChange(trx, actor, { action: 'update', entityType: 'assistance_settings', entityId: 1, before: { ...before }, after: { ...after }, reason });
    return after;
  });
}

// ---- agencies and programs ----

export interface AgencyInput {
  code: string;
  name: string;
  contactName?: string | null;
  address?: string | null;
  phone?: string | null;
  email?: string | null;
  fileLayout?: unknown;
  active?: boolean;
}

const layoutOf = (raw: unknown): AgencyFileLayout | null => {
  if (raw === undefined || raw === null) return null;
  try {
    return validateAgencyFileLayout(raw);
  } catch (e) {
    throw invalid('fileLayout', (e as Error).message);
  }
};

export async function listAgencies(db: Db): Promise<Agency[]> {
  return (await repo.agencies(db)).map(toAgency);
}

export async function getAgency(db: Db, id: number): Promise<Agency & { programs: Program[] }> {
  const row = await repo.findAgency(db, id);
  if (!row) throw notFound('Agency', id);
  return { ...toAgency(row), programs: (await repo.programs(db, id)).map(toProgram) };
}

export async function createAgency(db: Db, actor: Actor, clock: Clock, input: AgencyInput, reason = 'New energy-assistance agency'): Promise<Agency> {
  const row = {
    code: code('code', input.code), name: input.name.trim(), contact_name: text(input.contactName) ?? null, address: text(input.address) ?? null, phone: text(input.phone) ?? null,
    email: text(input.email) ?? null, file_layout: layoutOf(input.fileLayout) === null ? null : JSON.stringify(layoutOf(input.fileLayout)), active: input.active ?? true,
  };
  if (!row.name) throw invalid('name', 'must not be empty');
  return transact(db, async (trx) => {
    if (await repo.findAgencyByCode(trx, row.code)) throw new AppError('conflict', `There is an agency ${row.code} already`, { code: row.code });
    const agency = toAgency(await repo.insertAgency(trx, { ...row, created_at: clock.now(), created_by: actor.userId, updated_at: null, updated_by: null }));
    await recordChange(trx, actor, { action: 'create', entityType: 'assistance_agency', entityId: agency.id, after: { ...agency, createdAt: undefined }, reason });
    return agency;
  });
}

export async function updateAgency(db: Db, actor: Actor, clock: Clock, id: number, patch: Partial<AgencyInput>, reason: string): Promise<Agency> {
  return transact(db, async (trx) => {
    const before = await repo.findAgency(trx, id);
    if (!before) throw notFound('Agency', id);
    if (patch.name !== undefined && !patch.name.trim()) throw invalid('name', 'must not be empty');
    const newCode = patch.code === undefined ? undefined : code('code', patch.code);
    if (newCode && newCode !== before.code && (await repo.findAgencyByCode(trx, newCode))) throw new AppError('conflict', `There is an agency ${newCode} already`, { code: newCode });
    const layout = patch.fileLayout === undefined ? undefined : layoutOf(patch.fileLayout);
    const after = await repo.updateAgency(trx, id, {
      code: newCode, name: patch.name?.trim(), contact_name: text(patch.contactName), address: text(patch.address), phone: text(patch.phone), email: text(patch.email),
      file_layout: layout === undefined ? undefined : layout === null ? null : JSON.stringify(layout), active: patch.active, updated_at: clock.now(), updated_by: actor.userId,
    });
    const [b, a] = [toAgency(before), toAgency(after)];
    await recordChange(trx, actor, { action: 'update', entityType: 'assistance_agency', entityId: id, before: { ...b, createdAt: undefined }, after: { ...a, createdAt: undefined }, reason });
    return a;
  });
}

export interface ProgramInput {
  agencyId: number;
  code: string;
  name: string;
  lowIncome?: boolean;
  fundingYear?: number | null;
  seasonFrom?: string | null;
  seasonTo?: string | null;
  active?: boolean;
}

const checkSeason = (from: string | null | undefined, to: string | null | undefined) => {
  if (from && !isDate(from)) throw invalid('seasonFrom', `${from} is not a date (YYYY-MM-DD)`);
  if (to && !isDate(to)) throw invalid('seasonTo', `${to} is not a date (YYYY-MM-DD)`);
  if (from && to && to < from) throw invalid('seasonTo', `is before seasonFrom ${from}`);
};

export async function listPrograms(db: Db, agencyId?: number): Promise<(Program & { agencyCode: string; agencyName: string })[]> {
  const agencies = new Map((await repo.agencies(db)).map((a) => [a.id, a]));
  return (await repo.programs(db, agencyId)).map((p) => ({ ...toProgram(p), agencyCode: agencies.get(p.agency_id)?.code ?? '', agencyName: agencies.get(p.agency_id)?.name ?? '' }));
}

export async function createProgram(db: Db, actor: Actor, clock: Clock, input: ProgramInput, reason = 'New energy-assistance program'): Promise<Program> {
  checkSeason(input.seasonFrom, input.seasonTo);
  const c = code('code', input.code);
  if (!input.name.trim()) throw invalid('name', 'must not be empty');
  return transact(db, async (trx) => {
    const agency = await repo.findAgency(trx, input.agencyId);
    if (!agency) throw notFound('Agency', input.agencyId);
    if ((await repo.programs(trx, agency.id)).some((p) => p.code === c)) throw new AppError('conflict', `Agency ${agency.code} has a program ${c} already`, { code: c });
    const program = toProgram(await repo.insertProgram(trx, {
      agency_id: agency.id, code: c, name: input.name.trim(), low_income: input.lowIncome ?? true, funding_year: input.fundingYear ?? null, season_from: input.seasonFrom ?? null,
      season_to: input.seasonTo ?? null, active: input.active ?? true, created_at: clock.now(), created_by: actor.userId, updated_at: null, updated_by: null,
    }));
    await recordChange(trx, actor, { action: 'create', entityType: 'assistance_program', entityId: program.id, after: { ...program, createdAt: undefined, agencyCode: agency.code }, reason });
    return program;
  });
}

export async function updateProgram(db: Db, actor: Actor, clock: Clock, id: number, patch: Partial<Omit<ProgramInput, 'agencyId' | 'code'>>, reason: string): Promise<Program> {
  return transact(db, async (trx) => {
    const before = await repo.findProgram(trx, id);
    if (!before) throw notFound('Program', id);
    if (patch.name !== undefined && !patch.name.trim()) throw invalid('name', 'must not be empty');
    checkSeason(patch.seasonFrom === undefined ? before.season_from : patch.seasonFrom, patch.seasonTo === undefined ? before.season_to : patch.seasonTo);
    const after = await repo.updateProgram(trx, id, {
      name: patch.name?.trim(), low_income: patch.lowIncome, funding_year: patch.fundingYear, season_from: patch.seasonFrom, season_to: patch.seasonTo, active: patch.active,
      updated_at: clock.now(), updated_by: actor.userId,
    });
    const [b, a] = [toProgram(before), toProgram(after)];
    await recordChange(trx, actor, { action: 'update', entityType: 'assistance_program', entityId: id, before: { ...b, createdAt: undefined }, after: { ...a, createdAt: undefined }, reason });
    return a;
  });
}

/** A program by its code (and agency code, where two agencies have a program of that code). */
export async function findProgram(db: Db, programCode: string, agencyCode?: string): Promise<Program> {
  const all = await repo.programsByCode(db, programCode.trim().toUpperCase());
  const agency = agencyCode ? await repo.findAgencyByCode(db, agencyCode.trim().toUpperCase()) : undefined;
  if (agencyCode && !agency) throw notFound('Agency', agencyCode);
  const found = agency ? all.filter((p) => p.agency_id === agency.id) : all;
  if (found.length === 0) throw notFound('Program', programCode);
  if (found.length > 1) throw invalid('program', `${programCode} is a program of ${found.length} agencies: name the agency`);
  return toProgram(found[0]!);
}

// ---- pledges ----

async function pledgeOut(db: Db, clock: Clock, id: number): Promise<Pledge> {
  const [row] = await repo.pledgeViews(db, [id]);
  if (!row) throw notFound('Pledge', id);
  return toPledge(row, clock.today());
}

/** The account's pledge_pending alert goes when its pledge is paid, expires or is cancelled. */
async function clearPledgeAlert(trx: Db, actor: Actor, clock: Clock, pledge: repo.PledgeRow, why: string): Promise<void> {
  if (pledge.alert_id === null) return;
  const alert = (await customers.listAlerts(trx, clock, pledge.account_id)).find((a) => a.id === pledge.alert_id);
  if (alert && alert.clearedAt === null) await customers.clearAlert(trx, actor, clock, pledge.account_id, alert.id, why);
}

export interface PledgeInput {
  accountId: number;
  programId: number;
  amountCents: number;
  /** Default: today. */
  pledgedOn?: string;
  /** Default: the pledge date plus the settings' validity days. */
  expiresOn?: string;
  reference?: string | null;
}

/**
 * Records an agency's pledge on an account. It holds collection from its date through its expiry,
 * and the account carries a pledge_pending alert (ending on the expiry date) while it is open.
 */
export async function recordPledge(db: Db, actor: Actor, clock: Clock, input: PledgeInput, reason: string): Promise<Pledge> {
  if (!reason?.trim()) throw invalid('reason', 'say why the pledge is recorded (kept in the audit trail)');
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) throw invalid('amountCents', 'must be a positive whole number of cents');
  const today = clock.today();
  const pledgedOn = input.pledgedOn ?? today;
  if (!isDate(pledgedOn)) throw invalid('pledgedOn', `${pledgedOn} is not a date (YYYY-MM-DD)`);
  if (pledgedOn > today) throw invalid('pledgedOn', `${pledgedOn} is after today (${today}): record a pledge once the agency has made it`);
  if (input.expiresOn !== undefined && !isDate(input.expiresOn)) throw invalid('expiresOn', `${input.expiresOn} is not a date (YYYY-MM-DD)`);
  const reference = input.reference?.trim() || null;
  return transact(db, async (trx) => {
    const account = await customers.getAccount(trx, input.accountId);
    const program = await repo.findProgram(trx, input.programId);
    if (!program) throw notFound('Program', input.programId);
    const agency = (await repo.findAgency(trx, program.agency_id))!;
    if (!program.active || !agency.active) throw new AppError('conflict', `Program ${agency.code} ${program.code} is not active: it takes no new pledges`);
    const expiresOn = input.expiresOn ?? addDays(pledgedOn, (await repo.settings(trx)).default_validity_days);
    if (expiresOn < pledgedOn) throw invalid('expiresOn', `${expiresOn} is before the pledge date ${pledgedOn}`);
    if (reference && (await repo.pledgeByReference(trx, agency.id, reference)).some((p) => p.program_id === program.id)) {
      throw new AppError('conflict', `${agency.code} ${program.code} pledge ${reference} is recorded already`, { reference });
    }
    const alert = await customers.addAlert(trx, actor, clock, account.id, {
      kind: 'pledge_pending', startsOn: pledgedOn, endsOn: expiresOn,
      note: `${agency.name} ${program.code} pledge${reference ? ` ${reference}` : ''}: ${formatCents(input.amountCents)}, expires ${expiresOn}`,
    }, 'Energy-assistance pledge recorded');
    const row = await repo.insertPledge(trx, {
      account_id: account.id, program_id: program.id, reference, amount_cents: String(input.amountCents), pledged_on: pledgedOn, expires_on: expiresOn, status: 'open',
      alert_id: alert.id, closed_on: null, cancel_reason: null, created_at: clock.now(), created_by: actor.userId,
    }).catch((e: unknown) => {
      if (uniqueViolation(e)) throw new AppError('conflict', `${agency.code} ${program.code} pledge ${reference} is recorded already`, { reference });
      throw e;
    });
    await recordChange(trx, actor, {
      action: 'create', entityType: 'assistance_pledge', entityId: row.id, accountId: account.id,
      after: { agency: agency.code, program: program.code, reference, amountCents: input.amountCents, pledgedOn, expiresOn, alertId: alert.id }, reason,
    });
    return pledgeOut(trx, clock, row.id);
  });
}

/** Cancels an open pledge (the agency withdrew it): it no longer holds collection; its alert is cleared. */
export async function cancelPledge(db: Db, actor: Actor, clock: Clock, pledgeId: number, reason: string): Promise<Pledge> {
  if (!reason?.trim()) throw invalid('reason', 'say why the pledge is cancelled');
  return transact(db, async (trx) => {
    const p = await repo.findPledgeForUpdate(trx, pledgeId);
    if (!p) throw notFound('Pledge', pledgeId);
    if (p.status !== 'open' && p.status !== 'partial') throw new AppError('conflict', `Pledge ${pledgeId} is ${p.status}${p.closed_on ? ` since ${p.closed_on}` : ''}: only an open pledge can be cancelled`);
    await repo.updatePledge(trx, pledgeId, { status: 'cancelled', closed_on: clock.today(), cancel_reason: reason });
    await clearPledgeAlert(trx, actor, clock, p, `Pledge ${pledgeId} cancelled: ${reason}`);
    await recordChange(trx, actor, { action: 'cancel', entityType: 'assistance_pledge', entityId: pledgeId, accountId: p.account_id, before: { status: p.status }, after: { status: 'cancelled', receivedCents: Number(p.received_cents) }, reason });
    return pledgeOut(trx, clock, pledgeId);
  });
}

export async function getPledge(db: Db, clock: Clock, id: number): Promise<Pledge & { payments: { paymentId: number; agencyPaymentId: number; amountCents: number; createdAt: string }[] }> {
  const pledge = await pledgeOut(db, clock, id);
  const payments = (await repo.paymentsOfPledge(db, id)).map((pp) => ({ paymentId: pp.payment_id, agencyPaymentId: pp.agency_payment_id, amountCents: Number(pp.amount_cents), createdAt: pp.created_at.toISOString() }));
  return { ...pledge, payments };
}

/** An account's pledges (newest first), the one holding collection today, and whether it counts as an energy-assistance customer. */
export async function pledgesOfAccount(db: Db, clock: Clock, accountId: number): Promise<{ items: Pledge[]; holding: PledgeHold | null; assistanceEligible: boolean }> {
  await customers.getAccount(db, accountId);
  const today = clock.today();
  return {
    items: (await repo.pledgesOfAccount(db, accountId)).map((r) => toPledge(r, today)),
    holding: await pledgeHoldsCollection(db, accountId, today),
    assistanceEligible: await assistanceEligible(db, accountId, today),
  };
}

export async function listPledges(db: Db, clock: Clock, q: { status?: PledgeStatus[]; agencyId?: number; programId?: number; accountId?: number; flagged?: boolean; after: number; limit: number }): Promise<{ items: Pledge[]; next: number | null }> {
  const rows = await repo.listPledges(db, q);
  const items = rows.slice(0, q.limit).map((r) => toPledge(r, clock.today()));
  return { items, next: rows.length > q.limit ? items.at(-1)!.id : null };
}

/**
 * Whether an agency pledge holds collection on an account on a day: an open (or partly paid)
 * pledge made by then whose expiry date has not passed. Of several, the one that holds longest.
 * The collections work (disconnection, late notices) asks this before it acts.
 */
export async function pledgeHoldsCollection(db: Db, accountId: number, date: string): Promise<PledgeHold | null> {
  const [p] = await repo.holdingPledges(db, accountId, date);
  if (!p) return null;
  const amountCents = Number(p.amount_cents);
  return { pledgeId: p.id, expiresOn: p.expires_on, amountCents, outstandingCents: outstandingOf({ amountCents, receivedCents: Number(p.received_cents), status: p.status }) };
}

/**
 * Whether the customer counts as eligible for low-income energy assistance on a day: a pledge
 * (not cancelled) from a low-income (LIHEAP-type) program in the twelve months before. Budget
 * billing may use it to waive its month and occupancy rules (GUIDE 3.1).
 */
export async function assistanceEligible(db: Db, accountId: number, date: string): Promise<boolean> {
  return repo.hasLowIncomePledge(db, accountId, addDays(addMonths(date, -12), 1), date);
}

// ---- agency payments ----

/** An item once its account (and any pledge it names) is known. */
interface ResolvedItem {
  itemNo: number;
  accountId: number | null;
  accountRef: string | null;
  amountCents: number;
  /** A pledge staff named for the item (checked), or the agency's pledge number from its file. */
  pledgeId: number | null;
  pledgeRef: string | null;
  customerName: string | null;
  matchedBy: 'account_number' | 'staff';
}

const normalizeAccountNumber = (raw: string) => raw.replace(/[\s-]/g, '');

async function accountExists(db: Db, id: number): Promise<boolean> {
  try {
    await customers.getAccount(db, id);
    return true;
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') return false;
    throw e;
  }
}

/** An account by the number the agency wrote, or null when it is none of ours (the item goes to suspense). */
async function accountByNumber(db: Db, raw: string | null): Promise<number | null> {
  if (!raw) return null;
  const n = normalizeAccountNumber(raw);
  if (!/^\d{9}$/.test(n)) return null;
  return (await customers.findAccountByNumber(db, n))?.id ?? null;
}

/**
 * Posts an agency payment's items (in the caller's transaction): each item is matched to its
 * pledge (the one named; else by the agency's pledge number on that account; else the account's
 * oldest open pledge of the agency), posted by the payment context as one closed batch, and
 * recorded against its pledge, which becomes partial or paid (its alert cleared when paid).
 */
async function takeItems(trx: Db, actor: Actor, clock: Clock, agency: repo.AgencyRow, head: { source: 'check' | 'file'; checkNumber: string | null; day: string; note: string; importId: number | null; requestHash: string | null }, items: ResolvedItem[]): Promise<AgencyPayment> {
  const accountIds = [...new Set(items.map((i) => i.accountId).filter((x): x is number => x !== null))];
  const views = await repo.pledgesOfAgencyFor(trx, agency.id, accountIds);
  const candidates = new Map(views.map((v) => [v.id, candidateOf(v)]));
  const list = [...candidates.values()];
  const referenceOf = new Map(views.map((v) => [v.id, v.reference]));
  const pledgeOfItem: (number | null)[] = [];
  for (const item of items) {
    let pledge: CandidatePledge | null = null;
    if (item.accountId !== null) {
      if (item.pledgeId !== null) pledge = candidates.get(item.pledgeId) ?? null;
      if (!pledge && item.pledgeRef) pledge = list.find((p) => referenceOf.get(p.id) === item.pledgeRef && p.accountId === item.accountId && p.status !== 'cancelled') ?? null;
      if (!pledge) pledge = pledgeFor(list, agency.id, item.accountId);
    }
    if (pledge) pledge.receivedCents += item.amountCents;
    pledgeOfItem.push(pledge?.id ?? null);
  }
  const batch = await payingAgency.postAgencyBatch(trx, actor, clock, {
    day: head.day, checkNumber: head.checkNumber, note: head.note,
    items: items.map((i) => ({
      accountId: i.accountId, accountRef: i.accountRef, amountCents: i.amountCents, recordNo: head.source === 'file' ? i.itemNo : null, matchedBy: i.matchedBy,
      payerName: (i.customerName ? `${agency.name} for ${i.customerName}` : agency.name).slice(0, 200),
    })),
  });
  const total = items.reduce((a, i) => a + i.amountCents, 0);
  const ap = await repo.insertAgencyPayment(trx, {
    agency_id: agency.id, source: head.source, check_number: head.checkNumber, received_on: head.day, total_cents: String(total), batch_id: batch.batchId, import_id: head.importId,
    request_sha256: head.requestHash, note: head.note, created_at: clock.now(), created_by: actor.userId,
  });
  await repo.insertPledgePayments(trx, items.map((item, i) => ({
    agency_payment_id: ap.id, payment_id: batch.payments[i]!.paymentId, pledge_id: pledgeOfItem[i]!, amount_cents: String(item.amountCents), item_no: item.itemNo,
    in_suspense: batch.payments[i]!.status === 'suspense', created_at: clock.now(), created_by: actor.userId,
  })));
  const received = new Map<number, number>();
  pledgeOfItem.forEach((id, i) => {
    if (id !== null) received.set(id, (received.get(id) ?? 0) + items[i]!.amountCents);
  });
  for (const [pledgeId, cents] of received) await receive(trx, actor, clock, pledgeId, cents, head.day, `Agency payment ${ap.id} (${head.source === 'check' ? `check ${head.checkNumber}` : 'file'}) of ${head.day}`);
  await recordChange(trx, actor, {
    action: 'post', entityType: 'agency_payment', entityId: ap.id,
    after: { agency: agency.code, source: head.source, checkNumber: head.checkNumber, receivedOn: head.day, totalCents: total, items: items.length, batchId: batch.batchId, suspense: batch.payments.filter((p) => p.status === 'suspense').length },
    reason: head.note,
  });
  return agencyPaymentDetail(trx, ap.id);
}

/** Money received against a pledge: its received total and status move on; paid, its alert goes. */
async function receive(trx: Db, actor: Actor, clock: Clock, pledgeId: number, cents: number, day: string, why: string): Promise<void> {
  const p = (await repo.findPledgeForUpdate(trx, pledgeId))!;
  const receivedCents = Number(p.received_cents) + cents;
  const status = statusAfterReceipt(p.status, Number(p.amount_cents), receivedCents);
  await repo.updatePledge(trx, pledgeId, { received_cents: String(receivedCents), status, closed_on: status === 'paid' && p.status !== 'paid' ? day : p.closed_on });
  if (status === 'paid') await clearPledgeAlert(trx, actor, clock, p, `Pledge ${pledgeId} paid by the agency`);
  await recordChange(trx, actor, {
    action: 'receive', entityType: 'assistance_pledge', entityId: pledgeId, accountId: p.account_id,
    before: { status: p.status, receivedCents: Number(p.received_cents) }, after: { status, receivedCents }, reason: why,
  });
}

export interface AgencyCheckInput {
  agencyId: number;
  checkNumber: string;
  receivedOn: string;
  totalCents: number;
  items: { accountId?: number; accountNumber?: string; pledgeId?: number; amountCents: number }[];
  note?: string | null;
}

/**
 * An agency's check covering many accounts, keyed by staff: the items must add up to the check
 * (else nothing is posted). Each item is for an account (by id or number) or a pledge (its account
 * then); an account that is not ours sends the item to the suspense queue, not to a guess. The
 * same check keyed again with the same items returns the first posting; with others, a conflict.
 */
export async function postAgencyCheck(db: Db, actor: Actor, clock: Clock, input: AgencyCheckInput): Promise<AgencyPayment & { replayed: boolean }> {
  const checkNumber = input.checkNumber?.trim();
  if (!checkNumber) throw invalid('checkNumber', 'the check number is required');
  if (!isDate(input.receivedOn)) throw invalid('receivedOn', `${input.receivedOn} is not a date (YYYY-MM-DD)`);
  if (input.receivedOn > clock.today()) throw invalid('receivedOn', `${input.receivedOn} is after today (${clock.today()})`);
  if (!Number.isSafeInteger(input.totalCents) || input.totalCents <= 0) throw invalid('totalCents', 'must be a positive whole number of cents');
  if (input.items.length === 0) throw invalid('items', 'list the accounts the check pays');
  input.items.forEach((item, i) => {
    if (!Number.isSafeInteger(item.amountCents) || item.amountCents <= 0) throw invalid(`items.${i}.amountCents`, `item ${i + 1}: must be a positive whole number of cents`);
    if (item.accountId === undefined && item.accountNumber === undefined && item.pledgeId === undefined) throw invalid(`items.${i}`, `item ${i + 1} names no account or pledge`);
    if (item.accountId !== undefined && item.accountNumber !== undefined) throw invalid(`items.${i}`, `item ${i + 1}: give the account id or its number, not both`);
  });
  const difference = itemsDifference(input.totalCents, input.items);
  if (difference !== 0) {
    const itemsCents = input.totalCents - difference;
    throw new AppError('validation', `The items come to ${formatCents(itemsCents)} but the check is ${formatCents(input.totalCents)} (${difference > 0 ? 'short' : 'over'} by ${formatCents(Math.abs(difference))}): nothing was posted`,
      { field: 'items', totalCents: input.totalCents, itemsCents, differenceCents: difference });
  }
  const requestHash = createHash('sha256').update(JSON.stringify([input.agencyId, checkNumber, input.receivedOn, input.totalCents, input.items.map((i) => [i.accountId ?? null, i.accountNumber ?? null, i.pledgeId ?? null, i.amountCents])])).digest('hex');
  return transact(db, async (trx) => {
    const agency = await repo.findAgency(trx, input.agencyId);
    if (!agency) throw notFound('Agency', input.agencyId);
    const first = await repo.agencyCheck(trx, agency.id, checkNumber);
    if (first) {
      if (first.request_sha256 !== requestHash) throw new AppError('conflict', `Check ${checkNumber} of ${agency.code} was posted on ${first.received_on} (agency payment ${first.id}) with other items`, { agencyPaymentId: first.id });
      return { ...(await agencyPaymentDetail(trx, first.id)), replayed: true };
    }
    const items: ResolvedItem[] = [];
    for (const [i, item] of input.items.entries()) {
      const no = i + 1;
      let accountId: number | null = null;
      let accountRef: string | null = null;
      if (item.accountNumber !== undefined) {
        accountRef = item.accountNumber.trim();
        accountId = await accountByNumber(trx, accountRef);
      } else if (item.accountId !== undefined) {
        accountRef = `id ${item.accountId}`;
        accountId = (await accountExists(trx, item.accountId)) ? item.accountId : null;
      }
      if (item.pledgeId !== undefined) {
        const [p] = await repo.pledgeViews(trx, [item.pledgeId]);
        if (!p) throw invalid(`items.${i}.pledgeId`, `item ${no}: pledge ${item.pledgeId} was not found: nothing was posted`);
        if (p.agency_id !== agency.id) throw invalid(`items.${i}.pledgeId`, `item ${no}: pledge ${p.id} is ${p.agency_code}'s, not ${agency.code}'s: nothing was posted`);
        if (p.status === 'cancelled') throw invalid(`items.${i}.pledgeId`, `item ${no}: pledge ${p.id} was cancelled on ${p.closed_on}: nothing was posted`);
        if (accountRef !== null && accountId !== p.account_id) throw invalid(`items.${i}.pledgeId`, `item ${no}: pledge ${p.id} is on account ${p.account_number}, not ${item.accountNumber ?? accountRef}: nothing was posted`);
        accountId = p.account_id;
        accountRef ??= p.account_number;
      }
      items.push({ itemNo: no, accountId, accountRef, amountCents: item.amountCents, pledgeId: item.pledgeId ?? null, pledgeRef: null, customerName: null, matchedBy: 'staff' });
    }
    const note = input.note?.trim() || `${agency.name} check ${checkNumber}`;
    return { ...(await takeItems(trx, actor, clock, agency, { source: 'check', checkNumber, day: input.receivedOn, note, importId: null, requestHash }, items)), replayed: false };
  }).catch(async (e: unknown) => {
    // The same check keyed twice at once: the second finds the first.
    if (uniqueViolation(e)) {
      const first = await repo.agencyCheck(db, input.agencyId, checkNumber);
      if (first && first.request_sha256 === requestHash) return { ...(await agencyPaymentDetail(db, first.id)), replayed: true };
      if (first) throw new AppError('conflict', `Check ${checkNumber} was posted already (agency payment ${first.id})`, { agencyPaymentId: first.id });
    }
    throw e;
  });
}

export async function agencyPaymentDetail(db: Db, id: number): Promise<AgencyPayment> {
  const ap = await repo.findAgencyPayment(db, id);
  if (!ap) throw notFound('Agency payment', id);
  const agency = (await repo.findAgency(db, ap.agency_id))!;
  const rows = await repo.itemsOfAgencyPayment(db, id);
  const states = await payingAgency.paymentStates(db, rows.map((r) => r.payment_id));
  const pledges = new Map((await repo.pledgeViews(db, [...new Set(rows.map((r) => r.pledge_id).filter((x): x is number => x !== null))])).map((p) => [p.id, p]));
  const accounts = new Map<number, string>();
  const items: AgencyPaymentItemResult[] = [];
  for (const r of rows) {
    const state = states.get(r.payment_id);
    const accountId = state?.accountId ?? null;
    if (accountId !== null && !accounts.has(accountId)) accounts.set(accountId, (await customers.getAccount(db, accountId)).accountNumber);
    items.push({
      itemNo: r.item_no, paymentId: r.payment_id, accountId, accountRef: accountId !== null ? accounts.get(accountId)! : null, amountCents: Number(r.amount_cents),
      status: state?.status === 'reversed' ? 'reversed' : state?.status === 'suspense' ? 'suspense' : 'applied', pledgeId: r.pledge_id, pledgeStatus: r.pledge_id === null ? null : pledges.get(r.pledge_id)?.status ?? null,
    });
  }
  return {
    id: ap.id, agencyId: agency.id, agencyCode: agency.code, agencyName: agency.name, source: ap.source, checkNumber: ap.check_number, receivedOn: ap.received_on, totalCents: Number(ap.total_cents),
    batchId: ap.batch_id, importId: ap.import_id, note: ap.note, createdAt: ap.created_at.toISOString(),
    applied: items.filter((i) => i.status === 'applied').length, suspense: items.filter((i) => i.status === 'suspense').length, items,
  };
}

export async function listAgencyPayments(db: Db, q: { agencyId?: number; after: number; limit: number }) {
  const rows = await repo.agencyPayments(db, q);
  const items = rows.slice(0, q.limit).map((r) => ({
    id: r.id, agencyId: r.agency_id, agencyCode: r.agency_code, agencyName: r.agency_name, source: r.source, checkNumber: r.check_number, receivedOn: r.received_on,
    totalCents: Number(r.total_cents), batchId: r.batch_id, importId: r.import_id, items: r.items, suspense: r.suspense, createdAt: r.created_at.toISOString(),
  }));
  return { items, next: rows.length > q.limit ? items.at(-1)!.id : null };
}

// ---- agency files ----

export interface ImportResult {
  importId: number;
  fileName: string;
  duplicate: boolean;
  records: number;
  /** Items posted to accounts. */
  applied: number;
  /** Items whose account is not ours: in the payment suspense queue. */
  suspense: number;
  totalCents: number;
  /** The agency payments made (one per agency, day and check of the file) and the items in suspense. */
  detail: { agencyPayments: number[]; suspenseItems: { line: number; accountRef: string | null; pledgeRef: string | null; amountCents: number; paymentId: number }[] };
}

const resultOf = (r: NonNullable<Awaited<ReturnType<typeof repo.findImport>>>, duplicate: boolean): ImportResult => ({
  importId: Number(r.id), fileName: r.file_name, duplicate, records: r.records, applied: r.applied, suspense: r.suspense, totalCents: Number(r.total_cents),
  detail: (r.detail ?? { agencyPayments: [], suspenseItems: [] }) as ImportResult['detail'],
});

/**
 * An agency's payment file: kept as it came, taken once (by its SHA-256: the same file again posts
 * nothing and answers duplicate), refused whole (naming the line and the reason) when a record is
 * malformed or names an agency we do not know. Each agency, day and check of the file becomes an
 * agency payment; a record is matched to the pledge by the agency's pledge number, else to the
 * account's oldest open pledge; a record whose account is not ours goes to suspense.
 */
export async function importAgencyFile(db: Db, actor: Actor, clock: Clock, fileName: string, bytes: Uint8Array, options: { agencyCode?: string } = {}): Promise<ImportResult> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const seen = await repo.findImport(db, sha256);
  if (seen) return resultOf(seen, true);
  const forAgency = options.agencyCode ? await repo.findAgencyByCode(db, options.agencyCode.trim().toUpperCase()) : undefined;
  if (options.agencyCode && !forAgency) throw notFound('Agency', options.agencyCode);
  let parsed: ReturnType<typeof parseAgencyFile>;
  const refuse = (line: number | null, reason: string): never => {
    throw new AppError('validation', `The agency file was refused, nothing was posted: ${line === null ? '' : `line ${line}: `}${reason}`, { line, reason });
  };
  try {
    const layout = forAgency?.file_layout ? validateAgencyFileLayout(forAgency.file_layout) : defaultAgencyFileLayout;
    parsed = parseAgencyFile(new TextDecoder('utf-8', { fatal: false }).decode(bytes), layout);
  } catch (e) {
    if (e instanceof AgencyFileError) refuse(e.line, e.reason);
    throw e;
  }
  // Every record's agency is one of ours (and the one the file was sent for); every date is past.
  const today = clock.today();
  const byCode = new Map<string, repo.AgencyRow>();
  const agencyOf: repo.AgencyRow[] = [];
  for (const r of parsed!.records) {
    const c = r.agencyCode?.toUpperCase() ?? null;
    if (c === null && !forAgency) refuse(r.line, 'no agency code, and the file was not imported for an agency');
    if (c !== null && forAgency && c !== forAgency.code) refuse(r.line, `agency code ${c}, but the file was imported for ${forAgency.code}`);
    const agency = c === null ? forAgency! : byCode.get(c) ?? (await repo.findAgencyByCode(db, c));
    if (!agency) refuse(r.line, `agency code ${c} is not an agency of ours`);
    byCode.set(agency!.code, agency!);
    agencyOf.push(agency!);
    if (r.paymentDate > today) refuse(r.line, `payment date ${r.paymentDate} is after today (${today})`);
    if (r.paymentDate < '1990-01-01') refuse(r.line, `payment date ${r.paymentDate} is not a date this district could have been paid on`);
  }
  try {
    return await transact(db, async (trx) => {
      const { id: importId } = await repo.insertImport(trx, {
        file_name: fileName, sha256, bytes, records: parsed.records.length, applied: 0, suspense: 0, total_cents: String(parsed.totalCents), detail: JSON.stringify({}), imported_at: clock.now(), imported_by: actor.userId,
      });
      // One agency payment per agency, day and check number, in the file's order.
      const groups = new Map<string, { agency: repo.AgencyRow; day: string; checkNumber: string | null; records: typeof parsed.records }>();
      parsed.records.forEach((r, i) => {
        const key = `${agencyOf[i]!.id}|${r.paymentDate}|${r.checkNumber ?? ''}`;
        const g = groups.get(key) ?? { agency: agencyOf[i]!, day: r.paymentDate, checkNumber: r.checkNumber, records: [] };
        g.records.push(r);
        groups.set(key, g);
      });
      const detail: ImportResult['detail'] = { agencyPayments: [], suspenseItems: [] };
      let applied = 0;
      for (const g of groups.values()) {
        const items: ResolvedItem[] = [];
        for (const r of g.records) {
          let accountId = await accountByNumber(trx, r.accountRef);
          // No account named: the agency's pledge number says whose it is. A number that is not ours: suspense.
          if (accountId === null && r.accountRef === null && r.pledgeRef) {
            const open = (await repo.pledgeByReference(trx, g.agency.id, r.pledgeRef)).filter((p) => p.status !== 'cancelled');
            if (open.length === 1) accountId = open[0]!.account_id;
          }
          items.push({ itemNo: r.line, accountId, accountRef: r.accountRef ?? (r.pledgeRef ? `pledge ${r.pledgeRef}` : null), amountCents: r.amountCents, pledgeId: null, pledgeRef: r.pledgeRef, customerName: r.customerName, matchedBy: 'account_number' });
        }
        const note = `${g.agency.name} payment file ${fileName}${g.checkNumber ? `, check ${g.checkNumber}` : ''}`;
        const ap = await takeItems(trx, actor, clock, g.agency, { source: 'file', checkNumber: g.checkNumber, day: g.day, note, importId, requestHash: null }, items);
        detail.agencyPayments.push(ap.id);
        applied += ap.applied;
        for (const item of ap.items.filter((x) => x.status === 'suspense')) {
          const r = g.records.find((x) => x.line === item.itemNo)!;
          detail.suspenseItems.push({ line: r.line, accountRef: r.accountRef, pledgeRef: r.pledgeRef, amountCents: r.amountCents, paymentId: item.paymentId });
        }
      }
      await repo.updateImport(trx, importId, { applied, suspense: detail.suspenseItems.length, detail: JSON.stringify(detail) });
      await recordChange(trx, actor, { action: 'import', entityType: 'assistance_import', entityId: importId, after: { fileName, sha256, records: parsed.records.length, applied, suspense: detail.suspenseItems.length, totalCents: parsed.totalCents }, reason: `Imported agency payment file ${fileName}` });
      return { importId, fileName, duplicate: false, records: parsed.records.length, applied, suspense: detail.suspenseItems.length, totalCents: parsed.totalCents, detail };
    });
  } catch (e) {
    if (uniqueViolation(e)) {
      const first = await repo.findImport(db, sha256);
      if (first) return resultOf(first, true);
    }
    throw e;
  }
}

export async function listImports(db: Db, limit = 100): Promise<(ImportResult & { importedAt: string })[]> {
  return (await repo.imports(db, limit)).map((r) => ({ ...resultOf(r, false), importedAt: r.imported_at.toISOString() }));
}

export async function originalFile(db: Db, id: number): Promise<{ fileName: string; bytes: Uint8Array }> {
  const row = await repo.importBytes(db, id);
  if (!row) throw notFound('Agency file', id);
  return { fileName: row.file_name, bytes: row.bytes };
}

// ---- the daily review ----

export interface ReviewResult {
  date: string;
  /** Pledges whose expiry date passed before all of it arrived: expired now. */
  expired: number;
  /** Of those, the ones that came in part (short). */
  short: number;
  /** Items that waited in suspense and were matched to a pledge since staff applied them. */
  matched: number;
  pledges: { pledgeId: number; accountId: number; flag: PledgeFlag; amountCents: number; receivedCents: number; expiresOn: string }[];
}

/**
 * The daily energy-assistance job: expires the open pledges whose expiry date has passed (flagged
 * expired, or short when part came), clearing their alerts; and matches agency payments that
 * waited in suspense to the pledges of the accounts staff applied them to. Run again the same day
 * it finds nothing to do.
 */
export async function review(db: Db, actor: Actor, clock: Clock): Promise<ReviewResult> {
  const today = clock.today();
  const out: ReviewResult = { date: today, expired: 0, short: 0, matched: 0, pledges: [] };
  for (const lapsed of await repo.lapsedBefore(db, today)) {
    await transact(db, async (trx) => {
      const p = (await repo.findPledgeForUpdate(trx, lapsed.id))!;
      if ((p.status !== 'open' && p.status !== 'partial') || p.expires_on >= today) return;
      const amountCents = Number(p.amount_cents);
      const receivedCents = Number(p.received_cents);
      const flag = flagOf({ status: 'expired', amountCents, receivedCents })!;
      await repo.updatePledge(trx, p.id, { status: 'expired', closed_on: today });
      const why = flag === 'short'
        ? `Pledge ${p.id} expired on ${p.expires_on} short: ${formatCents(receivedCents)} of ${formatCents(amountCents)} received`
        : `Pledge ${p.id} expired on ${p.expires_on} with nothing received`;
      await clearPledgeAlert(trx, actor, clock, p, why);
      await recordChange(trx, actor, { action: 'expire', entityType: 'assistance_pledge', entityId: p.id, accountId: p.account_id, before: { status: p.status }, after: { status: 'expired', flag, receivedCents }, reason: why });
      out.expired++;
      if (flag === 'short') out.short++;
      out.pledges.push({ pledgeId: p.id, accountId: p.account_id, flag, amountCents, receivedCents, expiresOn: p.expires_on });
    });
  }
  const waiting = await repo.itemsInSuspense(db);
  const states = await payingAgency.paymentStates(db, waiting.map((w) => w.payment_id));
  for (const item of waiting) {
    const state = states.get(item.payment_id);
    if (!state || state.status === 'suspense') continue;
    await transact(db, async (trx) => {
      let pledgeId: number | null = null;
      if (state.status === 'posted' && state.accountId !== null) {
        const ap = (await repo.findAgencyPayment(trx, item.agency_payment_id))!;
        const pledge = pledgeFor((await repo.pledgesOfAgencyFor(trx, ap.agency_id, [state.accountId])).map(candidateOf), ap.agency_id, state.accountId);
        pledgeId = pledge?.id ?? null;
        if (pledgeId !== null) await receive(trx, actor, clock, pledgeId, Number(item.amount_cents), today, `Agency payment ${ap.id}: item ${item.item_no} applied from suspense`);
      }
      await repo.updatePledgePayment(trx, item.id, { in_suspense: false, pledge_id: pledgeId });
      if (pledgeId !== null) out.matched++;
    });
  }
  if (out.expired + out.matched > 0) {
    await recordChange(db, actor, { action: 'review', entityType: 'assistance_review', entityId: today, after: { expired: out.expired, short: out.short, matched: out.matched }, reason: `Energy-assistance review for ${today}` });
  }
  return out;
}

// ---- the program monitoring report ----

export interface ProgramReport {
  from: string | null;
  to: string | null;
  programs: ReportRow[];
  agencies: ReportRow[];
  total: ReportRow;
}

/** Pledged, received, outstanding, expired and short, by agency and program, for pledges made in a range of days (either end open). */
export async function report(db: Db, q: { from?: string; to?: string; agencyId?: number }): Promise<ProgramReport> {
  if (q.from && !isDate(q.from)) throw invalid('from', `${q.from} is not a date (YYYY-MM-DD)`);
  if (q.to && !isDate(q.to)) throw invalid('to', `${q.to} is not a date (YYYY-MM-DD)`);
  if (q.from && q.to && q.to < q.from) throw invalid('to', `is before from ${q.from}`);
  const from = q.from ?? null;
  const to = q.to ?? null;
  const agencies = new Map((await repo.agencies(db)).map((a) => [a.id, a]));
  const programs = (await repo.programs(db, q.agencyId)).map((p) => ({
    agencyId: p.agency_id, agencyCode: agencies.get(p.agency_id)!.code, agencyName: agencies.get(p.agency_id)!.name, programId: p.id, programCode: p.code, programName: p.name,
  }));
  return { from, to, ...programReport(await repo.reportPledges(db, { from, to, agencyId: q.agencyId }), programs) };
}

export function reportCsv(r: ProgramReport): string {
  return programReportCsv(r, { from: r.from, to: r.to });
}
