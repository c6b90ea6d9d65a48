/**
 * Credit and collections (C13), first part: the yearly delinquency schedule. Each billing
 * schedule entry's due date is followed, in business days, by the late-fee date, the notice date
 * and the first day a disconnection may happen (see rules.ts); the schedule is made with the
 * billing schedule and again whenever a due date moves.
 */
import { recordChange } from '../audit/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { customers } from '../customer/index.ts';
import { ledger } from '../ledger/index.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { formatCents } from '../platform/money.ts';
import { serviceOrders } from '../service-order/index.ts';
import { holdsOf } from './holds.ts';
import { noticePdf, type NoticeContent } from './notices.ts';
import * as repo from './repository.ts';
import { afterHours as isAfterHours, delinquencySchedule, nextStep, pathFor, type DelinquencyEntry, type DelinquencySettings, type Step } from './rules.ts';
import { owingOf, reconnectService, toStep, type CollectionsRunResult, type Meta } from './run.ts';

export type { DelinquencyEntry } from './rules.ts';

const toSettings = (s: Awaited<ReturnType<typeof repo.settings>>): DelinquencySettings => ({
  lateFeeBusinessDays: s.late_fee_business_days, noticeBusinessDays: s.notice_business_days,
  mailedNoticeBusinessDays: s.mailed_notice_business_days, outOfStateNoticeBusinessDays: s.out_of_state_notice_business_days,
});

const toEntry = (r: repo.DelinquencyRow): DelinquencyEntry & { billingScheduleId: number } => ({
  billingScheduleId: Number(r.billing_schedule_id), year: r.year, month: r.month, cycle: r.cycle, dueDate: r.due_date, pastDueDate: r.past_due_date, lateFeeDate: r.late_fee_date,
  noticeDate: r.notice_date, disconnectEligibleDate: r.disconnect_eligible_date, disconnectEligibleOutOfStateDate: r.disconnect_eligible_out_of_state_date,
});

/** Makes (or makes again) a year's delinquency schedule from its billing schedule. */
export async function generateDelinquencySchedule(db: Db, actor: Actor, clock: Clock, year: number, reason: string) {
  return transact(db, async (trx) => {
    const billingEntries = await repo.billingDueDates(trx, year);
    const settings = toSettings(await repo.settings(trx));
    const made = delinquencySchedule(billingEntries, settings);
    await repo.upsertSchedule(trx, made.map((e, i) => ({
      billing_schedule_id: billingEntries[i]!.billingScheduleId, year: e.year, cycle: e.cycle, month: e.month, due_date: e.dueDate, past_due_date: e.pastDueDate,
      late_fee_date: e.lateFeeDate, notice_date: e.noticeDate, disconnect_eligible_date: e.disconnectEligibleDate, disconnect_eligible_out_of_state_date: e.disconnectEligibleOutOfStateDate,
      updated_at: clock.now(), updated_by: actor.userId,
    })));
    await recordChange(trx, actor, { action: 'generate', entityType: 'delinquency_schedule', entityId: String(year), after: { year, entries: made.length, ...settings }, reason });
    return { year, entries: (await repo.scheduleOfYear(trx, year)).map(toEntry) };
  });
}

export async function delinquencyScheduleOfYear(db: Db, year: number) {
  return (await repo.scheduleOfYear(db, year)).map(toEntry);
}

// ---- the collections path, the daily run and the screens' reads ----

export { runCollections, reconnectService, type CollectionsRunResult, type Meta } from './run.ts';

export interface CollectionsSettings {
  lateFeeBusinessDays: number;
  noticeBusinessDays: number;
  mailedNoticeBusinessDays: number;
  outOfStateNoticeBusinessDays: number;
  minimumPastDueCents: number;
  reconnectFeeCents: number;
  afterHoursFeeCents: number;
  homeState: string;
  businessHoursFrom: string;
  businessHoursTo: string;
  assistanceText: string;
}
const toCollectionsSettings = (s: repo.SettingsRow): CollectionsSettings => ({
  ...toSettings(s), minimumPastDueCents: Number(s.minimum_past_due_cents), reconnectFeeCents: Number(s.reconnect_fee_cents), afterHoursFeeCents: Number(s.after_hours_fee_cents),
  homeState: s.home_state, businessHoursFrom: s.business_hours_from, businessHoursTo: s.business_hours_to, assistanceText: s.assistance_text,
});

