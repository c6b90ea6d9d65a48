/**
 * SQL for bankruptcy cases, their accounts and the settings. Read exception (ARCHITECTURE.md): the
 * split's facts read ledger entries (the balance before the petition and now) and bills (posted
 * bills dated on or after the petition whose period began before it), read-only; the lists read
 * accounts and customers to name them.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { SpanningBill } from './rules.ts';

export type CaseStatus = 'open' | 'discharged' | 'dismissed' | 'closed';
export interface CaseRow {
  id: number;
  customer_id: number;
  chapter: number;
  petition_date: string;
  court: string;
  case_number: string;
  debtor_name: string;
  contact_kind: 'attorney' | 'trustee' | 'debtor';
  contact_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  contact_address: string | null;
  notice_received_on: string;
  status: CaseStatus;
  assurance_due_on: string;
  closed_on: string | null;
  close_reason: string | null;
  created_at: Date;
  created_by: number | null;
  customer_name: string;
}
export interface CaseAccountRow {
  case_id: number;
  account_id: number;
  account_number: string;
  open: boolean;
  alert_id: number | null;
  filed_balance_before_cents: string;
  filed_pre_petition_cents: string;
  filed_derivation: string;
  deposit_id: number | null;
  deposit_asked_for_case: boolean;
  assurance_waived_on: string | null;
  assurance_waived_reason: string | null;
  discharged_cents: string | null;
  writeoff_entry_id: number | null;
}
export interface SettingsRow { assurance_days: number; ask_assurance: boolean }

export const settings = async (db: Db) => (await sql<SettingsRow>`select assurance_days, ask_assurance from bankruptcy_settings`.execute(db)).rows[0]!;
export const updateSettings = async (db: Db, s: SettingsRow, at: Date, by: number | null) =>
  (await sql<SettingsRow>`update bankruptcy_settings set assurance_days = ${s.assurance_days}, ask_assurance = ${s.ask_assurance}, updated_at = ${at}, updated_by = ${by} returning assurance_days, ask_assurance`.execute(db)).rows[0]!;

const caseColumns = sql`c.id, c.customer_id, c.chapter, c.petition_date::text, c.court, c.case_number, c.debtor_name, c.contact_kind, c.contact_name, c.contact_phone, c.contact_email, c.contact_address,
  c.notice_received_on::text, c.status, c.assurance_due_on::text, c.closed_on::text, c.close_reason, c.created_at, c.created_by, cu.display_name as customer_name`;

export const findCase = async (db: Db, id: number, lock = false) =>
  (await sql<CaseRow>`select ${caseColumns} from bankruptcy_cases c join customers cu on cu.id = c.customer_id where c.id = ${id} ${lock ? sql`for update of c` : sql``}`.execute(db)).rows[0];
export const findCaseByNumber = async (db: Db, court: string, caseNumber: string) =>
  (await sql<{ id: number; status: CaseStatus }>`select id, status from bankruptcy_cases where court = ${court} and case_number = ${caseNumber}`.execute(db)).rows[0];

export const accountsOfCases = async (db: Db, caseIds: number[]) =>
  (await sql<CaseAccountRow>`
    select ca.case_id, ca.account_id, a.account_number, ca.open, ca.alert_id, ca.filed_balance_before_cents::text, ca.filed_pre_petition_cents::text, ca.filed_derivation,
           ca.deposit_id, ca.deposit_asked_for_case, ca.assurance_waived_on::text, ca.assurance_waived_reason, ca.discharged_cents::text, ca.writeoff_entry_id
      from bankruptcy_case_accounts ca join accounts a on a.id = ca.account_id
     where ca.case_id = any(${caseIds}::int8[]) order by ca.case_id, ca.account_id`.execute(db)).rows;

/** The open case an account is in, if any. */
export const openCaseOfAccounts = async (db: Db, accountIds: number[]) =>
  (await sql<{ account_id: number; case_id: number; case_number: string }>`
    select ca.account_id, ca.case_id, c.case_number from bankruptcy_case_accounts ca join bankruptcy_cases c on c.id = ca.case_id where ca.open and ca.account_id = any(${accountIds}::int8[])`.execute(db)).rows;

