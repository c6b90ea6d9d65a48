/**
 * Customer protections (C13, GUIDE 3.2), the records: the settings (Washington's numbers by
 * default), medical emergencies told to the district and the written certificates that follow
 * (at most 2 in 120 days, holding 60 days once 10% of the delinquent balance is paid), amounts
 * the customer disputes, and the extreme-heat alert calendar per area. Each record is made and
 * ended by staff with a reason, in the audit trail in the same transaction. Payment arrangements
 * and winter protection are in arrangements.ts; what is in force on a day, in in-force.ts.
 */
import { recordChange } from '../audit/index.ts';
import { collectionRules } from '../collections/index.ts';
import type { MedicalSettings, WinterSettings } from '../collections/rules.ts';
import { customers } from '../customer/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { isDate } from '../platform/dates.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { formatCents } from '../platform/money.ts';
import * as repo from './repository.ts';
import type { Row } from './repository.ts';
import { delinquentCents, heatAlertLastDay } from './rules.ts';

// ---- settings ----

export interface ProtectionSettings {
  /** Most instalments a CSR may give an arrangement; a supervisor up to `supervisorMaxInstalments`. */
  maxInstalments: number;
  supervisorMaxInstalments: number;
  /** Days after an instalment falls due before a missed one defaults the arrangement. */
  graceDays: number;
  /** Winter protection: the season and pay-in-full day (MM-DD), the plan's cap, the request window in business days. */
  winterFrom: string;
  winterTo: string;
  winterPayInFullBy: string;
  winterIncomePercent: number;
  winterArrearsDivisor: number;
  winterRequestBusinessDays: number;
  /** Medical: business days a notice holds; days a certificate holds; percent to pay; at most N certificates in D days. */
  medicalNoticeBusinessDays: number;
  medicalCertificateDays: number;
  medicalPaidPercent: number;
  medicalMaxCertificates: number;
  medicalWithinDays: number;
}

const COLUMNS: Record<keyof ProtectionSettings, string> = {
  maxInstalments: 'max_instalments', supervisorMaxInstalments: 'supervisor_max_instalments', graceDays: 'grace_days',
  winterFrom: 'winter_from', winterTo: 'winter_to', winterPayInFullBy: 'winter_pay_in_full_by', winterIncomePercent: 'winter_income_percent',
  winterArrearsDivisor: 'winter_arrears_divisor', winterRequestBusinessDays: 'winter_request_business_days',
  medicalNoticeBusinessDays: 'medical_notice_business_days', medicalCertificateDays: 'medical_certificate_days', medicalPaidPercent: 'medical_paid_percent',
  medicalMaxCertificates: 'medical_max_certificates', medicalWithinDays: 'medical_within_days',
};

const toSettings = (r: Row): ProtectionSettings =>
  Object.fromEntries(Object.entries(COLUMNS).map(([key, column]) => [key, typeof r[column] === 'string' ? r[column] : Number(r[column])])) as unknown as ProtectionSettings;

export async function getSettings(db: Db): Promise<ProtectionSettings> {
  return toSettings(await repo.settings(db));
}

/** The winter and medical numbers in the shape of collections' rules. */
export const winterSettings = (s: ProtectionSettings): WinterSettings => ({ from: s.winterFrom, to: s.winterTo, payInFullBy: s.winterPayInFullBy, incomePercent: s.winterIncomePercent, arrearsDivisor: s.winterArrearsDivisor });
export const medicalSettings = (s: ProtectionSettings): MedicalSettings => ({
  noticeBusinessDays: s.medicalNoticeBusinessDays, certificateDays: s.medicalCertificateDays, paidPercent: s.medicalPaidPercent, maxCertificates: s.medicalMaxCertificates, withinDays: s.medicalWithinDays,
});

const monthDay = /^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

