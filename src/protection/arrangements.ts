/**
 * Payment arrangements (C13) and winter protection (RCW 54.16.285). An arrangement puts the
 * arrears in monthly instalments while current bills fall due as usual; it is in good standing on
 * a day while the payments since it started cover every instalment and every bill due after the
 * day it started (what was owed by that day is its arrears; the customer has the whole due date,
 * and the grace days after it, to pay). The daily review defaults an arrangement that is not (its
 * alert ends, and the collections run no longer sees it as a protection) and completes one whose
 * instalments are all paid. Winter protection is an arrangement of kind 'winter': the customer asks within 5
 * business days of the delinquency notice, has documented the household's income to a grantee
 * and applied for energy assistance and weatherization, and keeps a plan of at most 7% of monthly
 * income plus 1/12 of the arrears, paid in full by October 15.
 */
import { recordChange } from '../audit/index.ts';
import { collectionRules } from '../collections/index.ts';
import type { WinterPlan } from '../collections/rules.ts';
import { customers } from '../customer/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { addDays, addMonths } from '../platform/dates.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { formatCents } from '../platform/money.ts';
import * as repo from './repository.ts';
import type { Row } from './repository.ts';
import { averageMonthlyBill, instalmentSchedule, seasonLastDay, standing, winterInstalments, winterRequestDeadline, type Instalment } from './rules.ts';
import { dateOf, endAlert, getSettings, owedByDay, residentialAccount, text, winterSettings, type ProtectionSettings } from './service.ts';

export type ArrangementKind = 'standard' | 'winter';
export type ArrangementStatus = 'active' | 'completed' | 'defaulted' | 'cancelled';
export type { Instalment } from './rules.ts';

/** Where an arrangement stands on a day. */
export interface ArrangementStanding {
  date: string;
  /** Payments since it started, through the day. */
  paidCents: number;
  /** Instalments and bills owed on the day: due before it, less the grace days. */
  owedCents: number;
  shortCents: number;
  goodStanding: boolean;
  /** Every instalment and the bills due by the day are paid. */
  allPaid: boolean;
  nextDueOn: string | null;
  lastDueOn: string;
}

export interface WinterProtection {
  id: number;
  noticeDate: string;
  requestedOn: string;
  monthlyIncomeCents: number;
  incomeDocumentedTo: string;
  appliedEnergyAssistance: boolean;
  appliedWeatherization: boolean;
  arrearsCents: number;
  estimatedMonthlyBillCents: number;
  plan: WinterPlan;
}

export interface Arrangement {
  id: number;
  accountId: number;
  kind: ArrangementKind;
  status: ArrangementStatus;
  startOn: string;
  arrearsCents: number;
  instalments: Instalment[];
  reason: string;
  endedOn: string | null;
  endReason: string | null;
  createdAt: string;
  /** Where it stands today (for an active one). */
  standing: ArrangementStanding | null;
  winter: WinterProtection | null;
}
export type ArrangementListItem = Arrangement & { accountNumber: string; customerName: string };

const toWinter = (w: Row): WinterProtection => ({
  id: Number(w.id), noticeDate: String(w.notice_date), requestedOn: String(w.requested_on), monthlyIncomeCents: Number(w.monthly_income_cents), incomeDocumentedTo: String(w.income_documented_to),
  appliedEnergyAssistance: Boolean(w.applied_energy_assistance), appliedWeatherization: Boolean(w.applied_weatherization), arrearsCents: Number(w.arrears_cents), estimatedMonthlyBillCents: Number(w.estimated_monthly_bill_cents),
  plan: { payInFullBy: String(w.pay_in_full_by), months: Number(w.months), capCents: Number(w.cap_cents), neededCents: Number(w.needed_cents), paymentCents: Number(w.payment_cents), clearsArrears: Boolean(w.clears_arrears) },
});

/**
 * The last due date that counts on a day: an instalment or bill due on a day may be paid all that
 * day (and the grace days after), so on a day only those due before it, less the grace days, are owed.
 */
export const owedThrough = (date: string, graceDays: number) => addDays(date, -1 - graceDays);

