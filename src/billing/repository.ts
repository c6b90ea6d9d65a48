/**
 * SQL for billing: the schedule, runs, bills and their exceptions. `agreementsDue` and
 * `controlTotals` are read-only views over other contexts' tables (accounts, agreements, service
 * points, meters, ledger) made for the billing run, like search's read model.
 */
import { sql, type Generated, type Insertable, type RawBuilder, type Selectable, type Updateable } from 'kysely';
import { copyRows, drawIds } from '../platform/db/copy.ts';
import type { Db } from '../platform/db/database.ts';
import { LINE_FIELD } from './lines.ts';

export type Service = 'electric' | 'water' | 'fiber';
export type BillStatus = 'held' | 'posted' | 'cancelled';

export interface BillingScheduleTable {
  id: Generated<number>;
  year: number;
  cycle: number;
  month: number;
  read_date: string;
  bill_date: string;
  due_date: string;
  updated_at: Date;
  updated_by: number | null;
}
export interface BillRunsTable {
  id: Generated<number>;
  schedule_id: number;
  cycle: number;
  read_date: string;
  bill_date: string;
  due_date: string;
  status: 'running' | 'completed';
  started_at: Date;
  finished_at: Date | null;
  started_by: number | null;
  summary: unknown;
}
export interface BillsTable {
  id: Generated<number>;
  run_id: number | null;
  account_id: number;
  agreement_id: number;
  service: Service;
  customer_class: string;
  rate_code: string;
  period_from: string;
  period_to: string;
  bill_date: string;
  due_date: string;
  status: BillStatus;
  final: boolean;
  usage: string | null;
  usage_unit: string | null;
  demand_kw: string | null;
  estimated: boolean;
  estimates_in_row: number;
  total_cents: string;
  tax_cents: string;
  lines: unknown;
  received_kwh: string | null;
  banked_kwh: string | null;
  rebill_of: number | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  created_at: Date;
  posted_at: Date | null;
}
export interface BillExceptionsTable {
  id: Generated<number>;
  bill_id: number;
  code: string;
  message: string;
  status: Generated<'open' | 'approved' | 'recalculated' | 'cancelled'>;
  resolved_at: Date | null;
  resolved_by: number | null;
  resolution_reason: string | null;
  created_at: Date;
}
export interface BillValidationSettingsTable {
  customer_class: string;
  high_ratio: string;
  low_ratio: string;
  min_daily_cents: number;
  min_days: number;
  max_days: number;
  large_amount_cents: string;
  max_estimates_in_row: number;
  updated_at: Date | null;
  updated_by: number | null;
}
export interface TaxExemptionsTable {
  id: Generated<number>;
  account_id: number;
  tax_code: string;
  certificate: string | null;
  starts_on: string;
  ends_on: string | null;
  reason: string;
  created_at: Date;
  created_by: number | null;
}
export type TaxExemptionRow = Selectable<TaxExemptionsTable>;
export type BillingTables = {
  tax_exemptions: TaxExemptionsTable;
  billing_schedule: BillingScheduleTable;
  bill_runs: BillRunsTable;
  bills: BillsTable;
  bill_exceptions: BillExceptionsTable;
  bill_validation_settings: BillValidationSettingsTable;
};
export type ScheduleRow = Selectable<BillingScheduleTable>;
export type RunRow = Selectable<BillRunsTable>;
export type BillRow = Selectable<BillsTable>;
export type BillExceptionRow = Selectable<BillExceptionsTable>;

const t = (db: Db) => db.withTables<BillingTables>();

// ---- schedule ----

export const scheduleOfYear = (db: Db, year: number) =>
  t(db).selectFrom('billing_schedule').selectAll().where('year', '=', year).orderBy('month').orderBy('cycle').execute();
