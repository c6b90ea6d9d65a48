/**
 * Security deposits (C10). Asked of new service when credit history calls for one (the rules in
 * rules.ts), at most 2/12 of the estimated annual bill, billed in instalments as charges on the
 * ledger and paid like any charge. Once paid, the deposit is the district's liability, kept here
 * and not in the account balance, earning simple interest at the yearly rate the district sets.
 * After 12 months of good payment it is returned with its interest (credited, or refunded by
 * check); on a final bill it is applied first, and any credit left is refunded.
 *
 * The daily deposit job bills the instalments that fall due, notes the ones paid, applies the
 * deposits of accounts whose service has ended, and returns those held long enough. Running it
 * twice for a day does nothing the second time.
 */
import { recordChange } from '../audit/index.ts';
import { budget } from '../budget/index.ts';
import { customers } from '../customer/index.ts';
import { ledger } from '../ledger/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { addDays, isDate } from '../platform/dates.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { formatCents } from '../platform/money.ts';
import { refunds } from '../refund/index.ts';
import * as repo from './repository.ts';
import { capCents, creditDecision, heldLongEnough, instalments, interestCents, type CreditDecision } from './rules.ts';

export interface DepositSettings {
  capTwelfths: number;
  maxInstalments: number;
  goodPaymentMonths: number;
  requireWithoutHistory: boolean;
  returnedPaymentsInYear: number;
  disconnectMonths: number;
  dueDays: number;
  releaseBy: 'credit' | 'refund';
}
export interface Deposit {
  id: number;
  accountId: number;
  status: repo.DepositStatus;
  amountCents: number;
  /** Paid so far: the deposit the district holds. */
  heldCents: number;
  instalments: { n: number; amountCents: number; dueOn: string; billedOn: string | null; paidOn: string | null; cancelledCents: number }[];
  rule: string;
  ruleDetail: string;
  requestedOn: string;
  paidOn: string | null;
  closedOn: string | null;
  interestCents: number;
  /** Interest earned so far on what is held (credited when the deposit is returned or applied). */
  accruedInterestCents: number;
  events: { id: number; kind: string; onDate: string; amountCents: number; interestCents: number; ledgerEntryId: number | null; reason: string; createdAt: string }[];
}

const toSettings = (s: repo.SettingsRow): DepositSettings => ({
  capTwelfths: s.cap_twelfths, maxInstalments: s.max_instalments, goodPaymentMonths: s.good_payment_months, requireWithoutHistory: s.require_without_history,
  returnedPaymentsInYear: s.returned_payments_in_year, disconnectMonths: s.disconnect_months, dueDays: s.due_days, releaseBy: s.release_by,
});

export async function getSettings(db: Db): Promise<DepositSettings & { interestRates: { effectiveFrom: string; percent: string }[] }> {
  return { ...toSettings(await repo.settings(db)), interestRates: (await repo.rates(db)).map((r) => ({ effectiveFrom: r.effective_from, percent: String(Number(r.percent)) })) };
}

export async function updateSettings(db: Db, actor: Actor, clock: Clock, patch: Partial<DepositSettings>, reason: string): Promise<DepositSettings> {
  return transact(db, async (trx) => {
    const before = toSettings(await repo.settings(trx));
    const after = toSettings(await repo.updateSettings(trx, {
      cap_twelfths: patch.capTwelfths, max_instalments: patch.maxInstalments, good_payment_months: patch.goodPaymentMonths, require_without_history: patch.requireWithoutHistory,
      returned_payments_in_year: patch.returnedPaymentsInYear, disconnect_months: patch.disconnectMonths, due_days: patch.dueDays, release_by: patch.releaseBy, updated_at: clock.now(), updated_by: actor.userId,
    }));
    await recordChange(trx, actor, { action: 'update', entityType: 'deposit_settings', entityId: 'deposits', before: { ...before }, after: { ...after }, reason });
    return after;
  });
}

/** Sets the yearly interest rate from a day (the district's board sets it each year). */
export async function setInterestRate(db: Db, actor: Actor, clock: Clock, input: { effectiveFrom: string; percent: string }, reason: string) {
  if (!isDate(input.effectiveFrom)) throw invalid('effectiveFrom', 'must be a date YYYY-MM-DD');
  if (!/^\d+(\.\d+)?$/.test(input.percent)) throw invalid('percent', 'must be a yearly percentage such as 0.5');
  return transact(db, async (trx) => {
    await repo.setRate(trx, { effective_from: input.effectiveFrom, percent: input.percent, set_at: clock.now(), set_by: actor.userId, reason });
    await recordChange(trx, actor, { action: 'set_rate', entityType: 'deposit_interest_rate', entityId: input.effectiveFrom, after: { ...input }, reason });
    return getSettings(trx);
  });
}