export async function updateSettings(db: Db, actor: Actor, clock: Clock, patch: Partial<ProtectionSettings>, reason: string): Promise<ProtectionSettings> {
  const set: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(patch) as [keyof ProtectionSettings, string | number | undefined][]) {
    if (value === undefined) continue;
    if (!(key in COLUMNS)) throw invalid(key, 'is not a protection setting');
    if (key === 'winterFrom' || key === 'winterTo' || key === 'winterPayInFullBy') {
      if (typeof value !== 'string' || !monthDay.test(value)) throw invalid(key, 'must be a day of the year MM-DD, e.g. 11-15');
    } else if (!Number.isInteger(value) || (value as number) < 0) throw invalid(key, 'must be a whole number, at least 0');
    set[COLUMNS[key]] = value;
  }
  return transact(db, async (trx) => {
    const before = await getSettings(trx);
    const after = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as ProtectionSettings;
    if (after.supervisorMaxInstalments < after.maxInstalments) throw invalid('supervisorMaxInstalments', `must be at least maxInstalments (${after.maxInstalments})`);
    for (const k of ['maxInstalments', 'winterArrearsDivisor', 'medicalCertificateDays', 'medicalMaxCertificates', 'medicalWithinDays'] as const) if (after[k] < 1) throw invalid(k, 'must be at least 1');
    for (const k of ['winterIncomePercent', 'medicalPaidPercent'] as const) if (after[k] > 100) throw invalid(k, 'is a percentage, at most 100');
    if (Object.keys(set).length > 0) await repo.updateSettings(trx, set, clock.now(), actor.userId);
    await recordChange(trx, actor, { action: 'update', entityType: 'protection_settings', entityId: 'protections', before: { ...before }, after: { ...after }, reason });
    return after;
  });
}

// ---- shared checks and facts ----

export function dateOf(value: string | undefined, field: string, fallback: string): string {
  const d = value ?? fallback;
  if (!isDate(d)) throw invalid(field, 'must be a date YYYY-MM-DD');
  return d;
}

/** A day that must not be after today (a notice told, a certificate received, a dispute opened). */
export function pastDateOf(value: string | undefined, field: string, clock: Clock): string {
  const d = dateOf(value, field, clock.today());
  if (d > clock.today()) throw invalid(field, `${d} is after today (${clock.today()})`);
  return d;
}

export const text = (value: string | undefined | null, field: string, max = 200): string => {
  const t = (value ?? '').trim();
  if (t.length === 0) throw invalid(field, 'is required');
  if (t.length > max) throw invalid(field, `must be at most ${max} characters`);
  return t;
};
export const optionalText = (value: string | undefined | null, field: string, max = 500): string | null => {
  const t = (value ?? '').trim();
  if (t.length > max) throw invalid(field, `must be at most ${max} characters`);
  return t.length === 0 ? null : t;
};

/** The account, refused (with the rule named) unless its customer class is residential. */
export async function residentialAccount(db: Db, accountId: number, what: string) {
  const account = await customers.getAccount(db, accountId);
  if (account.customerClass !== 'residential') {
    throw new AppError('conflict', `${what} protects residential service only: account ${account.accountNumber} is ${account.customerClass.replace('_', ' ')}`, { accountId, customerClass: account.customerClass });
  }
  return account;
}

/** The account's delinquent balance on a day: its balance then, less the bills not yet past due (due that day or later). */
export async function delinquentOn(db: Db, accountId: number, date: string): Promise<number> {
  const f = await repo.balanceFacts(db, accountId, date);
  return delinquentCents(f.balanceCents, f.notYetDueCents);
}

/**
 * What an arrangement made on a day takes as its arrears by default: everything owed by that day
 * (past due, or due that day), that is the balance less the bills due after it. The bills due
 * after the start are current bills, paid as usual beside the instalments.
 */
export async function owedByDay(db: Db, accountId: number, date: string): Promise<number> {
  const f = await repo.balanceFacts(db, accountId, date);
  return delinquentCents(f.balanceCents, f.dueAfterCents);
}

/** Ends an account alert made with a record, unless staff cleared it already. */
export async function endAlert(db: Db, actor: Actor, clock: Clock, accountId: number, alertId: unknown, reason: string) {
  if (alertId === null || alertId === undefined) return;
  const alerts = await customers.listAlerts(db, clock, accountId);
  const alert = alerts.find((a) => a.id === Number(alertId));
  if (alert && alert.clearedAt === null) await customers.clearAlert(db, actor, clock, accountId, alert.id, reason);
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
const dateOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v));

// ---- medical emergencies ----

export interface MedicalNotice {
  id: number;
  accountId: number;
  toldOn: string;
  toldBy: string;
  note: string | null;
  /** Disconnection waits through this day (5 business days after the day told). */
  holdsUntil: string;
  endedOn: string | null;
  endReason: string | null;
  createdAt: string;
}
export interface MedicalCertificate {
  id: number;
  accountId: number;
  receivedOn: string;
  professionalName: string;
  note: string | null;
  delinquentCents: number;
  /** 10% of the delinquent balance: the certificate holds its full term once this is paid. */
  paymentDueCents: number;
  /** Paid on the account since the certificate was received (through today). */
  paidCents: number;
  paid: boolean;
  /** The full term (60 days from receipt), once the payment is made. */
  holdsUntil: string;
  /** Until the payment is made it holds only through the notice hold (5 business days). */
  noticeHoldsUntil: string;
  endedOn: string | null;
  endReason: string | null;
  createdAt: string;
}