export const findScheduleEntry = (db: Db, id: number) => t(db).selectFrom('billing_schedule').selectAll().where('id', '=', id).executeTakeFirst();
/** The schedule entry of a cycle with the latest read date on or before a date. */
export const scheduleEntryOn = (db: Db, cycle: number, date: string) =>
  t(db).selectFrom('billing_schedule').selectAll().where('cycle', '=', cycle).where('read_date', '<=', date).orderBy('read_date', 'desc').limit(1).executeTakeFirst();
export async function upsertSchedule(db: Db, rows: Insertable<BillingScheduleTable>[]) {
  if (rows.length === 0) return [];
  return t(db).insertInto('billing_schedule').values(rows)
    .onConflict((oc) => oc.columns(['year', 'cycle', 'month']).doUpdateSet((eb) => ({
      read_date: eb.ref('excluded.read_date'), bill_date: eb.ref('excluded.bill_date'), due_date: eb.ref('excluded.due_date'),
      updated_at: eb.ref('excluded.updated_at'), updated_by: eb.ref('excluded.updated_by'),
    })))
    .returningAll().execute();
}
export const updateScheduleEntry = (db: Db, id: number, patch: Updateable<BillingScheduleTable>) =>
  t(db).updateTable('billing_schedule').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
/** The runs of a year's schedule entries, in one query. */
export const runsOfYear = (db: Db, year: number) =>
  t(db).selectFrom('bill_runs').innerJoin('billing_schedule', 'billing_schedule.id', 'bill_runs.schedule_id')
    .select(['bill_runs.schedule_id', 'bill_runs.id', 'bill_runs.status']).where('billing_schedule.year', '=', year).execute();
export const runOfSchedule = (db: Db, scheduleId: number) => t(db).selectFrom('bill_runs').selectAll().where('schedule_id', '=', scheduleId).executeTakeFirst();

// ---- runs ----

export const insertRun = (db: Db, row: Insertable<BillRunsTable>) =>
  t(db).insertInto('bill_runs').values(row).onConflict((oc) => oc.column('schedule_id').doNothing()).returningAll().executeTakeFirst();
export const findRun = (db: Db, id: number) => t(db).selectFrom('bill_runs').selectAll().where('id', '=', id).executeTakeFirst();
export const findRunForUpdate = (db: Db, scheduleId: number) => t(db).selectFrom('bill_runs').selectAll().where('schedule_id', '=', scheduleId).forUpdate().executeTakeFirst();
export const updateRun = (db: Db, id: number, patch: Updateable<BillRunsTable>) => t(db).updateTable('bill_runs').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
export const listRuns = (db: Db, q: { after: number; limit: number }) => {
  let query = t(db).selectFrom('bill_runs').selectAll().orderBy('id', 'desc').limit(q.limit + 1);
  if (q.after > 0) query = query.where('id', '<', q.after);
  return query.execute();
};

/** One agreement that may be due for a bill, with what the run needs to know about it. */
export interface DueAgreement {
  agreement_id: number;
  account_id: number;
  service_point_id: number;
  rate_code: string;
  start_date: string;
  end_date: string | null;
  final_bill_due: boolean;
  customer_class: string;
  service: Service;
  meter_id: number | null;
  meter_size: string | null;
  read_unit: string | null;
  last_to: string | null;
  banked_kwh: string | null;
  estimates_in_row: number | null;
  has_held: boolean;
}

/**
 * What the run needs of each agreement, over `agreements` (a FROM clause giving `sa` and `a`). The
 * chunk's form walks the cycle's accounts and reaches their agreements by index (a lateral join),
 * so a chunk never scans the agreements table whatever the planner's estimates.
 */