// ---- the rule ----

export interface DepositEvaluation {
  accountId: number;
  decision: CreditDecision;
  /** A year of the account's bills at today's rates, when it can be worked out. */
  annualCents: number | null;
  /** The most the deposit may be (null when the annual bill cannot be estimated: staff set it). */
  capCents: number | null;
  maxInstalments: number;
}

/** Whether the account's credit history calls for a deposit, and the most it may be. */
export async function evaluate(db: Db, clock: Clock, accountId: number): Promise<DepositEvaluation> {
  await customers.getAccount(db, accountId);
  const s = toSettings(await repo.settings(db));
  const today = clock.today();
  const facts = await repo.creditFacts(db, accountId, s.disconnectMonths, today);
  const decision = creditDecision({ priorAccounts: facts.prior, openedOn: facts.openedOn, returnedPaymentsInYear: facts.returned, disconnects: facts.disconnects, today }, s);
  let annual: number | null = null;
  try {
    annual = (await budget.yearCost(db, accountId, today)).annualCents;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
  }
  return { accountId, decision, annualCents: annual, capCents: annual === null ? null : capCents(annual, s.capTwelfths), maxInstalments: s.maxInstalments };
}

// ---- a deposit ----

async function heldOf(db: Db, d: repo.DepositRow) {
  const parts = await repo.instalmentsOf(db, d.id);
  // What is still unpaid of each billed instalment, from the ledger (charges are paid oldest first).
  const unpaid = new Map<number, number>();
  for (const o of await ledger.owedByService(db, [d.account_id])) for (const c of o.charges) unpaid.set(c.entryId, c.unpaidCents);
  const held = parts.map((p) => ({ p, heldCents: p.ledger_entry_id === null ? 0 : Number(p.amount_cents) - (unpaid.get(p.ledger_entry_id) ?? 0) - Number(p.cancelled_cents) }));
  return { parts, held, unpaid };
}

async function toDeposit(db: Db, d: repo.DepositRow, today: string): Promise<Deposit> {
  const live = d.status === 'billing' || d.status === 'held';
  const { parts, held } = await heldOf(db, d);
  const heldCents = live ? held.reduce((n, h) => n + Math.max(0, h.heldCents), 0) : 0;
  const rates = (await repo.rates(db)).map((r) => ({ effectiveFrom: r.effective_from, percent: r.percent }));
  const accrued = live ? interestCents(held.filter((h) => h.p.paid_on !== null && h.heldCents > 0).map((h) => ({ cents: h.heldCents, from: h.p.paid_on! })), today, rates) : 0;
  return {
    id: d.id, accountId: d.account_id, status: d.status, amountCents: Number(d.amount_cents), heldCents,
    instalments: parts.map((p) => ({ n: p.n, amountCents: Number(p.amount_cents), dueOn: p.due_on, billedOn: p.billed_on, paidOn: p.paid_on, cancelledCents: Number(p.cancelled_cents) })),
    rule: d.rule, ruleDetail: d.rule_detail, requestedOn: d.requested_on, paidOn: d.paid_on, closedOn: d.closed_on, interestCents: Number(d.interest_cents), accruedInterestCents: accrued,
    events: (await repo.eventsOf(db, d.id)).map((e) => ({ id: e.id, kind: e.kind, onDate: e.on_date, amountCents: Number(e.amount_cents), interestCents: Number(e.interest_cents), ledgerEntryId: e.ledger_entry_id === null ? null : Number(e.ledger_entry_id), reason: e.reason, createdAt: e.created_at.toISOString() })),
  };
}

export async function getDeposit(db: Db, clock: Clock, id: number): Promise<Deposit> {
  const d = await repo.findDeposit(db, id);
  if (!d) throw notFound('Deposit', id);
  return toDeposit(db, d, clock.today());
}

export async function depositsOfAccount(db: Db, clock: Clock, accountId: number): Promise<Deposit[]> {
  await customers.getAccount(db, accountId);
  return Promise.all((await repo.depositsOfAccount(db, accountId)).map((d) => toDeposit(db, d, clock.today())));
}

