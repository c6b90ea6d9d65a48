/**
 * SQL for deceased cases, their accounts, creditor claims, survivor transfers and the settings.
 * The lists read accounts and customers to name them (read-only).
 */
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { ClaimStatus } from './rules.ts';

export type CaseStatus = 'open' | 'estate_claim' | 'transferred' | 'closed';
export type Source = 'staff' | 'ach_r14' | 'ach_r15';

export interface CaseRow {
  id: number;
  customer_id: number;
  customer_name: string;
  status: CaseStatus;
  source: Source;
  date_of_death: string | null;
  notified_on: string;
  notified_by: string | null;
  relationship: string | null;
  payment_id: number | null;
  representative_name: string | null;
  representative_address: string | null;
  representative_phone: string | null;
  probate_court: string | null;
  probate_case_number: string | null;
  first_publication_on: string | null;
  estate_attorney: string | null;
  closed_on: string | null;
  close_reason: string | null;
  created_at: Date;
}
export interface CaseAccountRow { case_id: number; account_id: number; account_number: string; account_status: string; alert_id: number | null }
export interface ClaimRow {
  id: number;
  case_id: number;
  account_id: number;
  account_number: string;
  customer_name: string;
  first_publication_on: string | null;
  amount_cents: string;
  status: ClaimStatus;
  filed_on: string | null;
  decided_on: string | null;
  settled_on: string | null;
  writeoff_entry_id: number | null;
  note: string | null;
  created_at: Date;
}
export interface TransferRow {
  id: number;
  case_id: number;
  from_account_id: number;
  survivor_customer_id: number;
  survivor_name: string;
  survivor_account_id: number;
  survivor_account_number: string;
  last_day: string;
  order_ids: number[];
  reason: string;
  created_at: Date;
}
export interface SettingsRow { claim_months: number; warn_days: number }

export const settings = async (db: Db) => (await sql<SettingsRow>`select claim_months, warn_days from deceased_settings`.execute(db)).rows[0]!;
export const updateSettings = async (db: Db, s: SettingsRow, at: Date, by: number | null) =>
  (await sql<SettingsRow>`update deceased_settings set claim_months = ${s.claim_months}, warn_days = ${s.warn_days}, updated_at = ${at}, updated_by = ${by} returning claim_months, warn_days`.execute(db)).rows[0]!;

const caseColumns = sql`c.id, c.customer_id, cu.display_name as customer_name, c.status, c.source, c.date_of_death::text, c.notified_on::text, c.notified_by, c.relationship, c.payment_id,
  c.representative_name, c.representative_address, c.representative_phone, c.probate_court, c.probate_case_number, c.first_publication_on::text, c.estate_attorney,
  c.closed_on::text, c.close_reason, c.created_at`;

export const findCase = async (db: Db, id: number, lock = false) =>
  (await sql<CaseRow>`select ${caseColumns} from deceased_cases c join customers cu on cu.id = c.customer_id where c.id = ${id} ${lock ? sql`for update of c` : sql``}`.execute(db)).rows[0];
/** The customer's case not yet closed, if any (locked: notices of one customer take turns). */
export const liveCaseOfCustomer = async (db: Db, customerId: number) =>
  (await sql<CaseRow>`select ${caseColumns} from deceased_cases c join customers cu on cu.id = c.customer_id where c.customer_id = ${customerId} and c.status <> 'closed' for update of c`.execute(db)).rows[0];
export const lockCustomerNotices = (db: Db, customerId: number) => sql`select pg_advisory_xact_lock(hashtext('deceased_case'), ${customerId}::int4)`.execute(db);

export const listCases = async (db: Db, q: { status?: CaseStatus; open?: boolean; after: number; limit: number }) =>
  (await sql<CaseRow>`
    select ${caseColumns} from deceased_cases c join customers cu on cu.id = c.customer_id
     where (${q.after}::int8 = 0 or c.id < ${q.after}::int8)
       ${q.status ? sql`and c.status = ${q.status}` : sql``}
       ${q.open ? sql`and c.status <> 'closed'` : sql``}
     order by c.id desc limit ${q.limit + 1}`.execute(db)).rows;
export const caseIdsOfAccount = async (db: Db, accountId: number) =>
  (await sql<{ case_id: number }>`select case_id from deceased_case_accounts where account_id = ${accountId} order by case_id desc`.execute(db)).rows.map((r) => Number(r.case_id));

export const insertCase = async (db: Db, c: { customerId: number; source: Source; dateOfDeath: string | null; notifiedOn: string; notifiedBy: string | null; relationship: string | null; paymentId: number | null; at: Date; by: number | null }) =>
  Number((await sql<{ id: string }>`
    insert into deceased_cases (customer_id, status, source, date_of_death, notified_on, notified_by, relationship, payment_id, created_at, created_by, updated_at)
    values (${c.customerId}, 'open', ${c.source}, ${c.dateOfDeath}::date, ${c.notifiedOn}::date, ${c.notifiedBy}, ${c.relationship}, ${c.paymentId}, ${c.at}, ${c.by}, ${c.at})
    returning id::text`.execute(db)).rows[0]!.id);