const dueSelect = (agreements: RawBuilder<unknown>) => sql`
    select sa.id::int8 as agreement_id, sa.account_id, sa.service_point_id, sa.rate_code, sa.start_date::text, sa.end_date::text, sa.final_bill_due,
           a.customer_class, sp.service, m.id as meter_id, m.size as meter_size, m.read_unit,
           lb.period_to::text as last_to, lb.banked_kwh::text, lb.estimates_in_row,
           -- A held bill is always its agreement's latest: later runs pass the agreement over until it is resolved.
           coalesce(lb.status = 'held', false) as has_held
      from ${agreements}
      join service_points sp on sp.id = sa.service_point_id
      left join meter_installations mi on mi.service_point_id = sa.service_point_id and mi.removed_on is null
      left join meters m on m.id = mi.meter_id
      left join lateral (
        select b.period_to, b.banked_kwh, b.estimates_in_row, b.run_id, b.status from bills b
         where b.agreement_id = sa.id and b.status <> 'cancelled' order by b.period_to desc limit 1) lb on true`;

const toDue = (r: DueAgreement): DueAgreement => ({ ...r, agreement_id: Number(r.agreement_id), account_id: Number(r.account_id), service_point_id: Number(r.service_point_id), meter_id: r.meter_id === null ? null : Number(r.meter_id) });

/**
 * The agreements of a cycle's accounts with ids in (afterAccount, upToAccount] (all of an account's
 * agreements come in one chunk) that started on or before the read date, are not billed up to the
 * read date or their end, and have no bill from this run yet. Walking the cycle's accounts by their
 * index reads only that cycle's rows.
 */
export async function agreementsDue(db: Db, q: { runId: number; cycle: number; readDate: string; afterAccount: number; upToAccount: number }): Promise<DueAgreement[]> {
  const chunk = sql`(select id, customer_class from accounts where billing_cycle = ${q.cycle} and id > ${q.afterAccount} and id <= ${q.upToAccount}) a
      cross join lateral (select * from service_agreements s where s.account_id = a.id) sa`;
  const { rows } = await sql<DueAgreement>`${dueSelect(chunk)}
     where sa.start_date <= ${q.readDate}::date
       and (lb.period_to is null or lb.period_to < least(${q.readDate}::date, coalesce(sa.end_date, ${q.readDate}::date)))
       and (lb.run_id is null or lb.run_id <> ${q.runId})
       -- An ended agreement never billed here was settled before: only a move-out's final bill is due.
       and (sa.end_date is null or lb.period_to is not null or sa.final_bill_due)
     order by sa.account_id, sa.id`.execute(db);
  return rows.map(toDue);
}

/** The last account id of the next `limit` accounts of a cycle after one (null when none are left). */
export async function lastAccountOfChunk(db: Db, q: { cycle: number; afterAccount: number; limit: number }): Promise<number | null> {
  const { rows } = await sql<{ id: number | null }>`
    select max(id) as id from (select id from accounts where billing_cycle = ${q.cycle} and id > ${q.afterAccount} order by id limit ${q.limit}) a`.execute(db);
  return rows[0]!.id === null ? null : Number(rows[0]!.id);
}

/**
 * About how many agreements a run will look at, for its progress bar: the cycle's agreements
 * started by the read date that are open or owe a final bill (no per-agreement lookups, so it is
 * quick; a run that resumes finds fewer).
 */