/** Standing facts on a day for arrangements (one statement), as standings. */
export async function standingsOn(db: Db, ids: readonly number[], date: string, graceDays: number): Promise<Map<number, ArrangementStanding>> {
  const facts = await repo.arrangementFacts(db, ids, date, owedThrough(date, graceDays));
  return new Map(facts.map((f) => {
    const s = standing(f);
    return [f.id, { date, paidCents: f.paidCents, owedCents: f.instalmentsDueCents + f.billsDueCents, shortCents: s.shortCents, goodStanding: s.goodStanding, allPaid: s.completed, nextDueOn: f.nextDueOn, lastDueOn: f.lastDueOn }];
  }));
}

/** Arrangements as the API shows them: instalments, the winter request, and today's standing of the active ones. */
async function toArrangements(db: Db, rows: Row[], today: string): Promise<Arrangement[]> {
  const ids = rows.map((r) => Number(r.id));
  const parts = await repo.instalmentsOf(db, ids);
  const winters = new Map((await repo.winterOf(db, ids)).map((w) => [Number(w.arrangement_id), toWinter(w)]));
  const active = rows.filter((r) => r.status === 'active' && String(r.start_on) <= today).map((r) => Number(r.id));
  const standings = await standingsOn(db, active, today, (await getSettings(db)).graceDays);
  return rows.map((r) => {
    const id = Number(r.id);
    return {
      id, accountId: Number(r.account_id), kind: r.kind as ArrangementKind, status: r.status as ArrangementStatus, startOn: String(r.start_on), arrearsCents: Number(r.arrears_cents),
      instalments: parts.filter((p) => Number(p.arrangement_id) === id).map((p) => ({ n: p.n, dueOn: p.due_on, amountCents: Number(p.amount_cents) })),
      reason: String(r.reason), endedOn: r.ended_on === null ? null : String(r.ended_on), endReason: (r.end_reason as string | null) ?? null,
      createdAt: (r.created_at as Date).toISOString(), standing: standings.get(id) ?? null, winter: winters.get(id) ?? null,
    };
  });
}

export async function getArrangement(db: Db, clock: Clock, id: number): Promise<Arrangement> {
  const r = await repo.findArrangement(db, id);
  if (!r) throw notFound('Payment arrangement', id);
  return (await toArrangements(db, [r], clock.today()))[0]!;
}

export async function arrangementsOfAccount(db: Db, clock: Clock, accountId: number): Promise<Arrangement[]> {
  await customers.getAccount(db, accountId);
  return toArrangements(db, await repo.arrangementsOf(db, accountId), clock.today());
}

export async function listArrangements(db: Db, clock: Clock, q: { status?: ArrangementStatus; kind?: ArrangementKind; accountId?: number; after: number; limit: number }): Promise<{ items: ArrangementListItem[]; next: number | null }> {
  const rows = await repo.listArrangements(db, q);
  const page = rows.slice(0, q.limit);
  const names = await repo.accountNames(db, page.map((r) => Number(r.account_id)));
  const items = (await toArrangements(db, page, clock.today())).map((a) => ({ ...a, ...(names.get(a.accountId) ?? { accountNumber: '', customerName: '' }) }));
  return { items, next: rows.length > q.limit ? items.at(-1)!.id : null };
}

// ---- a standard arrangement ----

export interface ArrangementInput {
  accountId: number;
  /** The arrears to spread (default: what is owed by today, past due or due today; bills due later are current bills). */
  arrearsCents?: number;
  /** How many monthly instalments, or how much each (one of the two). */
  instalments?: number;
  instalmentCents?: number;
  /** The first instalment's due date (default: a month from today); then the same day each month. */
  firstDueOn?: string;
}

export interface ArrangementQuote {
  accountId: number;
  startOn: string;
  arrearsCents: number;
  /** What is owed by today, past due or due today (the default arrears). */
  delinquentCents: number;
  instalments: Instalment[];
  maxInstalments: number;
  supervisorMaxInstalments: number;
}

const mayGiveMore = (actor: Actor | null) => actor !== null && (actor.role === 'supervisor' || actor.role === 'admin' || actor.role === 'system');

