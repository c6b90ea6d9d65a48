/**
 * SQL for payments: batches, payments, imports, deposits, bank transactions, returns, autopay.
 * `accountsByNumber` and `accountsByNameAndAddress` are read-only views over the customer
 * context's tables, made for matching payments to accounts.
 */
import { sql, type Generated, type Insertable, type Selectable, type Updateable } from 'kysely';
import { copyRows, drawIds } from '../platform/db/copy.ts';
import type { Db } from '../platform/db/database.ts';

export type Channel = 'counter' | 'mail' | 'lockbox' | 'card' | 'obi' | 'wire' | 'ach' | 'agency';
export type Method = 'cash' | 'check' | 'card' | 'ach' | 'wire' | 'obi';
export type PaymentStatus = 'posted' | 'suspense' | 'reversed';
export type ImportKind = 'lockbox' | 'lockbox-csv' | 'card' | 'obi' | 'bai2' | 'ach-returns' | 'x937-returns';

export interface PaymentImportsTable {
  id: Generated<number>;
  kind: ImportKind;
  file_name: string;
  sha256: string;
  bytes: Uint8Array;
  records: number;
  posted: number;
  unmatched: number;
  rejected: number;
  total_cents: string;
  detail: unknown;
  imported_at: Date;
  imported_by: number | null;
}
export interface PaymentBatchesTable {
  id: Generated<number>;
  channel: Channel;
  business_date: string;
  status: Generated<'open' | 'closed'>;
  import_id: number | null;
  opened_at: Date;
  opened_by: number | null;
  expected_count: number | null;
  expected_cents: string | null;
  closed_at: Date | null;
  closed_by: number | null;
  deposit_id: number | null;
  note: string | null;
}
export interface PaymentsTable {
  id: Generated<number>;
  batch_id: number;
  account_id: number | null;
  amount_cents: string;
  method: Method;
  channel: Channel;
  received_on: string;
  reference: string | null;
  check_number: Generated<string | null>;
  account_ref: string | null;
  payer_name: string | null;
  payer_address: string | null;
  payer_routing: string | null;
  payer_account: string | null;
  status: PaymentStatus;
  matched_by: 'account_number' | 'name_address' | 'staff' | null;
  import_id: number | null;
  record_no: number | null;
  record_part: Generated<number>;
  corrects_payment_id: number | null;
  reversed_at: Date | null;
  reversed_by: number | null;
  reversal_reason: string | null;
  idempotency_key: string | null;
  request_sha256: string | null;
  created_at: Date;
  created_by: number | null;
}
export interface BankDepositsTable {
  id: Generated<number>;
  business_date: string;
  cash_cents: string;
  check_cents: string;
  electronic_cents: string;
  item_count: number;
  created_at: Date;
  created_by: number | null;
}
export interface BankTransactionsTable {
  id: Generated<number>;
  import_id: number;
  record_no: number;
  as_of_date: string;
  bank_account: string;
  type_code: string;
  amount_cents: string;
  bank_reference: string | null;
  customer_reference: string | null;
  text: string | null;
  deposit_id: number | null;
  payment_id: number | null;
}
export interface PaymentReturnsTable {
  id: Generated<number>;
  payment_id: number;
  source: 'ach' | 'x937' | 'keyed' | 'chargeback';
  reason_code: string;
  reason: string;
  returned_on: string;
  import_id: number | null;
  record_no: number | null;
  fee_cents: string;
  status: Generated<'open' | 'resolved'>;
  follow_up_note: string | null;
  resolved_at: Date | null;
  resolved_by: number | null;
  created_at: Date;
  created_by: number | null;
}
export interface AutopayEnrolmentsTable {
  id: Generated<number>;
  account_id: number;
  routing_number: string;
  bank_account_number: string;
  bank_account_type: 'checking' | 'savings';
  holder_name: string;
  status: 'prenote' | 'active' | 'removed';
  prenote_sent_on: string | null;
  active_from: string | null;
  enrolled_at: Date;
  enrolled_by: number | null;
  removed_at: Date | null;
  removed_reason: string | null;
}
export interface AchFilesTable {
  id: Generated<number>;
  due_date: string;
  effective_date: string;
  file_id_modifier: string;
  body: string;
  entries: number;
  total_cents: string;
  created_at: Date;
  created_by: number | null;
}
export interface PaymentSettingsTable {
  id: Generated<boolean>;
  application: 'oldest_first' | 'proportional';
  service_order: string[];
  returned_payment_fee_cents: string;
  cash_only_returns: number;
  cash_only_window_months: number;
  ach_destination_routing: string;
  ach_destination_name: string;
  ach_origin: string;
  ach_origin_name: string;
  ach_company_id: string;
  ach_originating_dfi: string;
  updated_at: Date | null;
  updated_by: number | null;
}
export interface PaymentFileLayoutsTable {
  kind: ImportKind;
  code: string;
  body: unknown;
  updated_at: Date;
  updated_by: number | null;
}
export type PaymentTables = {
  payment_file_layouts: PaymentFileLayoutsTable;
  payment_imports: PaymentImportsTable;
  payment_batches: PaymentBatchesTable;
  payments: PaymentsTable;
  bank_deposits: BankDepositsTable;
  bank_transactions: BankTransactionsTable;
  payment_returns: PaymentReturnsTable;
  autopay_enrolments: AutopayEnrolmentsTable;
  ach_files: AchFilesTable;
  payment_settings: PaymentSettingsTable;
};
export type PaymentRow = Selectable<PaymentsTable>;
export type BatchRow = Selectable<PaymentBatchesTable>;
export type ImportRow = Selectable<PaymentImportsTable>;
export type ReturnRow = Selectable<PaymentReturnsTable>;
export type EnrolmentRow = Selectable<AutopayEnrolmentsTable>;

