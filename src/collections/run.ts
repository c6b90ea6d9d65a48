/**
 * The daily collections run (C13): for every account with live service that owes money, and every
 * open case, on a date:
 *   1. late fees on bills past their late-fee date (once per bill, keyed on the ledger);
 *   2. a case opened when the collectable past-due amount (past due, less any amount in dispute
 *      and any pre-petition debt under a bankruptcy stay) reaches the minimum, closed when it falls
 *      below it (open disconnect orders cancelled, service reconnected with the fee);
 *   3. the case's next step on the configured path, when its day has come: a notice (PDF and the
 *      print batch), a 48-hour notice with its field fee, a disconnect order per service point, a
 *      final bill after the set time disconnected. Before every notice and every disconnect the
 *      account's holds are checked (holds.ts); a held step is recorded with the protections that
 *      held it, and an open disconnect order is cancelled when a protection comes into force.
 * A date runs once: a second run of a finished date does nothing and says so; a run stopped part
 * way is finished by running the date again (each account's work is one transaction, and every
 * step, fee and order is keyed, so nothing is done twice).
 */
import { recordChange } from '../audit/index.ts';
import { billing } from '../billing/index.ts';
import { ledger } from '../ledger/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import { addDays } from '../platform/dates.ts';
import { formatCents as centsText } from '../platform/money.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { premises } from '../premise/index.ts';
import { reviewArrangements } from '../protection/index.ts';
import { serviceOrders } from '../service-order/index.ts';
import { holdsOf, type Held, type Hold } from './holds.ts';
import { noticeContent, printBatch, type NoticeContent, type NoticeKind } from './notices.ts';
import * as repo from './repository.ts';
import { WASHINGTON_MEDICAL, disconnectFrom, feeCents, nextStep, pathFor, type CaseState, type Step } from './rules.ts';
import { addBusinessDays } from '../billing/schedule.ts';

/** How far back a bill's late-fee date may lie for the run to charge it (a run missed for a few days catches up; old debts are not fee'd anew). */
const LATE_FEE_LOOKBACK_DAYS = 30;
const CHUNK = 500;

export type Meta = Pick<Config, 'utilityName' | 'utilityAddress' | 'utilityPhone' | 'timeZone'>;

export interface RunAction {
  accountId: number;
  accountNumber: string;
  action: repo.ActionKind;
  step: string | null;
  detail: string;
  pastDueCents: number;
  feeCents: number;
  noticeId: number | null;
  orderIds: number[];
}
export interface SkippedProtected {
  accountId: number;
  accountNumber: string;
  step: string;
  protections: { kind: string; detail: string; until: string | null }[];
}
export interface CollectionsRunResult {
  date: string;
  /** True when the date had run before: nothing was done. */
  alreadyRun: boolean;
  accountsReviewed: number;
  actions: RunAction[];
  skippedProtected: SkippedProtected[];
  errors: { accountId: number; message: string }[];
  notices: number;
  disconnectOrders: number;
  reconnectOrders: number;
  feesCents: number;
}

export const toStep = (r: repo.StepRow): Step => ({
  code: r.code, position: r.position, action: r.action, label: r.label, anchor: r.anchor, days: r.days, dayKind: r.day_kind,
  minPastDueCents: Number(r.min_past_due_cents), customerClasses: r.customer_classes, active: r.active,
  fee: r.fee_kind === 'flat' ? { kind: 'flat', cents: Number(r.fee_cents), minBalanceCents: Number(r.fee_min_balance_cents), reasonCode: r.fee_reason_code! }
    : r.fee_kind === 'percent' ? { kind: 'percent', percent: String(r.fee_percent), minBalanceCents: Number(r.fee_min_balance_cents), reasonCode: r.fee_reason_code! } : null,
});

const caseState = (c: repo.CaseRow): CaseState => ({ dueDate: c.due_date, openedOn: c.opened_on, stepCode: c.step_code, stepOn: c.step_on, disconnectFrom: c.disconnect_from, disconnectedOn: c.disconnected_on });

