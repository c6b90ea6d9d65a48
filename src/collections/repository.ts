/**
 * SQL for collections. Read-only views over other contexts' tables: `billingDueDates` (billing's
 * schedule, which the delinquency schedule follows), and for the daily run `candidates`,
 * `dueDatesOf` and `accountFacts` (accounts, customers, service agreements, bills and ledger
 * entries: who owes, since when, and where their service is).
 */
import { sql, type Generated, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../platform/db/database.ts';

export interface CollectionsSettingsTable {
  id: Generated<boolean>;
  late_fee_business_days: number;
  notice_business_days: number;
  mailed_notice_business_days: number;
  out_of_state_notice_business_days: number;
  minimum_past_due_cents: string;
  reconnect_fee_cents: string;
  after_hours_fee_cents: string;
  home_state: string;
  business_hours_from: string;
  business_hours_to: string;
  assistance_text: string;
  updated_at: Date | null;
  updated_by: number | null;
}
export type StepAction = 'late_fee' | 'past_due_notice' | 'disconnect_notice' | 'final_notice' | 'disconnect_order' | 'final_bill';
export interface CollectionStepsTable {
  code: string;
  position: number;
  action: StepAction;
  label: string;
  anchor: 'due_date' | 'previous_step' | 'disconnected';
  days: number;
  day_kind: 'business' | 'calendar';
  min_past_due_cents: string;
  customer_classes: string[] | null;
  fee_kind: 'flat' | 'percent' | null;
  fee_cents: string | null;
  fee_percent: string | null;
  fee_min_balance_cents: string;
  fee_reason_code: 'LATE_FEE' | 'FIELD_COLLECTION_FEE' | null;
  active: boolean;
  updated_at: Date | null;
  updated_by: number | null;
}
export interface CollectionCasesTable {
  id: Generated<string>;
  account_id: number;
  opened_on: string;
  due_date: string;
  status: 'open' | 'closed';
  step_code: string | null;
  step_on: string | null;
  disconnect_from: string | null;
  disconnected_on: string | null;
  closed_on: string | null;
  closed_reason: string | null;
  created_at: Date;
  updated_at: Date;
}
export type ActionKind = StepAction | 'reconnect_order' | 'order_cancelled' | 'case_opened' | 'case_closed' | 'skipped';
export interface CollectionActionsTable {
  id: Generated<string>;
  run_date: string;
  account_id: number;
  case_id: number | null;
  action: ActionKind;
  step_code: string | null;
  past_due_cents: string;
  fee_cents: string;
  ledger_entry_id: number | null;
  notice_id: number | null;
  order_ids: string[];
  protections: unknown;
  detail: string;
  created_at: Date;
  created_by: number | null;
}
export interface CollectionNoticesTable {
  id: Generated<string>;
  case_id: number;
  account_id: number;
  kind: 'past_due' | 'disconnect' | 'final';
  run_date: string;
  delivery: 'mail' | 'door_hanger';
  amount_cents: string;
  disconnect_from: string | null;
  content: unknown;
  created_at: Date;
}
export interface CollectionRunsTable {
  run_date: string;
  started_at: Date;
  finished_at: Date | null;
  started_by: number | null;
  result: unknown;
  print_file: string | null;
}
export interface DelinquencyScheduleTable {
  id: Generated<number>;
  billing_schedule_id: number;
  year: number;
  cycle: number;
  month: number;
  due_date: string;
  past_due_date: string;
  late_fee_date: string;
  notice_date: string;
  disconnect_eligible_date: string;
  disconnect_eligible_out_of_state_date: string;
  updated_at: Date;
  updated_by: number | null;
}
export type CollectionsTables = {
  collections_settings: CollectionsSettingsTable; delinquency_schedule: DelinquencyScheduleTable; collection_steps: CollectionStepsTable;
  collection_cases: CollectionCasesTable; collection_actions: CollectionActionsTable; collection_notices: CollectionNoticesTable; collection_runs: CollectionRunsTable;
};
export type StepRow = Selectable<CollectionStepsTable>;
export type CaseRow = Selectable<CollectionCasesTable>;
export type ActionRow = Selectable<CollectionActionsTable>;
export type NoticeRow = Selectable<CollectionNoticesTable>;
export type RunRow = Selectable<CollectionRunsTable>;
export type SettingsRow = Selectable<CollectionsSettingsTable>;
export type DelinquencyRow = Selectable<DelinquencyScheduleTable>;

const t = (db: Db) => db.withTables<CollectionsTables>();

export const settings = (db: Db) => t(db).selectFrom('collections_settings').selectAll().executeTakeFirstOrThrow();

/** The billing schedule's entries of a year, with their due dates. */
export async function billingDueDates(db: Db, year: number) {
  const { rows } = await sql<{ id: string; year: number; cycle: number; month: number; due_date: string }>`
    select id::text, year, cycle, month, due_date::text from billing_schedule where year = ${year} order by month, cycle`.execute(db);
  return rows.map((r) => ({ billingScheduleId: Number(r.id), year: r.year, cycle: r.cycle, month: r.month, dueDate: r.due_date }));
}

export async function upsertSchedule(db: Db, rows: Insertable<DelinquencyScheduleTable>[]) {
  if (rows.length === 0) return;
  await t(db).insertInto('delinquency_schedule').values(rows)
    .onConflict((oc) => oc.column('billing_schedule_id').doUpdateSet((eb) => ({
      due_date: eb.ref('excluded.due_date'), past_due_date: eb.ref('excluded.past_due_date'), late_fee_date: eb.ref('excluded.late_fee_date'), notice_date: eb.ref('excluded.notice_date'),
      disconnect_eligible_date: eb.ref('excluded.disconnect_eligible_date'), disconnect_eligible_out_of_state_date: eb.ref('excluded.disconnect_eligible_out_of_state_date'),
      updated_at: eb.ref('excluded.updated_at'), updated_by: eb.ref('excluded.updated_by'),
    }))).execute();
}

export const scheduleOfYear = (db: Db, year: number) =>
  t(db).selectFrom('delinquency_schedule').selectAll().where('year', '=', year).orderBy('month').orderBy('cycle').execute();

// ---- the collections path ----

export const steps = (db: Db) => t(db).selectFrom('collection_steps').selectAll().orderBy('position').execute();
export const updateSettingsRow = (db: Db, patch: Partial<Insertable<CollectionsSettingsTable>>) =>
  t(db).updateTable('collections_settings').set(patch).returningAll().executeTakeFirstOrThrow();
export const updateStepRow = (db: Db, code: string, patch: Partial<Insertable<CollectionStepsTable>>) =>
  t(db).updateTable('collection_steps').set(patch).where('code', '=', code).returningAll().executeTakeFirst();

/**
 * Accounts the run looks at: those with live service that owe more than their bills not yet due
 * (something older is unpaid), and those with an open case (which may have been paid since).
 */
export async function candidates(db: Db, date: string): Promise<number[]> {
  const { rows } = await sql<{ id: string }>`
    select l.account_id::text as id
      from ledger_entries l
     where l.account_id in (select account_id from service_agreements where start_date <= ${date} and (end_date is null or end_date >= ${date}))
     group by l.account_id
    having sum(l.amount_cents) > coalesce((select sum(b.total_cents) from bills b where b.account_id = l.account_id and b.status = 'posted' and b.due_date >= ${date}), 0)
    union
    select account_id::text from collection_cases where status = 'open'
    order by 1`.execute(db);
  return rows.map((r) => Number(r.id));
}

/**
 * When each unpaid charge falls due: a bill's own due date; any other charge (a fee, a deposit
 * instalment, a budget amount) with the first posted bill of the account dated on or after it.
 */
export async function dueDatesOf(db: Db, charges: { accountId: number; entryId: number; date: string }[]): Promise<Map<number, { dueDate: string | null; billId: number | null }>> {
  const out = new Map<number, { dueDate: string | null; billId: number | null }>();
  if (charges.length === 0) return out;
  const { rows } = await sql<{ entry_id: string; due_date: string | null; bill_id: string | null }>`
    select c.entry_id::text, coalesce(own.due_date, nxt.due_date)::text as due_date, coalesce(own.id, nxt.id)::text as bill_id
      from unnest(${charges.map((c) => c.entryId)}::int8[], ${charges.map((c) => c.accountId)}::int8[], ${charges.map((c) => c.date)}::date[]) as c(entry_id, account_id, entry_date)
      join ledger_entries l on l.id = c.entry_id
      left join bills own on own.id = l.bill_id and l.kind = 'bill'
      left join lateral (
        select b.id, b.due_date from bills b
         where own.id is null and b.account_id = c.account_id and b.status = 'posted' and b.bill_date >= c.entry_date
         order by b.bill_date, b.id limit 1
      ) nxt on true`.execute(db);
  for (const r of rows) out.set(Number(r.entry_id), { dueDate: r.due_date, billId: r.bill_id === null ? null : Number(r.bill_id) });
  return out;
}

export interface AccountFacts {
  accountId: number;
  accountNumber: string;
  customerName: string;
  customerClass: string;
  status: string;
  address: { line1: string; line2: string | null; city: string; state: string; postalCode: string };
  /** Live agreements on the day: the service point and its status. */
  services: { agreementId: number; servicePointId: number; service: string; pointStatus: string }[];
}

export async function accountFacts(db: Db, accountIds: number[], date: string): Promise<Map<number, AccountFacts>> {
  const out = new Map<number, AccountFacts>();
  if (accountIds.length === 0) return out;
  const { rows } = await sql<{ id: string; account_number: string; display_name: string; customer_class: string; status: string; billing_line1: string; billing_line2: string | null; billing_city: string; billing_state: string; billing_postal_code: string }>`
    select a.id::text, a.account_number, c.display_name, a.customer_class, a.status, a.billing_line1, a.billing_line2, a.billing_city, a.billing_state, a.billing_postal_code
      from accounts a join customers c on c.id = a.customer_id
     where a.id in (select unnest(${accountIds}::int8[]))`.execute(db);
  for (const r of rows) {
    out.set(Number(r.id), {
      accountId: Number(r.id), accountNumber: r.account_number, customerName: r.display_name, customerClass: r.customer_class, status: r.status,
      address: { line1: r.billing_line1, line2: r.billing_line2, city: r.billing_city, state: r.billing_state, postalCode: r.billing_postal_code },
      services: [],
    });
  }
  const { rows: points } = await sql<{ account_id: string; agreement_id: string; service_point_id: string; service: string; status: string }>`
    select g.account_id::text, g.id::text as agreement_id, p.id::text as service_point_id, p.service, p.status
      from service_agreements g join service_points p on p.id = g.service_point_id
     where g.account_id in (select unnest(${accountIds}::int8[])) and g.start_date <= ${date} and (g.end_date is null or g.end_date >= ${date})
     order by g.id`.execute(db);
  for (const p of points) out.get(Number(p.account_id))?.services.push({ agreementId: Number(p.agreement_id), servicePointId: Number(p.service_point_id), service: p.service, pointStatus: p.status });
  return out;
}

export const openCases = (db: Db, accountIds: number[]) =>
  accountIds.length === 0 ? Promise.resolve([]) : t(db).selectFrom('collection_cases').selectAll().where('status', '=', 'open').where('account_id', 'in', accountIds).execute();
export const openCaseOf = (db: Db, accountId: number) =>
  t(db).selectFrom('collection_cases').selectAll().where('status', '=', 'open').where('account_id', '=', accountId).forUpdate().executeTakeFirst();
export const casesOfAccount = (db: Db, accountId: number) =>
  t(db).selectFrom('collection_cases').selectAll().where('account_id', '=', accountId).orderBy('id', 'desc').limit(20).execute();
export const insertCase = (db: Db, row: Insertable<CollectionCasesTable>) => t(db).insertInto('collection_cases').values(row).returningAll().executeTakeFirstOrThrow();
export const updateCase = (db: Db, id: number, patch: Partial<Insertable<CollectionCasesTable>>) =>
  t(db).updateTable('collection_cases').set(patch).where('id', '=', String(id)).returningAll().executeTakeFirstOrThrow();
export const listOpenCases = (db: Db, q: { after: number; limit: number; stepCode?: string }) => {
  let query = t(db).selectFrom('collection_cases').selectAll().where('status', '=', 'open').where('id', '>', String(q.after));
  if (q.stepCode) query = query.where('step_code', '=', q.stepCode);
  return query.orderBy('id').limit(q.limit).execute();
};

export const insertAction = (db: Db, row: Insertable<CollectionActionsTable>) =>
  t(db).insertInto('collection_actions').values(row).returningAll().executeTakeFirstOrThrow();
export const actionsOfRun = (db: Db, date: string) => t(db).selectFrom('collection_actions').selectAll().where('run_date', '=', date).orderBy('id').execute();
export const actionsOfAccount = (db: Db, accountId: number, limit = 100) =>
  t(db).selectFrom('collection_actions').selectAll().where('account_id', '=', accountId).orderBy('id', 'desc').limit(limit).execute();
export const actionsOfCase = (db: Db, caseId: number) => t(db).selectFrom('collection_actions').selectAll().where('case_id', '=', caseId).orderBy('id').execute();

export const insertNotice = (db: Db, row: Insertable<CollectionNoticesTable>) =>
  t(db).insertInto('collection_notices').values(row).returningAll().executeTakeFirstOrThrow();
/** The case's notices of a kind, newest first. */
export const noticesOfCase = (db: Db, caseId: number, kind: CollectionNoticesTable['kind']) =>
  t(db).selectFrom('collection_notices').selectAll().where('case_id', '=', caseId).where('kind', '=', kind).orderBy('id', 'desc').execute();
/** The day an agreement is billed to (its latest live bill's period end), if billed. */
export async function billedTo(db: Db, agreementId: number): Promise<string | null> {
  const { rows } = await sql<{ to: string | null }>`select max(period_to)::text as to from bills where agreement_id = ${agreementId} and status in ('posted', 'held')`.execute(db);
  return rows[0]?.to ?? null;
}
export const noticeById = (db: Db, id: number) => t(db).selectFrom('collection_notices').selectAll().where('id', '=', String(id)).executeTakeFirst();
export const noticesOfRun = (db: Db, date: string) => t(db).selectFrom('collection_notices').selectAll().where('run_date', '=', date).orderBy('id').execute();
export const noticesOfAccount = (db: Db, accountId: number) => t(db).selectFrom('collection_notices').selectAll().where('account_id', '=', accountId).orderBy('id', 'desc').limit(50).execute();

export const runOf = (db: Db, date: string) => t(db).selectFrom('collection_runs').selectAll().where('run_date', '=', date).executeTakeFirst();
export const insertRun = (db: Db, row: Insertable<CollectionRunsTable>) => t(db).insertInto('collection_runs').values(row).onConflict((oc) => oc.column('run_date').doNothing()).returningAll().executeTakeFirst();
/** Claims an unfinished run of a date last started before `staleBefore` (a run that stopped): true when claimed. */
export async function claimStoppedRun(db: Db, date: string, staleBefore: Date, now: Date, by: number | null): Promise<boolean> {
  const r = await t(db).updateTable('collection_runs').set({ started_at: now, started_by: by }).where('run_date', '=', date).where('finished_at', 'is', null).where('started_at', '<', staleBefore).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
export const touchRun = (db: Db, date: string, now: Date) => t(db).updateTable('collection_runs').set({ started_at: now }).where('run_date', '=', date).where('finished_at', 'is', null).execute();
export const finishRun = (db: Db, date: string, patch: { finished_at: Date; result: unknown; print_file: string }) =>
  t(db).updateTable('collection_runs').set({ ...patch, result: JSON.stringify(patch.result) }).where('run_date', '=', date).execute();
export const listRuns = (db: Db, limit: number) => t(db).selectFrom('collection_runs').select(['run_date', 'started_at', 'finished_at', 'started_by', 'result']).orderBy('run_date', 'desc').limit(limit).execute();