async function quoteIn(db: Db, clock: Clock, actor: Actor | null, input: ArrangementInput, s: ProtectionSettings): Promise<ArrangementQuote> {
  const account = await customers.getAccount(db, input.accountId);
  const today = clock.today();
  if (input.instalments !== undefined && input.instalmentCents !== undefined) throw invalid('instalments', 'give the number of instalments or the amount of each, not both');
  if (input.instalments === undefined && input.instalmentCents === undefined) throw invalid('instalments', 'give the number of instalments or the amount of each');
  if (input.arrearsCents !== undefined && !(Number.isSafeInteger(input.arrearsCents) && input.arrearsCents > 0)) throw invalid('arrearsCents', 'must be a whole number of cents above zero');
  const delinquent = await owedByDay(db, input.accountId, today);
  const arrears = input.arrearsCents ?? delinquent;
  if (arrears <= 0) throw new AppError('conflict', `Account ${account.accountNumber} has no arrears to arrange (nothing owed by today): give the arrears to spread`);
  const firstDueOn = dateOf(input.firstDueOn, 'firstDueOn', addMonths(today, 1));
  if (firstDueOn < today) throw invalid('firstDueOn', `${firstDueOn} is before today (${today})`);
  const instalments = instalmentSchedule({ arrearsCents: arrears, instalments: input.instalments, instalmentCents: input.instalmentCents, firstDueOn });
  if (instalments.length > s.supervisorMaxInstalments) {
    throw new AppError('conflict', `A payment arrangement has at most ${s.supervisorMaxInstalments} instalments; this one would have ${instalments.length}`, { maxInstalments: s.supervisorMaxInstalments });
  }
  if (actor !== null && instalments.length > s.maxInstalments && !mayGiveMore(actor)) {
    throw new AppError('forbidden', `More than ${s.maxInstalments} instalments (this one has ${instalments.length}) needs a supervisor`, { maxInstalments: s.maxInstalments });
  }
  return { accountId: input.accountId, startOn: today, arrearsCents: arrears, delinquentCents: delinquent, instalments, maxInstalments: s.maxInstalments, supervisorMaxInstalments: s.supervisorMaxInstalments };
}

/** The instalments an arrangement would have, without making it. */
export async function quoteArrangement(db: Db, clock: Clock, input: ArrangementInput): Promise<ArrangementQuote> {
  return quoteIn(db, clock, null, input, await getSettings(db));
}

/** Makes the arrangement row, its instalments, its account alert and its audit. */
async function insertArrangement(trx: Db, actor: Actor, clock: Clock, a: { accountId: number; kind: ArrangementKind; startOn: string; arrearsCents: number; instalments: Instalment[]; reason: string }) {
  const existing = await repo.activeArrangementOf(trx, a.accountId);
  if (existing) throw new AppError('conflict', `Account ${a.accountId} has ${existing.kind === 'winter' ? 'a winter protection plan' : 'a payment arrangement'} (${existing.id}) already; cancel it first`, { arrangementId: Number(existing.id) });
  const row = await repo.insertArrangement(trx, { accountId: a.accountId, kind: a.kind, startOn: a.startOn, arrearsCents: a.arrearsCents, instalments: a.instalments.length, reason: a.reason, at: clock.now(), by: actor.userId });
  const id = Number(row.id);
  await repo.insertInstalments(trx, id, a.instalments);
  const last = a.instalments.at(-1)!;
  const alert = await customers.addAlert(trx, actor, clock, a.accountId, {
    kind: 'payment_arrangement', startsOn: a.startOn, endsOn: last.dueOn,
    note: `${a.kind === 'winter' ? 'Winter protection plan' : 'Payment arrangement'} ${id}: ${formatCents(a.arrearsCents)} in ${a.instalments.length} instalment${a.instalments.length === 1 ? '' : 's'} to ${last.dueOn}, current bills due as usual`,
  }, a.reason);
  await repo.setArrangementAlert(trx, id, alert.id);
  await recordChange(trx, actor, {
    action: 'create', entityType: 'payment_arrangement', entityId: id, accountId: a.accountId,
    after: { kind: a.kind, startOn: a.startOn, arrearsCents: a.arrearsCents, instalments: a.instalments.map((i) => [i.dueOn, i.amountCents]) }, reason: a.reason,
  });
  return id;
}