export async function listDeposits(db: Db, q: { status?: repo.DepositStatus; after: number; limit: number }) {
  const rows = await repo.listDeposits(db, q);
  return {
    items: rows.slice(0, q.limit).map((d) => ({ id: d.id, accountId: d.account_id, accountNumber: d.account_number, customerName: d.display_name, status: d.status, amountCents: Number(d.amount_cents), instalments: d.instalments, rule: d.rule, requestedOn: d.requested_on, paidOn: d.paid_on, closedOn: d.closed_on, interestCents: Number(d.interest_cents) })),
    next: rows.length > q.limit ? rows[q.limit - 1]!.id : null,
  };
}

/**
 * Asks an account for a deposit: by default the most the rule allows, in up to the set number of
 * instalments, the first billed today and the others a month apart. Refused above the cap, or
 * while the account has a deposit already.
 */
export async function requireDeposit(db: Db, actor: Actor, clock: Clock, input: { accountId: number; amountCents?: number; instalments?: number; reason: string }): Promise<Deposit> {
  if (input.amountCents !== undefined && !(Number.isSafeInteger(input.amountCents) && input.amountCents > 0)) throw invalid('amountCents', 'must be a positive whole number of cents');
  return transact(db, async (trx) => {
    await ledger.lockAccount(trx, input.accountId);
    const existing = await repo.liveDepositOf(trx, input.accountId);
    if (existing) throw new AppError('conflict', `Account ${input.accountId} has deposit ${existing.id} (${existing.status}) already`, { depositId: existing.id });
    const e = await evaluate(trx, clock, input.accountId);
    const count = input.instalments ?? 1;
    if (!(Number.isInteger(count) && count >= 1 && count <= e.maxInstalments)) throw invalid('instalments', `must be 1 to ${e.maxInstalments}`);
    const amount = input.amountCents ?? e.capCents;
    if (amount === null || amount === undefined || amount <= 0) throw invalid('amountCents', 'the annual bill cannot be estimated for this account: give the amount');
    if (e.capCents !== null && amount > e.capCents) throw new AppError('conflict', `A deposit of ${formatCents(amount)} is more than 2/12 of the estimated annual bill (at most ${formatCents(e.capCents)})`, { capCents: e.capCents });
    const today = clock.today();
    const rule = e.decision.required ? e.decision.rule : 'staff';
    const d = await repo.insertDeposit(trx, {
      account_id: input.accountId, status: 'billing', amount_cents: String(amount), instalments: count, rule, rule_detail: e.decision.required ? e.decision.detail : input.reason,
      requested_on: today, paid_on: null, closed_on: null, created_at: clock.now(), created_by: actor.userId,
    });
    await repo.insertInstalments(trx, instalments(amount, count, today).map((p) => ({ deposit_id: d.id, n: p.n, amount_cents: String(p.amountCents), due_on: p.dueOn, billed_on: null, ledger_entry_id: null, paid_on: null })));
    await repo.insertEvent(trx, { deposit_id: d.id, kind: 'required', on_date: today, amount_cents: String(amount), interest_cents: '0', ledger_entry_id: null, reason: input.reason, created_at: clock.now(), created_by: actor.userId });
    await recordChange(trx, actor, { action: 'require', entityType: 'deposit', entityId: d.id, accountId: input.accountId, after: { amountCents: amount, instalments: count, rule, capCents: e.capCents }, reason: input.reason });
    await billDue(trx, actor, clock, d);
    return getDeposit(trx, clock, d.id);
  });
}

/** Bills the deposit's instalments due by today; returns how many. */
async function billDue(trx: Db, actor: Actor, clock: Clock, d: repo.DepositRow): Promise<number> {
  const today = clock.today();
  let n = 0;
  for (const p of await repo.instalmentsOf(trx, d.id)) {
    if (p.billed_on !== null || p.due_on > today) continue;
    const entry = await ledger.postSystemEntry(trx, actor, clock, {
      accountId: d.account_id, kind: 'deposit', amountCents: Number(p.amount_cents), reasonCode: 'DEPOSIT_BILLED', entryDate: today, key: `deposit:${d.id}:${p.n}`,
      reason: `Security deposit ${d.id}, instalment ${p.n} of ${d.instalments}`,
    });
    await repo.updateInstalment(trx, d.id, p.n, { billed_on: today, ledger_entry_id: entry.id });
    await repo.insertEvent(trx, { deposit_id: d.id, kind: 'billed', on_date: today, amount_cents: p.amount_cents, interest_cents: '0', ledger_entry_id: entry.id, reason: `Instalment ${p.n} of ${d.instalments}`, created_at: clock.now(), created_by: actor.userId });
    await recordChange(trx, actor, { action: 'bill_instalment', entityType: 'deposit', entityId: d.id, accountId: d.account_id, after: { instalment: p.n, amountCents: Number(p.amount_cents), ledgerEntryId: entry.id }, reason: `Deposit instalment ${p.n} of ${d.instalments} due ${p.due_on}` });
    n++;
  }
  return n;
}