/** What an account owes on a day: its balance, its past-due amount and the bills behind it. */
export interface Owing {
  balanceCents: number;
  pastDueCents: number;
  /** The oldest past-due charge's due date. */
  oldestDue: string | null;
  /** Past-due bills' unpaid cents (for late fees). */
  bills: { billId: number; dueDate: string; unpaidCents: number }[];
}

export async function owingOf(db: Db, accountIds: number[], date: string): Promise<Map<number, Owing>> {
  const groups = await ledger.owedByService(db, accountIds);
  const charges = groups.flatMap((g) => g.charges.map((c) => ({ accountId: g.accountId, entryId: c.entryId, date: c.date, cents: c.unpaidCents, kind: c.kind })));
  const due = await repo.dueDatesOf(db, charges);
  const out = new Map<number, Owing>();
  for (const id of accountIds) out.set(id, { balanceCents: 0, pastDueCents: 0, oldestDue: null, bills: [] });
  for (const g of groups) out.get(g.accountId)!.balanceCents += g.balanceCents;
  for (const c of charges) {
    const d = due.get(c.entryId);
    if (!d?.dueDate || d.dueDate >= date) continue;
    const o = out.get(c.accountId)!;
    o.pastDueCents += c.cents;
    if (!o.oldestDue || d.dueDate < o.oldestDue) o.oldestDue = d.dueDate;
    if (d.billId !== null && c.kind === 'bill') {
      const b = o.bills.find((x) => x.billId === d.billId);
      if (b) b.unpaidCents += c.cents;
      else o.bills.push({ billId: d.billId, dueDate: d.dueDate, unpaidCents: c.cents });
    }
  }
  for (const o of out.values()) if (o.pastDueCents > o.balanceCents) o.pastDueCents = Math.max(0, o.balanceCents);
  return out;
}

const holding = (holds: Hold[], what: Held) => holds.filter((h) => h.holds.includes(what));
const heldBy = (holds: Hold[]) => holds.map((h) => ({ kind: h.kind, detail: h.detail, until: h.until }));

