/**
 * SQL for protections and payment arrangements. Read-only views over other contexts' tables, made
 * for the protections (see ARCHITECTURE.md): accounts (customer class; number and name in lists),
 * service agreements, service points and premises (an account's area and space heating), posted
 * bills (due dates and amounts, the monthly estimate) and ledger entries (payments less returned
 * ones, the balance as of a day). Every query over many accounts is one statement for all of them.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../platform/db/database.ts';

export type Row = Record<string, unknown>;
const ids8 = (ids: readonly number[]) => sql`${ids as number[]}::int8[]`;

// ---- settings ----

export const settings = async (db: Db) => (await sql<Row>`select * from protection_settings`.execute(db)).rows[0]!;
export async function updateSettings(db: Db, s: Record<string, string | number>, at: Date, by: number | null) {
  const sets = Object.entries(s).map(([column, value]) => sql`${sql.ref(column)} = ${value}`);
  await sql`update protection_settings set ${sql.join([...sets, sql`updated_at = ${at}`, sql`updated_by = ${by}`])}`.execute(db);
}

// ---- facts read from other contexts' tables ----

/** Payments on an account less the returned ones (their reversals), dated in a range: the SQL of one sum. */
const paymentsSum = (account: RawBuilder<unknown>, from: RawBuilder<unknown>, to: RawBuilder<unknown>) => sql`(
  select coalesce(sum(-l.amount_cents), 0) from ledger_entries l
   where l.account_id = ${account} and (l.kind = 'payment' or (l.kind = 'reversal' and l.payment_id is not null))
     and l.entry_date >= ${from} and l.entry_date <= ${to})`;

/** Customer class and status of accounts. */
export async function accountClasses(db: Db, accountIds: readonly number[]): Promise<Map<number, { customerClass: string; status: string }>> {
  if (accountIds.length === 0) return new Map();
  const { rows } = await sql<{ id: string; customer_class: string; status: string }>`select id::text, customer_class, status from accounts where id = any(${ids8(accountIds)})`.execute(db);
  return new Map(rows.map((r) => [Number(r.id), { customerClass: r.customer_class, status: r.status }]));
}

/** The premises an account is served at on a day (agreements in force), with their area and space heating. */
export async function premisesOf(db: Db, accountId: number, date: string) {
  const { rows } = await sql<{ premise_id: string; area: string; space_heating: boolean; line1: string; services: string[] }>`
    select pr.id::text as premise_id, pr.area, pr.space_heating, pr.line1, array_agg(distinct p.service order by p.service) as services
      from service_agreements s join service_points p on p.id = s.service_point_id join premises pr on pr.id = p.premise_id
     where s.account_id = ${accountId} and s.start_date <= ${date}::date and (s.end_date is null or s.end_date >= ${date}::date)
     group by pr.id order by pr.id`.execute(db);
  return rows.map((r) => ({ premiseId: Number(r.premise_id), area: r.area, spaceHeating: r.space_heating, line1: r.line1, services: r.services }));
}

/** Payments (less returned ones) on an account dated from one day through another. */
export async function paymentsBetween(db: Db, accountId: number, from: string, to: string): Promise<number> {
  const { rows } = await sql<{ c: string }>`select ${paymentsSum(sql`${accountId}::int8`, sql`${from}::date`, sql`${to}::date`)}::text as c`.execute(db);
  return Number(rows[0]!.c);
}

/**
 * The account's balance as of a day, and the posted bills billed by then and not yet past due:
 * due on or after the day (`notYetDueCents`), and due after it (`dueAfterCents`).
 */
export async function balanceFacts(db: Db, accountId: number, date: string) {
  const { rows } = await sql<{ balance: string; not_due: string; due_after: string }>`
    select (select coalesce(sum(amount_cents), 0) from ledger_entries where account_id = ${accountId} and entry_date <= ${date}::date)::text as balance,
           (select coalesce(sum(total_cents), 0) from bills where account_id = ${accountId} and status = 'posted' and bill_date <= ${date}::date and due_date >= ${date}::date)::text as not_due,
           (select coalesce(sum(total_cents), 0) from bills where account_id = ${accountId} and status = 'posted' and bill_date <= ${date}::date and due_date > ${date}::date)::text as due_after`.execute(db);
  return { balanceCents: Number(rows[0]!.balance), notYetDueCents: Number(rows[0]!.not_due), dueAfterCents: Number(rows[0]!.due_after) };
}