export const caseIdsOfAccount = async (db: Db, accountId: number) =>
  (await sql<{ case_id: number }>`select case_id from bankruptcy_case_accounts where account_id = ${accountId} order by case_id desc`.execute(db)).rows.map((r) => Number(r.case_id));

export const listCases = async (db: Db, q: { status?: CaseStatus; customerId?: number; overdueOn?: string; after: number; limit: number }) =>
  (await sql<CaseRow>`
    select ${caseColumns} from bankruptcy_cases c join customers cu on cu.id = c.customer_id
     where (${q.after}::int8 = 0 or c.id < ${q.after}::int8)
       ${q.status ? sql`and c.status = ${q.status}` : sql``}
       ${q.customerId ? sql`and c.customer_id = ${q.customerId}` : sql``}
       ${q.overdueOn ? sql`and c.status = 'open' and c.assurance_due_on < ${q.overdueOn}::date
            and exists (select 1 from bankruptcy_case_accounts ca where ca.case_id = c.id and ca.deposit_id is not null and ca.assurance_waived_on is null)` : sql``}
     order by c.id desc limit ${q.limit + 1}`.execute(db)).rows;

export const insertCase = async (db: Db, c: Omit<CaseRow, 'id' | 'status' | 'closed_on' | 'close_reason' | 'customer_name'>) =>
  Number((await sql<{ id: string }>`
    insert into bankruptcy_cases (customer_id, chapter, petition_date, court, case_number, debtor_name, contact_kind, contact_name, contact_phone, contact_email, contact_address,
                                  notice_received_on, status, assurance_due_on, created_at, created_by)
    values (${c.customer_id}, ${c.chapter}, ${c.petition_date}::date, ${c.court}, ${c.case_number}, ${c.debtor_name}, ${c.contact_kind}, ${c.contact_name}, ${c.contact_phone}, ${c.contact_email}, ${c.contact_address},
            ${c.notice_received_on}::date, 'open', ${c.assurance_due_on}::date, ${c.created_at}, ${c.created_by})
    returning id::text`.execute(db)).rows[0]!.id);

export const insertCaseAccount = (db: Db, r: { caseId: number; accountId: number; alertId: number; balanceBeforeCents: number; prePetitionCents: number; derivation: string; depositId: number | null; askedForCase: boolean; waivedOn: string | null; waivedReason: string | null }) =>
  sql`insert into bankruptcy_case_accounts (case_id, account_id, alert_id, filed_balance_before_cents, filed_pre_petition_cents, filed_derivation, deposit_id, deposit_asked_for_case, assurance_waived_on, assurance_waived_reason)
      values (${r.caseId}, ${r.accountId}, ${r.alertId}, ${r.balanceBeforeCents}, ${r.prePetitionCents}, ${r.derivation}, ${r.depositId}, ${r.askedForCase}, ${r.waivedOn}::date, ${r.waivedReason})`.execute(db);

export const closeCase = (db: Db, id: number, c: { status: CaseStatus; closedOn: string; reason: string; at: Date; by: number | null }) =>
  sql`update bankruptcy_cases set status = ${c.status}, closed_on = ${c.closedOn}::date, close_reason = ${c.reason}, closed_at = ${c.at}, closed_by = ${c.by} where id = ${id}`.execute(db);
export const closeCaseAccount = (db: Db, caseId: number, accountId: number, discharge: { cents: number; entryId: number | null } | null) =>
  sql`update bankruptcy_case_accounts set open = false, discharged_cents = ${discharge ? discharge.cents : null}, writeoff_entry_id = ${discharge?.entryId ?? null}
       where case_id = ${caseId} and account_id = ${accountId}`.execute(db);
export const waiveAssurance = (db: Db, caseId: number, accountId: number, on: string, reason: string) =>
  sql`update bankruptcy_case_accounts set assurance_waived_on = ${on}::date, assurance_waived_reason = ${reason} where case_id = ${caseId} and account_id = ${accountId}`.execute(db);

