/** SQL for refunds: the requests, the accounts-payable exports and the settings. */
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';

export type Row = Record<string, unknown>;

export const settings = async (db: Db) =>
  (await sql<Row>`select approval_limit_cents::text, solar_cents_per_kwh::text, export_columns, export_header, vendor_id from refund_settings`.execute(db)).rows[0]!;
export const updateSettings = (db: Db, s: { approvalLimitCents: number; solarCentsPerKwh: string | null; exportColumns: string[]; exportHeader: boolean; vendorId: string }, at: Date, by: number | null) =>
  sql`update refund_settings set approval_limit_cents = ${s.approvalLimitCents}, solar_cents_per_kwh = ${s.solarCentsPerKwh}::numeric, export_columns = ${JSON.stringify(s.exportColumns)}::jsonb,
        export_header = ${s.exportHeader}, vendor_id = ${s.vendorId}, updated_at = ${at}, updated_by = ${by}`.execute(db);

export const findRefund = async (db: Db, id: number, lock = false) =>
  (await sql<Row>`select * from refunds where id = ${id} ${lock ? sql`for update` : sql``}`.execute(db)).rows[0];
export const refundsOfAccount = async (db: Db, accountId: number) => (await sql<Row>`select * from refunds where account_id = ${accountId} order by id desc`.execute(db)).rows;
export const listRefunds = async (db: Db, q: { status?: string; after: number; limit: number }) =>
  (await sql<Row>`
    select r.*, a.account_number from refunds r join accounts a on a.id = r.account_id
     where (${q.after}::int8 = 0 or r.id < ${q.after}::int8) ${q.status ? sql`and r.status = ${q.status}` : sql``}
     order by r.id desc limit ${q.limit + 1}`.execute(db)).rows;
/** Cents of an account's refunds asked for, approved or sent since a moment (the approval limit counts them together). */
export const refundedSince = async (db: Db, accountId: number, since: Date) =>
  Number((await sql<{ c: string }>`select coalesce(sum(amount_cents), 0)::text as c from refunds where account_id = ${accountId} and status in ('requested', 'approved', 'exported') and requested_at >= ${since}`.execute(db)).rows[0]!.c);
/** The account's latest posted electric bill's banked kWh and when it ended (what a solar payout may be). */
export const bankedCredit = async (db: Db, accountId: number) =>
  (await sql<{ banked_kwh: string | null; period_to: string }>`
    select banked_kwh::text, period_to::text from bills where account_id = ${accountId} and service = 'electric' and status = 'posted' order by period_to desc, id desc limit 1`.execute(db)).rows[0];
/** Solar refunds of an account asked for since a day, not cancelled. */
export const solarSince = async (db: Db, accountId: number, since: string) =>
  Number((await sql<{ n: number }>`select count(*)::int as n from refunds where account_id = ${accountId} and kind = 'solar' and status <> 'cancelled' and requested_at >= ${since}::date`.execute(db)).rows[0]!.n);

/** Cents of an account's refunds asked for and not yet approved. */
export const pendingCents = async (db: Db, accountId: number) =>
  Number((await sql<{ pending: string }>`select coalesce(sum(amount_cents), 0)::text as pending from refunds where account_id = ${accountId} and status = 'requested' and kind <> 'solar'`.execute(db)).rows[0]!.pending);

export const insertRefund = async (db: Db, r: { accountId: number; kind: string; amountCents: number; payeeName: string; payeeAddress: unknown; reason: string; depositId: number | null; at: Date; by: number | null }) =>
  (await sql<Row>`
    insert into refunds (account_id, kind, amount_cents, status, payee_name, payee_address, reason, deposit_id, requested_at, requested_by)
    values (${r.accountId}, ${r.kind}, ${r.amountCents}, 'requested', ${r.payeeName}, ${JSON.stringify(r.payeeAddress)}::jsonb, ${r.reason}, ${r.depositId}, ${r.at}, ${r.by})
    returning *`.execute(db)).rows[0]!;
export const markApproved = (db: Db, id: number, at: Date, by: number | null, entryId: number) =>
  sql`update refunds set status = 'approved', approved_at = ${at}, approved_by = ${by}, ledger_entry_id = ${entryId} where id = ${id}`.execute(db);
export const markClosed = (db: Db, id: number, status: 'cancelled' | 'returned', reason: string, returnedOn: string | null = null) =>
  sql`update refunds set status = ${status}, closed_reason = ${reason}, returned_on = ${returnedOn}::date where id = ${id}`.execute(db);
export const ledgerEntryOf = async (db: Db, id: number) => Number((await sql<{ e: string }>`select ledger_entry_id::text as e from refunds where id = ${id}`.execute(db)).rows[0]!.e);

/** Approved refunds not yet exported, oldest first, with the account number. */
export const approvedForExport = async (db: Db) =>
  (await sql<Row>`select r.*, a.account_number from refunds r join accounts a on a.id = r.account_id where r.status = 'approved' order by r.id for update of r`.execute(db)).rows;
export const lockExports = (db: Db) => sql`select pg_advisory_xact_lock(hashtext('refund_export'))`.execute(db);
export const insertExport = async (db: Db, e: { fileName: string; body: string; sha256: string; refunds: number; totalCents: number; at: Date; by: number | null }) =>
  Number((await sql<{ id: string }>`
    insert into refund_exports (file_name, body, sha256, refunds, total_cents, created_at, created_by)
    values (${e.fileName}, ${e.body}, ${e.sha256}, ${e.refunds}, ${e.totalCents}, ${e.at}, ${e.by}) returning id::text`.execute(db)).rows[0]!.id);
export const markExported = (db: Db, ids: number[], exportId: number) => sql`update refunds set status = 'exported', export_id = ${exportId} where id = any(${ids}::int8[]) and status = 'approved'`.execute(db);
export const findExport = async (db: Db, id: number) => (await sql<Row>`select * from refund_exports where id = ${id}`.execute(db)).rows[0];
export const listExports = async (db: Db) => (await sql<Row>`select id, file_name, refunds, total_cents, created_at from refund_exports order by id desc limit 100`.execute(db)).rows;