/** The account's posted bills dated after one day, through another (for the monthly estimate). */
export async function billsBetween(db: Db, accountId: number, after: string, through: string) {
  const { rows } = await sql<{ bill_date: string; total_cents: string }>`
    select bill_date::text, total_cents::text from bills where account_id = ${accountId} and status = 'posted' and bill_date > ${after}::date and bill_date <= ${through}::date`.execute(db);
  return rows.map((r) => ({ billDate: r.bill_date, totalCents: Number(r.total_cents) }));
}

/** The areas premises are in, with how many premises each (the heat-alert calendar's choices). */
export async function areas(db: Db) {
  const { rows } = await sql<{ area: string; premises: number }>`select area, count(*)::int as premises from premises group by area order by area`.execute(db);
  return rows;
}

/** Account number and customer name of accounts (for lists). */
export async function accountNames(db: Db, accountIds: readonly number[]) {
  if (accountIds.length === 0) return new Map<number, { accountNumber: string; customerName: string }>();
  const { rows } = await sql<{ id: string; account_number: string; display_name: string }>`
    select a.id::text, a.account_number, c.display_name from accounts a join customers c on c.id = a.customer_id where a.id = any(${ids8(accountIds)})`.execute(db);
  return new Map(rows.map((r) => [Number(r.id), { accountNumber: r.account_number, customerName: r.display_name }]));
}

// ---- medical notices and certificates ----

export const insertNotice = async (db: Db, r: { accountId: number; toldOn: string; toldBy: string; note: string | null; holdsUntil: string; at: Date; by: number | null }) =>
  (await sql<Row>`insert into medical_notices (account_id, told_on, told_by, note, holds_until, created_at, created_by)
    values (${r.accountId}, ${r.toldOn}::date, ${r.toldBy}, ${r.note}, ${r.holdsUntil}::date, ${r.at}, ${r.by}) returning *`.execute(db)).rows[0]!;
export const findNotice = async (db: Db, id: number, lock = false) => (await sql<Row>`select * from medical_notices where id = ${id} ${lock ? sql`for update` : sql``}`.execute(db)).rows[0];
export const noticesOf = async (db: Db, accountId: number) => (await sql<Row>`select * from medical_notices where account_id = ${accountId} order by told_on desc, id desc`.execute(db)).rows;
export const endNotice = (db: Db, id: number, endedOn: string, reason: string) => sql`update medical_notices set ended_on = ${endedOn}::date, end_reason = ${reason} where id = ${id}`.execute(db);

export const insertCertificate = async (db: Db, r: { accountId: number; receivedOn: string; professionalName: string; note: string | null; delinquentCents: number; paymentDueCents: number; holdsUntil: string; noticeHoldsUntil: string; at: Date; by: number | null }) =>
  (await sql<Row>`insert into medical_certificates (account_id, received_on, professional_name, note, delinquent_cents, payment_due_cents, holds_until, notice_holds_until, created_at, created_by)
    values (${r.accountId}, ${r.receivedOn}::date, ${r.professionalName}, ${r.note}, ${r.delinquentCents}, ${r.paymentDueCents}, ${r.holdsUntil}::date, ${r.noticeHoldsUntil}::date, ${r.at}, ${r.by}) returning *`.execute(db)).rows[0]!;
export const setCertificateAlert = (db: Db, id: number, alertId: number) => sql`update medical_certificates set alert_id = ${alertId} where id = ${id}`.execute(db);
export const findCertificate = async (db: Db, id: number, lock = false) => (await sql<Row>`select * from medical_certificates where id = ${id} ${lock ? sql`for update` : sql``}`.execute(db)).rows[0];
export const certificatesOf = async (db: Db, accountId: number) => (await sql<Row>`select * from medical_certificates where account_id = ${accountId} order by received_on desc, id desc`.execute(db)).rows;
export const endCertificate = (db: Db, id: number, endedOn: string, reason: string) => sql`update medical_certificates set ended_on = ${endedOn}::date, end_reason = ${reason} where id = ${id}`.execute(db);
/** Serialises recording on one account (the certificate limit counts the ones before). */
export const lockAccountProtections = (db: Db, accountId: number) => sql`select pg_advisory_xact_lock(hashtext('protection'), ${accountId}::int4)`.execute(db);