const toNotice = (r: Row): MedicalNotice => ({
  id: Number(r.id), accountId: Number(r.account_id), toldOn: String(r.told_on), toldBy: String(r.told_by), note: (r.note as string | null) ?? null,
  holdsUntil: String(r.holds_until), endedOn: dateOrNull(r.ended_on), endReason: (r.end_reason as string | null) ?? null, createdAt: iso(r.created_at),
});
const toCertificate = (r: Row, paidCents: number): MedicalCertificate => ({
  id: Number(r.id), accountId: Number(r.account_id), receivedOn: String(r.received_on), professionalName: String(r.professional_name), note: (r.note as string | null) ?? null,
  delinquentCents: Number(r.delinquent_cents), paymentDueCents: Number(r.payment_due_cents), paidCents, paid: paidCents >= Number(r.payment_due_cents),
  holdsUntil: String(r.holds_until), noticeHoldsUntil: String(r.notice_holds_until), endedOn: dateOrNull(r.ended_on), endReason: (r.end_reason as string | null) ?? null, createdAt: iso(r.created_at),
});

async function certificateOf(db: Db, clock: Clock, r: Row): Promise<MedicalCertificate> {
  const today = clock.today();
  return toCertificate(r, String(r.received_on) <= today ? await repo.paymentsBetween(db, Number(r.account_id), String(r.received_on), today) : 0);
}

/** The account's medical notices and certificates, newest first, and the certificate limit with the dates it counts. */
export async function medicalOf(db: Db, clock: Clock, accountId: number) {
  await customers.getAccount(db, accountId);
  const s = await getSettings(db);
  const certificates = await Promise.all((await repo.certificatesOf(db, accountId)).map((r) => certificateOf(db, clock, r)));
  return {
    notices: (await repo.noticesOf(db, accountId)).map(toNotice),
    certificates,
    limit: { maxCertificates: s.medicalMaxCertificates, withinDays: s.medicalWithinDays },
  };
}

/** A medical emergency told to the district: disconnection waits 5 business days (residential service). */
export async function recordMedicalNotice(db: Db, actor: Actor, clock: Clock, input: { accountId: number; toldOn?: string; toldBy: string; note?: string | null; reason: string }): Promise<MedicalNotice> {
  const toldOn = pastDateOf(input.toldOn, 'toldOn', clock);
  const toldBy = text(input.toldBy, 'toldBy');
  const note = optionalText(input.note, 'note');
  return transact(db, async (trx) => {
    await residentialAccount(trx, input.accountId, 'A medical emergency notice');
    const s = await getSettings(trx);
    const holdsUntil = collectionRules.medicalNoticeHoldsUntil(toldOn, medicalSettings(s));
    const notice = toNotice(await repo.insertNotice(trx, { accountId: input.accountId, toldOn, toldBy, note, holdsUntil, at: clock.now(), by: actor.userId }));
    await recordChange(trx, actor, { action: 'create', entityType: 'medical_notice', entityId: notice.id, accountId: input.accountId, after: { toldOn, toldBy, note, holdsUntil }, reason: input.reason });
    return notice;
  });
}

export async function endMedicalNotice(db: Db, actor: Actor, clock: Clock, id: number, input: { endedOn?: string; reason: string }): Promise<MedicalNotice> {
  return transact(db, async (trx) => {
    const r = await repo.findNotice(trx, id, true);
    if (!r) throw notFound('Medical notice', id);
    const n = toNotice(r);
    if (n.endedOn) throw new AppError('conflict', `Medical notice ${id} was ended on ${n.endedOn}`);
    const endedOn = dateOf(input.endedOn, 'endedOn', clock.today());
    if (endedOn < n.toldOn) throw invalid('endedOn', `is before the notice was told (${n.toldOn})`);
    await repo.endNotice(trx, id, endedOn, input.reason);
    await recordChange(trx, actor, { action: 'end', entityType: 'medical_notice', entityId: id, accountId: n.accountId, before: { endedOn: null }, after: { endedOn }, reason: input.reason });
    return toNotice((await repo.findNotice(trx, id))!);
  });
}

