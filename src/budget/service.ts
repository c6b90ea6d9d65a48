/**
 * Budget billing (C6): an account pays a level monthly amount instead of its bills. Bills still
 * post to the ledger as they are; each is deferred by an entry of the opposite amount, and each
 * month the budget amount is charged instead. The deferred balance (the bills beyond the amounts
 * charged) is settled once a year, reviewed quarterly (re-levelling the amount when it drifts),
 * and falls due when the plan ends: on request, on delinquency, or with the final bill.
 */
import { recordChange } from '../audit/index.ts';
import { assistanceEligible } from '../assistance/index.ts';
import { customers } from '../customer/index.ts';
import { ledger } from '../ledger/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { addDays, addMonths, daysBetween } from '../platform/dates.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { formatCents } from '../platform/money.ts';
import { premises } from '../premise/index.ts';
import { tariffs, type TariffVersion } from '../tariff/index.ts';
import { drifted, eligibility, levelAmount, monthBounds, monthsBefore, monthsToSettle, yearAtCurrentRates, type AgreementYear, type EligibilityFailure, type YearCost } from './amount.ts';
import * as repo from './repository.ts';

export interface BudgetPlan {
  id: number;
  accountId: number;
  status: 'active' | 'ended';
  monthlyCents: number;
  enrolledOn: string;
  settleMonth: number;
  nextReviewOn: string;
  assistanceEligible: boolean;
  endedOn: string | null;
  endReason: repo.EndReason | null;
  /** The bills beyond the budget amounts charged so far (negative: the customer is ahead). */
  deferredCents: number;
}

export interface BudgetEvent {
  id: number;
  planId: number;
  kind: repo.EventKind;
  onDate: string;
  monthlyBeforeCents: number | null;
  monthlyAfterCents: number | null;
  deferredCents: number;
  detail: Record<string, unknown>;
  reason: string;
  createdAt: string;
}

export interface BudgetSettings {
  reviewMonths: number;
  relevelPercent: string;
  roundToCents: number;
  minOccupancyMonths: number;
  enrolMonths: number[];
  delinquentDays: number;
  dueDays: number;
}

const toPlan = (r: repo.PlanRow, deferredCents: number): BudgetPlan => ({
  id: r.id, accountId: r.account_id, status: r.status, monthlyCents: Number(r.monthly_cents), enrolledOn: r.enrolled_on, settleMonth: r.settle_month,
  nextReviewOn: r.next_review_on, assistanceEligible: r.assistance_eligible, endedOn: r.ended_on, endReason: r.end_reason, deferredCents,
});
const toEvent = (r: Awaited<ReturnType<typeof repo.eventsOfPlan>>[number]): BudgetEvent => ({
  id: r.id, planId: r.plan_id, kind: r.kind, onDate: r.on_date, monthlyBeforeCents: r.monthly_before_cents === null ? null : Number(r.monthly_before_cents),
  monthlyAfterCents: r.monthly_after_cents === null ? null : Number(r.monthly_after_cents), deferredCents: Number(r.deferred_cents), detail: (r.detail ?? {}) as Record<string, unknown>,
  reason: r.reason, createdAt: r.created_at.toISOString(),
});
const toSettings = (s: repo.SettingsRow): BudgetSettings => ({
  reviewMonths: s.review_months, relevelPercent: String(Number(s.relevel_percent)), roundToCents: s.round_to_cents, minOccupancyMonths: s.min_occupancy_months,
  enrolMonths: s.enrol_months, delinquentDays: s.delinquent_days, dueDays: s.due_days,
});

const deferredOf = async (db: Db, accountId: number) => (await repo.deferredOf(db, [accountId])).get(accountId) ?? 0;
const monthOf = (date: string) => Number(date.slice(5, 7));
/** The settle-up month of a plan started in a month: the twelfth monthly amount's. */
const defaultSettleMonth = (enrolledOn: string) => ((monthOf(enrolledOn) + 10) % 12) + 1;

export async function getSettings(db: Db): Promise<BudgetSettings> {
  return toSettings(await repo.settings(db));
}