// ---- disputes ----

export const insertDispute = async (db: Db, r: { accountId: number; amountCents: number; about: string; openedOn: string; at: Date; by: number | null }) =>
  (await sql<Row>`insert into disputes (account_id, amount_cents, about, opened_on, created_at, created_by) values (${r.accountId}, ${r.amountCents}, ${r.about}, ${r.openedOn}::date, ${r.at}, ${r.by}) returning *`.execute(db)).rows[0]!;
export const findDispute = async (db: Db, id: number, lock = false) => (await sql<Row>`select * from disputes where id = ${id} ${lock ? sql`for update` : sql``}`.execute(db)).rows[0];
export const disputesOf = async (db: Db, accountId: number) => (await sql<Row>`select * from disputes where account_id = ${accountId} order by opened_on desc, id desc`.execute(db)).rows;
export const resolveDispute = (db: Db, id: number, r: { resolvedOn: string; outcome: string; at: Date; by: number | null }) =>
  sql`update disputes set resolved_on = ${r.resolvedOn}::date, outcome = ${r.outcome}, resolved_at = ${r.at}, resolved_by = ${r.by} where id = ${id}`.execute(db);

// ---- heat alerts ----

export const insertHeatAlert = async (db: Db, r: { area: string; fromDate: string; toDate: string; source: string; note: string | null; at: Date; by: number | null }) =>
  (await sql<Row>`insert into heat_alerts (area, from_date, to_date, source, note, created_at, created_by) values (${r.area}, ${r.fromDate}::date, ${r.toDate}::date, ${r.source}, ${r.note}, ${r.at}, ${r.by}) returning *`.execute(db)).rows[0]!;
export const findHeatAlert = async (db: Db, id: number, lock = false) => (await sql<Row>`select * from heat_alerts where id = ${id} ${lock ? sql`for update` : sql``}`.execute(db)).rows[0];
export const updateHeatAlert = (db: Db, id: number, r: { toDate: string; source: string; note: string | null; at: Date; by: number | null }) =>
  sql`update heat_alerts set to_date = ${r.toDate}::date, source = ${r.source}, note = ${r.note}, updated_at = ${r.at}, updated_by = ${r.by} where id = ${id}`.execute(db);
export const endHeatAlert = (db: Db, id: number, r: { endedOn: string; reason: string; at: Date; by: number | null }) =>
  sql`update heat_alerts set ended_on = ${r.endedOn}::date, end_reason = ${r.reason}, updated_at = ${r.at}, updated_by = ${r.by} where id = ${id}`.execute(db);
/** Alerts whose dates meet a range (either end open), in an area or all, by start date. */
export const listHeatAlerts = async (db: Db, q: { from?: string; to?: string; area?: string }) =>
  (await sql<Row>`select * from heat_alerts
     where (${q.from ?? null}::date is null or to_date >= ${q.from ?? null}::date) and (${q.to ?? null}::date is null or from_date <= ${q.to ?? null}::date)
       and (${q.area ?? null}::text is null or upper(area) = upper(${q.area ?? null}))
     order by from_date desc, area, id desc limit 500`.execute(db)).rows;

// ---- payment arrangements ----

export const insertArrangement = async (db: Db, r: { accountId: number; kind: string; startOn: string; arrearsCents: number; instalments: number; reason: string; at: Date; by: number | null }) =>
  (await sql<Row>`insert into payment_arrangements (account_id, kind, status, start_on, arrears_cents, instalments, reason, created_at, created_by)
    values (${r.accountId}, ${r.kind}, 'active', ${r.startOn}::date, ${r.arrearsCents}, ${r.instalments}, ${r.reason}, ${r.at}, ${r.by}) returning *`.execute(db)).rows[0]!;