/**
 * A written medical certificate: refused beyond the limit (2 in 120 days, named); else it holds
 * disconnection for 60 days once 10% of the delinquent balance (on receipt, unless staff give it)
 * is paid, and only through the 5-business-day notice hold until then. The account gets a
 * medical-certificate alert for its term.
 */
export async function recordMedicalCertificate(db: Db, actor: Actor, clock: Clock, input: { accountId: number; receivedOn?: string; professionalName: string; note?: string | null; delinquentCents?: number; reason: string }): Promise<MedicalCertificate> {
  const receivedOn = pastDateOf(input.receivedOn, 'receivedOn', clock);
  const professionalName = text(input.professionalName, 'professionalName');
  const note = optionalText(input.note, 'note');
  if (input.delinquentCents !== undefined && !(Number.isSafeInteger(input.delinquentCents) && input.delinquentCents >= 0)) throw invalid('delinquentCents', 'must be a whole number of cents');
  return transact(db, async (trx) => {
    const account = await residentialAccount(trx, input.accountId, 'A medical certificate');
    await repo.lockAccountProtections(trx, input.accountId);
    const s = await getSettings(trx);
    const earlier = (await repo.certificatesOf(trx, input.accountId)).map((c) => String(c.received_on)).sort();
    const delinquent = input.delinquentCents ?? (await delinquentOn(trx, input.accountId, receivedOn));
    const decision = collectionRules.medicalCertificate({ receivedOn, earlier, delinquentCents: delinquent }, medicalSettings(s));
    if (!decision.accepted) throw new AppError('conflict', `Medical certificate refused for account ${account.accountNumber}: ${decision.reason}`, { maxCertificates: s.medicalMaxCertificates, withinDays: s.medicalWithinDays });
    const noticeHoldsUntil = collectionRules.medicalNoticeHoldsUntil(receivedOn, medicalSettings(s));
    const row = await repo.insertCertificate(trx, {
      accountId: input.accountId, receivedOn, professionalName, note, delinquentCents: delinquent, paymentDueCents: decision.paymentDueCents,
      holdsUntil: decision.holdsUntil, noticeHoldsUntil, at: clock.now(), by: actor.userId,
    });
    const id = Number(row.id);
    const alert = await customers.addAlert(trx, actor, clock, input.accountId, {
      kind: 'medical_certificate', startsOn: receivedOn, endsOn: decision.holdsUntil,
      note: `Medical certificate ${id} from ${professionalName}: holds disconnection to ${decision.holdsUntil} once ${formatCents(decision.paymentDueCents)} (${s.medicalPaidPercent}% of the delinquent balance) is paid`,
    }, input.reason);
    await repo.setCertificateAlert(trx, id, alert.id);
    await recordChange(trx, actor, {
      action: 'create', entityType: 'medical_certificate', entityId: id, accountId: input.accountId,
      after: { receivedOn, professionalName, delinquentCents: delinquent, paymentDueCents: decision.paymentDueCents, holdsUntil: decision.holdsUntil, noticeHoldsUntil }, reason: input.reason,
    });
    return certificateOf(trx, clock, (await repo.findCertificate(trx, id))!);
  });
}

export async function endMedicalCertificate(db: Db, actor: Actor, clock: Clock, id: number, input: { endedOn?: string; reason: string }): Promise<MedicalCertificate> {
  return transact(db, async (trx) => {
    const r = await repo.findCertificate(trx, id, true);
    if (!r) throw notFound('Medical certificate', id);
    if (r.ended_on) throw new AppError('conflict', `Medical certificate ${id} was ended on ${String(r.ended_on)}`);
    const endedOn = dateOf(input.endedOn, 'endedOn', clock.today());
    if (endedOn < String(r.received_on)) throw invalid('endedOn', `is before the certificate was received (${String(r.received_on)})`);
    await repo.endCertificate(trx, id, endedOn, input.reason);
    await endAlert(trx, actor, clock, Number(r.account_id), r.alert_id, `Medical certificate ${id} ended: ${input.reason}`);
    await recordChange(trx, actor, { action: 'end', entityType: 'medical_certificate', entityId: id, accountId: Number(r.account_id), before: { endedOn: null }, after: { endedOn }, reason: input.reason });
    return certificateOf(trx, clock, (await repo.findCertificate(trx, id))!);
  });
}

// ---- disputes ----