export async function updateSettings(db: Db, actor: Actor, clock: Clock, patch: Partial<BudgetSettings>, reason: string): Promise<BudgetSettings> {
  if (patch.enrolMonths?.some((m) => !Number.isInteger(m) || m < 1 || m > 12)) throw invalid('enrolMonths', 'must be months 1-12');
  if (patch.relevelPercent !== undefined && !/^\d+(\.\d+)?$/.test(patch.relevelPercent)) throw invalid('relevelPercent', 'must be a percentage such as 10 or 12.5');
  return transact(db, async (trx) => {
    const before = toSettings(await repo.settings(trx));
    const after = toSettings(await repo.updateSettings(trx, {
      review_months: patch.reviewMonths, relevel_percent: patch.relevelPercent, round_to_cents: patch.roundToCents, min_occupancy_months: patch.minOccupancyMonths,
      enrol_months: patch.enrolMonths, delinquent_days: patch.delinquentDays, due_days: patch.dueDays, updated_at: clock.now(), updated_by: actor.userId,
    }));
    await recordChange(trx, actor, { action: 'update', entityType: 'budget_settings', entityId: 'budget', before: { ...before }, after: { ...after }, reason });
    return after;
  });
}

// ---- the amount ----

/**
 * A year of the account's use at today's rates: for each service in force, the twelve calendar
 * months before today's, each month its own bill's use or, where it has none, the use of similar
 * premises (other agreements on the same rate) that month, or else its own average.
 */
export async function yearCost(db: Db, accountId: number, asOf: string): Promise<YearCost> {
  const services = (await premises.servicesOfAccount(db, accountId)).filter((s) => s.agreement.startDate <= asOf && (s.agreement.endDate === null || s.agreement.endDate > asOf));
  if (services.length === 0) throw new AppError('conflict', `Account ${accountId} has no service in force on ${asOf}`);
  const versions = await tariffs.versionsByCode(db, [...new Set(services.map((s) => s.agreement.rateCode))]);
  const months = monthsBefore(asOf);
  const from = monthBounds(months[0]!).from;
  const to = monthBounds(months[11]!).to;
  const similar = new Map<string, Map<string, string>>();
  const agreements: AgreementYear[] = [];
  for (const s of services) {
    const version = (versions.get(s.agreement.rateCode) ?? []).filter((v) => v.effectiveFrom <= asOf).sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0];
    if (!version) throw new AppError('conflict', `No tariff ${s.agreement.rateCode} is in force on ${asOf} for agreement ${s.agreement.id}`);
    if (s.servicePoint.service === 'fiber') {
      agreements.push({ agreementId: s.agreement.id, service: 'fiber', version, usageUnit: null, meterSize: null, months: months.map((m) => ({ month: m, ...monthBounds(m), usage: null, estimated: false })) });
      continue;
    }
    const own = new Map((await repo.billedMonths(db, s.agreement.id, from, to)).map((b) => [b.period_to.slice(0, 7), b]));
    let perDay = similar.get(s.agreement.rateCode);
    if (!perDay) similar.set(s.agreement.rateCode, (perDay = await repo.similarDailyUse(db, s.agreement.rateCode, from, to)));
    const ownDays = [...own.values()].reduce((n, b) => n + daysBetween(b.period_from, b.period_to) + 1, 0);
    const ownUse = [...own.values()].reduce((n, b) => n + Number(b.usage ?? 0), 0);
    agreements.push({
      agreementId: s.agreement.id, service: s.servicePoint.service as 'electric' | 'water', version, usageUnit: s.meter?.unit ?? null, meterSize: s.meter?.size ?? null,
      months: months.map((m) => {
        const bill = own.get(m);
        if (bill) return { month: m, from: bill.period_from, to: bill.period_to, usage: bill.usage ?? '0', estimated: false };
        const bounds = monthBounds(m);
        const days = daysBetween(bounds.from, bounds.to) + 1;
        const rate = perDay.get(m) ?? (ownDays > 0 ? String(ownUse / ownDays) : null);
        if (rate === null) throw new AppError('conflict', `Agreement ${s.agreement.id} has no use in ${m} and no similar premises or own history to estimate it from`, { agreementId: s.agreement.id });
        // Whole units: an estimate, like an estimated read.
        return { month: m, ...bounds, usage: String(Math.round(Number(rate) * days)), estimated: true };
      }),
    });
  }
  return yearAtCurrentRates(agreements);
}