/** A payment arrangement on the arrears; more than the set instalments needs a supervisor. */
export async function createArrangement(db: Db, actor: Actor, clock: Clock, input: ArrangementInput & { reason: string }): Promise<Arrangement> {
  return transact(db, async (trx) => {
    await repo.lockAccountProtections(trx, input.accountId);
    const q = await quoteIn(trx, clock, actor, input, await getSettings(trx));
    const id = await insertArrangement(trx, actor, clock, { accountId: input.accountId, kind: 'standard', startOn: q.startOn, arrearsCents: q.arrearsCents, instalments: q.instalments, reason: input.reason });
    return getArrangement(trx, clock, id);
  });
}

/** Ends an arrangement (cancelled by staff, completed or defaulted by the review) and its alert. */
async function endIn(trx: Db, actor: Actor, clock: Clock, r: Row, status: 'completed' | 'defaulted' | 'cancelled', endedOn: string, reason: string) {
  const id = Number(r.id);
  await repo.endArrangement(trx, id, { status, endedOn, reason, at: clock.now(), by: actor.userId });
  await endAlert(trx, actor, clock, Number(r.account_id), r.alert_id, `${r.kind === 'winter' ? 'Winter protection plan' : 'Payment arrangement'} ${id} ${status}: ${reason}`);
  await recordChange(trx, actor, { action: status === 'cancelled' ? 'cancel' : status === 'completed' ? 'complete' : 'default', entityType: 'payment_arrangement', entityId: id, accountId: Number(r.account_id), before: { status: 'active' }, after: { status, endedOn }, reason });
}

export async function cancelArrangement(db: Db, actor: Actor, clock: Clock, id: number, reason: string): Promise<Arrangement> {
  return transact(db, async (trx) => {
    const r = await repo.findArrangement(trx, id, true);
    if (!r) throw notFound('Payment arrangement', id);
    if (r.status !== 'active') throw new AppError('conflict', `Payment arrangement ${id} is ${String(r.status)}; only an active one can be cancelled`);
    await endIn(trx, actor, clock, r, 'cancelled', clock.today(), reason);
    return getArrangement(trx, clock, id);
  });
}

export interface ReviewResult {
  date: string;
  /** Arrangements defaulted (an instalment missed) and completed (every instalment paid) by this review. */
  defaulted: number[];
  completed: number[];
}

/**
 * The day's review of the active arrangements: defaults those not in good standing (past the grace
 * days) and completes those whose instalments are all paid. Idempotent: a second review of the
 * same day finds nothing more to do. The collections run calls it first each day.
 */
export async function reviewArrangements(db: Db, actor: Actor, clock: Clock, date: string): Promise<ReviewResult> {
  const day = dateOf(date, 'date', clock.today());
  if (day > clock.today()) throw invalid('date', `${day} is after today (${clock.today()}): a day is reviewed once it has come`);
  const out: ReviewResult = { date: day, defaulted: [], completed: [] };
  const s = await getSettings(db);
  for (const id of await repo.activeArrangements(db, day)) {
    await transact(db, async (trx) => {
      const r = await repo.findArrangement(trx, id, true);
      if (!r || r.status !== 'active') return;
      const st = (await standingsOn(trx, [id], day, s.graceDays)).get(id)!;
      if (st.allPaid) {
        await endIn(trx, actor, clock, r, 'completed', day, `Every instalment paid (${formatCents(st.paidCents)} received since ${String(r.start_on)})`);
        out.completed.push(id);
      } else if (!st.goodStanding) {
        await endIn(trx, actor, clock, r, 'defaulted', day, `Instalment missed: ${formatCents(st.paidCents)} paid since ${String(r.start_on)} of the ${formatCents(st.owedCents)} due by ${owedThrough(day, s.graceDays)} (${formatCents(st.shortCents)} short); the account goes back to collections`);
        out.defaulted.push(id);
      }
    });
  }
  if (out.defaulted.length + out.completed.length > 0) {
    await recordChange(db, actor, { action: 'review', entityType: 'arrangement_review', entityId: day, after: { defaulted: out.defaulted, completed: out.completed }, reason: `Payment arrangement review for ${day}` });
  }
  return out;
}

// ---- winter protection ----

export interface WinterRequestInput {
  accountId: number;
  /** The delinquency notice the request answers. */
  noticeDate: string;
  /** The day the customer asked (default today). */
  requestedOn?: string;
  monthlyIncomeCents: number;
  /** The grantee the household's income for the prior 12 months was documented to. */
  incomeDocumentedTo: string;
  appliedEnergyAssistance: boolean;
  appliedWeatherization: boolean;
  /** Default: what is owed by the request day (past due or due that day). */
  arrearsCents?: number;
  /** Default: the average of the account's bills over the last 12 months. */
  estimatedMonthlyBillCents?: number;
  /** Default: the request day; monthly after, none after the pay-in-full day. */
  firstDueOn?: string;
}