/** The daily run for a date (default today). */
export async function runCollections(db: Db, actor: Actor, clock: Clock, meta: Meta, date: string = clock.today()): Promise<CollectionsRunResult> {
  const empty = (alreadyRun: boolean): CollectionsRunResult => ({ date, alreadyRun, accountsReviewed: 0, actions: [], skippedProtected: [], errors: [], notices: 0, disconnectOrders: 0, reconnectOrders: 0, feesCents: 0 });
  if (date > clock.today()) throw new AppError('validation', `The collections run for ${date} cannot run before that day (today is ${clock.today()})`);
  const existing = await repo.runOf(db, date);
  if (existing?.finished_at) return empty(true);
  const started = await repo.insertRun(db, { run_date: date, started_at: clock.now(), finished_at: null, started_by: actor.userId, result: null, print_file: null });
  // A run of the date that stopped (no sign of life for 10 minutes) is finished by this one; one still going is not joined.
  if (!started && !(await repo.claimStoppedRun(db, date, new Date(clock.now().getTime() - 600_000), clock.now(), actor.userId))) {
    throw new AppError('conflict', `The collections run for ${date} is under way (started ${existing?.started_at.toISOString() ?? 'just now'}); run it again once it has finished or stopped`);
  }

  // Arrangements first: one missed today puts its account back on the path in this same run.
  await reviewArrangements(db, actor, clock, date);
  const settings = await repo.settings(db);
  const steps = (await repo.steps(db)).map(toStep);
  const result = empty(false);
  const catchUp = date < clock.today();
  const ids = await repo.candidates(db, date);
  for (let i = 0; i < ids.length; i += CHUNK) {
    await repo.touchRun(db, date, clock.now());
    const chunk = ids.slice(i, i + CHUNK);
    // The protections of the chunk are read once (the completion guard checks them again before any disconnection is worked).
    const chunkHolds = await holdsOf(db, chunk, date);
    for (const accountId of chunk) {
      result.accountsReviewed++;
      // What the account owes and its case are read with the account locked, so a payment recorded a
      // moment ago is seen; what was done is reported only once committed.
      const done: Pick<CollectionsRunResult, 'actions' | 'skippedProtected'> = { actions: [], skippedProtected: [] };
      try {
        await transact(db, async (trx) => {
          await ledger.lockAccount(trx, accountId);
          const f = (await repo.accountFacts(trx, [accountId], date)).get(accountId);
          if (!f) return;
          const [owing, openCase] = await Promise.all([owingOf(trx, [accountId], date), repo.openCaseOf(trx, accountId)]);
          await reviewAccount(trx, actor, clock, meta, { date, catchUp, settings, steps, facts: f, owing: owing.get(accountId)!, holds: chunkHolds.get(accountId) ?? [], openCase: openCase ?? null, result: done });
        });
        result.actions.push(...done.actions);
        result.skippedProtected.push(...done.skippedProtected);
      } catch (e) {
        result.errors.push({ accountId, message: e instanceof AppError ? e.message : `Unexpected error: ${(e as Error).message}` });
      }
    }
  }
  // The counts cover the whole date, a stopped run's part included.
  const all = await repo.actionsOfRun(db, date);
  result.notices = all.filter((a) => a.notice_id !== null).length;
  result.disconnectOrders = all.filter((a) => a.action === 'disconnect_order').reduce((n, a) => n + a.order_ids.length, 0);
  result.reconnectOrders = all.filter((a) => a.action === 'reconnect_order').reduce((n, a) => n + a.order_ids.length, 0);
  result.feesCents = all.reduce((n, a) => n + Number(a.fee_cents), 0);
  // The print batch holds every notice of the date (those of a stopped run too).
  const notices = await repo.noticesOfRun(db, date);
  const file = printBatch(notices.map((n) => ({ id: Number(n.id), kind: n.kind, delivery: n.delivery, content: n.content as NoticeContent })));
  await transact(db, async (trx) => {
    await repo.finishRun(trx, date, { finished_at: clock.now(), result, print_file: file });
    await recordChange(trx, actor, { action: 'run', entityType: 'collections_run', entityId: date, after: { accountsReviewed: result.accountsReviewed, actions: result.actions.length, skippedProtected: result.skippedProtected.length, notices: result.notices, disconnectOrders: result.disconnectOrders, errors: result.errors.length }, reason: `Collections run for ${date}` });
  });
  return result;
}

interface Review {
  date: string;
  /** A date before today: fees and cases only; notices, orders and final bills wait for today's run (a notice's dates count from the day it is sent). */
  catchUp: boolean;
  settings: repo.SettingsRow;
  steps: Step[];
  facts: repo.AccountFacts;
  owing: Owing;
  holds: Hold[];
  openCase: repo.CaseRow | null;
  result: Pick<CollectionsRunResult, 'actions' | 'skippedProtected'>;
}

