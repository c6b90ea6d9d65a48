/**
 * SQL for energy assistance: settings, agencies, programs, pledges, agency payments, their items
 * and the agency files. The pledge lists read the account's number and customer's name (a
 * read-only view over the customer context's tables, as the budget plans list does).
 */
import { sql, type Generated, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { PledgeStatus } from './rules.ts';

export interface AssistanceSettingsTable {
  id: Generated<boolean>;
  default_validity_days: number;
  updated_at: Date | null;
  updated_by: number | null;
}
export interface AgenciesTable {
  id: Generated<number>;
  code: string;
  name: string;
  contact_name: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  file_layout: unknown;
  active: Generated<boolean>;
  created_at: Date;
  created_by: number | null;
  updated_at: Date | null;
  updated_by: number | null;
}
export interface ProgramsTable {
  id: Generated<number>;
  agency_id: number;
  code: string;
  name: string;
  low_income: Generated<boolean>;
  funding_year: number | null;
  season_from: string | null;
  season_to: string | null;
  active: Generated<boolean>;
  created_at: Date;
  created_by: number | null;
  updated_at: Date | null;
  updated_by: number | null;
}
export interface PledgesTable {
  id: Generated<number>;
  account_id: number;
  program_id: number;
  reference: string | null;
  amount_cents: string;
  pledged_on: string;
  expires_on: string;
  status: PledgeStatus;
  received_cents: Generated<string>;
  alert_id: number | null;
  closed_on: string | null;
  cancel_reason: string | null;
  created_at: Date;
  created_by: number | null;
}
export interface ImportsTable {
  id: Generated<number>;
  file_name: string;
  sha256: string;
  bytes: Uint8Array;
  records: number;
  applied: number;
  suspense: number;
  total_cents: string;
  detail: unknown;
  imported_at: Date;
  imported_by: number | null;
}
export interface AgencyPaymentsTable {
  id: Generated<number>;
  agency_id: number;
  source: 'check' | 'file';
  check_number: string | null;
  received_on: string;
  total_cents: string;
  batch_id: number;
  import_id: number | null;
  request_sha256: string | null;
  note: string | null;
  created_at: Date;
  created_by: number | null;
}
export interface PledgePaymentsTable {
  id: Generated<number>;
  agency_payment_id: number;
  payment_id: number;
  pledge_id: number | null;
  amount_cents: string;
  item_no: number;
  in_suspense: Generated<boolean>;
  created_at: Date;
  created_by: number | null;
}
export type AssistanceTables = {
  assistance_settings: AssistanceSettingsTable;
  assistance_agencies: AgenciesTable;
  assistance_programs: ProgramsTable;
  assistance_pledges: PledgesTable;
  assistance_imports: ImportsTable;
  assistance_agency_payments: AgencyPaymentsTable;
  assistance_pledge_payments: PledgePaymentsTable;
};
export type AgencyRow = Selectable<AgenciesTable>;
export type ProgramRow = Selectable<ProgramsTable>;
export type PledgeRow = Selectable<PledgesTable>;
export type AgencyPaymentRow = Selectable<AgencyPaymentsTable>;
export type PledgePaymentRow = Selectable<PledgePaymentsTable>;
export type ImportRow = Omit<Selectable<ImportsTable>, 'bytes'>;

const t = (db: Db) => db.withTables<AssistanceTables>();
const n = (v: unknown) => Number(v);
const nn = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const toAgency = (r: AgencyRow): AgencyRow => ({ ...r, id: n(r.id) });
const toProgram = (r: ProgramRow): ProgramRow => ({ ...r, id: n(r.id), agency_id: n(r.agency_id) });
const toPledge = (r: PledgeRow): PledgeRow => ({ ...r, id: n(r.id), account_id: n(r.account_id), program_id: n(r.program_id), alert_id: nn(r.alert_id) });
const toAgencyPayment = (r: AgencyPaymentRow): AgencyPaymentRow => ({ ...r, id: n(r.id), agency_id: n(r.agency_id), batch_id: n(r.batch_id), import_id: nn(r.import_id) });
const toPledgePayment = (r: PledgePaymentRow): PledgePaymentRow => ({ ...r, id: n(r.id), agency_payment_id: n(r.agency_payment_id), payment_id: n(r.payment_id), pledge_id: nn(r.pledge_id) });

// ---- settings ----
export const settings = (db: Db) => t(db).selectFrom('assistance_settings').selectAll().executeTakeFirstOrThrow();
export const updateSettings = (db: Db, patch: Updateable<AssistanceSettingsTable>) => t(db).updateTable('assistance_settings').set(patch).returningAll().executeTakeFirstOrThrow();

// ---- agencies and programs ----
export const insertAgency = async (db: Db, row: Insertable<AgenciesTable>) => toAgency(await t(db).insertInto('assistance_agencies').values(row).returningAll().executeTakeFirstOrThrow());
export const updateAgency = async (db: Db, id: number, patch: Updateable<AgenciesTable>) => toAgency(await t(db).updateTable('assistance_agencies').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow());
export const findAgency = async (db: Db, id: number) => {
  const r = await t(db).selectFrom('assistance_agencies').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toAgency(r) : undefined;
};
export const findAgencyByCode = async (db: Db, code: string) => {
  const r = await t(db).selectFrom('assistance_agencies').selectAll().where('code', '=', code).executeTakeFirst();
  return r ? toAgency(r) : undefined;
};
export const agencies = async (db: Db) => (await t(db).selectFrom('assistance_agencies').selectAll().orderBy('code').execute()).map(toAgency);

export const insertProgram = async (db: Db, row: Insertable<ProgramsTable>) => toProgram(await t(db).insertInto('assistance_programs').values(row).returningAll().executeTakeFirstOrThrow());
export const updateProgram = async (db: Db, id: number, patch: Updateable<ProgramsTable>) => toProgram(await t(db).updateTable('assistance_programs').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow());
export const findProgram = async (db: Db, id: number) => {
  const r = await t(db).selectFrom('assistance_programs').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toProgram(r) : undefined;
};
export const programsByCode = async (db: Db, code: string) => (await t(db).selectFrom('assistance_programs').selectAll().where('code', '=', code).orderBy('id').execute()).map(toProgram);
export const programs = async (db: Db, agencyId?: number) => {
  let q = t(db).selectFrom('assistance_programs').selectAll();
  if (agencyId !== undefined) q = q.where('agency_id', '=', agencyId);
  return (await q.orderBy('agency_id').orderBy('code').execute()).map(toProgram);
};

// ---- pledges ----
export const insertPledge = async (db: Db, row: Insertable<PledgesTable>) => toPledge(await t(db).insertInto('assistance_pledges').values(row).returningAll().executeTakeFirstOrThrow());
export const updatePledge = async (db: Db, id: number, patch: Updateable<PledgesTable>) => toPledge(await t(db).updateTable('assistance_pledges').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow());
export const findPledge = async (db: Db, id: number) => {
  const r = await t(db).selectFrom('assistance_pledges').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toPledge(r) : undefined;
};
export const findPledgeForUpdate = async (db: Db, id: number) => {
  const r = await t(db).selectFrom('assistance_pledges').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return r ? toPledge(r) : undefined;
};
/** A pledge by the agency's number for it, among the agency's programs. */
export async function pledgeByReference(db: Db, agencyId: number, reference: string) {
  const { rows } = await sql<PledgeRow>`
    select p.* from assistance_pledges p join assistance_programs g on g.id = p.program_id
     where g.agency_id = ${agencyId} and p.reference = ${reference} order by p.id`.execute(db);
  return rows.map(toPledge);
}

export type PledgeView = PledgeRow & { agency_id: number; agency_code: string; agency_name: string; program_code: string; program_name: string; low_income: boolean; account_number: string; customer_name: string };
const pledgeView = (r: PledgeView): PledgeView => ({ ...r, ...toPledge(r), agency_id: n(r.agency_id) });
const VIEW = sql`
  select p.*, p.pledged_on::text as pledged_on, p.expires_on::text as expires_on, p.closed_on::text as closed_on,
         g.agency_id, a.code as agency_code, a.name as agency_name, g.code as program_code, g.name as program_name, g.low_income,
         acc.account_number, c.display_name as customer_name
    from assistance_pledges p
    join assistance_programs g on g.id = p.program_id
    join assistance_agencies a on a.id = g.agency_id
    join accounts acc on acc.id = p.account_id
    join customers c on c.id = acc.customer_id`;

/** Pledges with their program, agency, account number and customer, by id. */
export async function pledgeViews(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  const { rows } = await sql<PledgeView>`${VIEW} where p.id = any(${ids}::int8[]) order by p.id`.execute(db);
  return rows.map(pledgeView);
}
/** An account's pledges, newest first. */
export async function pledgesOfAccount(db: Db, accountId: number) {
  const { rows } = await sql<PledgeView>`${VIEW} where p.account_id = ${accountId} order by p.pledged_on desc, p.id desc`.execute(db);
  return rows.map(pledgeView);
}
/** Some accounts' pledges of one agency (the candidates an agency payment may be for), locked for the payment's transaction. */
export async function pledgesOfAgencyFor(db: Db, agencyId: number, accountIds: number[]) {
  if (accountIds.length === 0) return [];
  const { rows } = await sql<PledgeView>`${VIEW} where g.agency_id = ${agencyId} and p.account_id = any(${accountIds}::int8[]) order by p.id for update of p`.execute(db);
  return rows.map(pledgeView);
}
/** The pledges list: newest first, cursor `after` (the last id seen), by status, agency, program, account; `flagged`: the lapsed ones. */
export async function listPledges(db: Db, q: { status?: PledgeStatus[]; agencyId?: number; programId?: number; accountId?: number; flagged?: boolean; after: number; limit: number }) {
  const { rows } = await sql<PledgeView>`${VIEW}
     where (${q.after}::int8 = 0 or p.id < ${q.after}::int8)
       ${q.status && q.status.length > 0 ? sql`and p.status = any(${q.status}::text[])` : sql``}
       ${q.flagged ? sql`and p.status = 'expired'` : sql``}
       ${q.agencyId ? sql`and g.agency_id = ${q.agencyId}` : sql``}
       ${q.programId ? sql`and p.program_id = ${q.programId}` : sql``}
       ${q.accountId ? sql`and p.account_id = ${q.accountId}` : sql``}
     order by p.id desc limit ${q.limit + 1}`.execute(db);
  return rows.map(pledgeView);
}
/** Open or partly paid pledges whose expiry date is before a day (the review expires them). */
export const lapsedBefore = async (db: Db, day: string) =>
  (await t(db).selectFrom('assistance_pledges').selectAll().where('status', 'in', ['open', 'partial']).where('expires_on', '<', day).orderBy('id').execute()).map(toPledge);
/** An account's open pledges that hold collection on a day (pledged by then, not expired). */
export const holdingPledges = async (db: Db, accountId: number, day: string) =>
  (await t(db).selectFrom('assistance_pledges').selectAll().where('account_id', '=', accountId).where('status', 'in', ['open', 'partial'])
    .where('pledged_on', '<=', day).where('expires_on', '>=', day).orderBy('expires_on', 'desc').orderBy('id').execute()).map(toPledge);
/** Whether an account had a pledge (not cancelled) from a low-income program pledged in a range of days. */
export async function hasLowIncomePledge(db: Db, accountId: number, from: string, to: string): Promise<boolean> {
  const { rows } = await sql<{ x: number }>`
    select 1 as x from assistance_pledges p join assistance_programs g on g.id = p.program_id
     where p.account_id = ${accountId} and g.low_income and p.status <> 'cancelled' and p.pledged_on between ${from}::date and ${to}::date limit 1`.execute(db);
  return rows.length > 0;
}
/** What the report counts: every pledge pledged in a range (either end open), with its agency and program. */
export async function reportPledges(db: Db, q: { from: string | null; to: string | null; agencyId?: number }) {
  const { rows } = await sql<{ agency_id: string; agency_code: string; agency_name: string; program_id: string; program_code: string; program_name: string; status: PledgeStatus; amount_cents: string; received_cents: string }>`
    select a.id as agency_id, a.code as agency_code, a.name as agency_name, g.id as program_id, g.code as program_code, g.name as program_name,
           p.status, p.amount_cents::text as amount_cents, p.received_cents::text as received_cents
      from assistance_pledges p join assistance_programs g on g.id = p.program_id join assistance_agencies a on a.id = g.agency_id
     where true
       ${q.from ? sql`and p.pledged_on >= ${q.from}::date` : sql``}
       ${q.to ? sql`and p.pledged_on <= ${q.to}::date` : sql``}
       ${q.agencyId ? sql`and a.id = ${q.agencyId}` : sql``}`.execute(db);
  return rows.map((r) => ({
    agencyId: n(r.agency_id), agencyCode: r.agency_code, agencyName: r.agency_name, programId: n(r.program_id), programCode: r.program_code, programName: r.program_name,
    status: r.status, amountCents: n(r.amount_cents), receivedCents: n(r.received_cents),
  }));
}

// ---- agency payments and their items ----
export const insertAgencyPayment = async (db: Db, row: Insertable<AgencyPaymentsTable>) => toAgencyPayment(await t(db).insertInto('assistance_agency_payments').values(row).returningAll().executeTakeFirstOrThrow());
export const findAgencyPayment = async (db: Db, id: number) => {
  const r = await t(db).selectFrom('assistance_agency_payments').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toAgencyPayment(r) : undefined;
};
export const agencyCheck = async (db: Db, agencyId: number, checkNumber: string) => {
  const r = await t(db).selectFrom('assistance_agency_payments').selectAll().where('agency_id', '=', agencyId).where('source', '=', 'check').where('check_number', '=', checkNumber).executeTakeFirst();
  return r ? toAgencyPayment(r) : undefined;
};
export async function agencyPayments(db: Db, q: { agencyId?: number; after: number; limit: number }) {
  const { rows } = await sql<AgencyPaymentRow & { agency_code: string; agency_name: string; items: number; suspense: number }>`
    select ap.*, ap.received_on::text as received_on, a.code as agency_code, a.name as agency_name,
           (select count(*)::int from assistance_pledge_payments pp where pp.agency_payment_id = ap.id) as items,
           (select count(*)::int from assistance_pledge_payments pp where pp.agency_payment_id = ap.id and pp.in_suspense) as suspense
      from assistance_agency_payments ap join assistance_agencies a on a.id = ap.agency_id
     where (${q.after}::int8 = 0 or ap.id < ${q.after}::int8) ${q.agencyId ? sql`and ap.agency_id = ${q.agencyId}` : sql``}
     order by ap.id desc limit ${q.limit + 1}`.execute(db);
  return rows.map((r) => ({ ...toAgencyPayment(r), agency_code: r.agency_code, agency_name: r.agency_name, items: r.items, suspense: r.suspense }));
}
export async function insertPledgePayments(db: Db, rows: Insertable<PledgePaymentsTable>[]) {
  if (rows.length === 0) return [];
  return (await t(db).insertInto('assistance_pledge_payments').values(rows).returningAll().execute()).map(toPledgePayment);
}
export const updatePledgePayment = async (db: Db, id: number, patch: Updateable<PledgePaymentsTable>) =>
  toPledgePayment(await t(db).updateTable('assistance_pledge_payments').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow());
export const itemsOfAgencyPayment = async (db: Db, agencyPaymentId: number) =>
  (await t(db).selectFrom('assistance_pledge_payments').selectAll().where('agency_payment_id', '=', agencyPaymentId).orderBy('item_no').orderBy('id').execute()).map(toPledgePayment);
export const paymentsOfPledge = async (db: Db, pledgeId: number) =>
  (await t(db).selectFrom('assistance_pledge_payments').selectAll().where('pledge_id', '=', pledgeId).orderBy('id').execute()).map(toPledgePayment);
/** Items that went to suspense and have not been matched since. */
export const itemsInSuspense = async (db: Db) =>
  (await t(db).selectFrom('assistance_pledge_payments').selectAll().where('in_suspense', '=', true).orderBy('id').execute()).map(toPledgePayment);

// ---- files ----
export const findImport = (db: Db, sha256: string) =>
  t(db).selectFrom('assistance_imports').select(['id', 'file_name', 'sha256', 'records', 'applied', 'suspense', 'total_cents', 'detail', 'imported_at', 'imported_by']).where('sha256', '=', sha256).executeTakeFirst();
export const insertImport = (db: Db, row: Insertable<ImportsTable>) => t(db).insertInto('assistance_imports').values(row).returning(['id']).executeTakeFirstOrThrow();
export const updateImport = (db: Db, id: number, patch: Updateable<ImportsTable>) => t(db).updateTable('assistance_imports').set(patch).where('id', '=', id).execute();
export const imports = (db: Db, limit: number) =>
  t(db).selectFrom('assistance_imports').select(['id', 'file_name', 'sha256', 'records', 'applied', 'suspense', 'total_cents', 'detail', 'imported_at', 'imported_by']).orderBy('id', 'desc').limit(limit).execute();
export const importBytes = (db: Db, id: number) => t(db).selectFrom('assistance_imports').select(['file_name', 'bytes']).where('id', '=', id).executeTakeFirst();
