/**
 * Billing outside the run: the yearly schedule, bills and their exceptions queue (approve,
 * recalculate, keep holding), cancel and rebill, and a final bill on demand.
 */
import { recordChange } from '../audit/index.ts';
import { budget } from '../budget/index.ts';
import { collections } from '../collections/index.ts';
import { ledger } from '../ledger/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { addDays } from '../platform/dates.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { customers } from '../customer/index.ts';
import { premises } from '../premise/index.ts';
import type { BillLine } from '../tariff/index.ts';
import { tariffs } from '../tariff/index.ts';
import { unpackLines } from './lines.ts';
import * as repo from './repository.ts';
import { periodsOf, rateChunk, settingsByClass, storeBills, type BillingContext } from './run.ts';
import { generateSchedule, nextBusinessDay, validateSchedule, type ScheduleEntry } from './schedule.ts';

// ---- schedule ----

export interface ScheduleItem {
  id: number;
  year: number;
  cycle: number;
  month: number;
  readDate: string;
  billDate: string;
  dueDate: string;
  /** The run of this entry, if it was run: its dates can no longer change. */
  runId: number | null;
  runStatus: 'running' | 'completed' | null;
}

export async function scheduleOfYear(db: Db, year: number): Promise<ScheduleItem[]> {
  const [rows, runs] = await Promise.all([repo.scheduleOfYear(db, year), repo.runsOfYear(db, year)]);
  const runOf = new Map(runs.map((r) => [r.schedule_id, r]));
  return rows.map((r) => ({ id: r.id, year: r.year, cycle: r.cycle, month: r.month, readDate: r.read_date, billDate: r.bill_date, dueDate: r.due_date, runId: runOf.get(r.id)?.id ?? null, runStatus: runOf.get(r.id)?.status ?? null }));
}

/**
 * Generates (or regenerates) a year's schedule. Entries already run keep their dates; the rest
 * are replaced by the generated ones.
 */
export async function generateYear(db: Db, actor: Actor, clock: Clock, input: { year: number; cycles?: number }, reason: string): Promise<{ entries: ScheduleItem[]; generated: number; kept: number }> {
  const generated = generateSchedule({ year: input.year, cycles: input.cycles ?? 20 });
  return transact(db, async (trx) => {
    const existing = await scheduleOfYear(trx, input.year);
    const ran = new Set(existing.filter((e) => e.runId !== null).map((e) => `${e.cycle}:${e.month}`));
    const rows = generated.filter((g) => !ran.has(`${g.cycle}:${g.month}`)).map((g) => ({
      year: input.year, cycle: g.cycle, month: g.month, read_date: g.readDate, bill_date: g.billDate, due_date: g.dueDate, updated_at: clock.now(), updated_by: actor.userId,
    }));
    await repo.upsertSchedule(trx, rows);
    await recordChange(trx, actor, { action: 'generate', entityType: 'billing_schedule', entityId: String(input.year), after: { year: input.year, cycles: input.cycles ?? 20, entries: rows.length, kept: ran.size }, reason });
    // The delinquency schedule follows the due dates.
    await collections.generateDelinquencySchedule(trx, actor, clock, input.year, `With the billing schedule: ${reason}`);
    return { entries: await scheduleOfYear(trx, input.year), generated: rows.length, kept: ran.size };
  });
}