/**
 * Closes a deposit: what is held comes back to the account as credits (the deposit and its
 * interest); instalments billed and not paid are taken off. 'applied' when service ended (the
 * final bill), 'returned' after good payment or by staff. Any credit then left on an ended
 * account, or on any account when the district refunds deposits, is refunded.
 */
async function close(trx: Db, actor: Actor, clock: Clock, d: repo.DepositRow, how: 'returned' | 'applied', reason: string) {
  const today = clock.today();
  const { held, unpaid } = await heldOf(trx, d);
  for (const h of held) {
    const left = h.p.ledger_entry_id === null ? 0 : unpaid.get(h.p.ledger_entry_id) ?? 0;
    if (left > 0) {
      await ledger.postSystemEntry(trx, actor, clock, { accountId: d.account_id, kind: 'deposit', amountCents: -left, reasonCode: 'DEPOSIT_CANCELLED', entryDate: today, key: `deposit-cancel:${d.id}:${h.p.n}`, reason: `Security deposit ${d.id}: unpaid instalment ${h.p.n} no longer owed` });
      await repo.updateInstalment(trx, d.id, h.p.n, { cancelled_cents: String(left) });
    }
  }
  const parts = held.filter((h) => h.heldCents > 0 && h.p.paid_on !== null);
  const heldCents = held.reduce((n, h) => n + Math.max(0, h.heldCents), 0);
  const rates = (await repo.rates(trx)).map((r) => ({ effectiveFrom: r.effective_from, percent: r.percent }));
  const interest = interestCents(parts.map((h) => ({ cents: h.heldCents, from: h.p.paid_on! })), today, rates);
  let entryId: number | null = null;
  if (heldCents > 0) {
    entryId = (await ledger.postSystemEntry(trx, actor, clock, { accountId: d.account_id, kind: 'deposit', amountCents: -heldCents, reasonCode: 'DEPOSIT_RETURNED', entryDate: today, key: `deposit-return:${d.id}`, reason: `Security deposit ${d.id} ${how === 'applied' ? 'applied to the final bill' : 'returned'}` })).id;
  }
  if (interest > 0) {
    await ledger.postSystemEntry(trx, actor, clock, { accountId: d.account_id, kind: 'deposit', amountCents: -interest, reasonCode: 'DEPOSIT_INTEREST', entryDate: today, key: `deposit-interest:${d.id}`, reason: `Interest on security deposit ${d.id}` });
  }
  await repo.updateDeposit(trx, d.id, { status: heldCents > 0 || how === 'applied' ? how : 'cancelled', closed_on: today, interest_cents: String(interest) });
  await repo.insertEvent(trx, { deposit_id: d.id, kind: heldCents > 0 || how === 'applied' ? how : 'cancelled', on_date: today, amount_cents: String(heldCents), interest_cents: String(interest), ledger_entry_id: entryId, reason, created_at: clock.now(), created_by: actor.userId });
  await recordChange(trx, actor, { action: how === 'applied' ? 'apply' : 'return', entityType: 'deposit', entityId: d.id, accountId: d.account_id, before: { status: d.status }, after: { status: how, heldCents, interestCents: interest }, reason });
  const s = toSettings(await repo.settings(trx));
  if (how === 'applied' || s.releaseBy === 'refund') {
    const credit = await refunds.creditAvailable(trx, d.account_id);
    const amount = how === 'applied' ? credit : Math.min(credit, heldCents + interest);
    if (amount > 0) await refunds.requestRefund(trx, actor, clock, { accountId: d.account_id, kind: 'deposit', amountCents: amount, depositId: d.id, reason: how === 'applied' ? `Deposit ${d.id} applied to the final bill; the credit left is refunded` : `Deposit ${d.id} returned after good payment` });
  }
  return { heldCents, interest };
}