async function reviewAccount(trx: Db, actor: Actor, clock: Clock, meta: Meta, r: Review): Promise<void> {
  const { date, facts: f, owing: o, holds, result } = r;
  const act = async (a: Omit<RunAction, 'accountId' | 'accountNumber'> & { caseId: number | null; ledgerEntryId?: number | null; protections?: unknown }) => {
    const row = await repo.insertAction(trx, {
      run_date: date, account_id: f.accountId, case_id: a.caseId, action: a.action, step_code: a.step, past_due_cents: String(a.pastDueCents), fee_cents: String(a.feeCents),
      ledger_entry_id: a.ledgerEntryId ?? null, notice_id: a.noticeId, order_ids: a.orderIds.map(String), protections: a.protections === undefined ? null : JSON.stringify(a.protections),
      detail: a.detail, created_at: clock.now(), created_by: actor.userId,
    });
    if (a.action === 'skipped') result.skippedProtected.push({ accountId: f.accountId, accountNumber: f.accountNumber, step: a.step ?? '', protections: a.protections as SkippedProtected['protections'] });
    else result.actions.push({ accountId: f.accountId, accountNumber: f.accountNumber, action: a.action, step: a.step, detail: a.detail, pastDueCents: a.pastDueCents, feeCents: a.feeCents, noticeId: a.noticeId, orderIds: a.orderIds });
    return row;
  };

  // What a dispute or a bankruptcy stay holds back is not collected (nor fee'd), oldest bills
  // first; and no bill is fee'd on more than the account's collectable past-due amount (a credit
  // elsewhere on the account, earlier fees).
  const exempt = holds.reduce((n, h) => n + h.exemptCents, 0);
  let exemptLeft = exempt;
  let feeableLeft = Math.max(0, o.pastDueCents - exempt);
  const feeable = [...o.bills].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0)).map((b) => {
    const off = Math.min(exemptLeft, b.unpaidCents);
    exemptLeft -= off;
    const base = Math.min(b.unpaidCents - off, feeableLeft);
    feeableLeft -= base;
    return { ...b, unpaidCents: base };
  });

  // 1. Late fees, per bill past its late-fee date.
  const lateFee = r.steps.find((s) => s.action === 'late_fee' && s.active && (s.customerClasses === null || s.customerClasses.includes(f.customerClass)));
  if (lateFee?.fee && f.services.length > 0 && holding(holds, 'late_fee').length === 0) {
    for (const b of feeable) {
      const feeDay = addBusinessDays(b.dueDate, lateFee.days);
      if (feeDay > date || feeDay <= addDays(date, -LATE_FEE_LOOKBACK_DAYS)) continue;
      const cents = feeCents(lateFee.fee, b.unpaidCents);
      if (cents <= 0) continue;
      const key = `collections:late-fee:bill:${b.billId}`;
      if (await ledger.entryByKey(trx, key)) continue;
      const entry = await ledger.postSystemEntry(trx, actor, clock, { accountId: f.accountId, kind: 'fee', amountCents: cents, reasonCode: lateFee.fee.reasonCode, reason: `Late fee on bill ${b.billId} (due ${b.dueDate}, ${centsText(b.unpaidCents)} unpaid)`, entryDate: date, key });
      await act({ caseId: r.openCase ? Number(r.openCase.id) : null, action: 'late_fee', step: null, detail: `Late fee on bill ${b.billId}, due ${b.dueDate}`, pastDueCents: b.unpaidCents, feeCents: cents, noticeId: null, orderIds: [], ledgerEntryId: entry.id });
      await recordChange(trx, actor, { action: 'late_fee', entityType: 'ledger_entry', entityId: entry.id, accountId: f.accountId, after: { billId: b.billId, cents }, reason: `Collections run ${date}` });
    }
  }

  // 2. What may be collected: past due, less what a dispute or a bankruptcy stay holds back.
  const collectable = Math.max(0, o.pastDueCents - exempt);
  const minimum = Number(r.settings.minimum_past_due_cents);
  let c = r.openCase;
  const caseAudit = (id: number | string, action: string, after: Record<string, unknown>) =>
    recordChange(trx, actor, { action, entityType: 'collection_case', entityId: id, accountId: f.accountId, after, reason: `Collections run ${date}` });
  const path = pathFor(r.steps, f.customerClass);
  /** The step before the disconnect order on this account's path (a case goes back to it when service is back on or an order is cancelled). */
  const beforeDisconnect = () => {
    const i = path.findIndex((s) => s.action === 'disconnect_order');
    return i > 0 ? path[i - 1]! : null;
  };

  if (c) {
    // Disconnected means every live service point is off; one back on (reconnected) puts the case back before the disconnect order.
    const allOff = f.services.length > 0 && f.services.every((s) => s.pointStatus === 'disconnected');
    if (!c.disconnected_on && allOff) {
      const on = await disconnectedOn(trx, Number(c.id));
      if (on) {
        c = await repo.updateCase(trx, Number(c.id), { disconnected_on: on, updated_at: clock.now() });
        await caseAudit(c.id, 'disconnected', { disconnectedOn: on });
      }
    } else if (c.disconnected_on && !allOff) {
      const back = beforeDisconnect();
      c = await repo.updateCase(trx, Number(c.id), { disconnected_on: null, step_code: back?.code ?? null, updated_at: clock.now() });
      await caseAudit(c.id, 'reconnected', { step: back?.code ?? null });
    }
  }

  if (c && f.services.length === 0) {
    await closeCase(trx, actor, clock, c, date, 'Service ended: the account is final', act, collectable);
    return;
  }
  if (c && collectable < minimum) {
    await closeCase(trx, actor, clock, c, date, collectable === 0 ? 'Past-due amount paid' : `Past-due amount ${centsText(collectable)} is below the minimum ${centsText(minimum)}`, act, collectable, r.settings);
    return;
  }
  if (!c) {
    if (f.services.length === 0 || !o.oldestDue) return;
    if (collectable < minimum) {
      // Past due enough, but what is past due is in dispute or under a bankruptcy stay: say so.
      const amountHolds = holds.filter((h) => h.exemptCents > 0);
      if (o.pastDueCents >= minimum && amountHolds.length > 0) {
        await act({ caseId: null, action: 'skipped', step: 'case', detail: `${centsText(o.pastDueCents)} past due, ${centsText(collectable)} collectable: ${amountHolds.map((h) => h.detail).join('; ')}`, pastDueCents: o.pastDueCents, feeCents: 0, noticeId: null, orderIds: [], protections: heldBy(amountHolds) });
      }
      return;
    }
    c = await repo.insertCase(trx, { account_id: f.accountId, opened_on: date, due_date: o.oldestDue, status: 'open', step_code: null, step_on: null, disconnect_from: null, disconnected_on: null, closed_on: null, closed_reason: null, created_at: clock.now(), updated_at: clock.now() });
    await act({ caseId: Number(c.id), action: 'case_opened', step: null, detail: `${centsText(collectable)} past due since ${o.oldestDue}`, pastDueCents: collectable, feeCents: 0, noticeId: null, orderIds: [] });
    await caseAudit(c.id, 'open', { dueDate: o.oldestDue, pastDueCents: collectable });
  }
  const caseId = Number(c.id);

  // An open disconnect order is cancelled when a protection comes into force (checked before every disconnect).
  const disconnectHolds = holding(holds, 'disconnect');
  if (!c.disconnected_on && disconnectHolds.length > 0) {
    const pending = await openDisconnectOrders(trx, caseId);
    if (pending.length > 0) {
      for (const o2 of pending) await serviceOrders.cancelOrder(trx, actor, o2, `Protected from disconnection: ${disconnectHolds.map((h) => h.detail).join('; ')}`);
      const back = beforeDisconnect();
      c = await repo.updateCase(trx, caseId, { step_code: back?.code ?? null, updated_at: clock.now() });
      await act({ caseId, action: 'order_cancelled', step: null, detail: `Disconnect order(s) ${pending.join(', ')} cancelled: ${disconnectHolds.map((h) => h.kind).join(', ')}`, pastDueCents: collectable, feeCents: 0, noticeId: null, orderIds: pending, protections: heldBy(disconnectHolds) });
      await caseAudit(caseId, 'order_cancelled', { orderIds: pending, step: back?.code ?? null, holds: disconnectHolds.map((h) => h.kind) });
    }
  }

  // 3. The next step, if its day has come (notices, orders and final bills on the day itself, never back-dated).
  if (r.catchUp) return;
  const next = nextStep(path, caseState(c));
  if (!next || next.on > date) return;
  const { step } = next;
  if (collectable < step.minPastDueCents) return;
  // Notices are held by what holds notices; the 48-hour notice, the order and the final bill by what holds disconnection too.
  const what: Held[] = step.action === 'past_due_notice' || step.action === 'disconnect_notice' ? ['notice'] : step.action === 'final_notice' ? ['notice', 'disconnect'] : ['disconnect'];
  const stopping = holds.filter((h) => what.some((w) => h.holds.includes(w)));
  if (stopping.length > 0) {
    await act({ caseId, action: 'skipped', step: step.code, detail: `${step.label} held: ${stopping.map((h) => h.detail).join('; ')}`, pastDueCents: collectable, feeCents: 0, noticeId: null, orderIds: [], protections: heldBy(stopping) });
    return;
  }
  if (step.action === 'final_bill' && !f.services.every((s) => s.pointStatus === 'disconnected')) return;
  await takeStep(trx, actor, clock, meta, r, c, step, collectable, exempt, act);
}