export async function insertInstalments(db: Db, arrangementId: number, rows: readonly { n: number; dueOn: string; amountCents: number }[]) {
  if (rows.length === 0) return;
  await sql`insert into arrangement_instalments (arrangement_id, n, due_on, amount_cents)
    select ${arrangementId}, n, due_on, amount_cents from unnest(${rows.map((r) => r.n)}::int2[], ${rows.map((r) => r.dueOn)}::date[], ${rows.map((r) => r.amountCents)}::int8[]) as t(n, due_on, amount_cents)`.execute(db);
}
export const setArrangementAlert = (db: Db, id: number, alertId: number) => sql`update payment_arrangements set alert_id = ${alertId} where id = ${id}`.execute(db);
export const findArrangement = async (db: Db, id: number, lock = false) => (await sql<Row>`select * from payment_arrangements where id = ${id} ${lock ? sql`for update` : sql``}`.execute(db)).rows[0];
export const activeArrangementOf = async (db: Db, accountId: number) => (await sql<Row>`select * from payment_arrangements where account_id = ${accountId} and status = 'active'`.execute(db)).rows[0];
export const arrangementsOf = async (db: Db, accountId: number) => (await sql<Row>`select * from payment_arrangements where account_id = ${accountId} order by id desc`.execute(db)).rows;
export const instalmentsOf = async (db: Db, arrangementIds: readonly number[]) => {
  if (arrangementIds.length === 0) return [];
  return (await sql<{ arrangement_id: string; n: number; due_on: string; amount_cents: string }>`
    select arrangement_id::text, n, due_on::text, amount_cents::text from arrangement_instalments where arrangement_id = any(${ids8(arrangementIds)}) order by arrangement_id, n`.execute(db)).rows;
};
export const listArrangements = async (db: Db, q: { status?: string; kind?: string; accountId?: number; after: number; limit: number }) =>
  (await sql<Row>`select * from payment_arrangements
     where (${q.after}::int8 = 0 or id < ${q.after}::int8) ${q.status ? sql`and status = ${q.status}` : sql``} ${q.kind ? sql`and kind = ${q.kind}` : sql``}
       ${q.accountId ? sql`and account_id = ${q.accountId}` : sql``}
     order by id desc limit ${q.limit + 1}`.execute(db)).rows;
/** Arrangements active on a day (started by then), for the review. */
export const activeArrangements = async (db: Db, date: string) =>
  (await sql<{ id: string }>`select id::text from payment_arrangements where status = 'active' and start_on <= ${date}::date order by id`.execute(db)).rows.map((r) => Number(r.id));
export const endArrangement = (db: Db, id: number, r: { status: 'completed' | 'defaulted' | 'cancelled'; endedOn: string; reason: string; at: Date; by: number | null }) =>
  sql`update payment_arrangements set status = ${r.status}, ended_on = ${r.endedOn}::date, end_reason = ${r.reason}, ended_at = ${r.at}, ended_by = ${r.by} where id = ${id}`.execute(db);

export const insertWinter = async (db: Db, r: Record<string, unknown>) => {
  const columns = Object.keys(r);
  return (await sql<Row>`insert into winter_protections (${sql.join(columns.map((c) => sql.ref(c)))}) values (${sql.join(columns.map((c) => sql`${r[c]}`))}) returning *`.execute(db)).rows[0]!;
};
export const winterOf = async (db: Db, arrangementIds: readonly number[]) => {
  if (arrangementIds.length === 0) return [];
  return (await sql<Row>`select * from winter_protections where arrangement_id = any(${ids8(arrangementIds)})`.execute(db)).rows;
};

/**
 * What each arrangement's standing on a day is worked out from (one statement for all): the
 * payments since it started through the day, its instalments due by the cut-off day (the last due
 * date owed on the day) and in all, and the posted bills due after the day it started (what was
 * owed by that day is its arrears) that fell due by the cut-off day and by the day itself.
 */