const t = (db: Db) => db.withTables<PaymentTables>();

// ---- settings ----
export const settings = (db: Db) => t(db).selectFrom('payment_settings').selectAll().executeTakeFirstOrThrow();
export const updateSettings = (db: Db, patch: Updateable<PaymentSettingsTable>) => t(db).updateTable('payment_settings').set(patch).returningAll().executeTakeFirstOrThrow();

// ---- accounts, for matching (read-only) ----
export async function accountsByNumber(db: Db, numbers: string[]) {
  if (numbers.length === 0) return new Map<string, { id: number; status: string }>();
  const { rows } = await sql<{ id: number; account_number: string; status: string }>`
    select id, account_number, status from accounts where account_number = any(${numbers}::text[])`.execute(db);
  return new Map(rows.map((r) => [r.account_number, { id: Number(r.id), status: r.status }]));
}
export async function accountById(db: Db, id: number) {
  const { rows } = await sql<{ id: number; account_number: string; status: string; display_name: string; billing_line1: string; billing_city: string; billing_state: string; billing_postal_code: string }>`
    select a.id, a.account_number, a.status, c.display_name, a.billing_line1, a.billing_city, a.billing_state, a.billing_postal_code
      from accounts a join customers c on c.id = a.customer_id where a.id = ${id}`.execute(db);
  return rows[0] ? { ...rows[0], id: Number(rows[0].id) } : undefined;
}
/**
 * Accounts whose customer's name and billing street line match (case and spacing ignored): the
 * second way an OBI payment with a bad account number finds its account. Only a single match counts.
 */
export async function accountsByNameAndAddress(db: Db, items: { key: string; name: string; line1: string }[]) {
  if (items.length === 0) return new Map<string, number[]>();
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  const { rows } = await sql<{ key: string; id: number }>`
    select q.k as key, a.id
      from unnest(${items.map((i) => i.key)}::text[], ${items.map((i) => norm(i.name))}::text[], ${items.map((i) => norm(i.line1))}::text[]) as q(k, n, l)
      join accounts a on trim(regexp_replace(lower(a.billing_line1), '[^a-z0-9]+', ' ', 'g')) = q.l and a.status in ('active', 'final', 'pending')
      join customers c on c.id = a.customer_id and trim(regexp_replace(lower(c.display_name), '[^a-z0-9]+', ' ', 'g')) = q.n`.execute(db);
  const out = new Map<string, number[]>();
  for (const r of rows) out.set(r.key, [...(out.get(r.key) ?? []), Number(r.id)]);
  return out;
}