type Act = (a: Omit<RunAction, 'accountId' | 'accountNumber'> & { caseId: number | null; ledgerEntryId?: number | null; protections?: unknown }) => Promise<unknown>;

async function takeStep(trx: Db, actor: Actor, clock: Clock, meta: Meta, r: Review, c: repo.CaseRow, step: Step, collectable: number, exempt: number, act: Act) {
  const { date, facts: f } = r;
  const caseId = Number(c.id);
  const audit = (after: Record<string, unknown>) => recordChange(trx, actor, { action: step.action, entityType: 'collection_case', entityId: caseId, accountId: f.accountId, after: { step: step.code, ...after }, reason: `Collections run ${date}` });
  if (step.action === 'past_due_notice' || step.action === 'disconnect_notice' || step.action === 'final_notice') {
    const kind: NoticeKind = step.action === 'past_due_notice' ? 'past_due' : step.action === 'disconnect_notice' ? 'disconnect' : 'final';
    const outOfState = f.address.state.toUpperCase() !== r.settings.home_state.toUpperCase();
    // A mailed disconnect notice: 8 business days (11 out of state); the 48-hour notice left at the door: two business days, never before the mailed notice's day.
    const from = kind === 'disconnect' ? disconnectFrom(date, outOfState, { lateFeeBusinessDays: r.settings.late_fee_business_days, noticeBusinessDays: r.settings.notice_business_days, mailedNoticeBusinessDays: r.settings.mailed_notice_business_days, outOfStateNoticeBusinessDays: r.settings.out_of_state_notice_business_days })
      : kind === 'final' ? laterOf(c.disconnect_from, addBusinessDays(date, 2)) : null;
    const content = noticeContent({
      kind, date, accountNumber: f.accountNumber, customerName: f.customerName, address: f.address, pastDueCents: collectable, balanceCents: Math.max(0, r.owing.balanceCents - exempt), disconnectFrom: from,
      utility: { name: meta.utilityName, phone: meta.utilityPhone, address: meta.utilityAddress }, assistanceText: r.settings.assistance_text,
      medical: { noticeBusinessDays: WASHINGTON_MEDICAL.noticeBusinessDays, certificateDays: WASHINGTON_MEDICAL.certificateDays, paymentPercent: WASHINGTON_MEDICAL.paidPercent },
    });
    const notice = await repo.insertNotice(trx, { case_id: caseId, account_id: f.accountId, kind, run_date: date, delivery: kind === 'final' ? 'door_hanger' : 'mail', amount_cents: String(collectable), disconnect_from: from, content: JSON.stringify(content), created_at: clock.now() });
    let fee = 0;
    let entryId: number | null = null;
    if (step.fee) {
      fee = feeCents(step.fee, collectable);
      if (fee > 0) entryId = (await ledger.postSystemEntry(trx, actor, clock, { accountId: f.accountId, kind: 'fee', amountCents: fee, reasonCode: step.fee.reasonCode, reason: `${step.label} (case ${caseId})`, entryDate: date, key: `collections:case:${caseId}:${step.code}:${date}` })).id;
    }
    await repo.updateCase(trx, caseId, { step_code: step.code, step_on: date, ...(kind === 'disconnect' || kind === 'final' ? { disconnect_from: from } : {}), updated_at: clock.now() });
    await act({ caseId, action: step.action, step: step.code, detail: from ? `${step.label}: disconnection on or after ${from}` : step.label, pastDueCents: collectable, feeCents: fee, noticeId: Number(notice.id), orderIds: [], ledgerEntryId: entryId });
    await audit({ noticeId: Number(notice.id), pastDueCents: collectable, disconnectFrom: from, feeCents: fee });
    return;
  }
  if (step.action === 'disconnect_order') {
    const points = f.services.filter((s) => s.pointStatus === 'active');
    const orders: number[] = [];
    for (const p of points) {
      const order = await serviceOrders.createOrder(trx, actor, {
        type: 'disconnect', servicePointId: p.servicePointId, accountId: f.accountId, effectiveDate: date, scheduledFor: date, source: 'collections',
        reason: `Disconnect for non-payment: ${centsText(collectable)} past due (collections case ${caseId})`, instructions: 'Collect payment in full at the door if offered; do not disconnect on a heat-alert day or if a medical certificate is shown.',
        idempotencyKey: `collections:case:${caseId}:disconnect:${date}:${p.servicePointId}`,
      });
      orders.push(order.id);
    }
    await repo.updateCase(trx, caseId, { step_code: step.code, step_on: date, updated_at: clock.now() });
    await act({ caseId, action: 'disconnect_order', step: step.code, detail: orders.length ? `Disconnect order(s) for ${points.map((p) => p.service).join(', ')}` : 'No connected service point to disconnect', pastDueCents: collectable, feeCents: 0, noticeId: null, orderIds: orders });
    await audit({ orderIds: orders, pastDueCents: collectable });
    return;
  }
  if (step.action === 'final_bill') {
    const billIds: number[] = [];
    const ended: string[] = [];
    for (const s of f.services) {
      // Service ends the day it was disconnected, or the day it is billed to if a cycle bill came since.
      const billed = await repo.billedTo(trx, s.agreementId);
      const endDate = laterOf(billed, c.disconnected_on ?? date);
      await premises.endAgreement(trx, actor, s.agreementId, { endDate, endReason: 'closed' }, `Closed for non-payment after disconnection on ${c.disconnected_on} (collections case ${caseId})`);
      ended.push(`${s.service} to ${endDate}`);
      if (!billed || billed < endDate) billIds.push((await billing.finalBill(trx, actor, clock, meta.timeZone, s.agreementId)).id);
    }
    await repo.updateCase(trx, caseId, { step_code: step.code, step_on: date, status: 'closed', closed_on: date, closed_reason: 'Final billed after time disconnected', updated_at: clock.now() });
    await act({ caseId, action: 'final_bill', step: step.code, detail: `Service closed (${ended.join(', ')})${billIds.length ? `; final bill(s) ${billIds.join(', ')}` : '; billed to its end already'}`, pastDueCents: collectable, feeCents: 0, noticeId: null, orderIds: [] });
    await audit({ billIds, ended });
  }
}