export interface WinterQuote {
  accountId: number;
  noticeDate: string;
  requestedOn: string;
  /** The last day the customer could ask (5 business days after the notice). */
  requestDeadline: string;
  arrearsCents: number;
  estimatedMonthlyBillCents: number | null;
  /** How the estimate was made: given by staff, or the average of the last 12 months' bills. */
  estimateFrom: 'given' | 'history' | 'none';
  plan: WinterPlan | null;
  /** The arrears in monthly instalments (the plan's payment less the estimated bill; the rest by the pay-in-full day). */
  instalments: Instalment[];
  /** Whether the request day is in the protected season, and its last day. */
  inSeason: boolean;
  seasonLastDay: string | null;
  /** Why the request would be refused (empty: it would be taken). */
  problems: string[];
}

/** The winter plan and what stands in the way of the request, without saving anything. */
export async function winterQuote(db: Db, clock: Clock, input: WinterRequestInput): Promise<WinterQuote> {
  return (await winterQuoteIn(db, clock, input)).quote;
}

async function winterQuoteIn(db: Db, clock: Clock, input: WinterRequestInput): Promise<{ quote: WinterQuote; issues: { message: string; field?: string }[] }> {
  const s = await getSettings(db);
  const ws = winterSettings(s);
  const account = await customers.getAccount(db, input.accountId);
  const today = clock.today();
  const noticeDate = dateOf(input.noticeDate, 'noticeDate', '');
  const requestedOn = dateOf(input.requestedOn, 'requestedOn', today);
  if (requestedOn > today) throw invalid('requestedOn', `${requestedOn} is after today (${today})`);
  if (!(Number.isSafeInteger(input.monthlyIncomeCents) && input.monthlyIncomeCents >= 0)) throw invalid('monthlyIncomeCents', 'must be a whole number of cents');
  for (const k of ['arrearsCents', 'estimatedMonthlyBillCents'] as const) {
    const v = input[k];
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= 0)) throw invalid(k, 'must be a whole number of cents');
  }
  const issues: { message: string; field?: string }[] = [];
  const problem = (message: string, field?: string) => issues.push({ message, field });
  if (account.customerClass !== 'residential') problem(`Winter protection is for residential service: account ${account.accountNumber} is ${account.customerClass.replace('_', ' ')}`);
  const premises = await repo.premisesOf(db, input.accountId, requestedOn);
  if (!premises.some((p) => p.spaceHeating)) {
    problem(`Winter protection covers space-heating service: ${premises.length === 0 ? `account ${account.accountNumber} has no service in force on ${requestedOn}` : `the premise${premises.length === 1 ? '' : 's'} served (${premises.map((p) => p.line1).join('; ')}) ${premises.length === 1 ? 'is' : 'are'} not recorded as heated by the district's service`}`);
  }
  const requestDeadline = winterRequestDeadline(noticeDate, s.winterRequestBusinessDays);
  if (requestedOn < noticeDate) problem(`Winter protection is asked for after a delinquency notice: the request (${requestedOn}) is before the notice of ${noticeDate}`);
  else if (requestedOn > requestDeadline) problem(`Winter protection must be asked for within ${s.winterRequestBusinessDays} business days of the delinquency notice of ${noticeDate} (by ${requestDeadline}); it was asked for on ${requestedOn}`);
  if (!input.appliedEnergyAssistance) problem('Winter protection needs the customer to have applied for energy assistance', 'appliedEnergyAssistance');
  if (!input.appliedWeatherization) problem('Winter protection needs the customer to have applied for low-income weatherization assistance', 'appliedWeatherization');
  if (!(input.incomeDocumentedTo ?? '').trim()) problem('Winter protection needs the household income for the prior 12 months documented to a grantee: name it', 'incomeDocumentedTo');
  const arrears = input.arrearsCents ?? (await owedByDay(db, input.accountId, requestedOn));
  if (arrears <= 0) problem(`Account ${account.accountNumber} has no arrears on ${requestedOn}: there is nothing for a winter plan to pay`);
  let estimate: number | null = input.estimatedMonthlyBillCents ?? null;
  let estimateFrom: WinterQuote['estimateFrom'] = estimate === null ? 'none' : 'given';
  if (estimate === null) {
    estimate = averageMonthlyBill(await repo.billsBetween(db, input.accountId, addMonths(requestedOn, -12), requestedOn));
    if (estimate !== null) estimateFrom = 'history';
    else problem(`Account ${account.accountNumber} has no bills in the last 12 months to estimate the monthly bill from: give the estimate`, 'estimatedMonthlyBillCents');
  }
  const plan = estimate !== null && arrears > 0 ? collectionRules.winterPlan({ start: requestedOn, monthlyIncomeCents: input.monthlyIncomeCents, arrearsCents: arrears, estimatedMonthlyBillCents: estimate }, ws) : null;
  let instalments: Instalment[] = [];
  if (plan) {
    const firstDueOn = dateOf(input.firstDueOn, 'firstDueOn', requestedOn);
    if (firstDueOn < requestedOn || firstDueOn > plan.payInFullBy) throw invalid('firstDueOn', `must be from the request day (${requestedOn}) to the pay-in-full day (${plan.payInFullBy})`);
    instalments = winterInstalments(plan, { arrearsCents: arrears, estimatedMonthlyBillCents: estimate!, firstDueOn });
  }
  const last = seasonLastDay(requestedOn, ws);
  return {
    quote: { accountId: input.accountId, noticeDate, requestedOn, requestDeadline, arrearsCents: arrears, estimatedMonthlyBillCents: estimate, estimateFrom, plan, instalments, inSeason: last !== null, seasonLastDay: last, problems: issues.map((i) => i.message) },
    issues,
  };
}