/** Staff return or apply a deposit now (a customer who asks, an account closing early). */
export async function closeDeposit(db: Db, actor: Actor, clock: Clock, id: number, how: 'returned' | 'applied', reason: string): Promise<Deposit> {
  return transact(db, async (trx) => {
    const d = await repo.findDeposit(trx, id, true);
    if (!d) throw notFound('Deposit', id);
    if (d.status !== 'billing' && d.status !== 'held') throw new AppError('conflict', `Deposit ${id} is ${d.status}`);
    await ledger.lockAccount(trx, d.account_id);
    // Applying is for an account whose service has ended; before that, giving a deposit back early is a supervisor's call.
    const ended = (await repo.accountsWithoutService(trx, [d.account_id])).has(d.account_id);
    if ((how === 'returned' || !ended) && !(actor.role === 'supervisor' || actor.role === 'admin' || actor.role === 'system')) {
      throw new AppError('forbidden', `Deposit ${id}: ${how === 'applied' ? "the account's service has not ended; returning a deposit early" : 'returning a deposit early'} needs a supervisor`);
    }
    await close(trx, actor, clock, d, how, reason);
    return getDeposit(trx, clock, id);
  });
}

export interface DepositRunResult { date: string; billed: number; paid: number; returned: number; applied: number; deposits: { depositId: number; accountId: number; action: string; cents: number }[] }

/** The daily deposit job (see the top of this file). */
export async function run(db: Db, actor: Actor, clock: Clock): Promise<DepositRunResult> {
  const today = clock.today();
  const s = toSettings(await repo.settings(db));
  const out: DepositRunResult = { date: today, billed: 0, paid: 0, returned: 0, applied: 0, deposits: [] };
  const live = await repo.liveDeposits(db);
  const ended = await repo.accountsWithoutService(db, live.map((d) => d.account_id));
  for (const first of live) {
    await transact(db, async (trx) => {
      const d = (await repo.findDeposit(trx, first.id, true))!;
      if (d.status !== 'billing' && d.status !== 'held') return;
      await ledger.lockAccount(trx, d.account_id);
      const billed = await billDue(trx, actor, clock, d);
      out.billed += billed;
      if (billed > 0) out.deposits.push({ depositId: d.id, accountId: d.account_id, action: 'billed', cents: 0 });
      if (ended.has(d.account_id)) {
        const r = await close(trx, actor, clock, d, 'applied', 'Service ended: the deposit is applied to the final bill');
        out.applied++;
        out.deposits.push({ depositId: d.id, accountId: d.account_id, action: 'applied', cents: r.heldCents + r.interest });
        return;
      }
      // Instalments found paid today.
      const { held } = await heldOf(trx, d);
      for (const h of held) {
        if (h.p.ledger_entry_id !== null && h.p.paid_on === null && h.heldCents >= Number(h.p.amount_cents)) {
          await repo.updateInstalment(trx, d.id, h.p.n, { paid_on: today });
          await repo.insertEvent(trx, { deposit_id: d.id, kind: 'paid', on_date: today, amount_cents: h.p.amount_cents, interest_cents: '0', ledger_entry_id: h.p.ledger_entry_id, reason: `Instalment ${h.p.n} paid`, created_at: clock.now(), created_by: actor.userId });
          h.p.paid_on = today;
          out.paid++;
        }
      }
      let current = d;
      if (d.status === 'billing' && held.length > 0 && held.every((h) => h.p.paid_on !== null)) {
        current = await repo.updateDeposit(trx, d.id, { status: 'held', paid_on: today });
        await recordChange(trx, actor, { action: 'paid', entityType: 'deposit', entityId: d.id, accountId: d.account_id, before: { status: 'billing' }, after: { status: 'held', heldCents: Number(d.amount_cents) }, reason: 'Every instalment paid' });
        out.deposits.push({ depositId: d.id, accountId: d.account_id, action: 'held', cents: Number(d.amount_cents) });
      }
      // Good payment for the set months since it was paid: no returned payment, nothing past due now.
      if (current.status === 'held' && current.paid_on && heldLongEnough(current.paid_on, today, s.goodPaymentMonths)) {
        const late = (await ledger.owedByService(trx, [d.account_id])).flatMap((o) => o.charges).some((c) => addDays(c.date, s.dueDays) < today);
        if (!late && (await repo.returnsSince(trx, d.account_id, current.paid_on)) === 0) {
          const r = await close(trx, actor, clock, current, 'returned', `${s.goodPaymentMonths} months of good payment`);
          out.returned++;
          out.deposits.push({ depositId: d.id, accountId: d.account_id, action: 'returned', cents: r.heldCents + r.interest });
        }
      }
    });
  }
  if (out.deposits.length > 0) await recordChange(db, actor, { action: 'run', entityType: 'deposit_job', entityId: today, after: { billed: out.billed, paid: out.paid, returned: out.returned, applied: out.applied }, reason: `Deposit job for ${today}` });
  return out;
}