const laterOf = (a: string | null, b: string) => (a && a > b ? a : b);

/** The case's disconnect orders still open (made, scheduled or held). */
async function openDisconnectOrders(trx: Db, caseId: number): Promise<number[]> {
  const ids = (await repo.actionsOfCase(trx, caseId)).filter((a) => a.action === 'disconnect_order').flatMap((a) => a.order_ids.map(Number));
  const out: number[] = [];
  for (const id of ids) {
    const o = await serviceOrders.getOrder(trx, id);
    if (o.status === 'created' || o.status === 'scheduled' || o.status === 'held') out.push(id);
  }
  return out;
}

/** The day the case's disconnect orders took service off (the latest completed one's service day), if any was completed. */
async function disconnectedOn(trx: Db, caseId: number): Promise<string | null> {
  const ids = (await repo.actionsOfCase(trx, caseId)).filter((a) => a.action === 'disconnect_order').flatMap((a) => a.order_ids.map(Number));
  const completed: string[] = [];
  for (const id of ids) {
    const o = await serviceOrders.getOrder(trx, id);
    if (o.status === 'completed' && o.type === 'disconnect') completed.push(o.effectiveDate);
  }
  return completed.sort().pop() ?? null;
}

/**
 * Closes a case: its open disconnect orders are cancelled, and service that was disconnected is
 * reconnected (orders made, urgent, for today: within 24 hours) with the reconnection fee.
 */
