/** SQL for the account ledger. Rows are only ever inserted (a trigger refuses UPDATE and DELETE). */
import { sql, type Generated, type Insertable, type Selectable } from 'kysely';
import { copyRows } from '../platform/db/copy.ts';
import type { Db } from '../platform/db/database.ts';

export type EntryKind = 'bill' | 'adjustment' | 'reversal' | 'payment' | 'fee' | 'budget' | 'deposit' | 'refund' | 'writeoff' | 'transfer';
export interface LedgerEntriesTable {
  id: Generated<number>;
  account_id: number;
  entry_date: string;
  kind: EntryKind;
  service: 'electric' | 'water' | 'fiber' | null;
  amount_cents: string;
  tax_cents: Generated<string>;
  bill_id: number | null;
  /** A payment's entries (one per service it paid) and their reversals point at the payment. */
  payment_id: Generated<number | null>;
  reverses_id: number | null;
  reason_code: string | null;
  reason: string | null;
  idempotency_key: string | null;
  request_sha256: string | null;
  created_at: Date;
  created_by: number | null;
}
export interface AdjustmentReasonsTable { code: string; description: string; active: boolean }
export interface AdjustmentLimitsTable { role: string; limit_cents: string }
export type LedgerTables = { ledger_entries: LedgerEntriesTable; adjustment_reasons: AdjustmentReasonsTable; adjustment_limits: AdjustmentLimitsTable };
export type EntryRow = Selectable<LedgerEntriesTable>;

const t = (db: Db) => db.withTables<LedgerTables>();

export const insertEntry = (db: Db, row: Insertable<LedgerEntriesTable>) => t(db).insertInto('ledger_entries').values(row).returningAll().executeTakeFirstOrThrow();
export const findEntry = (db: Db, id: number) => t(db).selectFrom('ledger_entries').selectAll().where('id', '=', id).executeTakeFirst();
export const findByKey = (db: Db, key: string) => t(db).selectFrom('ledger_entries').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
export const reversalOf = (db: Db, id: number) => t(db).selectFrom('ledger_entries').selectAll().where('reverses_id', '=', id).executeTakeFirst();
export const billEntry = (db: Db, billId: number) => t(db).selectFrom('ledger_entries').selectAll().where('bill_id', '=', billId).where('kind', '=', 'bill').executeTakeFirst();

/**
 * Serialises money-moving commands on one account. A command on many accounts at once (a payment
 * file) takes the ledger's whole lock instead, which one-account commands share.
 */
export const lockAccount = async (db: Db, accountId: number) => {
  await sql`select pg_advisory_xact_lock_shared(hashtext('ledger'), 0)`.execute(db);
  await sql`select pg_advisory_xact_lock(hashtext('ledger'), ${accountId}::int4)`.execute(db);
};
export const lockAllAccounts = (db: Db) => sql`select pg_advisory_xact_lock(hashtext('ledger'), 0)`.execute(db);

export const balanceOf = async (db: Db, accountId: number): Promise<string> =>
  (await t(db).selectFrom('ledger_entries').select(sql<string>`coalesce(sum(amount_cents), 0)::text`.as('b')).where('account_id', '=', accountId).executeTakeFirstOrThrow()).b;

/** A page of an account's entries: oldest first after an id, or newest first before one (`after` 0: from the newest). */
export const entriesOf = (db: Db, q: { accountId: number; after: number; limit: number; newestFirst?: boolean }) => {
  const query = t(db).selectFrom('ledger_entries').selectAll().where('account_id', '=', q.accountId);
  return (q.newestFirst
    ? (q.after > 0 ? query.where('id', '<', q.after) : query).orderBy('id', 'desc')
    : query.where('id', '>', q.after).orderBy('id')
  ).limit(q.limit + 1).execute();
};

