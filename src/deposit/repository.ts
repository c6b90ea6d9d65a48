/**
 * SQL for security deposits. `creditFacts` and `accountsWithoutService` are read-only views over
 * the customer, payment, service-order and premise tables, made for the deposit rules.
 */
import { sql, type Generated, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../platform/db/database.ts';

export type DepositStatus = 'billing' | 'held' | 'returned' | 'applied' | 'cancelled';
export interface DepositSettingsTable {
  id: Generated<boolean>;
  cap_twelfths: number;
  max_instalments: number;
  good_payment_months: number;
  require_without_history: boolean;
  returned_payments_in_year: number;
  disconnect_months: number;
  due_days: number;
  release_by: 'credit' | 'refund';
  updated_at: Date | null;
  updated_by: number | null;
}
export interface DepositInterestRatesTable { effective_from: string; percent: string; set_at: Date; set_by: number | null; reason: string }
export interface DepositsTable {
  id: Generated<number>;
  account_id: number;
  status: DepositStatus;
  amount_cents: string;
  instalments: number;
  rule: string;
  rule_detail: string;
  requested_on: string;
  paid_on: string | null;
  closed_on: string | null;
  interest_cents: Generated<string>;
  created_at: Date;
  created_by: number | null;
}
export interface DepositInstalmentsTable {
  deposit_id: number;
  n: number;
  amount_cents: string;
  due_on: string;
  billed_on: string | null;
  ledger_entry_id: number | null;
  paid_on: string | null;
  cancelled_cents: Generated<string>;
}
export type DepositEventKind = 'required' | 'billed' | 'paid' | 'returned' | 'applied' | 'cancelled';
export interface DepositEventsTable {
  id: Generated<number>;
  deposit_id: number;
  kind: DepositEventKind;
  on_date: string;
  amount_cents: string;
  interest_cents: string;
  ledger_entry_id: number | null;
  reason: string;
  created_at: Date;
  created_by: number | null;
}
export type DepositTables = {
  deposit_settings: DepositSettingsTable; deposit_interest_rates: DepositInterestRatesTable; deposits: DepositsTable;
  deposit_instalments: DepositInstalmentsTable; deposit_events: DepositEventsTable;
};
export type DepositRow = Selectable<DepositsTable>;
export type InstalmentRow = Selectable<DepositInstalmentsTable>;
export type EventRow = Selectable<DepositEventsTable>;
export type SettingsRow = Selectable<DepositSettingsTable>;

const t = (db: Db) => db.withTables<DepositTables>();
const toDeposit = (r: DepositRow): DepositRow => ({ ...r, id: Number(r.id), account_id: Number(r.account_id) });

export const settings = (db: Db) => t(db).selectFrom('deposit_settings').selectAll().executeTakeFirstOrThrow();
export const updateSettings = (db: Db, patch: Updateable<DepositSettingsTable>) => t(db).updateTable('deposit_settings').set(patch).returningAll().executeTakeFirstOrThrow();
export const rates = (db: Db) => t(db).selectFrom('deposit_interest_rates').select(['effective_from', sql<string>`percent::text`.as('percent')]).orderBy('effective_from').execute();
export const setRate = (db: Db, row: Insertable<DepositInterestRatesTable>) =>
  t(db).insertInto('deposit_interest_rates').values(row).onConflict((oc) => oc.column('effective_from').doUpdateSet({ percent: row.percent, set_at: row.set_at, set_by: row.set_by, reason: row.reason })).execute();

export const insertDeposit = async (db: Db, row: Insertable<DepositsTable>) => toDeposit(await t(db).insertInto('deposits').values(row).returningAll().executeTakeFirstOrThrow());
export const updateDeposit = async (db: Db, id: number, patch: Updateable<DepositsTable>) => toDeposit(await t(db).updateTable('deposits').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow());
export const findDeposit = async (db: Db, id: number, lock = false) => {
  let q = t(db).selectFrom('deposits').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toDeposit(r) : undefined;
};
export const depositsOfAccount = async (db: Db, accountId: number) => (await t(db).selectFrom('deposits').selectAll().where('account_id', '=', accountId).orderBy('id', 'desc').execute()).map(toDeposit);
export const liveDepositOf = async (db: Db, accountId: number) => {
  const r = await t(db).selectFrom('deposits').selectAll().where('account_id', '=', accountId).where('status', 'in', ['billing', 'held']).executeTakeFirst();
  return r ? toDeposit(r) : undefined;
};
export const liveDeposits = async (db: Db) => (await t(db).selectFrom('deposits').selectAll().where('status', 'in', ['billing', 'held']).orderBy('id').execute()).map(toDeposit);

export async function listDeposits(db: Db, q: { status?: DepositStatus; after: number; limit: number }) {
  const { rows } = await sql<DepositRow & { account_number: string; display_name: string }>`
    select d.*, a.account_number, c.display_name from deposits d join accounts a on a.id = d.account_id join customers c on c.id = a.customer_id
     where (${q.after}::int8 = 0 or d.id < ${q.after}::int8) ${q.status ? sql`and d.status = ${q.status}` : sql``}
     order by d.id desc limit ${q.limit + 1}`.execute(db);
  return rows.map((r) => ({ ...toDeposit(r), account_number: r.account_number, display_name: r.display_name }));
}

export const insertInstalments = (db: Db, rows: Insertable<DepositInstalmentsTable>[]) => t(db).insertInto('deposit_instalments').values(rows).execute();
export const instalmentsOf = async (db: Db, depositId: number) =>
  (await t(db).selectFrom('deposit_instalments').selectAll().where('deposit_id', '=', depositId).orderBy('n').execute()).map((r) => ({ ...r, deposit_id: Number(r.deposit_id), ledger_entry_id: r.ledger_entry_id === null ? null : Number(r.ledger_entry_id) }));
export const updateInstalment = (db: Db, depositId: number, n: number, patch: Updateable<DepositInstalmentsTable>) =>
  t(db).updateTable('deposit_instalments').set(patch).where('deposit_id', '=', depositId).where('n', '=', n).execute();

export const insertEvent = (db: Db, row: Insertable<DepositEventsTable>) => t(db).insertInto('deposit_events').values(row).returningAll().executeTakeFirstOrThrow();
export const eventById = (db: Db, id: number) => t(db).selectFrom('deposit_events').selectAll().where('id', '=', id).executeTakeFirst();
export const eventsOf = async (db: Db, depositId: number) =>
  (await t(db).selectFrom('deposit_events').selectAll().where('deposit_id', '=', depositId).orderBy('id').execute()).map((r) => ({ ...r, id: Number(r.id), deposit_id: Number(r.deposit_id) }));

/** What the credit rules look at for the customer of an account. */
export async function creditFacts(db: Db, accountId: number, disconnectMonths: number, today: string) {
  const { rows: prior } = await sql<{ account_number: string; status: string; balance: string; opened_on: string }>`
    select a.account_number, a.status, a.opened_on::text,
           coalesce((select sum(l.amount_cents) from ledger_entries l where l.account_id = a.id), 0)::text as balance
      from accounts a
     where a.customer_id = (select customer_id from accounts where id = ${accountId}) and a.id <> ${accountId}
     order by a.id`.execute(db);
  const { rows: [counts] } = await sql<{ returned: number; disconnects: number }>`
    with mine as (select id from accounts where customer_id = (select customer_id from accounts where id = ${accountId}))
    select (select count(*) from payment_returns r join payments p on p.id = r.payment_id
             where p.account_id in (select id from mine) and r.returned_on > ${today}::date - 365)::int as returned,
           (select count(*) from service_orders o
             where o.account_id in (select id from mine) and o.order_type = 'disconnect' and o.source = 'collections' and o.status = 'completed'
               and o.effective_date > (${today}::date - make_interval(months => ${disconnectMonths}))::date)::int as disconnects`.execute(db);
  const { rows: [own] } = await sql<{ opened_on: string }>`select opened_on::text from accounts where id = ${accountId}`.execute(db);
  return { prior: prior.map((p) => ({ accountNumber: p.account_number, status: p.status, balanceCents: Number(p.balance), openedOn: p.opened_on })), openedOn: own!.opened_on, returned: counts!.returned, disconnects: counts!.disconnects };
}

/** Of some accounts, those with no service left (every agreement ended and its final bill made). */
export async function accountsWithoutService(db: Db, accountIds: number[]): Promise<Set<number>> {
  if (accountIds.length === 0) return new Set();
  const { rows } = await sql<{ id: string }>`
    select a.id::text from accounts a
     where a.id = any(${accountIds}::int8[])
       and exists (select 1 from service_agreements s where s.account_id = a.id)
       and not exists (select 1 from service_agreements s where s.account_id = a.id and (s.end_date is null or s.final_bill_due))`.execute(db);
  return new Set(rows.map((r) => Number(r.id)));
}

/** Returned payments of an account since a day (good payment is none). */
export async function returnsSince(db: Db, accountId: number, since: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from payment_returns r join payments p on p.id = r.payment_id where p.account_id = ${accountId} and r.returned_on > ${since}::date`.execute(db);
  return rows[0]!.n;
}