// ---- the split's facts (read exception: ledger entries and bills) ----

interface FactsRow {
  account_id: number;
  before_cents: string;
  balance_cents: string;
  bills: { billId: number; service: string; periodFrom: string; periodTo: string; billDate: string; totalCents: number | string }[];
}
export interface AccountSplitFacts {
  accountId: number;
  balanceBeforeCents: number;
  balanceCents: number;
  bills: SpanningBill[];
}

/** The three facts of the split for an account and petition date (`acct`, `petition`: SQL expressions of the row), at the end of `date`. */
const factColumns = (acct: RawBuilder<unknown>, petition: RawBuilder<unknown>, date: string) => sql`
    coalesce((select sum(l.amount_cents) from ledger_entries l where l.account_id = ${acct} and l.entry_date < ${petition}), 0)::text as before_cents,
    coalesce((select sum(l.amount_cents) from ledger_entries l where l.account_id = ${acct} and l.entry_date <= ${date}::date), 0)::text as balance_cents,
    coalesce((select json_agg(json_build_object('billId', b.id, 'service', b.service, 'periodFrom', b.period_from, 'periodTo', b.period_to, 'billDate', b.bill_date, 'totalCents', b.total_cents) order by b.period_to, b.id)
                from bills b where b.account_id = ${acct} and b.status = 'posted' and b.bill_date >= ${petition} and b.bill_date <= ${date}::date and b.period_from < ${petition}), '[]'::json) as bills`;

const toFacts = (r: FactsRow): AccountSplitFacts => ({
  accountId: Number(r.account_id), balanceBeforeCents: Number(r.before_cents), balanceCents: Number(r.balance_cents),
  bills: r.bills.map((b) => ({ billId: Number(b.billId), service: b.service, periodFrom: b.periodFrom, periodTo: b.periodTo, billDate: b.billDate, totalCents: Number(b.totalCents) })),
});

/** The split's facts of accounts for one petition date (a case being recorded). */
export async function splitFactsFor(db: Db, accountIds: number[], petitionDate: string, date: string): Promise<AccountSplitFacts[]> {
  const { rows } = await sql<FactsRow>`
    select x.account_id, ${factColumns(sql`x.account_id`, sql`${petitionDate}::date`, date)}
      from unnest(${accountIds}::int8[]) as x(account_id) order by x.account_id`.execute(db);
  return rows.map(toFacts);
}

/**
 * For the collections run: every account of `accountIds` in an open case whose petition is on or
 * before `date`, with the case and the split's facts at the end of `date`. One statement.
 */
export async function openStays(db: Db, accountIds: number[], date: string) {
  const { rows } = await sql<FactsRow & { case_id: number; case_number: string; chapter: number; petition_date: string }>`
    select ca.account_id, c.id as case_id, c.case_number, c.chapter, c.petition_date::text, ${factColumns(sql`ca.account_id`, sql`c.petition_date`, date)}
      from bankruptcy_case_accounts ca join bankruptcy_cases c on c.id = ca.case_id
     where ca.open and c.status = 'open' and c.petition_date <= ${date}::date and ca.account_id = any(${accountIds}::int8[])`.execute(db);
  return rows.map((r) => ({ caseId: Number(r.case_id), caseNumber: r.case_number, chapter: Number(r.chapter), petitionDate: r.petition_date, facts: toFacts(r) }));
}

/** The split's facts of a case's accounts at the end of `date`. */
export async function caseSplitFacts(db: Db, caseId: number, date: string): Promise<AccountSplitFacts[]> {
  const { rows } = await sql<FactsRow>`
    select ca.account_id, ${factColumns(sql`ca.account_id`, sql`c.petition_date`, date)}
      from bankruptcy_case_accounts ca join bankruptcy_cases c on c.id = ca.case_id where ca.case_id = ${caseId} order by ca.account_id`.execute(db);
  return rows.map(toFacts);
}