export const reasons = (db: Db) => t(db).selectFrom('adjustment_reasons').selectAll().where('active', '=', true).orderBy('code').execute();
export const findReason = (db: Db, code: string) => t(db).selectFrom('adjustment_reasons').selectAll().where('code', '=', code).where('active', '=', true).executeTakeFirst();
export const limits = (db: Db) => t(db).selectFrom('adjustment_limits').selectAll().orderBy('limit_cents').execute();
export const limitOf = async (db: Db, role: string): Promise<number | null> => {
  const row = await t(db).selectFrom('adjustment_limits').select('limit_cents').where('role', '=', role).executeTakeFirst();
  return row ? Number(row.limit_cents) : null;
};

/**
 * Bill entries for many posted bills at once (the billing run). A bill already on the ledger is
 * skipped by ledger_entries_bill_once, so a batch run again adds nothing.
 */
export async function insertBillEntries(
  db: Db,
  rows: { accountId: number; billId: number; service: string; entryDate: string; amountCents: number; taxCents: number }[],
  createdAt: Date,
  createdBy: number | null,
): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await sql`
    insert into ledger_entries (account_id, entry_date, kind, service, amount_cents, tax_cents, bill_id, created_at, created_by)
    select a, d, 'bill', s, amt, tax, b, ${createdAt}, ${createdBy}::int8
      from unnest(${rows.map((x) => x.accountId)}::int8[], ${rows.map((x) => x.entryDate)}::date[], ${rows.map((x) => x.service)}::text[],
                  ${rows.map((x) => x.amountCents)}::int8[], ${rows.map((x) => x.taxCents)}::int8[], ${rows.map((x) => x.billId)}::int8[]) as u(a, d, s, amt, tax, b)
    on conflict (bill_id) where kind = 'bill' do nothing`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/**
 * Bill entries for bills just written in the same transaction (the billing run's chunks), by
 * COPY. Nothing is skipped: a bill already on the ledger makes ledger_entries_bill_once refuse
 * the whole batch.
 */
export async function copyBillEntries(
  db: Db,
  rows: { accountId: number; billId: number; service: string; entryDate: string; amountCents: number; taxCents: number }[],
  createdAt: Date,
  createdBy: number | null,
): Promise<number> {
  return copyRows(db, 'ledger_entries', ['account_id', 'entry_date', 'kind', 'service', 'amount_cents', 'tax_cents', 'bill_id', 'created_at', 'created_by'],
    rows.map((x) => [x.accountId, x.entryDate, 'bill', x.service, x.amountCents, x.taxCents, x.billId, createdAt, createdBy]));
}

/** Payment entries (one per service paid), by COPY or, for a few, one insert. */
export async function insertPaymentEntries(
  db: Db,
  rows: { accountId: number; paymentId: number; service: string | null; entryDate: string; amountCents: number }[],
  createdAt: Date,
  createdBy: number | null,
): Promise<void> {
  const columns = ['account_id', 'entry_date', 'kind', 'service', 'amount_cents', 'payment_id', 'created_at', 'created_by'];
  await copyRows(db, 'ledger_entries', columns, rows.map((x) => [x.accountId, x.entryDate, 'payment', x.service, x.amountCents, x.paymentId, createdAt, createdBy]));
}

/**
 * Budget billing's entries (deferrals of bills, monthly amounts, settle-ups). One that is there
 * already (the same bill and reason, or the same idempotency key) is skipped; returns how many
 * were added.
 */
export async function insertBudgetEntries(
  db: Db,
  rows: { accountId: number; entryDate: string; service: string | null; amountCents: number; reasonCode: string; reason: string; billId: number | null; key: string | null }[],
  createdAt: Date,
  createdBy: number | null,
): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await sql`
    insert into ledger_entries (account_id, entry_date, kind, service, amount_cents, bill_id, reason_code, reason, idempotency_key, created_at, created_by)
    select a, d, 'budget', s, c, b, rc, r, k, ${createdAt}, ${createdBy}
      from unnest(${rows.map((x) => x.accountId)}::int8[], ${rows.map((x) => x.entryDate)}::date[], ${rows.map((x) => x.service)}::text[], ${rows.map((x) => x.amountCents)}::int8[],
                  ${rows.map((x) => x.billId)}::int8[], ${rows.map((x) => x.reasonCode)}::text[], ${rows.map((x) => x.reason)}::text[], ${rows.map((x) => x.key)}::text[]) as q(a, d, s, c, b, rc, r, k)
    on conflict do nothing`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** The entries of payments (their payment entries and any reversals of them). */