/** Moves one entry's dates; the result must still be a valid schedule (business days, in order). */
export async function adjustScheduleEntry(db: Db, actor: Actor, clock: Clock, id: number, patch: { readDate?: string; billDate?: string; dueDate?: string }, reason: string): Promise<ScheduleItem> {
  return transact(db, async (trx) => {
    const row = await repo.findScheduleEntry(trx, id);
    if (!row) throw notFound('Schedule entry', id);
    if (await repo.runOfSchedule(trx, id)) throw new AppError('conflict', `Cycle ${row.cycle} of ${row.year}-${String(row.month).padStart(2, '0')} was billed already; its dates cannot change`);
    const year = await repo.scheduleOfYear(trx, row.year);
    const toEntry = (r: repo.ScheduleRow): ScheduleEntry => ({ cycle: r.cycle, month: r.month, readDate: r.read_date, billDate: r.bill_date, dueDate: r.due_date, periodLabel: `${r.year}-${String(r.month).padStart(2, '0')}` });
    const changed = { ...toEntry(row), readDate: patch.readDate ?? row.read_date, billDate: patch.billDate ?? row.bill_date, dueDate: patch.dueDate ?? row.due_date };
    const problems = validateSchedule(year.filter((r) => r.cycle === row.cycle).map((r) => (r.id === id ? changed : toEntry(r))))
      .filter((p) => p.month === row.month && p.cycle === row.cycle);
    if (problems.length > 0) throw invalid(problems[0]!.field, problems.map((p) => p.message).join('; '));
    const after = await repo.updateScheduleEntry(trx, id, { read_date: changed.readDate, bill_date: changed.billDate, due_date: changed.dueDate, updated_at: clock.now(), updated_by: actor.userId });
    if (after.due_date !== row.due_date) await collections.generateDelinquencySchedule(trx, actor, clock, row.year, `Due date moved: ${reason}`);
    await recordChange(trx, actor, {
      action: 'update', entityType: 'billing_schedule', entityId: id,
      before: { readDate: row.read_date, billDate: row.bill_date, dueDate: row.due_date }, after: { readDate: after.read_date, billDate: after.bill_date, dueDate: after.due_date }, reason,
    });
    return (await scheduleOfYear(trx, row.year)).find((e) => e.id === id)!;
  });
}

// ---- bills ----

export interface BillException {
  id: number;
  code: string;
  message: string;
  status: string;
  resolvedAt: string | null;
  resolutionReason: string | null;
}

export interface Bill {
  id: number;
  runId: number | null;
  accountId: number;
  agreementId: number;
  service: repo.Service;
  customerClass: string;
  rateCode: string;
  periodFrom: string;
  periodTo: string;
  billDate: string;
  dueDate: string;
  status: repo.BillStatus;
  final: boolean;
  usage: string | null;
  usageUnit: string | null;
  demandKw: string | null;
  estimated: boolean;
  totalCents: number;
  taxCents: number;
  lines: BillLine[];
  receivedKwh: string | null;
  bankedKwh: string | null;
  rebillOf: number | null;
  cancelReason: string | null;
  exceptions: BillException[];
}

const toBill = (r: repo.BillRow, exceptions: repo.BillExceptionRow[] = []): Bill => ({
  id: r.id, runId: r.run_id, accountId: r.account_id, agreementId: r.agreement_id, service: r.service, customerClass: r.customer_class, rateCode: r.rate_code,
  periodFrom: r.period_from, periodTo: r.period_to, billDate: r.bill_date, dueDate: r.due_date, status: r.status, final: r.final,
  usage: r.usage, usageUnit: r.usage_unit, demandKw: r.demand_kw, estimated: r.estimated, totalCents: Number(r.total_cents), taxCents: Number(r.tax_cents),
  lines: unpackLines(r.lines), receivedKwh: r.received_kwh, bankedKwh: r.banked_kwh, rebillOf: r.rebill_of, cancelReason: r.cancel_reason,
  exceptions: exceptions.map((e) => ({ id: e.id, code: e.code, message: e.message, status: e.status, resolvedAt: e.resolved_at?.toISOString() ?? null, resolutionReason: e.resolution_reason })),
});

export async function getBill(db: Db, id: number): Promise<Bill> {
  const row = await repo.findBill(db, id);
  if (!row) throw notFound('Bill', id);
  return toBill(row, await repo.exceptionsOfBill(db, id));
}

export async function billsOfAccount(db: Db, accountId: number, limit = 50): Promise<Bill[]> {
  return (await repo.billsOfAccount(db, accountId, limit)).map((r) => toBill(r));
}

export interface HeldBill {
  id: number;
  accountId: number;
  accountNumber: string;
  service: string;
  periodFrom: string;
  periodTo: string;
  totalCents: number;
  reasons: { code: string; message: string }[];
  createdAt: string;
}

/** The billing-exceptions queue. */
export async function heldBills(db: Db, q: { after: number; limit: number; code?: string; runId?: number }): Promise<HeldBill[]> {
  return (await repo.heldBills(db, q)).map((r) => ({
    id: r.id, accountId: r.account_id, accountNumber: r.account_number, service: r.service, periodFrom: r.period_from, periodTo: r.period_to, totalCents: Number(r.total_cents),
    reasons: r.codes.map((code, i) => ({ code, message: r.messages[i]! })), createdAt: r.created_at.toISOString(),
  }));
}