export interface Dispute {
  id: number;
  accountId: number;
  amountCents: number;
  about: string;
  openedOn: string;
  resolvedOn: string | null;
  outcome: string | null;
  open: boolean;
  createdAt: string;
}
const toDispute = (r: Row): Dispute => ({
  id: Number(r.id), accountId: Number(r.account_id), amountCents: Number(r.amount_cents), about: String(r.about), openedOn: String(r.opened_on),
  resolvedOn: dateOrNull(r.resolved_on), outcome: (r.outcome as string | null) ?? null, open: r.resolved_on === null, createdAt: iso(r.created_at),
});

export async function disputesOf(db: Db, accountId: number): Promise<Dispute[]> {
  await customers.getAccount(db, accountId);
  return (await repo.disputesOf(db, accountId)).map(toDispute);
}

/** A disputed amount: while open, collections takes it out of what it acts on. */
export async function openDispute(db: Db, actor: Actor, clock: Clock, input: { accountId: number; amountCents: number; about: string; openedOn?: string; reason: string }): Promise<Dispute> {
  if (!(Number.isSafeInteger(input.amountCents) && input.amountCents > 0)) throw invalid('amountCents', 'must be a whole number of cents above zero');
  const about = text(input.about, 'about', 500);
  const openedOn = pastDateOf(input.openedOn, 'openedOn', clock);
  return transact(db, async (trx) => {
    const account = await customers.getAccount(trx, input.accountId);
    const d = toDispute(await repo.insertDispute(trx, { accountId: account.id, amountCents: input.amountCents, about, openedOn, at: clock.now(), by: actor.userId }));
    await recordChange(trx, actor, { action: 'open', entityType: 'dispute', entityId: d.id, accountId: account.id, after: { amountCents: d.amountCents, about, openedOn }, reason: input.reason });
    return d;
  });
}

export async function resolveDispute(db: Db, actor: Actor, clock: Clock, id: number, input: { outcome: string; resolvedOn?: string; reason: string }): Promise<Dispute> {
  const outcome = text(input.outcome, 'outcome', 500);
  return transact(db, async (trx) => {
    const r = await repo.findDispute(trx, id, true);
    if (!r) throw notFound('Dispute', id);
    const d = toDispute(r);
    if (!d.open) throw new AppError('conflict', `Dispute ${id} was resolved on ${d.resolvedOn}: ${d.outcome}`);
    const resolvedOn = pastDateOf(input.resolvedOn, 'resolvedOn', clock);
    if (resolvedOn < d.openedOn) throw invalid('resolvedOn', `is before the dispute was opened (${d.openedOn})`);
    await repo.resolveDispute(trx, id, { resolvedOn, outcome, at: clock.now(), by: actor.userId });
    await recordChange(trx, actor, { action: 'resolve', entityType: 'dispute', entityId: id, accountId: d.accountId, before: { resolvedOn: null }, after: { resolvedOn, outcome }, reason: input.reason });
    return toDispute((await repo.findDispute(trx, id))!);
  });
}

// ---- the extreme-heat alert calendar ----

export interface HeatAlert {
  id: number;
  area: string;
  fromDate: string;
  toDate: string;
  /** The last day it is in force: its end date, or the day before it was ended early. */
  lastDay: string;
  source: string;
  note: string | null;
  endedOn: string | null;
  endReason: string | null;
  createdAt: string;
}
const toHeatAlert = (r: Row): HeatAlert => ({
  id: Number(r.id), area: String(r.area), fromDate: String(r.from_date), toDate: String(r.to_date), lastDay: heatAlertLastDay(String(r.to_date), dateOrNull(r.ended_on)),
  source: String(r.source), note: (r.note as string | null) ?? null, endedOn: dateOrNull(r.ended_on), endReason: (r.end_reason as string | null) ?? null, createdAt: iso(r.created_at),
});

/** An area as typed (any case): it must be an area premises are in, and is kept as the premises spell it. */
const areaOf = (value: string) => text(value, 'area', 40).toUpperCase();

export async function getHeatAlert(db: Db, id: number): Promise<HeatAlert> {
  const r = await repo.findHeatAlert(db, id);
  if (!r) throw notFound('Heat alert', id);
  return toHeatAlert(r);
}

/** Alerts whose days meet a range (either end open), in one area or all, latest first. */
export async function listHeatAlerts(db: Db, q: { from?: string; to?: string; area?: string }): Promise<HeatAlert[]> {
  if (q.from !== undefined && !isDate(q.from)) throw invalid('from', 'must be a date YYYY-MM-DD');
  if (q.to !== undefined && !isDate(q.to)) throw invalid('to', 'must be a date YYYY-MM-DD');
  return (await repo.listHeatAlerts(db, { ...q, area: q.area?.trim() || undefined })).map(toHeatAlert);
}