export interface EstatePatch {
  date_of_death?: string | null;
  representative_name?: string | null;
  representative_address?: string | null;
  representative_phone?: string | null;
  probate_court?: string | null;
  probate_case_number?: string | null;
  first_publication_on?: string | null;
  estate_attorney?: string | null;
}
export const updateEstate = (db: Db, id: number, p: EstatePatch, at: Date) => {
  const sets = Object.entries(p).filter(([, v]) => v !== undefined).map(([k, v]) => (k === 'date_of_death' || k === 'first_publication_on' ? sql`${sql.ref(k)} = ${v}::date` : sql`${sql.ref(k)} = ${v}`));
  return sql`update deceased_cases set ${sql.join([...sets, sql`updated_at = ${at}`])} where id = ${id}`.execute(db);
};
export const setStatus = (db: Db, id: number, status: CaseStatus, at: Date, close: { on: string; reason: string } | null = null) =>
  sql`update deceased_cases set status = ${status}, updated_at = ${at} ${close ? sql`, closed_on = ${close.on}::date, close_reason = ${close.reason}` : sql``} where id = ${id}`.execute(db);

export const accountsOfCases = async (db: Db, caseIds: number[]) =>
  (await sql<CaseAccountRow>`
    select ca.case_id, ca.account_id, a.account_number, a.status as account_status, ca.alert_id
      from deceased_case_accounts ca join accounts a on a.id = ca.account_id where ca.case_id = any(${caseIds}::int8[]) order by ca.case_id, ca.account_id`.execute(db)).rows;
export const insertCaseAccount = (db: Db, caseId: number, accountId: number, alertId: number | null) =>
  sql`insert into deceased_case_accounts (case_id, account_id, alert_id) values (${caseId}, ${accountId}, ${alertId}) on conflict do nothing`.execute(db);

const claimColumns = sql`k.id, k.case_id, k.account_id, a.account_number, cu.display_name as customer_name, c.first_publication_on::text, k.amount_cents::text, k.status,
  k.filed_on::text, k.decided_on::text, k.settled_on::text, k.writeoff_entry_id, k.note, k.created_at`;
const claimFrom = sql`deceased_claims k join deceased_cases c on c.id = k.case_id join accounts a on a.id = k.account_id join customers cu on cu.id = c.customer_id`;

export const findClaim = async (db: Db, id: number, lock = false) =>
  (await sql<ClaimRow>`select ${claimColumns} from ${claimFrom} where k.id = ${id} ${lock ? sql`for update of k` : sql``}`.execute(db)).rows[0];
export const claimsOfCases = async (db: Db, caseIds: number[]) =>
  (await sql<ClaimRow>`select ${claimColumns} from ${claimFrom} where k.case_id = any(${caseIds}::int8[]) order by k.case_id, k.id`.execute(db)).rows;
export const listClaims = async (db: Db, q: { status?: ClaimStatus; after: number; limit: number }) =>
  (await sql<ClaimRow>`
    select ${claimColumns} from ${claimFrom}
     where (${q.after}::int8 = 0 or k.id < ${q.after}::int8) ${q.status ? sql`and k.status = ${q.status}` : sql``}
     order by k.id desc limit ${q.limit + 1}`.execute(db)).rows;
/** Claims not filed yet whose case has a first publication (the due-soon list filters them by deadline). */
export const draftClaimsWithDeadline = async (db: Db) =>
  (await sql<ClaimRow>`select ${claimColumns} from ${claimFrom} where k.status = 'draft' and c.first_publication_on is not null and c.status <> 'closed' order by c.first_publication_on, k.id`.execute(db)).rows;
export const insertClaim = async (db: Db, c: { caseId: number; accountId: number; amountCents: number; note: string | null; at: Date; by: number | null }) =>
  Number((await sql<{ id: string }>`
    insert into deceased_claims (case_id, account_id, amount_cents, status, note, created_at, created_by, updated_at)
    values (${c.caseId}, ${c.accountId}, ${c.amountCents}, 'draft', ${c.note}, ${c.at}, ${c.by}, ${c.at}) returning id::text`.execute(db)).rows[0]!.id);
export const stepClaim = (db: Db, id: number, p: { status: ClaimStatus; filedOn?: string; decidedOn?: string; settledOn?: string; writeoffEntryId?: number | null; at: Date }) =>
  sql`update deceased_claims set status = ${p.status}, updated_at = ${p.at}
        ${p.filedOn ? sql`, filed_on = ${p.filedOn}::date` : sql``}
        ${p.decidedOn ? sql`, decided_on = ${p.decidedOn}::date` : sql``}
        ${p.settledOn ? sql`, settled_on = ${p.settledOn}::date` : sql``}
        ${p.writeoffEntryId !== undefined ? sql`, writeoff_entry_id = ${p.writeoffEntryId}` : sql``}
      where id = ${id}`.execute(db);

export const transfersOfCases = async (db: Db, caseIds: number[]) =>
  (await sql<TransferRow>`
    select t.id, t.case_id, t.from_account_id, t.survivor_customer_id, cu.display_name as survivor_name, t.survivor_account_id, a.account_number as survivor_account_number,
           t.last_day::text, t.order_ids, t.reason, t.created_at
      from deceased_transfers t join customers cu on cu.id = t.survivor_customer_id join accounts a on a.id = t.survivor_account_id
     where t.case_id = any(${caseIds}::int8[]) order by t.case_id, t.id`.execute(db)).rows;
export const insertTransfer = async (db: Db, t: { caseId: number; fromAccountId: number; survivorCustomerId: number; survivorAccountId: number; lastDay: string; orderIds: number[]; reason: string; at: Date; by: number | null }) =>
  Number((await sql<{ id: string }>`
    insert into deceased_transfers (case_id, from_account_id, survivor_customer_id, survivor_account_id, last_day, order_ids, reason, created_at, created_by)
    values (${t.caseId}, ${t.fromAccountId}, ${t.survivorCustomerId}, ${t.survivorAccountId}, ${t.lastDay}::date, ${JSON.stringify(t.orderIds)}::jsonb, ${t.reason}, ${t.at}, ${t.by}) returning id::text`.execute(db)).rows[0]!.id);