async function heldBill(trx: Db, id: number): Promise<repo.BillRow> {
  const bill = await repo.findBillForUpdate(trx, id);
  if (!bill) throw notFound('Bill', id);
  if (bill.status !== 'held') throw new AppError('conflict', `Bill ${id} is ${bill.status}, not held`);
  return bill;
}

/** Posts a held bill as it stands, with the reason it is right. */
export async function approveBill(db: Db, actor: Actor, clock: Clock, id: number, reason: string): Promise<Bill> {
  return transact(db, async (trx) => {
    const bill = await heldBill(trx, id);
    if ((bill.lines as unknown[]).length === 0) throw new AppError('conflict', `Bill ${id} could not be rated; correct the cause and recalculate it`);
    // Released after its bill date, it is dated the day it is sent, with a full time to pay.
    const today = clock.today();
    const redated = bill.bill_date < today ? { bill_date: today, due_date: nextBusinessDay(addDays(today, 20)) } : {};
    const after = await repo.updateBill(trx, id, { status: 'posted', posted_at: clock.now(), ...redated });
    await repo.resolveExceptions(trx, id, 'approved', actor.userId, reason, clock.now());
    await ledger.postBill(trx, actor, clock, { id, accountId: after.account_id, service: after.service, billDate: after.bill_date, totalCents: Number(after.total_cents), taxCents: Number(after.tax_cents) });
    if (after.final) await finalIssued(trx, after.agreement_id);
    await budget.afterBillsPosted(trx, actor, clock, [{ id, accountId: after.account_id, service: after.service, billDate: after.bill_date, madeOn: bill.bill_date, totalCents: Number(after.total_cents), final: after.final }]);
    await recordChange(trx, actor, { action: 'approve', entityType: 'bill', entityId: id, accountId: after.account_id, before: { status: 'held' }, after: { status: 'posted', totalCents: Number(after.total_cents), billDate: after.bill_date, dueDate: after.due_date }, reason });
    return getBill(trx, id);
  });
}

/** Leaves a held bill on hold, with a note of why (the audit trail keeps it). */
export async function keepHolding(db: Db, actor: Actor, id: number, reason: string): Promise<Bill> {
  return transact(db, async (trx) => {
    const bill = await heldBill(trx, id);
    await recordChange(trx, actor, { action: 'keep_holding', entityType: 'bill', entityId: id, accountId: bill.account_id, reason });
    return getBill(trx, id);
  });
}

/**
 * Rates a held bill again from today's reads and tariffs (after a read was corrected, say): the
 * old bill is cancelled and a new one for the same period replaces it, posted if it now passes.
 */
export async function recalculateBill(db: Db, actor: Actor, clock: Clock, timeZone: string, id: number, reason: string): Promise<Bill> {
  return transact(db, async (trx) => {
    const bill = await heldBill(trx, id);
    await repo.resolveExceptions(trx, id, 'recalculated', actor.userId, reason, clock.now());
    return replace(trx, actor, clock, timeZone, bill, reason, 'recalculate');
  });
}

/** Cancels a bill: a posted one is reversed on the ledger. */
export async function cancelBill(db: Db, actor: Actor, clock: Clock, id: number, reason: string): Promise<Bill> {
  return transact(db, async (trx) => {
    const bill = await repo.findBillForUpdate(trx, id);
    if (!bill) throw notFound('Bill', id);
    await cancel(trx, actor, clock, bill, reason);
    return getBill(trx, id);
  });
}

/** Cancels a bill and bills the same period again from today's reads and tariffs. */
export async function rebill(db: Db, actor: Actor, clock: Clock, timeZone: string, id: number, reason: string): Promise<Bill> {
  return transact(db, async (trx) => {
    const bill = await repo.findBillForUpdate(trx, id);
    if (!bill) throw notFound('Bill', id);
    if (bill.status === 'held') throw new AppError('conflict', `Bill ${id} is held; recalculate it instead`);
    // A cancelled bill's period may have been billed again since; only a posted bill is rebilled.
    if (bill.status === 'cancelled') throw new AppError('conflict', `Bill ${id} was cancelled; its period is billed by the next run or a new bill`);
    return replace(trx, actor, clock, timeZone, bill, reason, 'rebill');
  });
}