export async function countDue(db: Db, q: { cycle: number; readDate: string }): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from service_agreements sa join accounts a on a.id = sa.account_id
     where a.billing_cycle = ${q.cycle} and sa.start_date <= ${q.readDate}::date and (sa.end_date is null or sa.final_bill_due)`.execute(db);
  return rows[0]!.n;
}

/** One agreement as the run sees it, whatever its state (a final bill on demand). */
export async function agreementForBilling(db: Db, agreementId: number): Promise<DueAgreement | undefined> {
  const { rows } = await sql<DueAgreement>`${dueSelect(sql`service_agreements sa join accounts a on a.id = sa.account_id`)} where sa.id = ${agreementId}`.execute(db);
  return rows[0] ? toDue(rows[0]) : undefined;
}

/** Posted bills of the given agreements ending after a date, newest first per agreement. */
export const recentBills = (db: Db, agreementIds: number[], since: string) =>
  agreementIds.length === 0 ? Promise.resolve([]) :
    t(db).selectFrom('bills').select(['agreement_id', 'period_from', 'period_to', 'total_cents', 'demand_kw', 'estimated'])
      .where(sql<boolean>`agreement_id = any(${agreementIds}::int8[])`).where('status', '=', 'posted').where('period_to', '>', since)
      .orderBy('agreement_id').orderBy('period_to', 'desc').execute();

// ---- bills ----

/**
 * Inserts bills; one already live for an agreement and period end is skipped
 * (bill:{agreement}:{period}). The rows travel as one JSON document: one parameter, parsed by the
 * server, is much cheaper for thousands of rows than thousands of parameters.
 */
export async function insertBills(db: Db, rows: Insertable<BillsTable>[]) {
  if (rows.length === 0) return [];
  const { rows: inserted } = await sql<{ id: number; agreement_id: number; account_id: number; service: Service; status: BillStatus; bill_date: string; total_cents: string; tax_cents: string }>`
    insert into bills (run_id, account_id, agreement_id, service, customer_class, rate_code, period_from, period_to, bill_date, due_date, status, final,
                       usage, usage_unit, demand_kw, estimated, estimates_in_row, total_cents, tax_cents, lines, received_kwh, banked_kwh, rebill_of, created_at, posted_at)
    select run_id, account_id, agreement_id, service, customer_class, rate_code, period_from, period_to, bill_date, due_date, status, final,
           usage, usage_unit, demand_kw, estimated, estimates_in_row, total_cents, tax_cents, lines, received_kwh, banked_kwh, rebill_of, created_at, posted_at
      from json_populate_recordset(null::bills, ${JSON.stringify(rows)}::json)
    on conflict (agreement_id, period_to) where status <> 'cancelled' do nothing
    returning id, agreement_id, account_id, service, status, bill_date::text, total_cents::text, tax_cents::text`.execute(db);
  return inserted.map((r) => ({ ...r, id: Number(r.id), agreement_id: Number(r.agreement_id), account_id: Number(r.account_id) }));
}
const COPIED_COLUMNS = ['id', 'run_id', 'account_id', 'agreement_id', 'service', 'customer_class', 'rate_code', 'period_from', 'period_to', 'bill_date', 'due_date', 'status', 'final',
  'usage', 'usage_unit', 'demand_kw', 'estimated', 'estimates_in_row', 'total_cents', 'tax_cents', 'lines', 'received_kwh', 'banked_kwh', 'rebill_of', 'created_at', 'posted_at'] as const;

/**
 * New bills written by COPY (the billing run's chunks): ids drawn from the bills sequence first,
 * then the rows copied with them. Unlike insertBills a bill already there is not skipped: the
 * bills_once index refuses the whole COPY (error 23505), and the caller writes the chunk again
 * with insertBills.
 */
export async function copyNewBills(db: Db, rows: Insertable<BillsTable>[]) {
  if (rows.length === 0) return [];
  const ids = await drawIds(db, { table: 'bills' }, rows.length);
  const withIds = rows.map((r, i) => ({ ...r, id: ids[i]! }));
  await copyRows(db, 'bills', COPIED_COLUMNS, withIds.map((r) => COPIED_COLUMNS.map((c) => (r as Record<string, unknown>)[c] ?? null)));
  return withIds.map((r) => ({ id: r.id, agreement_id: r.agreement_id, account_id: r.account_id, service: r.service, status: r.status as BillStatus, bill_date: r.bill_date, total_cents: String(r.total_cents), tax_cents: String(r.tax_cents) }));
}
export const postedBillsOfRun = (db: Db, runId: number) =>
  t(db).selectFrom('bills').select(['id', 'account_id', 'total_cents', 'due_date']).where('run_id', '=', runId).where('status', '=', 'posted').orderBy('id').execute();
export const insertBill = (db: Db, row: Insertable<BillsTable>) => t(db).insertInto('bills').values(row).returningAll().executeTakeFirstOrThrow();
export const findBill = (db: Db, id: number) => t(db).selectFrom('bills').selectAll().where('id', '=', id).executeTakeFirst();
export const findBillForUpdate = (db: Db, id: number) => t(db).selectFrom('bills').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const updateBill = (db: Db, id: number, patch: Updateable<BillsTable>) => t(db).updateTable('bills').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
export const billsOfAccount = (db: Db, accountId: number, limit: number) =>
  t(db).selectFrom('bills').selectAll().where('account_id', '=', accountId).orderBy('period_to', 'desc').orderBy('id', 'desc').limit(limit).execute();

export const insertExceptions = (db: Db, rows: Insertable<BillExceptionsTable>[]) =>
  rows.length === 0 ? Promise.resolve([]) : t(db).insertInto('bill_exceptions').values(rows).execute();
export const exceptionsOfBill = (db: Db, billId: number) => t(db).selectFrom('bill_exceptions').selectAll().where('bill_id', '=', billId).orderBy('id').execute();
export const resolveExceptions = (db: Db, billId: number, status: 'approved' | 'recalculated' | 'cancelled', by: number | null, reason: string, at: Date) =>
  t(db).updateTable('bill_exceptions').set({ status, resolved_by: by, resolved_at: at, resolution_reason: reason }).where('bill_id', '=', billId).where('status', '=', 'open').execute();

/** The billing-exceptions queue: held bills, oldest first, with their open reasons. */
export async function heldBills(db: Db, q: { after: number; limit: number; code?: string; runId?: number }) {
  const { rows } = await sql<{ id: number; account_id: number; account_number: string; service: string; period_from: string; period_to: string; total_cents: string; codes: string[]; messages: string[]; created_at: Date }>`
    select b.id, b.account_id, a.account_number, b.service, b.period_from::text, b.period_to::text, b.total_cents::text,
           array_agg(e.code order by e.id) as codes, array_agg(e.message order by e.id) as messages, b.created_at
      from bills b
      join accounts a on a.id = b.account_id
      join bill_exceptions e on e.bill_id = b.id and e.status = 'open'
     where b.status = 'held' and b.id > ${q.after}
       ${q.runId ? sql`and b.run_id = ${q.runId}` : sql``}
       ${q.code ? sql`and exists (select 1 from bill_exceptions x where x.bill_id = b.id and x.status = 'open' and x.code = ${q.code})` : sql``}
     group by b.id, a.account_number
     order by b.id
     limit ${q.limit + 1}`.execute(db);
  return rows;
}

export const validationSettings = (db: Db) => t(db).selectFrom('bill_validation_settings').selectAll().orderBy('customer_class').execute();

/** Counts and sums of a run's bills, and of their ledger entries, for the control totals. */
export async function controlTotals(db: Db, runId: number) {
  const { rows } = await sql<{ status: string; bills: number; total: string; tax: string; ledger_entries: number; ledger_total: string }>`
    select b.status, count(*)::int as bills, coalesce(sum(b.total_cents), 0)::text as total, coalesce(sum(b.tax_cents), 0)::text as tax,
           count(e.id)::int as ledger_entries, coalesce(sum(e.amount_cents), 0)::text as ledger_total
      from bills b
      left join ledger_entries e on e.bill_id = b.id and e.kind = 'bill'
     where b.run_id = ${runId}
     group by b.status`.execute(db);
  return rows;
}

/** The billing register of a run: posted lines by service, class, kind, code and unit. */
export async function registerOfRun(db: Db, runId: number) {
  const { rows } = await sql<{ service: string; customer_class: string; kind: string; code: string; unit: string; lines: number; quantity: string; amount_cents: string }>`
    select b.service, b.customer_class, l->>${LINE_FIELD.kind}::int as kind, l->>${LINE_FIELD.code}::int as code, l->>${LINE_FIELD.unit}::int as unit, count(*)::int as lines,
           trim_scale(sum((l->>${LINE_FIELD.quantity}::int)::numeric))::text as quantity, sum((l->>${LINE_FIELD.amountCents}::int)::int8)::text as amount_cents
      from bills b cross join lateral json_array_elements(b.lines) l
     where b.run_id = ${runId} and b.status = 'posted'
     group by 1, 2, 3, 4, 5
     order by 1, 2, 3, 4, 5`.execute(db);
  return rows;
}

/** The live bills of one account made by one run (a statement), or the one bill when made on its own. */
export const statementBills = (db: Db, bill: BillRow) =>
  bill.run_id === null
    ? Promise.resolve([bill])
    : t(db).selectFrom('bills').selectAll().where('account_id', '=', bill.account_id).where('run_id', '=', bill.run_id).where('status', '<>', 'cancelled').orderBy('service').orderBy('id').execute();

/** The latest posted bill date of an account before a day. */
export const previousBillDate = async (db: Db, accountId: number, before: string): Promise<string | null> =>
  (await t(db).selectFrom('bills').select(sql<string | null>`max(bill_date)::text`.as('d')).where('account_id', '=', accountId).where('status', '=', 'posted').where('bill_date', '<', before).executeTakeFirstOrThrow()).d;

/** Use per posted bill of an agreement, the latest `limit` ending on or before a day, oldest first. */
export const usageHistory = async (db: Db, agreementId: number, upTo: string, limit: number) =>
  (await t(db).selectFrom('bills').select(['period_to', 'usage']).where('agreement_id', '=', agreementId).where('status', '=', 'posted')
    .where('period_to', '<=', upTo).orderBy('period_to', 'desc').limit(limit).execute()).reverse();

/** The accounts with posted bills in a run, in account order, one bill of each (for statements). */
export const accountsOfRun = (db: Db, runId: number, after: number, limit: number) =>
  t(db).selectFrom('bills').select(['account_id', sql<number>`min(id)`.as('bill_id')]).where('run_id', '=', runId).where('status', '=', 'posted')
    .where('account_id', '>', after).groupBy('account_id').orderBy('account_id').limit(limit).execute();

// ---- tax exemptions ----

export const insertTaxExemption = (db: Db, row: Insertable<TaxExemptionsTable>) => t(db).insertInto('tax_exemptions').values(row).returningAll().executeTakeFirstOrThrow();
export const findTaxExemption = (db: Db, id: number) => t(db).selectFrom('tax_exemptions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const endTaxExemption = (db: Db, id: number, endsOn: string) => t(db).updateTable('tax_exemptions').set({ ends_on: endsOn }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
export const taxExemptionsOfAccount = (db: Db, accountId: number) => t(db).selectFrom('tax_exemptions').selectAll().where('account_id', '=', accountId).orderBy('starts_on').orderBy('id').execute();

/** The tax codes each account is exempt from on its own day (a period's end), keyed `accountId:day`. */
export async function exemptionsOn(db: Db, items: { accountId: number; day: string }[]): Promise<Map<string, string[]>> {
  if (items.length === 0) return new Map();
  const { rows } = await sql<{ account_id: number; day: string; tax_code: string }>`
    select q.a as account_id, q.d::text as day, x.tax_code
      from unnest(${items.map((i) => i.accountId)}::int8[], ${items.map((i) => i.day)}::date[]) as q(a, d)
      join tax_exemptions x on x.account_id = q.a and x.starts_on <= q.d and (x.ends_on is null or x.ends_on >= q.d)`.execute(db);
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const key = `${Number(r.account_id)}:${r.day}`;
    out.set(key, [...(out.get(key) ?? []), r.tax_code]);
  }
  return out;
}