export async function getSettings(db: Db): Promise<CollectionsSettings & { steps: Step[] }> {
  return { ...toCollectionsSettings(await repo.settings(db)), steps: (await repo.steps(db)).map(toStep) };
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export async function updateSettings(db: Db, actor: Actor, clock: Clock, patch: Partial<CollectionsSettings>, reason: string): Promise<CollectionsSettings> {
  for (const k of ['businessHoursFrom', 'businessHoursTo'] as const) if (patch[k] !== undefined && !HHMM.test(patch[k]!)) throw invalid(k, 'must be a time HH:MM');
  for (const k of ['minimumPastDueCents', 'reconnectFeeCents', 'afterHoursFeeCents'] as const) if (patch[k] !== undefined && !(Number.isSafeInteger(patch[k]) && patch[k]! >= 0)) throw invalid(k, 'must be whole cents, 0 or more');
  if (patch.mailedNoticeBusinessDays !== undefined && patch.mailedNoticeBusinessDays < 8) throw invalid('mailedNoticeBusinessDays', 'the law asks at least 8 business days after a mailed notice');
  if (patch.outOfStateNoticeBusinessDays !== undefined && patch.outOfStateNoticeBusinessDays < 11) throw invalid('outOfStateNoticeBusinessDays', 'the law asks at least 11 business days after a notice mailed out of state');
  return transact(db, async (trx) => {
    const before = toCollectionsSettings(await repo.settings(trx));
    const row = await repo.updateSettingsRow(trx, {
      late_fee_business_days: patch.lateFeeBusinessDays, notice_business_days: patch.noticeBusinessDays, mailed_notice_business_days: patch.mailedNoticeBusinessDays,
      out_of_state_notice_business_days: patch.outOfStateNoticeBusinessDays, minimum_past_due_cents: patch.minimumPastDueCents === undefined ? undefined : String(patch.minimumPastDueCents),
      reconnect_fee_cents: patch.reconnectFeeCents === undefined ? undefined : String(patch.reconnectFeeCents), after_hours_fee_cents: patch.afterHoursFeeCents === undefined ? undefined : String(patch.afterHoursFeeCents),
      home_state: patch.homeState, business_hours_from: patch.businessHoursFrom, business_hours_to: patch.businessHoursTo, assistance_text: patch.assistanceText, updated_at: clock.now(), updated_by: actor.userId,
    });
    const after = toCollectionsSettings(row);
    // The run's late-fee and disconnect-notice steps count the same days as the published schedule.
    if (patch.lateFeeBusinessDays !== undefined) await repo.updateStepRow(trx, 'late_fee', { days: patch.lateFeeBusinessDays, updated_at: clock.now(), updated_by: actor.userId });
    if (patch.noticeBusinessDays !== undefined) await repo.updateStepRow(trx, 'disconnect_notice', { days: patch.noticeBusinessDays, updated_at: clock.now(), updated_by: actor.userId });
    await recordChange(trx, actor, { action: 'update', entityType: 'collections_settings', entityId: 'collections', before: { ...before }, after: { ...after }, reason });
    return after;
  });
}

export interface StepPatch {
  days?: number;
  minPastDueCents?: number;
  customerClasses?: string[] | null;
  active?: boolean;
  feeCents?: number;
  feePercent?: string;
  feeMinBalanceCents?: number;
}

export async function updateStep(db: Db, actor: Actor, clock: Clock, code: string, patch: StepPatch, reason: string): Promise<Step> {
  if (patch.feePercent !== undefined && !/^\d{1,3}(\.\d{1,3})?$/.test(patch.feePercent)) throw invalid('feePercent', 'must be a percent such as 1.5');
  return transact(db, async (trx) => {
    const before = (await repo.steps(trx)).find((s) => s.code === code);
    if (!before) throw notFound('Collections step', code);
    if (patch.feeCents !== undefined && before.fee_kind !== 'flat') throw invalid('feeCents', `step ${code} has no flat fee`);
    if (patch.feePercent !== undefined && before.fee_kind !== 'percent') throw invalid('feePercent', `step ${code} has no percent fee`);
    if ((before.action === 'disconnect_order' || before.action === 'final_notice' || before.action === 'disconnect_notice') && patch.active === false) {
      throw new AppError('conflict', `The ${before.label} step cannot be switched off: the law asks a mailed notice and a second notice before any disconnection (set the classes it applies to instead)`);
    }
    const row = await repo.updateStepRow(trx, code, {
      days: patch.days, min_past_due_cents: patch.minPastDueCents === undefined ? undefined : String(patch.minPastDueCents), customer_classes: patch.customerClasses,
      active: patch.active, fee_cents: patch.feeCents === undefined ? undefined : String(patch.feeCents), fee_percent: patch.feePercent, fee_min_balance_cents: patch.feeMinBalanceCents === undefined ? undefined : String(patch.feeMinBalanceCents),
      updated_at: clock.now(), updated_by: actor.userId,
    });
    // The published delinquency schedule counts the late-fee and notice days the run does.
    if (patch.days !== undefined && before.anchor === 'due_date' && (before.action === 'late_fee' || before.action === 'disconnect_notice')) {
      await repo.updateSettingsRow(trx, before.action === 'late_fee' ? { late_fee_business_days: patch.days } : { notice_business_days: patch.days });
    }
    await recordChange(trx, actor, { action: 'update', entityType: 'collection_step', entityId: code, before: { ...toStep(before) }, after: { ...toStep(row!) }, reason });
    return toStep(row!);
  });
}

export interface CollectionAction {
  id: number;
  runDate: string;
  accountId: number;
  caseId: number | null;
  action: string;
  step: string | null;
  pastDueCents: number;
  feeCents: number;
  noticeId: number | null;
  orderIds: number[];
  protections: { kind: string; detail: string; until: string | null }[] | null;
  detail: string;
  createdAt: string;
}
const toAction = (a: repo.ActionRow): CollectionAction => ({
  id: Number(a.id), runDate: a.run_date, accountId: Number(a.account_id), caseId: a.case_id === null ? null : Number(a.case_id), action: a.action, step: a.step_code,
  pastDueCents: Number(a.past_due_cents), feeCents: Number(a.fee_cents), noticeId: a.notice_id === null ? null : Number(a.notice_id), orderIds: a.order_ids.map(Number),
  protections: (a.protections as CollectionAction['protections']) ?? null, detail: a.detail, createdAt: a.created_at.toISOString(),
});

export interface CollectionCase {
  id: number;
  accountId: number;
  openedOn: string;
  dueDate: string;
  status: 'open' | 'closed';
  step: string | null;
  stepOn: string | null;
  disconnectFrom: string | null;
  disconnectedOn: string | null;
  closedOn: string | null;
  closedReason: string | null;
}
const toCase = (c: repo.CaseRow): CollectionCase => ({
  id: Number(c.id), accountId: Number(c.account_id), openedOn: c.opened_on, dueDate: c.due_date, status: c.status, step: c.step_code, stepOn: c.step_on,
  disconnectFrom: c.disconnect_from, disconnectedOn: c.disconnected_on, closedOn: c.closed_on, closedReason: c.closed_reason,
});

export interface CollectionNotice { id: number; caseId: number; accountId: number; kind: string; runDate: string; delivery: string; amountCents: number; disconnectFrom: string | null }
const toNotice = (n: repo.NoticeRow): CollectionNotice => ({
  id: Number(n.id), caseId: Number(n.case_id), accountId: Number(n.account_id), kind: n.kind, runDate: n.run_date, delivery: n.delivery, amountCents: Number(n.amount_cents), disconnectFrom: n.disconnect_from,
});

export interface RunRecord { date: string; startedAt: string; finishedAt: string | null; result: CollectionsRunResult | null }

export async function runsList(db: Db, limit = 30): Promise<RunRecord[]> {
  return (await repo.listRuns(db, limit)).map((r) => ({ date: r.run_date, startedAt: r.started_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null, result: (r.result as CollectionsRunResult | null) ?? null }));
}

export async function runOfDate(db: Db, date: string): Promise<RunRecord & { actions: CollectionAction[]; notices: CollectionNotice[] }> {
  const r = await repo.runOf(db, date);
  if (!r) throw notFound('Collections run', date);
  return {
    date: r.run_date, startedAt: r.started_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null, result: (r.result as CollectionsRunResult | null) ?? null,
    actions: (await repo.actionsOfRun(db, date)).map(toAction), notices: (await repo.noticesOfRun(db, date)).map(toNotice),
  };
}

/** The print vendor's batch file of a date's notices. */
export async function printFileOf(db: Db, date: string): Promise<string> {
  const r = await repo.runOf(db, date);
  if (!r?.print_file) throw notFound('Collections print file', date);
  return r.print_file;
}

export async function noticePdfOf(db: Db, clock: Clock, meta: Meta, id: number): Promise<{ pdf: Buffer; notice: CollectionNotice }> {
  const n = await repo.noticeById(db, id);
  if (!n) throw notFound('Collection notice', id);
  return { pdf: await noticePdf(n.content as NoticeContent, { ...meta, generatedAt: clock.now() }), notice: toNotice(n) };
}

/** An account's collections panel: today's owing and holds, its cases, what was done, its notices. */
export async function accountCollections(db: Db, clock: Clock, accountId: number) {
  const today = clock.today();
  const account = await customers.getAccount(db, accountId);
  const [owing, holds, cases, actions, notices] = await Promise.all([
    owingOf(db, [accountId], today), holdsOf(db, [accountId], today), repo.casesOfAccount(db, accountId), repo.actionsOfAccount(db, accountId), repo.noticesOfAccount(db, accountId),
  ]);
  const o = owing.get(accountId)!;
  const h = holds.get(accountId) ?? [];
  const open = cases.find((c) => c.status === 'open') ?? null;
  const steps = (await repo.steps(db)).map(toStep);
  const next = open ? nextStep(pathFor(steps, account.customerClass), { dueDate: open.due_date, openedOn: open.opened_on, stepCode: open.step_code, stepOn: open.step_on, disconnectFrom: open.disconnect_from, disconnectedOn: open.disconnected_on }) : null;
  const exempt = h.reduce((n, x) => n + x.exemptCents, 0);
  return {
    accountId, today, balanceCents: o.balanceCents, pastDueCents: o.pastDueCents, collectableCents: Math.max(0, o.pastDueCents - exempt), oldestDue: o.oldestDue,
    holds: h, openCase: open ? toCase(open) : null, nextStep: next ? { code: next.step.code, label: next.step.label, on: next.on } : null,
    cases: cases.map(toCase), actions: actions.map(toAction), notices: notices.map(toNotice),
  };
}

/** The work queue: open cases, each with its next step, the day it is due, and what holds it. */
export async function workQueue(db: Db, clock: Clock, q: { after: number; limit: number; dueBy?: string }) {
  const today = clock.today();
  const dueBy = q.dueBy ?? today;
  const cases = await repo.listOpenCases(db, { after: q.after, limit: q.limit });
  const ids = cases.map((c) => Number(c.account_id));
  const [facts, owing, holds, steps] = await Promise.all([repo.accountFacts(db, ids, today), owingOf(db, ids, today), holdsOf(db, ids, today), repo.steps(db)]);
  const all = steps.map(toStep);
  return cases.map((c) => {
    const f = facts.get(Number(c.account_id));
    const next = f ? nextStep(pathFor(all, f.customerClass), { dueDate: c.due_date, openedOn: c.opened_on, stepCode: c.step_code, stepOn: c.step_on, disconnectFrom: c.disconnect_from, disconnectedOn: c.disconnected_on }) : null;
    const h = holds.get(Number(c.account_id)) ?? [];
    const o = owing.get(Number(c.account_id))!;
    return {
      case: toCase(c), accountNumber: f?.accountNumber ?? '', customerName: f?.customerName ?? '', customerClass: f?.customerClass ?? '',
      pastDueCents: o.pastDueCents, collectableCents: Math.max(0, o.pastDueCents - h.reduce((n, x) => n + x.exemptCents, 0)),
      nextStep: next ? { code: next.step.code, label: next.step.label, on: next.on, due: next.on <= dueBy } : null,
      holds: h.map((x) => ({ kind: x.kind, detail: x.detail, until: x.until, holds: x.holds })),
    };
  });
}

/**
 * A disconnect order for non-payment made by staff outside the run: refused unless a disconnect
 * notice was served and its day has come, and refused while any protection holds disconnection
 * (each named), as the run would.
 */
export async function orderDisconnect(db: Db, actor: Actor, clock: Clock, accountId: number, reason: string) {
  const today = clock.today();
  return transact(db, async (trx) => {
    await ledger.lockAccount(trx, accountId);
    const c = await repo.openCaseOf(trx, accountId);
    if (!c) throw new AppError('conflict', `Account ${accountId} has no open collections case: no disconnection for non-payment without a past-due amount and its notices`);
    const holds = (await holdsOf(trx, [accountId], today)).get(accountId) ?? [];
    const stopping = holds.filter((h) => h.holds.includes('disconnect'));
    if (stopping.length) throw new AppError('conflict', `Account ${accountId} is protected from disconnection: ${stopping.map((h) => h.detail).join('; ')}`, { protections: stopping.map((h) => h.kind) });
    if (!c.disconnect_from) throw new AppError('conflict', `Account ${accountId} has had no disconnect notice: the law asks a notice at least 8 business days before disconnection`);
    if (c.disconnect_from > today) throw new AppError('conflict', `Account ${accountId}'s disconnect notice allows disconnection on or after ${c.disconnect_from}, not ${today}`);
    if (c.disconnected_on) throw new AppError('conflict', `Account ${accountId} was disconnected on ${c.disconnected_on}`);
    const account = await customers.getAccount(trx, accountId);
    const path = pathFor((await repo.steps(trx)).map(toStep), account.customerClass);
    if (path.some((s) => s.action === 'final_notice')) {
      const [second] = await repo.noticesOfCase(trx, Number(c.id), 'final');
      if (!second) throw new AppError('conflict', `Account ${accountId} has had no second (48-hour) notice: the law asks one before disconnection`);
      if (second.disconnect_from && second.disconnect_from > today) throw new AppError('conflict', `Account ${accountId}'s 48-hour notice of ${second.run_date} allows disconnection on or after ${second.disconnect_from}, not ${today}`);
    }
    const owing = (await owingOf(trx, [accountId], today)).get(accountId)!;
    const collectable = Math.max(0, owing.pastDueCents - holds.reduce((n, h) => n + h.exemptCents, 0));
    const settings = await repo.settings(trx);
    if (collectable < Number(settings.minimum_past_due_cents)) throw new AppError('conflict', `Account ${accountId} has ${formatCents(collectable)} past due to collect, below the minimum ${formatCents(Number(settings.minimum_past_due_cents))}`);
    const facts = (await repo.accountFacts(trx, [accountId], today)).get(accountId)!;
    const orders: number[] = [];
    for (const p of facts.services.filter((s) => s.pointStatus === 'active')) {
      orders.push((await serviceOrders.createOrder(trx, actor, {
        type: 'disconnect', servicePointId: p.servicePointId, accountId, effectiveDate: today, scheduledFor: today, source: 'collections', reason: `Disconnect for non-payment: ${reason}`,
        idempotencyKey: `collections:case:${c.id}:disconnect:${today}:${p.servicePointId}`,
      })).id);
    }
    if (orders.length === 0) throw new AppError('conflict', `Account ${accountId} has no connected service point to disconnect`);
    const step = (await repo.steps(trx)).find((s) => s.action === 'disconnect_order');
    await repo.updateCase(trx, Number(c.id), { step_code: step?.code ?? c.step_code, step_on: today, updated_at: clock.now() });
    await repo.insertAction(trx, { run_date: today, account_id: accountId, case_id: Number(c.id), action: 'disconnect_order', step_code: null, past_due_cents: String(collectable), fee_cents: '0', ledger_entry_id: null, notice_id: null, order_ids: orders.map(String), protections: null, detail: `Ordered by staff: ${reason}`, created_at: clock.now(), created_by: actor.userId });
    await recordChange(trx, actor, { action: 'disconnect_order', entityType: 'collection_case', entityId: c.id, accountId, after: { orderIds: orders, pastDueCents: collectable }, reason });
    return { caseId: Number(c.id), orderIds: orders };
  });
}

/**
 * Reconnection asked by staff: allowed once the past-due amount is below the minimum, or while a
 * protection holds disconnection (an arrangement kept, a medical certificate, a heat alert:
 * reconnect on request). The reconnection fee is charged (and the after-hours fee outside
 * business hours); a supervisor may waive them.
 */
export async function requestReconnect(db: Db, actor: Actor, clock: Clock, accountId: number, input: { afterHours?: boolean; waiveFee?: boolean; reason: string }, timeZone: string) {
  if (input.waiveFee && actor.role !== 'supervisor' && actor.role !== 'admin') throw new AppError('forbidden', 'Only a supervisor may waive the reconnection fee');
  const today = clock.today();
  return transact(db, async (trx) => {
    await ledger.lockAccount(trx, accountId);
    const settings = await repo.settings(trx);
    const facts = (await repo.accountFacts(trx, [accountId], today)).get(accountId);
    if (!facts) throw notFound('Account', accountId);
    if (!facts.services.some((s) => s.pointStatus === 'disconnected')) throw new AppError('conflict', `Account ${facts.accountNumber} has no disconnected service to reconnect`);
    const holds = (await holdsOf(trx, [accountId], today)).get(accountId) ?? [];
    const owing = (await owingOf(trx, [accountId], today)).get(accountId)!;
    const collectable = Math.max(0, owing.pastDueCents - holds.reduce((n, h) => n + h.exemptCents, 0));
    const protecting = holds.filter((h) => h.holds.includes('disconnect'));
    if (collectable >= Number(settings.minimum_past_due_cents) && protecting.length === 0) {
      throw new AppError('conflict', `Account ${facts.accountNumber} still has ${formatCents(collectable)} past due and nothing protects it: reconnection follows payment, an arrangement, or a protection`);
    }
    const local = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(clock.now());
    const computed = isAfterHours(today, local, settings.business_hours_from, settings.business_hours_to);
    if (computed && input.afterHours === false && actor.role !== 'supervisor' && actor.role !== 'admin') throw new AppError('forbidden', `It is after hours (${local}): only a supervisor may reconnect without the after-hours fee`);
    const afterHoursNow = input.afterHours ?? computed;
    const c = await repo.openCaseOf(trx, accountId);
    const why = collectable < Number(settings.minimum_past_due_cents) ? 'past-due amount paid' : `protected: ${protecting.map((h) => h.detail).join('; ')}`;
    const r = await reconnectService(trx, actor, clock, { accountId, caseId: c ? Number(c.id) : null, date: today, afterHours: afterHoursNow, waiveFee: input.waiveFee ?? false, reason: `${input.reason} (${why})`, settings });
    await repo.insertAction(trx, { run_date: today, account_id: accountId, case_id: c ? Number(c.id) : null, action: 'reconnect_order', step_code: null, past_due_cents: String(collectable), fee_cents: String(r.feeCents), ledger_entry_id: r.feeEntryIds[0] ?? null, notice_id: null, order_ids: r.orderIds.map(String), protections: protecting.length ? JSON.stringify(protecting.map((h) => ({ kind: h.kind, detail: h.detail, until: h.until }))) : null, detail: `Reconnect asked by staff: ${input.reason} (${why})`, created_at: clock.now(), created_by: actor.userId });
    return { ...r, afterHours: afterHoursNow };
  });
}

/**
 * Whether a collections disconnect order may be worked on a day: not while a protection holds
 * disconnection, nor once the collectable past-due amount is below the minimum (paid since the
 * order was made). Service orders ask it before completing such an order.
 */
export async function disconnectRefusal(db: Db, accountId: number, date: string): Promise<string | null> {
  const holds = (await holdsOf(db, [accountId], date)).get(accountId) ?? [];
  const stopping = holds.filter((h) => h.holds.includes('disconnect'));
  if (stopping.length) return `account ${accountId} is protected from disconnection on ${date}: ${stopping.map((h) => h.detail).join('; ')}`;
  const owing = (await owingOf(db, [accountId], date)).get(accountId)!;
  const collectable = Math.max(0, owing.pastDueCents - holds.reduce((n, h) => n + h.exemptCents, 0));
  const minimum = Number((await repo.settings(db)).minimum_past_due_cents);
  if (collectable < minimum) return `account ${accountId} has ${formatCents(collectable)} past due to collect, below the minimum ${formatCents(minimum)}`;
  return null;
}