/**
 * The customer's request for winter protection: refused with the reason when a condition is not
 * met (residential space heating, asked within 5 business days of the notice, income documented,
 * energy assistance and weatherization applied for); else a winter plan made as an arrangement of
 * kind 'winter', holding disconnection in season while it is kept.
 */
export async function requestWinterProtection(db: Db, actor: Actor, clock: Clock, input: WinterRequestInput & { reason: string }): Promise<Arrangement> {
  return transact(db, async (trx) => {
    await repo.lockAccountProtections(trx, input.accountId);
    const { quote: q, issues } = await winterQuoteIn(trx, clock, input);
    const first = issues[0];
    if (first) throw new AppError(first.field ? 'validation' : 'conflict', first.field ? `${first.field}: ${first.message}` : first.message, { ...(first.field ? { field: first.field } : {}), problems: q.problems });
    await residentialAccount(trx, input.accountId, 'Winter protection');
    const plan = q.plan!;
    const id = await insertArrangement(trx, actor, clock, { accountId: input.accountId, kind: 'winter', startOn: q.requestedOn, arrearsCents: q.arrearsCents, instalments: q.instalments, reason: input.reason });
    const w = await repo.insertWinter(trx, {
      account_id: input.accountId, arrangement_id: id, notice_date: q.noticeDate, requested_on: q.requestedOn, monthly_income_cents: input.monthlyIncomeCents,
      income_documented_to: text(input.incomeDocumentedTo, 'incomeDocumentedTo'), applied_energy_assistance: true, applied_weatherization: true,
      arrears_cents: q.arrearsCents, estimated_monthly_bill_cents: q.estimatedMonthlyBillCents!, pay_in_full_by: plan.payInFullBy, months: plan.months,
      cap_cents: plan.capCents, needed_cents: plan.neededCents, payment_cents: plan.paymentCents, clears_arrears: plan.clearsArrears, created_at: clock.now(), created_by: actor.userId,
    });
    await recordChange(trx, actor, {
      action: 'create', entityType: 'winter_protection', entityId: Number(w.id), accountId: input.accountId,
      after: { arrangementId: id, noticeDate: q.noticeDate, requestedOn: q.requestedOn, monthlyIncomeCents: input.monthlyIncomeCents, incomeDocumentedTo: input.incomeDocumentedTo, arrearsCents: q.arrearsCents, estimatedMonthlyBillCents: q.estimatedMonthlyBillCents, ...plan },
      reason: input.reason,
    });
    return getArrangement(trx, clock, id);
  });
}