export interface BudgetQuote {
  accountId: number;
  asOf: string;
  eligible: boolean;
  failure: EligibilityFailure | null;
  /** Eligible for low-income energy assistance (said by staff, or a low-income pledge in the last 12 months). */
  assistanceEligible: boolean;
  annualCents: number;
  monthlyCents: number;
  settleMonth: number;
  estimatedMonths: number;
  agreements: YearCost['agreements'];
}

async function eligibilityOf(db: Db, clock: Clock, accountId: number, asOf: string, assistanceEligible: boolean): Promise<EligibilityFailure | null> {
  const account = await customers.getAccount(db, accountId);
  const settings = await repo.settings(db);
  const services = (await premises.servicesOfAccount(db, accountId)).filter((s) => s.agreement.startDate <= asOf && (s.agreement.endDate === null || s.agreement.endDate > asOf));
  const pastDue = (await ledger.owedByService(db, [accountId]))
    .flatMap((o) => o.charges).filter((c) => addDays(c.date, settings.due_days) < asOf).reduce((n, c) => n + c.unpaidCents, 0);
  const alerts = await customers.listAlerts(db, clock, accountId);
  const firstStart = services.map((s) => s.agreement.startDate).sort()[0] ?? asOf;
  const occupancyMonths = Math.floor(daysBetween(firstStart, asOf) / 30.4375);
  return eligibility({
    accountStatus: account.status, openServices: services.length, alreadyEnrolled: (await repo.activePlanOf(db, accountId)) !== undefined,
    pastDueCents: pastDue, arrangement: alerts.some((a) => a.active && a.kind === 'payment_arrangement'), assistanceEligible,
    occupancyMonths, month: monthOf(asOf), minOccupancyMonths: settings.min_occupancy_months, enrolMonths: settings.enrol_months,
  });
}

/** What the account's budget amount would be today, and whether it may enrol. */
export async function quote(db: Db, clock: Clock, accountId: number, opts: { assistanceEligible?: boolean; settleMonth?: number } = {}): Promise<BudgetQuote> {
  const asOf = clock.today();
  // Eligible for low-income energy assistance: as staff say, or as a low-income program's pledge in the last 12 months shows.
  const assisted = opts.assistanceEligible || (await assistanceEligible(db, accountId, asOf));
  const failure = await eligibilityOf(db, clock, accountId, asOf, assisted);
  const settings = await repo.settings(db);
  const settleMonth = opts.settleMonth ?? defaultSettleMonth(asOf);
  let year: YearCost;
  try {
    year = await yearCost(db, accountId, asOf);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    // No amount can be worked out (no service, or no use to estimate from): the quote says why.
    return { accountId, asOf, eligible: false, failure: failure ?? { rule: 'cannot_estimate', message: e.message }, assistanceEligible: assisted, annualCents: 0, settleMonth, estimatedMonths: 0, agreements: [], monthlyCents: 0 };
  }
  return {
    accountId, asOf, eligible: failure === null, failure, assistanceEligible: assisted, annualCents: year.annualCents, settleMonth, estimatedMonths: year.estimatedMonths, agreements: year.agreements,
    monthlyCents: levelAmount({ annualCents: year.annualCents, deferredCents: 0, monthsLeft: 12, roundToCents: settings.round_to_cents }),
  };
}

// ---- the plan ----

export async function planOfAccount(db: Db, accountId: number): Promise<{ plan: BudgetPlan | null; events: BudgetEvent[]; history: BudgetPlan[] }> {
  await customers.getAccount(db, accountId);
  const plans = await repo.plansOfAccount(db, accountId);
  const deferred = await deferredOf(db, accountId);
  const current = plans.find((p) => p.status === 'active') ?? null;
  return {
    plan: current ? toPlan(current, deferred) : null,
    events: current ? (await repo.eventsOfPlan(db, current.id)).map(toEvent) : [],
    history: plans.filter((p) => p.status === 'ended').map((p) => toPlan(p, 0)),
  };
}