async function cancel(trx: Db, actor: Actor, clock: Clock, bill: repo.BillRow, reason: string): Promise<void> {
  if (bill.status === 'cancelled') throw new AppError('conflict', `Bill ${bill.id} was cancelled already`);
  if (bill.status === 'posted') {
    const entry = await ledger.billEntryOf(trx, bill.id);
    if (entry) await ledger.reverse(trx, actor, clock, entry.id, `Bill ${bill.id} cancelled: ${reason}`, clock.today(), { forBill: true });
    await budget.afterBillCancelled(trx, actor, clock, { id: bill.id, accountId: bill.account_id, service: bill.service, totalCents: Number(bill.total_cents) });
  } else {
    await repo.resolveExceptions(trx, bill.id, 'cancelled', actor.userId, reason, clock.now());
  }
  await repo.updateBill(trx, bill.id, { status: 'cancelled', cancelled_at: clock.now(), cancel_reason: reason });
  await recordChange(trx, actor, { action: 'cancel', entityType: 'bill', entityId: bill.id, accountId: bill.account_id, before: { status: bill.status, totalCents: Number(bill.total_cents) }, after: { status: 'cancelled' }, reason });
}

async function replace(trx: Db, actor: Actor, clock: Clock, timeZone: string, bill: repo.BillRow, reason: string, action: 'recalculate' | 'rebill'): Promise<Bill> {
  if (bill.status !== 'cancelled') await cancel(trx, actor, clock, bill, reason);
  const due = await repo.agreementForBilling(trx, bill.agreement_id);
  if (!due) throw notFound('Service agreement', bill.agreement_id);
  // A rebill is a bill of its own (no run: it is not part of the old run's statements or print file).
  const ctx: BillingContext = { id: action === 'rebill' ? null : bill.run_id, read_date: bill.period_to, final_cutoff: bill.period_to, bill_date: action === 'rebill' ? clock.today() : bill.bill_date, due_date: bill.due_date };
  if (action === 'rebill') ctx.due_date = nextBusinessDay(addDays(ctx.bill_date, 20));
  // The period is the old bill's: the agreement is seen as billed up to the day before it.
  const period = { due: { ...due, has_held: false, last_to: bill.period_from === due.start_date ? null : addDays(bill.period_from, -1) }, from: bill.period_from, to: bill.period_to, final: bill.final, firstBill: bill.period_from === due.start_date };
  const [rated] = await rateChunk(trx, timeZone, ctx, [period], await tariffs.versionsByCode(trx, [due.rate_code]), await settingsByClass(trx), clock.now());
  rated!.row.rebill_of = bill.id;
  const [stored] = await storeBills(trx, actor, clock, [rated!]);
  if (!stored) throw new AppError('conflict', `A live bill already covers agreement ${bill.agreement_id} to ${bill.period_to}`);
  await recordChange(trx, actor, { action, entityType: 'bill', entityId: stored.id, accountId: bill.account_id, before: { billId: bill.id, totalCents: Number(bill.total_cents) }, after: { billId: stored.id, status: stored.status, totalCents: Number(stored.total_cents) }, reason });
  return getBill(trx, stored.id);
}

/**
 * The final bill of an ended agreement, now rather than at the next cycle run: from the day
 * after its last bill to the day service ended, dated today and due in 20 days.
 */
export async function finalBill(db: Db, actor: Actor, clock: Clock, timeZone: string, agreementId: number): Promise<Bill> {
  return transact(db, async (trx) => {
    const due = await repo.agreementForBilling(trx, agreementId);
    if (!due) throw notFound('Service agreement', agreementId);
    if (!due.end_date) throw new AppError('conflict', `Service agreement ${agreementId} has not ended; end the service (move-out) first`);
    if (due.last_to && due.last_to >= due.end_date) throw new AppError('conflict', `Service agreement ${agreementId} is billed to ${due.last_to}, its end`);
    if (due.has_held) throw new AppError('conflict', `Service agreement ${agreementId} has a held bill; resolve it first`);
    if (!due.last_to && !due.final_bill_due) throw new AppError('conflict', `Service agreement ${agreementId} ended before it was billed here and owes no final bill`);
    const billDate = clock.today();
    const ctx: BillingContext = { id: null, read_date: due.end_date, final_cutoff: due.end_date, bill_date: billDate, due_date: nextBusinessDay(addDays(billDate, 20)) };
    const skipped: string[] = [];
    const periods = await periodsOf(trx, actor, ctx, [due], 0, (why) => skipped.push(why), () => undefined);
    if (periods.length === 0) throw new AppError('conflict', `No final bill for agreement ${agreementId}: ${skipped.join(', ')}`);
    const rows = await rateChunk(trx, timeZone, ctx, periods, await tariffs.versionsByCode(trx, [due.rate_code]), await settingsByClass(trx), clock.now());
    const [stored] = await storeBills(trx, actor, clock, rows);
    if (!stored) throw new AppError('conflict', `A live bill already covers agreement ${agreementId} to ${periods[0]!.to}`);
    await recordChange(trx, actor, { action: 'final_bill', entityType: 'bill', entityId: stored.id, accountId: due.account_id, after: { status: stored.status, totalCents: Number(stored.total_cents) }, reason: 'Final bill on move-out' });
    return getBill(trx, stored.id);
  });
}