export const entriesOfPayments = (db: Db, paymentIds: number[]) =>
  paymentIds.length === 0 ? Promise.resolve([]) : t(db).selectFrom('ledger_entries').selectAll().where(sql<boolean>`payment_id = any(${paymentIds}::int8[])`).orderBy('id').execute();

/**
 * What each account owes, by service: the balance of every account and service, and the newest
 * charges (bills, fees, charging adjustments) that the balance still covers, with their dates
 * (credits pay the oldest charges first). A returned payment's reversal is not a charge: it brings
 * back the older charges the payment had paid. One query for many accounts.
 */
export async function owedByService(db: Db, accountIds: number[]) {
  if (accountIds.length === 0) return [];
  // One pass, so that a file of 100,000 payments is cheap: a hash join on the accounts and one sort
  // for all three windows. Each entry learns its account and service's balance and the charges
  // newer than it; out come each group's newest row (for the balance) and the charges the balance
  // still covers.
  const { rows } = await sql<{ account_id: string; service: string | null; balance: string; unpaid_on: string | null; unpaid: string | null; id: string; kind: EntryKind }>`
    select account_id::text, service, balance::text, id::text, kind,
           case when unpaid then entry_date::text end as unpaid_on,
           case when unpaid then least(amount_cents, balance - newer)::text end as unpaid
      from (
        select id, kind, account_id, service, entry_date, amount_cents, balance, newer, newest, charge and balance > 0 and newer < balance as unpaid
          from (
            select l.id, l.kind, l.account_id, l.service, l.entry_date, l.amount_cents, l.amount_cents > 0 and l.kind <> 'reversal' as charge,
                   sum(l.amount_cents) over g as balance,
                   coalesce(sum(l.amount_cents) filter (where l.amount_cents > 0 and l.kind <> 'reversal')
                     over (g order by l.entry_date desc, l.id desc rows between unbounded preceding and 1 preceding), 0) as newer,
                   row_number() over (g order by l.entry_date desc, l.id desc) = 1 as newest
              from ledger_entries l
             where l.account_id in (select unnest(${accountIds}::int8[]))
            window g as (partition by l.account_id, coalesce(l.service, ''))
          ) e
      ) w
     where newest or unpaid`.execute(db);
  const groups = new Map<string, { accountId: number; service: string | null; balanceCents: number; charges: { date: string; unpaidCents: number; entryId: number; kind: EntryKind }[] }>();
  for (const r of rows) {
    const key = `${r.account_id}:${r.service ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { accountId: Number(r.account_id), service: r.service, balanceCents: Number(r.balance), charges: [] }));
    if (r.unpaid_on !== null) g.charges.push({ date: r.unpaid_on, unpaidCents: Number(r.unpaid), entryId: Number(r.id), kind: r.kind });
  }
  for (const g of groups.values()) if (g.charges.length > 1) g.charges.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)); // oldest first
  return [...groups.values()];
}

/** Sum of an account's entries dated on or before a day. */
export const balanceAsOf = async (db: Db, accountId: number, date: string): Promise<string> =>
  (await t(db).selectFrom('ledger_entries').select(sql<string>`coalesce(sum(amount_cents), 0)::text`.as('b')).where('account_id', '=', accountId).where('entry_date', '<=', date).executeTakeFirstOrThrow()).b;

/** An account's entries dated after one day and on or before another. */
export const entriesBetween = (db: Db, accountId: number, afterDate: string, upToDate: string) =>
  t(db).selectFrom('ledger_entries').selectAll().where('account_id', '=', accountId).where('entry_date', '>', afterDate).where('entry_date', '<=', upToDate).orderBy('id').execute();