export async function getPlan(db: Db, id: number): Promise<BudgetPlan & { events: BudgetEvent[] }> {
  const p = await repo.findPlan(db, id);
  if (!p) throw notFound('Budget plan', id);
  return { ...toPlan(p, p.status === 'active' ? await deferredOf(db, p.account_id) : 0), events: (await repo.eventsOfPlan(db, id)).map(toEvent) };
}

export async function listPlans(db: Db, q: { status?: 'active' | 'ended'; after: number; limit: number }) {
  const rows = await repo.listPlans(db, q);
  const deferred = await repo.deferredOf(db, rows.filter((r) => r.status === 'active').map((r) => r.account_id));
  return {
    items: rows.slice(0, q.limit).map((r) => ({ ...toPlan(r, r.status === 'active' ? deferred.get(r.account_id) ?? 0 : 0), accountNumber: r.account_number, customerName: r.display_name })),
    next: rows.length > q.limit ? rows[q.limit - 1]!.id : null,
  };
}

/** Puts an account on budget billing at the amount a year at today's rates comes to. Refused with the rule an ineligible account fails. */
export async function enrol(db: Db, actor: Actor, clock: Clock, input: { accountId: number; assistanceEligible?: boolean; settleMonth?: number }, reason: string): Promise<BudgetPlan & { events: BudgetEvent[] }> {
  if (input.settleMonth !== undefined && !(Number.isInteger(input.settleMonth) && input.settleMonth >= 1 && input.settleMonth <= 12)) throw invalid('settleMonth', 'must be a month 1-12');
  return transact(db, async (trx) => {
    await ledger.lockAccount(trx, input.accountId);
    const q = await quote(trx, clock, input.accountId, input);
    if (q.failure) throw new AppError('conflict', `Account ${input.accountId} cannot enrol in budget billing: ${q.failure.message}`, { rule: q.failure.rule });
    const settings = await repo.settings(trx);
    const today = clock.today();
    const plan = await repo.insertPlan(trx, {
      account_id: input.accountId, status: 'active', monthly_cents: String(q.monthlyCents), enrolled_on: today, settle_month: q.settleMonth,
      next_review_on: addMonths(today, settings.review_months), assistance_eligible: q.assistanceEligible, ended_on: null, end_reason: null, created_at: clock.now(), created_by: actor.userId,
    });
    // Bills before the plan are due as billed; the deferred balance starts at whatever earlier plans left (nothing: an ended plan put it due).
    const deferred = await deferredOf(trx, input.accountId);
    await repo.insertEvent(trx, {
      plan_id: plan.id, kind: 'enrolled', on_date: today, monthly_before_cents: null, monthly_after_cents: String(q.monthlyCents), deferred_cents: String(deferred),
      detail: JSON.stringify({ annualCents: q.annualCents, estimatedMonths: q.estimatedMonths, settleMonth: q.settleMonth, agreements: q.agreements.map((a) => ({ agreementId: a.agreementId, service: a.service, rateCode: a.rateCode, annualCents: a.annualCents, estimatedMonths: a.estimatedMonths })) }),
      reason, created_at: clock.now(), created_by: actor.userId,
    });
    await customers.addAlert(trx, actor, clock, input.accountId, { kind: 'budget_billing', note: `Budget billing ${formatCents(q.monthlyCents)} a month (plan ${plan.id})` }, 'Budget billing enrolment');
    await recordChange(trx, actor, { action: 'enrol', entityType: 'budget_plan', entityId: plan.id, accountId: input.accountId, after: { monthlyCents: q.monthlyCents, settleMonth: q.settleMonth, assistanceEligible: q.assistanceEligible, annualCents: q.annualCents }, reason });
    return getPlan(trx, plan.id);
  });
}