// ---- batches ----
export const insertBatch = (db: Db, row: Insertable<PaymentBatchesTable>) => t(db).insertInto('payment_batches').values(row).returningAll().executeTakeFirstOrThrow();
export const findBatch = (db: Db, id: number) => t(db).selectFrom('payment_batches').selectAll().where('id', '=', id).executeTakeFirst();
export const findBatchForUpdate = (db: Db, id: number) => t(db).selectFrom('payment_batches').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const openDrawer = (db: Db, userId: number, day: string) =>
  t(db).selectFrom('payment_batches').selectAll().where('channel', '=', 'counter').where('status', '=', 'open').where('opened_by', '=', userId).where('business_date', '=', day).executeTakeFirst();
export const updateBatch = (db: Db, id: number, patch: Updateable<PaymentBatchesTable>) => t(db).updateTable('payment_batches').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

/**
 * Batches with what they hold, newest first: every payment received, at its corrected account
 * and amount where a correction replaced it (a returned payment still counts: it was received).
 */
export async function batches(db: Db, q: { day?: string; from?: string; to?: string; ids?: number[]; status?: 'open' | 'closed'; channel?: Channel; depositId?: number; limit: number }) {
  const { rows } = await sql<BatchRow & { count: number; total_cents: string; cash_cents: string; check_cents: string }>`
    select b.*, b.business_date::text as business_date, coalesce(p.count, 0)::int as count, coalesce(p.total, 0)::text as total_cents,
           coalesce(p.cash, 0)::text as cash_cents, coalesce(p.checks, 0)::text as check_cents
      from payment_batches b
      left join lateral (
        select count(*) as count, sum(amount_cents) as total,
               sum(amount_cents) filter (where method = 'cash') as cash, sum(amount_cents) filter (where method = 'check') as checks
          from payments x where x.batch_id = b.id and not exists (select 1 from payments c where c.corrects_payment_id = x.id)
      ) p on true
     where true
       ${q.day ? sql`and b.business_date = ${q.day}::date` : sql``}
       ${q.from ? sql`and b.business_date >= ${q.from}::date` : sql``}
       ${q.to ? sql`and b.business_date <= ${q.to}::date` : sql``}
       ${q.ids ? sql`and b.id = any(${q.ids}::int8[])` : sql``}
       ${q.status ? sql`and b.status = ${q.status}` : sql``}
       ${q.channel ? sql`and b.channel = ${q.channel}` : sql``}
       ${q.depositId ? sql`and b.deposit_id = ${q.depositId}` : sql``}
     order by b.id desc
     limit ${q.limit}`.execute(db);
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

// ---- payments ----
export const insertPayment = (db: Db, row: Insertable<PaymentsTable>) => t(db).insertInto('payments').values(row).returningAll().executeTakeFirstOrThrow();
export const findPayment = (db: Db, id: number) => t(db).selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
export const findPaymentForUpdate = (db: Db, id: number) => t(db).selectFrom('payments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const findPaymentByKey = (db: Db, key: string) => t(db).selectFrom('payments').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
export const updatePayment = (db: Db, id: number, patch: Updateable<PaymentsTable>) => t(db).updateTable('payments').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
export const paymentsOfBatch = (db: Db, batchId: number) => t(db).selectFrom('payments').selectAll().where('batch_id', '=', batchId).orderBy('id').execute();
export const paymentsOfAccount = (db: Db, accountId: number, limit: number) =>
  t(db).selectFrom('payments').selectAll().where('account_id', '=', accountId).orderBy('received_on', 'desc').orderBy('id', 'desc').limit(limit).execute();
export const suspense = (db: Db, q: { after: number; limit: number }) =>
  t(db).selectFrom('payments').selectAll().where('status', '=', 'suspense').where('id', '>', q.after).orderBy('id').limit(q.limit + 1).execute();

const COPIED = ['id', 'batch_id', 'account_id', 'amount_cents', 'method', 'channel', 'received_on', 'reference', 'check_number', 'account_ref', 'payer_name', 'payer_address',
  'payer_routing', 'payer_account', 'status', 'matched_by', 'import_id', 'record_no', 'record_part', 'idempotency_key', 'created_at', 'created_by'] as const;
/** Many new payments at once (an import), by COPY, ids drawn first. */
export async function copyPayments(db: Db, rows: Omit<Insertable<PaymentsTable>, 'id'>[]) {
  if (rows.length === 0) return [];
  const ids = await drawIds(db, { table: 'payments' }, rows.length);
  const withIds = rows.map((r, i) => ({ ...r, id: ids[i]! }));
  await copyRows(db, 'payments', COPIED, withIds.map((r) => COPIED.map((c) => (r as Record<string, unknown>)[c] ?? (c === 'record_part' ? 0 : null))));
  return withIds;
}

/** An ACH debit of ours by its trace number, whatever its state now (a return may name one already returned). */
export async function achPaymentByTrace(db: Db, trace: string) {
  return t(db).selectFrom('payments').selectAll().where('method', '=', 'ach').where('reference', '=', trace).where('corrects_payment_id', 'is', null).executeTakeFirst();
}
/** Posted ACH debits of one amount to an account (a return with no usable trace number). */
export async function achPaymentsOf(db: Db, accountNumber: string, amountCents: number) {
  const { rows } = await sql<PaymentRow>`
    select p.* from payments p join accounts a on a.id = p.account_id
     where a.account_number = ${accountNumber} and p.method = 'ach' and p.status = 'posted' and p.amount_cents = ${amountCents}
     order by p.id desc limit 5`.execute(db);
  return rows;
}
/** Check payments of an amount and check number received in the 180 days before a return, whatever their state now. */
export async function checksLike(db: Db, q: { checkNumber: string; amountCents: number; returnedOn: string }) {
  const { rows } = await sql<PaymentRow>`
    select p.* from payments p
     where p.check_number = ${q.checkNumber} and p.amount_cents = ${q.amountCents} and p.method = 'check' and p.corrects_payment_id is null
       and p.received_on between ${q.returnedOn}::date - 180 and ${q.returnedOn}::date
     order by p.id desc limit 5`.execute(db);
  return rows;
}

/** A channel's payments received between two days (the web payments and OBI reports). */
export const paymentsOfChannel = (db: Db, channels: Channel[], from: string, to: string) =>
  t(db).selectFrom('payments').selectAll().where('channel', 'in', channels).where('received_on', '>=', from).where('received_on', '<=', to).orderBy('received_on').orderBy('id').execute();

// ---- imports ----
export const findImport = (db: Db, kind: ImportKind, sha256: string) => t(db).selectFrom('payment_imports').select(['id', 'kind', 'file_name', 'sha256', 'records', 'posted', 'unmatched', 'rejected', 'total_cents', 'detail', 'imported_at', 'imported_by']).where('kind', '=', kind).where('sha256', '=', sha256).executeTakeFirst();
export const insertImport = (db: Db, row: Insertable<PaymentImportsTable>) => t(db).insertInto('payment_imports').values(row).returning(['id']).executeTakeFirstOrThrow();
export const updateImport = (db: Db, id: number, patch: Updateable<PaymentImportsTable>) => t(db).updateTable('payment_imports').set(patch).where('id', '=', id).execute();
export const imports = (db: Db, limit: number) => t(db).selectFrom('payment_imports').select(['id', 'kind', 'file_name', 'sha256', 'records', 'posted', 'unmatched', 'rejected', 'total_cents', 'detail', 'imported_at', 'imported_by']).orderBy('id', 'desc').limit(limit).execute();
export const importBytes = (db: Db, id: number) => t(db).selectFrom('payment_imports').select(['file_name', 'bytes']).where('id', '=', id).executeTakeFirst();

/** Payments already taken with these channel, reference, amount and day (a record sent again in another file). */
export async function alreadyTaken(db: Db, channel: Channel, items: { reference: string; amountCents: number; day: string }[]) {
  if (items.length === 0) return new Set<string>();
  const { rows } = await sql<{ reference: string; amount_cents: string; received_on: string }>`
    select p.reference, p.amount_cents::text, p.received_on::text from payments p
      join unnest(${items.map((i) => i.reference)}::text[], ${items.map((i) => i.amountCents)}::int8[], ${items.map((i) => i.day)}::date[]) as q(r, a, d)
        on p.reference = q.r and p.amount_cents = q.a and p.received_on = q.d
     where p.channel = ${channel} and p.corrects_payment_id is null`.execute(db);
  return new Set(rows.map((r) => `${r.reference}|${r.amount_cents}|${r.received_on}`));
}

// ---- file layouts ----
export const findLayout = (db: Db, kind: ImportKind, code: string) => t(db).selectFrom('payment_file_layouts').selectAll().where('kind', '=', kind).where('code', '=', code).executeTakeFirst();
export const layouts = (db: Db) => t(db).selectFrom('payment_file_layouts').selectAll().orderBy('kind').orderBy('code').execute();
export const saveLayout = (db: Db, row: Insertable<PaymentFileLayoutsTable>) =>
  t(db).insertInto('payment_file_layouts').values(row).onConflict((oc) => oc.columns(['kind', 'code']).doUpdateSet({ body: row.body, updated_at: row.updated_at, updated_by: row.updated_by })).returningAll().executeTakeFirstOrThrow();

// ---- deposits and the bank ----
export const insertDeposit = (db: Db, row: Insertable<BankDepositsTable>) => t(db).insertInto('bank_deposits').values(row).returningAll().executeTakeFirstOrThrow();
export const findDeposit = (db: Db, id: number) => t(db).selectFrom('bank_deposits').selectAll().where('id', '=', id).executeTakeFirst();
export const deposits = (db: Db, q: { from: string; to: string }) => t(db).selectFrom('bank_deposits').selectAll().where('business_date', '>=', q.from).where('business_date', '<=', q.to).orderBy('business_date').orderBy('id').execute();
export const closedUndepositedBatches = (db: Db, day: string) =>
  t(db).selectFrom('payment_batches').selectAll().where('status', '=', 'closed').where('deposit_id', 'is', null).where('business_date', '<=', day).orderBy('id').execute();
export const setBatchDeposit = (db: Db, ids: number[], depositId: number) => t(db).updateTable('payment_batches').set({ deposit_id: depositId }).where('id', 'in', ids).execute();
export const insertBankTransactions = (db: Db, rows: Insertable<BankTransactionsTable>[]) => rows.length === 0 ? Promise.resolve([]) : t(db).insertInto('bank_transactions').values(rows).returningAll().execute();
export const bankTransactions = (db: Db, q: { from: string; to: string }) => t(db).selectFrom('bank_transactions').selectAll().where('as_of_date', '>=', q.from).where('as_of_date', '<=', q.to).orderBy('as_of_date').orderBy('id').execute();
export const matchBankTransaction = (db: Db, id: number, patch: { deposit_id?: number; payment_id?: number }) => t(db).updateTable('bank_transactions').set(patch).where('id', '=', id).execute();

/** Money received per day and channel (posted or in suspense when received; reversals shown apart). */
export async function depositSummary(db: Db, q: { from: string; to: string }) {
  const { rows } = await sql<{ day: string; channel: string; method: string; count: number; total_cents: string; reversed_count: number; reversed_cents: string }>`
    select p.received_on::text as day, p.channel, p.method, count(*)::int as count, sum(p.amount_cents)::text as total_cents,
           (count(*) filter (where p.status = 'reversed'))::int as reversed_count, coalesce(sum(p.amount_cents) filter (where p.status = 'reversed'), 0)::text as reversed_cents
      from payments p
     where p.received_on between ${q.from}::date and ${q.to}::date and not exists (select 1 from payments c where c.corrects_payment_id = p.id)
     group by 1, 2, 3 order by 1, 2, 3`.execute(db);
  return rows;
}

// ---- returns ----
export const insertReturn = (db: Db, row: Insertable<PaymentReturnsTable>) => t(db).insertInto('payment_returns').values(row).returningAll().executeTakeFirstOrThrow();
export const returnOfPayment = (db: Db, paymentId: number) => t(db).selectFrom('payment_returns').selectAll().where('payment_id', '=', paymentId).executeTakeFirst();
export const findReturn = (db: Db, id: number) => t(db).selectFrom('payment_returns').selectAll().where('id', '=', id).executeTakeFirst();
export const updateReturn = (db: Db, id: number, patch: Updateable<PaymentReturnsTable>) => t(db).updateTable('payment_returns').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
export async function returnsList(db: Db, q: { status?: 'open' | 'resolved'; from?: string; to?: string; limit: number }) {
  const { rows } = await sql<ReturnRow & { account_id: number | null; account_number: string | null; amount_cents: string; method: string; reference: string | null }>`
    select r.*, r.returned_on::text as returned_on, p.account_id, a.account_number, p.amount_cents::text as amount_cents, p.method, p.reference
      from payment_returns r join payments p on p.id = r.payment_id left join accounts a on a.id = p.account_id
     where true
       ${q.status ? sql`and r.status = ${q.status}` : sql``}
       ${q.from ? sql`and r.returned_on >= ${q.from}::date` : sql``}
       ${q.to ? sql`and r.returned_on <= ${q.to}::date` : sql``}
     order by r.returned_on, r.id limit ${q.limit}`.execute(db);
  return rows;
}
/** Returns on an account's payments since a day (the cash-only rule). */
export async function returnsOfAccountSince(db: Db, accountId: number, since: string) {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from payment_returns r join payments p on p.id = r.payment_id where p.account_id = ${accountId} and r.returned_on >= ${since}::date`.execute(db);
  return rows[0]!.n;
}

// ---- autopay ----
export const insertEnrolment = (db: Db, row: Insertable<AutopayEnrolmentsTable>) => t(db).insertInto('autopay_enrolments').values(row).returningAll().executeTakeFirstOrThrow();
export const liveEnrolment = (db: Db, accountId: number) => t(db).selectFrom('autopay_enrolments').selectAll().where('account_id', '=', accountId).where('status', '<>', 'removed').executeTakeFirst();
export const updateEnrolment = (db: Db, id: number, patch: Updateable<AutopayEnrolmentsTable>) => t(db).updateTable('autopay_enrolments').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
export const enrolmentsByStatus = (db: Db, status: 'prenote' | 'active') => t(db).selectFrom('autopay_enrolments').selectAll().where('status', '=', status).orderBy('account_id').execute();
export const enrolmentsByBankAccount = (db: Db, bankAccount: string) =>
  t(db).selectFrom('autopay_enrolments').selectAll().where('bank_account_number', '=', bankAccount).where('status', '<>', 'removed').execute();
export const insertAchFile = (db: Db, row: Insertable<AchFilesTable>) => t(db).insertInto('ach_files').values(row).returningAll().executeTakeFirstOrThrow();
export const achFileOf = (db: Db, dueDate: string) => t(db).selectFrom('ach_files').selectAll().where('due_date', '=', dueDate).executeTakeFirst();
export const achFileCount = async (db: Db) => Number((await t(db).selectFrom('ach_files').select(sql<string>`count(*)::text`.as('n')).executeTakeFirstOrThrow()).n);

/** Accounts with active autopay and what they owe on bills due on a day (the balance, if positive). */
export async function autopayDue(db: Db, dueDate: string) {
  const { rows } = await sql<{ account_id: number; account_number: string; enrolment_id: number; routing_number: string; bank_account_number: string; bank_account_type: 'checking' | 'savings'; holder_name: string; balance_cents: string }>`
    select e.account_id, a.account_number, e.id as enrolment_id, e.routing_number, e.bank_account_number, e.bank_account_type, e.holder_name,
           (select coalesce(sum(l.amount_cents), 0) from ledger_entries l where l.account_id = e.account_id)::text as balance_cents
      from autopay_enrolments e join accounts a on a.id = e.account_id
     where e.status = 'active' and e.active_from <= ${dueDate}::date
       and exists (select 1 from bills b where b.account_id = e.account_id and b.due_date = ${dueDate}::date and b.status = 'posted')
     order by e.account_id`.execute(db);
  return rows.map((r) => ({ ...r, account_id: Number(r.account_id), enrolment_id: Number(r.enrolment_id), balanceCents: Number(r.balance_cents) }));
}