async function closeCase(trx: Db, actor: Actor, clock: Clock, c: repo.CaseRow, date: string, why: string, act: Act, collectable: number, settings?: repo.SettingsRow) {
  const caseId = Number(c.id);
  const pending = await openDisconnectOrders(trx, caseId);
  for (const id of pending) await serviceOrders.cancelOrder(trx, actor, id, `Collections case ${caseId} closed: ${why}`);
  if (pending.length) await act({ caseId, action: 'order_cancelled', step: null, detail: `Disconnect order(s) ${pending.join(', ')} cancelled: ${why}`, pastDueCents: collectable, feeCents: 0, noticeId: null, orderIds: pending });
  await repo.updateCase(trx, caseId, { status: 'closed', closed_on: date, closed_reason: why, updated_at: clock.now() });
  await act({ caseId, action: 'case_closed', step: null, detail: why, pastDueCents: collectable, feeCents: 0, noticeId: null, orderIds: [] });
  await recordChange(trx, actor, { action: 'close', entityType: 'collection_case', entityId: caseId, accountId: Number(c.account_id), after: { status: 'closed', why }, reason: `Collections run ${date}` });
  if (c.disconnected_on && settings) {
    const r = await reconnectService(trx, actor, clock, { accountId: Number(c.account_id), caseId, date, afterHours: false, waiveFee: false, reason: why, settings });
    if (r.orderIds.length) await act({ caseId, action: 'reconnect_order', step: null, detail: `Reconnect order(s) ${r.orderIds.join(', ')}: ${why}`, pastDueCents: collectable, feeCents: r.feeCents, noticeId: null, orderIds: r.orderIds, ledgerEntryId: r.feeEntryIds[0] ?? null });
  }
}