/** Ends a plan: the deferred balance falls due (one budget entry), the alert is cleared, a letter goes out. */
export async function endPlan(db: Db, actor: Actor, clock: Clock, planId: number, endReason: repo.EndReason, reason: string): Promise<BudgetPlan & { events: BudgetEvent[] }> {
  return transact(db, async (trx) => {
    const plan = await repo.findPlanForUpdate(trx, planId);
    if (!plan) throw notFound('Budget plan', planId);
    if (plan.status !== 'active') throw new AppError('conflict', `Budget plan ${planId} ended on ${plan.ended_on}`);
    await ledger.lockAccount(trx, plan.account_id);
    const today = clock.today();
    const deferred = await deferredOf(trx, plan.account_id);
    if (deferred !== 0) {
      await ledger.postBudgetEntries(trx, actor, clock, [{ accountId: plan.account_id, entryDate: today, service: null, amountCents: deferred, reasonCode: 'BUDGET_ENDED', reason: `Budget plan ${planId} ended (${endReason.replace('_', ' ')}): deferred balance due`, billId: null, key: `budget-end:${planId}` }]);
    }
    await repo.updatePlan(trx, planId, { status: 'ended', ended_on: today, end_reason: endReason });
    await repo.insertEvent(trx, { plan_id: planId, kind: 'ended', on_date: today, monthly_before_cents: plan.monthly_cents, monthly_after_cents: null, deferred_cents: String(deferred), detail: JSON.stringify({ endReason }), reason, created_at: clock.now(), created_by: actor.userId });
    for (const a of (await customers.listAlerts(trx, clock, plan.account_id)).filter((x) => x.active && x.kind === 'budget_billing')) {
      await customers.clearAlert(trx, actor, clock, plan.account_id, a.id, 'Budget billing ended');
    }
    await recordChange(trx, actor, { action: 'end', entityType: 'budget_plan', entityId: planId, accountId: plan.account_id, before: { status: 'active', monthlyCents: Number(plan.monthly_cents) }, after: { status: 'ended', endReason, deferredDueCents: deferred }, reason });
    return getPlan(trx, planId);
  });
}

/** Sets a new monthly amount from a year at today's rates and the deferred balance spread to the settle-up. */
async function relevel(trx: Db, actor: Actor, clock: Clock, plan: repo.PlanRow, kind: 'relevelled' | 'settled', reason: string, settledCents?: number) {
  const today = clock.today();
  const settings = await repo.settings(trx);
  const deferred = await deferredOf(trx, plan.account_id);
  const monthsLeft = monthsToSettle(monthOf(today), plan.settle_month);
  let year: YearCost | null = null;
  try {
    year = await yearCost(trx, plan.account_id, today);
  } catch (e) {
    // No year to work from (service ended, no use to estimate): the amount stays, and the event says why.
    if (!(e instanceof AppError) || kind !== 'settled') throw e;
    await repo.insertEvent(trx, {
      plan_id: plan.id, kind, on_date: today, monthly_before_cents: plan.monthly_cents, monthly_after_cents: plan.monthly_cents, deferred_cents: String(settledCents ?? deferred),
      detail: JSON.stringify({ settledCents, amountKept: e.message }), reason, created_at: clock.now(), created_by: actor.userId,
    });
    await recordChange(trx, actor, { action: 'settle_up', entityType: 'budget_plan', entityId: plan.id, accountId: plan.account_id, after: { monthlyCents: Number(plan.monthly_cents), settledCents }, reason: `${reason} (amount kept: ${e.message})` });
    return Number(plan.monthly_cents);
  }
  const monthly = levelAmount({ annualCents: year.annualCents, deferredCents: deferred, monthsLeft, roundToCents: settings.round_to_cents });
  await repo.updatePlan(trx, plan.id, { monthly_cents: String(monthly), next_review_on: addMonths(today, settings.review_months) });
  await repo.insertEvent(trx, {
    // A settle-up's event keeps the deferred balance it settled (after it, the balance is nothing).
    plan_id: plan.id, kind, on_date: today, monthly_before_cents: plan.monthly_cents, monthly_after_cents: String(monthly), deferred_cents: String(settledCents ?? deferred),
    detail: JSON.stringify({ annualCents: year.annualCents, estimatedMonths: year.estimatedMonths, monthsLeft, ...(settledCents === undefined ? {} : { settledCents }) }), reason, created_at: clock.now(), created_by: actor.userId,
  });
  await recordChange(trx, actor, { action: kind === 'settled' ? 'settle_up' : 'relevel', entityType: 'budget_plan', entityId: plan.id, accountId: plan.account_id, before: { monthlyCents: Number(plan.monthly_cents) }, after: { monthlyCents: monthly, deferredCents: deferred }, reason });
  return monthly;
}