/** The areas premises are in (what an alert may name), with their premises. */
export const heatAreas = (db: Db) => repo.areas(db);

/** An alert for an area: on each of its days residential service there is not disconnected for non-payment. */
export async function createHeatAlert(db: Db, actor: Actor, clock: Clock, input: { area: string; fromDate: string; toDate: string; source: string; note?: string | null; reason: string }): Promise<HeatAlert> {
  const area = areaOf(input.area);
  const fromDate = dateOf(input.fromDate, 'fromDate', '');
  const toDate = dateOf(input.toDate, 'toDate', '');
  if (toDate < fromDate) throw invalid('toDate', `is before fromDate ${fromDate}`);
  const source = text(input.source, 'source', 120);
  const note = optionalText(input.note, 'note');
  return transact(db, async (trx) => {
    const known = await repo.areas(trx);
    if (!known.some((a) => a.area.toUpperCase() === area)) throw invalid('area', `no premises are in area ${area} (areas: ${known.map((a) => a.area).join(', ') || 'none yet'})`);
    const canonical = known.find((a) => a.area.toUpperCase() === area)!.area;
    const alert = toHeatAlert(await repo.insertHeatAlert(trx, { area: canonical, fromDate, toDate, source, note, at: clock.now(), by: actor.userId }));
    await recordChange(trx, actor, { action: 'create', entityType: 'heat_alert', entityId: alert.id, after: { area: canonical, fromDate, toDate, source, note }, reason: input.reason });
    return alert;
  });
}

/** Changes an alert's end date, source or note (extended, corrected). */
export async function updateHeatAlert(db: Db, actor: Actor, clock: Clock, id: number, patch: { toDate?: string; source?: string; note?: string | null }, reason: string): Promise<HeatAlert> {
  return transact(db, async (trx) => {
    const r = await repo.findHeatAlert(trx, id, true);
    if (!r) throw notFound('Heat alert', id);
    const before = toHeatAlert(r);
    if (before.endedOn) throw new AppError('conflict', `Heat alert ${id} was ended on ${before.endedOn}`);
    const toDate = patch.toDate === undefined ? before.toDate : dateOf(patch.toDate, 'toDate', '');
    if (toDate < before.fromDate) throw invalid('toDate', `is before the alert's first day ${before.fromDate}`);
    const source = patch.source === undefined ? before.source : text(patch.source, 'source', 120);
    const note = patch.note === undefined ? before.note : optionalText(patch.note, 'note');
    await repo.updateHeatAlert(trx, id, { toDate, source, note, at: clock.now(), by: actor.userId });
    await recordChange(trx, actor, { action: 'update', entityType: 'heat_alert', entityId: id, before: { toDate: before.toDate, source: before.source, note: before.note }, after: { toDate, source, note }, reason });
    return toHeatAlert((await repo.findHeatAlert(trx, id))!);
  });
}

/** Ends an alert early: not in force from `endedOn` (today by default); ended on its first day, it was never in force. */
export async function endHeatAlert(db: Db, actor: Actor, clock: Clock, id: number, input: { endedOn?: string; reason: string }): Promise<HeatAlert> {
  return transact(db, async (trx) => {
    const r = await repo.findHeatAlert(trx, id, true);
    if (!r) throw notFound('Heat alert', id);
    const before = toHeatAlert(r);
    if (before.endedOn) throw new AppError('conflict', `Heat alert ${id} was ended on ${before.endedOn}`);
    const endedOn = dateOf(input.endedOn, 'endedOn', clock.today());
    if (endedOn > before.toDate) throw new AppError('conflict', `Heat alert ${id} runs only to ${before.toDate}: it cannot be ended early on ${endedOn}`);
    if (endedOn < before.fromDate) throw invalid('endedOn', `is before the alert's first day ${before.fromDate}`);
    await repo.endHeatAlert(trx, id, { endedOn, reason: input.reason, at: clock.now(), by: actor.userId });
    const after = toHeatAlert((await repo.findHeatAlert(trx, id))!);
    await recordChange(trx, actor, { action: 'end', entityType: 'heat_alert', entityId: id, before: { lastDay: before.lastDay }, after: { endedOn, lastDay: after.lastDay }, reason: input.reason });
    return after;
  });
}