/**
 * Reconnects an account's disconnected service points: an urgent reconnect order each, for the
 * day (the rule is within 24 hours once conditions are met), and the reconnection fee (and the
 * after-hours fee when asked outside business hours), once per case.
 */
export async function reconnectService(trx: Db, actor: Actor, clock: Clock, input: { accountId: number; caseId: number | null; date: string; afterHours: boolean; waiveFee: boolean; reason: string; settings: repo.SettingsRow }): Promise<{ orderIds: number[]; feeCents: number; feeEntryIds: number[] }> {
  const facts = (await repo.accountFacts(trx, [input.accountId], input.date)).get(input.accountId);
  const points = facts?.services.filter((s) => s.pointStatus === 'disconnected') ?? [];
  const tag = input.caseId ? `case:${input.caseId}` : `account:${input.accountId}:${input.date}`;
  const orderIds: number[] = [];
  for (const p of points) {
    const order = await serviceOrders.createOrder(trx, actor, {
      type: 'reconnect', servicePointId: p.servicePointId, accountId: input.accountId, effectiveDate: input.date, scheduledFor: input.date, priority: 'urgent', source: 'collections',
      reason: `Reconnect: ${input.reason}`, idempotencyKey: `collections:${tag}:reconnect:${p.servicePointId}`,
    });
    orderIds.push(order.id);
  }
  const feeEntryIds: number[] = [];
  let feeCents = 0;
  if (orderIds.length > 0 && !input.waiveFee) {
    const fees: [string, number][] = [['RECONNECT_FEE', Number(input.settings.reconnect_fee_cents)]];
    if (input.afterHours) fees.push(['RECONNECT_AFTER_HOURS_FEE', Number(input.settings.after_hours_fee_cents)]);
    for (const [code, cents] of fees) {
      if (cents <= 0) continue;
      const e = await ledger.postSystemEntry(trx, actor, clock, { accountId: input.accountId, kind: 'fee', amountCents: cents, reasonCode: code, reason: `${code === 'RECONNECT_FEE' ? 'Reconnection' : 'After-hours reconnection'} (${input.reason})`, entryDate: input.date, key: `collections:${tag}:${code}` });
      feeEntryIds.push(e.id);
      feeCents += cents;
    }
  }
  if (orderIds.length) await recordChange(trx, actor, { action: 'reconnect', entityType: 'account', entityId: input.accountId, accountId: input.accountId, after: { orderIds, feeCents, afterHours: input.afterHours, waived: input.waiveFee }, reason: input.reason });
  return { orderIds, feeCents, feeEntryIds };
}