/** Re-levels a plan now (staff, at the customer's request or after a rate change). */
export async function relevelPlan(db: Db, actor: Actor, clock: Clock, planId: number, reason: string): Promise<BudgetPlan & { events: BudgetEvent[] }> {
  return transact(db, async (trx) => {
    const plan = await repo.findPlanForUpdate(trx, planId);
    if (!plan) throw notFound('Budget plan', planId);
    if (plan.status !== 'active') throw new AppError('conflict', `Budget plan ${planId} ended on ${plan.ended_on}`);
    await relevel(trx, actor, clock, plan, 'relevelled', reason);
    return getPlan(trx, planId);
  });
}

export interface ReviewResult {
  date: string;
  reviewed: number;
  relevelled: number;
  unchanged: number;
  endedForDelinquency: number;
  plans: { planId: number; accountId: number; action: 'relevelled' | 'unchanged' | 'ended'; monthlyBeforeCents: number; monthlyAfterCents: number | null; deferredCents: number }[];
  /** Plans the job could not review (each on its own: the others are done), with why. */
  errors: { planId: number; message: string }[];
}

/**
 * The daily budget job: ends the plans whose monthly amount is unpaid too long after it was due
 * (the deferred balance falls due), and reviews the plans whose review date has come: the amount
 * is re-levelled when the deferred balance has drifted beyond the set share of a year's budget.
 * Run twice for a day, the second run finds nothing to do.
 */
export async function review(db: Db, actor: Actor, clock: Clock): Promise<ReviewResult> {
  const today = clock.today();
  const settings = await repo.settings(db);
  const out: ReviewResult = { date: today, reviewed: 0, relevelled: 0, unchanged: 0, endedForDelinquency: 0, plans: [], errors: [] };
  // Delinquency: an unpaid budget amount (or anything else) older than due date + delinquent days.
  const active = await repo.activePlanIds(db);
  for (let i = 0; i < active.length; i += 500) {
    const plans = await Promise.all(active.slice(i, i + 500).map((id) => repo.findPlan(db, id)));
    const owed = await ledger.owedByService(db, plans.map((p) => p!.account_id));
    const late = new Set(owed.filter((o) => o.charges.some((c) => daysBetween(addDays(c.date, settings.due_days), today) > settings.delinquent_days)).map((o) => o.accountId));
    for (const p of plans) {
      if (!p || !late.has(p.account_id)) continue;
      const deferred = await deferredOf(db, p.account_id);
      await endPlan(db, actor, clock, p.id, 'delinquency', `Budget amount unpaid more than ${settings.delinquent_days} days after it was due`);
      out.endedForDelinquency++;
      out.plans.push({ planId: p.id, accountId: p.account_id, action: 'ended', monthlyBeforeCents: Number(p.monthly_cents), monthlyAfterCents: null, deferredCents: deferred });
    }
  }
  for (const p of await repo.plansToReview(db, today)) {
    try {
      const done = await transact(db, async (trx) => {
        const plan = (await repo.findPlanForUpdate(trx, p.id))!;
        if (plan.status !== 'active' || plan.next_review_on > today) return null;
        const deferred = await deferredOf(trx, plan.account_id);
        if (drifted(deferred, Number(plan.monthly_cents), Number(settings.relevel_percent))) {
          const monthly = await relevel(trx, actor, clock, plan, 'relevelled', `Quarterly review: the deferred balance ${formatCents(deferred)} is more than ${Number(settings.relevel_percent)}% of a year's budget`);
          return { planId: plan.id, accountId: plan.account_id, action: 'relevelled' as const, monthlyBeforeCents: Number(plan.monthly_cents), monthlyAfterCents: monthly, deferredCents: deferred };
        }
        await repo.updatePlan(trx, plan.id, { next_review_on: addMonths(today, settings.review_months) });
        await repo.insertEvent(trx, { plan_id: plan.id, kind: 'reviewed', on_date: today, monthly_before_cents: plan.monthly_cents, monthly_after_cents: plan.monthly_cents, deferred_cents: String(deferred), detail: JSON.stringify({ relevelPercent: Number(settings.relevel_percent) }), reason: 'Quarterly review: within the set share, no change', created_at: clock.now(), created_by: actor.userId });
        return { planId: plan.id, accountId: plan.account_id, action: 'unchanged' as const, monthlyBeforeCents: Number(plan.monthly_cents), monthlyAfterCents: Number(plan.monthly_cents), deferredCents: deferred };
      });
      if (!done) continue;
      out.reviewed++;
      if (done.action === 'relevelled') out.relevelled++;
      else out.unchanged++;
      out.plans.push(done);
    } catch (e) {
      // One plan that cannot be reviewed (no use to estimate from, say) does not stop the others.
      if (!(e instanceof AppError) || db.isTransaction) throw e;
      out.errors.push({ planId: p.id, message: e.message });
    }
  }
  if (out.reviewed + out.endedForDelinquency > 0) {
    await recordChange(db, actor, { action: 'review', entityType: 'budget_review', entityId: today, after: { reviewed: out.reviewed, relevelled: out.relevelled, unchanged: out.unchanged, endedForDelinquency: out.endedForDelinquency }, reason: `Budget billing review for ${today}` });
  }
  return out;
}