export async function arrangementFacts(db: Db, arrangementIds: readonly number[], date: string, cutoff: string) {
  if (arrangementIds.length === 0) return [];
  const { rows } = await sql<{ id: string; paid: string; inst_due: string; inst_total: string; bills_due: string; bills_due_by_day: string; next_due_on: string | null; last_due_on: string }>`
    select a.id::text,
           ${paymentsSum(sql`a.account_id`, sql`a.start_on`, sql`${date}::date`)}::text as paid,
           (select coalesce(sum(i.amount_cents) filter (where i.due_on <= ${cutoff}::date), 0) from arrangement_instalments i where i.arrangement_id = a.id)::text as inst_due,
           (select coalesce(sum(i.amount_cents), 0) from arrangement_instalments i where i.arrangement_id = a.id)::text as inst_total,
           (select min(i.due_on) from arrangement_instalments i where i.arrangement_id = a.id and i.due_on >= ${date}::date)::text as next_due_on,
           (select max(i.due_on) from arrangement_instalments i where i.arrangement_id = a.id)::text as last_due_on,
           (select coalesce(sum(b.total_cents) filter (where b.due_date <= ${cutoff}::date), 0) from bills b
             where b.account_id = a.account_id and b.status = 'posted' and b.due_date > a.start_on and b.due_date <= ${date}::date)::text as bills_due,
           (select coalesce(sum(b.total_cents), 0) from bills b
             where b.account_id = a.account_id and b.status = 'posted' and b.due_date > a.start_on and b.due_date <= ${date}::date)::text as bills_due_by_day
      from payment_arrangements a where a.id = any(${ids8(arrangementIds)})`.execute(db);
  return rows.map((r) => ({
    id: Number(r.id), paidCents: Number(r.paid), instalmentsDueCents: Number(r.inst_due), instalmentsTotalCents: Number(r.inst_total),
    billsDueCents: Number(r.bills_due), billsDueByDayCents: Number(r.bills_due_by_day), nextDueOn: r.next_due_on, lastDueOn: r.last_due_on,
  }));
}

// ---- what is in force on a day, for many accounts at once (one statement per kind) ----

export const noticesInForce = async (db: Db, accountIds: readonly number[], date: string) =>
  (await sql<Row>`select * from medical_notices where account_id = any(${ids8(accountIds)}) and told_on <= ${date}::date and holds_until >= ${date}::date
     and (ended_on is null or ended_on > ${date}::date) order by account_id, id`.execute(db)).rows;

/** Certificates whose longer hold reaches the day, with what was paid on the account from receipt through the day. */
export const certificatesInForce = async (db: Db, accountIds: readonly number[], date: string) =>
  (await sql<Row>`select c.*, ${paymentsSum(sql`c.account_id`, sql`c.received_on`, sql`${date}::date`)}::text as paid_cents
      from medical_certificates c where c.account_id = any(${ids8(accountIds)}) and c.received_on <= ${date}::date
       and greatest(c.holds_until, c.notice_holds_until) >= ${date}::date and (c.ended_on is null or c.ended_on > ${date}::date) order by c.account_id, c.id`.execute(db)).rows;

/** Arrangements live on the day (started, not yet ended by then). */
export const arrangementsInForce = async (db: Db, accountIds: readonly number[], date: string) =>
  (await sql<Row>`select * from payment_arrangements where account_id = any(${ids8(accountIds)}) and start_on <= ${date}::date
      and (status = 'active' or ended_on > ${date}::date) order by account_id, id`.execute(db)).rows;

export const disputesOpen = async (db: Db, accountIds: readonly number[], date: string) =>
  (await sql<Row>`select * from disputes where account_id = any(${ids8(accountIds)}) and opened_on <= ${date}::date and (resolved_on is null or resolved_on > ${date}::date) order by account_id, id`.execute(db)).rows;

/** Heat alerts in force on the day in the areas of residential accounts' premises (agreements in force). */
export const heatAlertsForAccounts = async (db: Db, accountIds: readonly number[], date: string) =>
  (await sql<Row & { account_id: string }>`
    select distinct a.id::text as account_id, h.*
      from accounts a
      join service_agreements s on s.account_id = a.id and s.start_date <= ${date}::date and (s.end_date is null or s.end_date >= ${date}::date)
      join service_points p on p.id = s.service_point_id
      join premises pr on pr.id = p.premise_id
      join heat_alerts h on h.area = pr.area and h.from_date <= ${date}::date and h.to_date >= ${date}::date and (h.ended_on is null or h.ended_on > ${date}::date)
     where a.id = any(${ids8(accountIds)}) and a.customer_class = 'residential'
     order by a.id::text, h.id`.execute(db)).rows;
