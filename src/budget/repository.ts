/**
 * SQL for budget billing: plans, their events and the settings. `deferredOf`, `billedMonths` and
 * `similarDailyUse` are read-only views over the ledger's and billing's tables, made for budget
 * billing's arithmetic.
 */
import { sql, type Generated, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../platform/db/database.ts';

export interface BudgetSettingsTable {
  id: Generated<boolean>;
  review_months: number;
  relevel_percent: string;
  round_to_cents: number;
  min_occupancy_months: number;
  enrol_months: number[];
  delinquent_days: number;
  due_days: number;
  updated_at: Date | null;
  updated_by: number | null;
}
export type EndReason = 'request' | 'delinquency' | 'final_bill';
export interface BudgetPlansTable {
  id: Generated<number>;
  account_id: number;
  status: 'active' | 'ended';
  monthly_cents: string;
  enrolled_on: string;
  settle_month: number;
  next_review_on: string;
  assistance_eligible: boolean;
  ended_on: string | null;
  end_reason: EndReason | null;
  created_at: Date;
  created_by: number | null;
}
export type EventKind = 'enrolled' | 'relevelled' | 'reviewed' | 'settled' | 'ended';
export interface BudgetEventsTable {
  id: Generated<number>;
  plan_id: number;
  kind: EventKind;
  on_date: string;
  monthly_before_cents: string | null;
  monthly_after_cents: string | null;
  deferred_cents: string;
  detail: unknown;
  reason: string;
  created_at: Date;
  created_by: number | null;
}
export type BudgetTables = { budget_settings: BudgetSettingsTable; budget_plans: BudgetPlansTable; budget_events: BudgetEventsTable };
export type PlanRow = Selectable<BudgetPlansTable>;
export type EventRow = Selectable<BudgetEventsTable>;
export type SettingsRow = Selectable<BudgetSettingsTable>;

const t = (db: Db) => db.withTables<BudgetTables>();
const n = (v: unknown) => Number(v);
const toPlan = (r: PlanRow): PlanRow => ({ ...r, id: n(r.id), account_id: n(r.account_id) });

export const settings = (db: Db) => t(db).selectFrom('budget_settings').selectAll().executeTakeFirstOrThrow();
export const updateSettings = (db: Db, patch: Updateable<BudgetSettingsTable>) => t(db).updateTable('budget_settings').set(patch).returningAll().executeTakeFirstOrThrow();

export const insertPlan = async (db: Db, row: Insertable<BudgetPlansTable>) => toPlan(await t(db).insertInto('budget_plans').values(row).returningAll().executeTakeFirstOrThrow());
export const updatePlan = async (db: Db, id: number, patch: Updateable<BudgetPlansTable>) => toPlan(await t(db).updateTable('budget_plans').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow());
export const findPlan = async (db: Db, id: number) => {
  const r = await t(db).selectFrom('budget_plans').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toPlan(r) : undefined;
};
export const findPlanForUpdate = async (db: Db, id: number) => {
  const r = await t(db).selectFrom('budget_plans').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return r ? toPlan(r) : undefined;
};
export const activePlanOf = async (db: Db, accountId: number) => {
  const r = await t(db).selectFrom('budget_plans').selectAll().where('account_id', '=', accountId).where('status', '=', 'active').executeTakeFirst();
  return r ? toPlan(r) : undefined;
};
/** An account's plans, newest first. */
export const plansOfAccount = async (db: Db, accountId: number) =>
  (await t(db).selectFrom('budget_plans').selectAll().where('account_id', '=', accountId).orderBy('id', 'desc').execute()).map(toPlan);
/** The active plans among some accounts (the billing run's chunk). */
export const activePlansOf = async (db: Db, accountIds: number[], lock = false) => {
  if (accountIds.length === 0) return [];
  let q = t(db).selectFrom('budget_plans').selectAll().where('status', '=', 'active').where(sql<boolean>`account_id = any(${accountIds}::int8[])`).orderBy('id');
  if (lock) q = q.forUpdate();
  return (await q.execute()).map(toPlan);
};
/** Active plans whose review is due on or before a day. */
export const plansToReview = async (db: Db, day: string) =>
  (await t(db).selectFrom('budget_plans').selectAll().where('status', '=', 'active').where('next_review_on', '<=', day).orderBy('id').execute()).map(toPlan);
export const activePlanIds = async (db: Db) => (await t(db).selectFrom('budget_plans').select('id').where('status', '=', 'active').orderBy('id').execute()).map((r) => n(r.id));

/** The plans list: with the account number and name, newest first (the cursor `after` is the last id seen), by status. */
export async function listPlans(db: Db, q: { status?: 'active' | 'ended'; after: number; limit: number }) {
  const { rows } = await sql<PlanRow & { account_number: string; display_name: string }>`
    select p.*, a.account_number, c.display_name
      from budget_plans p join accounts a on a.id = p.account_id join customers c on c.id = a.customer_id
     where (${q.after}::int8 = 0 or p.id < ${q.after}::int8) ${q.status ? sql`and p.status = ${q.status}` : sql``}
     order by p.id desc limit ${q.limit + 1}`.execute(db);
  return rows.map((r) => ({ ...toPlan(r), account_number: r.account_number, display_name: r.display_name }));
}

export const insertEvent = async (db: Db, row: Insertable<BudgetEventsTable>) => {
  const r = await t(db).insertInto('budget_events').values(row).returningAll().executeTakeFirstOrThrow();
  return { ...r, id: n(r.id), plan_id: n(r.plan_id) };
};
export const eventsOfPlan = async (db: Db, planId: number) =>
  (await t(db).selectFrom('budget_events').selectAll().where('plan_id', '=', planId).orderBy('id').execute()).map((r) => ({ ...r, id: n(r.id), plan_id: n(r.plan_id) }));
export const findEvent = async (db: Db, id: number) => {
  const r = await t(db).selectFrom('budget_events').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? { ...r, id: n(r.id), plan_id: n(r.plan_id) } : undefined;
};
/** Whether a plan has an event of a kind in a month (YYYY-MM): a settle-up is made once a year. */
export const hasEventIn = async (db: Db, planId: number, kind: EventKind, month: string) =>
  (await sql<{ x: number }>`select 1 as x from budget_events where plan_id = ${planId} and kind = ${kind} and to_char(on_date, 'YYYY-MM') = ${month} limit 1`.execute(db)).rows.length > 0;

/** Each account's deferred balance: minus the sum of its budget entries. */
export async function deferredOf(db: Db, accountIds: number[]): Promise<Map<number, number>> {
  if (accountIds.length === 0) return new Map();
  const { rows } = await sql<{ account_id: string; deferred: string }>`
    select account_id::text, (-sum(amount_cents))::text as deferred from ledger_entries
     where kind = 'budget' and account_id = any(${accountIds}::int8[]) group by account_id`.execute(db);
  return new Map(rows.map((r) => [Number(r.account_id), Number(r.deferred)]));
}

/** An account's deferred balance at the end of a day. */
export async function deferredAsOf(db: Db, accountId: number, day: string): Promise<number> {
  const { rows } = await sql<{ deferred: string }>`
    select coalesce(-sum(amount_cents), 0)::text as deferred from ledger_entries where kind = 'budget' and account_id = ${accountId} and entry_date <= ${day}::date`.execute(db);
  return Number(rows[0]!.deferred);
}

/** The budget entries of some bills made so far (each bill is deferred once, and brought back once). */
export async function budgetEntriesOfBills(db: Db, billIds: number[]) {
  if (billIds.length === 0) return [];
  const { rows } = await sql<{ bill_id: string; reason_code: string }>`
    select bill_id::text, reason_code from ledger_entries where kind = 'budget' and bill_id = any(${billIds}::int8[])`.execute(db);
  return rows.map((r) => ({ billId: Number(r.bill_id), reasonCode: r.reason_code }));
}

/** Whether the deferred balance was put due (a settle-up or the end of a plan) after a bill's deferral. */
export async function putDueAfterDeferral(db: Db, billId: number): Promise<boolean> {
  const { rows } = await sql<{ x: number }>`
    select 1 as x from ledger_entries d
      join ledger_entries later on later.account_id = d.account_id and later.kind = 'budget' and later.reason_code in ('BUDGET_SETTLE_UP', 'BUDGET_ENDED') and later.id > d.id
     where d.kind = 'budget' and d.bill_id = ${billId} and d.reason_code = 'BUDGET_DEFER' limit 1`.execute(db);
  return rows.length > 0;
}

/** Which of these idempotency keys the ledger holds already. */
export async function keysTaken(db: Db, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const { rows } = await sql<{ k: string }>`select idempotency_key as k from ledger_entries where idempotency_key = any(${keys}::text[])`.execute(db);
  return new Set(rows.map((r) => r.k));
}

/** The account's budget entries dated in a range (a statement's budget lines). */
export async function budgetEntriesBetween(db: Db, accountId: number, from: string, to: string) {
  const { rows } = await sql<{ reason_code: string; amount_cents: string; entry_date: string }>`
    select reason_code, amount_cents::text, entry_date::text from ledger_entries
     where kind = 'budget' and account_id = ${accountId} and entry_date between ${from}::date and ${to}::date order by id`.execute(db);
  return rows.map((r) => ({ reasonCode: r.reason_code, amountCents: Number(r.amount_cents), entryDate: r.entry_date }));
}

/** Posted bills of an agreement whose period ends in a range: its own months of use. */
export async function billedMonths(db: Db, agreementId: number, from: string, to: string) {
  const { rows } = await sql<{ period_from: string; period_to: string; usage: string | null }>`
    select period_from::text, period_to::text, usage::text from bills
     where agreement_id = ${agreementId} and status = 'posted' and not final and period_to between ${from}::date and ${to}::date
     order by period_to`.execute(db);
  return rows;
}

/**
 * Similar premises' use: the average use per day of the posted bills of up to 500 other agreements
 * on the same rate that were in force before the range, by the calendar month their periods end
 * in (for months an account has no history of its own). The sample keeps it quick at any size.
 */
export async function similarDailyUse(db: Db, rateCode: string, from: string, to: string): Promise<Map<string, string>> {
  const { rows } = await sql<{ month: string; per_day: string }>`
    select to_char(b.period_to, 'YYYY-MM') as month, round(avg(b.usage / (b.period_to - b.period_from + 1)), 4)::text as per_day
      from (select id from service_agreements where rate_code = ${rateCode} and start_date < ${from}::date and end_date is null order by id limit 500) sa
      join bills b on b.agreement_id = sa.id
     where b.status = 'posted' and b.usage is not null and not b.final and b.period_to between ${from}::date and ${to}::date
     group by 1`.execute(db);
  return new Map(rows.map((r) => [r.month, r.per_day]));
}