/** The monthly amounts of the active plans among some accounts (what their customers pay each month). */
export async function monthlyAmounts(db: Db, accountIds: number[]): Promise<Map<number, number>> {
  return new Map((await repo.activePlansOf(db, accountIds)).map((p) => [p.account_id, Number(p.monthly_cents)]));
}

// ---- bills ----

export interface PostedBill {
  id: number;
  accountId: number;
  service: string;
  billDate: string;
  /** The bill date it was made with, when it was posted later (a held bill released): its month's amount is the one charged. */
  madeOn?: string;
  totalCents: number;
  final: boolean;
}

/**
 * Called by billing, in the same transaction, with bills just posted: the bills of budget-billed
 * accounts are deferred, the month's budget amount is charged once, in the settle-up month the
 * deferred balance falls due and the amount is re-levelled, and a final bill that leaves the
 * account with no service ends the plan. Each entry is made once, however often it is called.
 */
export async function afterBillsPosted(trx: Db, actor: Actor, clock: Clock, bills: PostedBill[]): Promise<void> {
  if (bills.length === 0) return;
  // Locked: a plan ended at the same moment either sees these deferrals or is seen as ended here.
  const plans = await repo.activePlansOf(trx, [...new Set(bills.map((b) => b.accountId))], true);
  if (plans.length === 0) return;
  const planOf = new Map(plans.map((p) => [p.account_id, p]));
  const mine = bills.filter((b) => planOf.has(b.accountId) && b.billDate >= planOf.get(b.accountId)!.enrolled_on);
  if (mine.length === 0) return;
  const done = new Set((await repo.budgetEntriesOfBills(trx, mine.map((b) => b.id))).filter((e) => e.reasonCode === 'BUDGET_DEFER').map((e) => e.billId));
  const fresh = mine.filter((b) => !done.has(b.id));
  const rows: Parameters<typeof ledger.postBudgetEntries>[3] = fresh.filter((b) => b.totalCents !== 0).map((b) => ({
    accountId: b.accountId, entryDate: b.billDate, service: b.service, amountCents: -b.totalCents, reasonCode: 'BUDGET_DEFER', reason: `Bill ${b.id} deferred: budget billing`, billId: b.id, key: null,
  }));
  // One monthly amount per plan and calendar month, dated with the month's first budget bill.
  const months = new Map<string, { plan: repo.PlanRow; date: string }>();
  for (const b of fresh) {
    const plan = planOf.get(b.accountId)!;
    const key = `budget:${plan.id}:${(b.madeOn ?? b.billDate).slice(0, 7)}`;
    if (!months.has(key) || b.billDate < months.get(key)!.date) months.set(key, { plan, date: b.billDate });
  }
  const taken = await repo.keysTaken(trx, [...months.keys()]);
  for (const [key, m] of months) {
    if (!taken.has(key)) rows.push({ accountId: m.plan.account_id, entryDate: m.date, service: null, amountCents: Number(m.plan.monthly_cents), reasonCode: 'BUDGET_INSTALMENT', reason: `Budget amount for ${m.date.slice(0, 7)} (plan ${m.plan.id})`, billId: null, key });
  }
  await ledger.postBudgetEntries(trx, actor, clock, rows);

  // A final bill that leaves the account with no service in force ends its plan (the deferred balance falls due then).
  const ending = new Set<number>();
  for (const accountId of new Set(fresh.filter((b) => b.final).map((b) => b.accountId))) {
    const open = (await premises.servicesOfAccount(trx, accountId)).filter((s) => s.agreement.endDate === null || s.agreement.finalBillDue);
    if (open.length === 0) ending.add(accountId);
  }
  for (const [key, m] of months) {
    if (taken.has(key) || ending.has(m.plan.account_id)) continue;
    const month = key.slice(key.lastIndexOf(':') + 1);
    // The settle-up: in the plan's settle-up month, once it has run eleven months.
    if (Number(month.slice(5)) === m.plan.settle_month && month >= addMonths(m.plan.enrolled_on, 11).slice(0, 7) && !(await repo.hasEventIn(trx, m.plan.id, 'settled', m.date.slice(0, 7)))) {
      const deferred = await deferredOf(trx, m.plan.account_id);
      if (deferred !== 0) {
        await ledger.postBudgetEntries(trx, actor, clock, [{ accountId: m.plan.account_id, entryDate: m.date, service: null, amountCents: deferred, reasonCode: 'BUDGET_SETTLE_UP', reason: `Yearly settle-up of budget plan ${m.plan.id}`, billId: null, key: `budget-settle:${m.plan.id}:${month}` }]);
      }
      await relevel(trx, actor, clock, m.plan, 'settled', `Yearly settle-up: deferred balance ${formatCents(deferred)} put on this bill`, deferred);
    }
  }
  for (const accountId of ending) await endPlan(trx, actor, clock, planOf.get(accountId)!.id, 'final_bill', 'Final bill: service ended');
}