const finalIssued = (trx: Db, agreementId: number) => premises.finalBillsIssued(trx, [agreementId]);

/** A run's posted bills: who owes what by when. */
export async function postedBillsOfRun(db: Db, runId: number): Promise<{ id: number; accountId: number; totalCents: number; dueDate: string }[]> {
  return (await repo.postedBillsOfRun(db, runId)).map((b) => ({ id: Number(b.id), accountId: Number(b.account_id), totalCents: Number(b.total_cents), dueDate: b.due_date }));
}

export async function runsList(db: Db, q: { after: number; limit: number }) {
  return (await repo.listRuns(db, q)).map((r) => ({ id: r.id, cycle: r.cycle, readDate: r.read_date, billDate: r.bill_date, dueDate: r.due_date, status: r.status, startedAt: r.started_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null, summary: r.summary }));
}

export async function getRun(db: Db, id: number) {
  const r = await repo.findRun(db, id);
  if (!r) throw notFound('Billing run', id);
  return { id: r.id, cycle: r.cycle, readDate: r.read_date, billDate: r.bill_date, dueDate: r.due_date, status: r.status, startedAt: r.started_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null, summary: r.summary };
}

// ---- tax exemptions ----

export interface TaxExemption {
  id: number;
  accountId: number;
  taxCode: string;
  certificate: string | null;
  startsOn: string;
  endsOn: string | null;
  reason: string;
  createdAt: string;
}

const toExemption = (r: repo.TaxExemptionRow): TaxExemption => ({
  id: r.id, accountId: r.account_id, taxCode: r.tax_code, certificate: r.certificate, startsOn: r.starts_on, endsOn: r.ends_on, reason: r.reason, createdAt: r.created_at.toISOString(),
});

export async function taxExemptionsOf(db: Db, accountId: number): Promise<TaxExemption[]> {
  return (await repo.taxExemptionsOfAccount(db, accountId)).map(toExemption);
}

/** Exempts an account from one tax from a day (until a day, or until ended); bills from then on leave it off. */
export async function addTaxExemption(db: Db, actor: Actor, clock: Clock, input: { accountId: number; taxCode: string; certificate?: string | null; startsOn: string; endsOn?: string | null }, reason: string): Promise<TaxExemption> {
  return transact(db, async (trx) => {
    await customers.getAccount(trx, input.accountId);
    if (input.endsOn && input.endsOn < input.startsOn) throw invalid('endsOn', `is before startsOn (${input.startsOn})`);
    const row = toExemption(await repo.insertTaxExemption(trx, {
      account_id: input.accountId, tax_code: input.taxCode, certificate: input.certificate ?? null, starts_on: input.startsOn, ends_on: input.endsOn ?? null,
      reason, created_at: clock.now(), created_by: actor.userId,
    }));
    await recordChange(trx, actor, { action: 'create', entityType: 'tax_exemption', entityId: row.id, accountId: row.accountId, after: { ...row }, reason });
    return row;
  });
}

export async function endTaxExemption(db: Db, actor: Actor, id: number, endsOn: string, reason: string): Promise<TaxExemption> {
  return transact(db, async (trx) => {
    const before = await repo.findTaxExemption(trx, id);
    if (!before) throw notFound('Tax exemption', id);
    if (endsOn < before.starts_on) throw invalid('endsOn', `is before the exemption starts (${before.starts_on})`);
    const after = toExemption(await repo.endTaxExemption(trx, id, endsOn));
    await recordChange(trx, actor, { action: 'end', entityType: 'tax_exemption', entityId: id, accountId: after.accountId, before: { endsOn: before.ends_on }, after: { endsOn }, reason });
    return after;
  });
}