/** Called by billing when a posted bill is cancelled: its deferral is undone (the bill's reversal takes the charge off). */
export async function afterBillCancelled(trx: Db, actor: Actor, clock: Clock, bill: { id: number; accountId: number; service: string; totalCents: number }): Promise<void> {
  const entries = await repo.budgetEntriesOfBills(trx, [bill.id]);
  if (!entries.some((e) => e.reasonCode === 'BUDGET_DEFER') || entries.some((e) => e.reasonCode === 'BUDGET_UNDEFER') || bill.totalCents === 0) return;
  // Once a settle-up or the plan's end put the deferral due, the bill's own reversal is all there is to undo.
  if ((await repo.activePlansOf(trx, [bill.accountId], true)).length === 0 || (await repo.putDueAfterDeferral(trx, bill.id))) return;
  await ledger.postBudgetEntries(trx, actor, clock, [{ accountId: bill.accountId, entryDate: clock.today(), service: bill.service, amountCents: bill.totalCents, reasonCode: 'BUDGET_UNDEFER', reason: `Bill ${bill.id} cancelled: no longer deferred`, billId: bill.id, key: null }]);
}

/** A statement's budget box: the monthly amount, the bills it replaces, and the deferred balance after. */
export async function statementBudget(db: Db, accountId: number, billDate: string): Promise<{ planId: number; monthlyCents: number; billedCents: number; settleUpCents: number; endedCents: number; deferredCents: number } | null> {
  const entries = await repo.budgetEntriesBetween(db, accountId, billDate, billDate);
  if (entries.length === 0) return null;
  const plans = await repo.plansOfAccount(db, accountId);
  const plan = plans.find((p) => p.enrolled_on <= billDate && (p.ended_on === null || p.ended_on >= billDate)) ?? plans[0]!;
  const sum = (code: string) => entries.filter((e) => e.reasonCode === code).reduce((n, e) => n + e.amountCents, 0);
  return {
    planId: plan.id, monthlyCents: sum('BUDGET_INSTALMENT') || Number(plan.monthly_cents), billedCents: -sum('BUDGET_DEFER') - sum('BUDGET_UNDEFER'), settleUpCents: sum('BUDGET_SETTLE_UP'), endedCents: sum('BUDGET_ENDED'),
    deferredCents: await repo.deferredAsOf(db, accountId, billDate),
  };
}

export type { EligibilityFailure, YearCost, TariffVersion };
