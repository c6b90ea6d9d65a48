/**
 * The demo loader's SQL: reserving ids and bulk inserts into the customer and premise tables
 * (insert-only; see the invariant in ARCHITECTURE.md). One INSERT ... SELECT FROM unnest(...) per
 * table per batch, all in one statement, so a batch is one round trip and commits whole.
 */
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { DistrictRows, ReservedIds } from './generate.ts';

/** The tables a demo load writes to, parents first. */
export const demoTables = [
  'customers', 'customer_contacts', 'customer_identifiers', 'accounts', 'account_alerts',
  'premises', 'service_points', 'meters', 'meter_installations', 'service_agreements',
] as const;

type IdTable = 'customers' | 'accounts' | 'premises' | 'service_points' | 'meters';
export type IdSequences = Record<IdTable, string>;

/** The identity sequences of the tables whose ids the loader hands out itself. */
export async function idSequences(db: Db): Promise<IdSequences> {
  const { rows } = await sql<IdSequences>`
    select pg_get_serial_sequence('customers', 'id') as customers,
           pg_get_serial_sequence('accounts', 'id') as accounts,
           pg_get_serial_sequence('premises', 'id') as premises,
           pg_get_serial_sequence('service_points', 'id') as service_points,
           pg_get_serial_sequence('meters', 'id') as meters`.execute(db);
  return rows[0]!;
}

/**
 * Takes ids from each table's identity sequence and account-number sequence values, one per row
 * to come. The values are whatever the sequences hand out (not assumed consecutive), so a load
 * next to other work, or a second load, never collides.
 */
export async function reserveIds(
  db: Db,
  seqs: IdSequences,
  need: { customers: number; accounts: number; premises: number; servicePoints: number; meters: number },
): Promise<ReservedIds> {
  const take = (seq: string, n: number) =>
    sql`array_to_string(array(select nextval(${seq}::regclass) from generate_series(1, ${n}::int) order by 1), ',')`;
  const { rows } = await sql<Record<keyof ReservedIds, string>>`
    select ${take(seqs.customers, need.customers)} as customers,
           ${take(seqs.accounts, need.accounts)} as accounts,
           ${take('account_number_seq', need.accounts)} as "accountSequences",
           ${take(seqs.premises, need.premises)} as premises,
           ${take(seqs.service_points, need.servicePoints)} as "servicePoints",
           ${take(seqs.meters, need.meters)} as meters`.execute(db);
  const r = rows[0]!;
  const list = (s: string) => (s === '' ? [] : s.split(',').map(Number));
  return {
    customers: list(r.customers),
    accounts: list(r.accounts),
    accountSequences: list(r.accountSequences),
    premises: list(r.premises),
    servicePoints: list(r.servicePoints),
    meters: list(r.meters),
  };
}

/**
 * Inserts one batch in one statement: each table's rows come from unnest() over column arrays.
 * Foreign keys are checked at the end of the statement, when every parent row is in.
 */
export async function insertBatch(db: Db, r: DistrictRows): Promise<void> {
  await insertBatchQuery(r).execute(db);
}

export function insertBatchQuery(r: DistrictRows) {
  return sql`
    with
    c as (
      insert into customers (id, kind, first_name, last_name, business_name, display_name, date_of_birth, preferred_language)
      select * from unnest(${r.customers.id}::int8[], ${r.customers.kind}::text[], ${r.customers.first_name}::text[], ${r.customers.last_name}::text[],
                           ${r.customers.business_name}::text[], ${r.customers.display_name}::text[], ${r.customers.date_of_birth}::date[],
                           ${r.customers.preferred_language}::text[])),
    cc as (
      insert into customer_contacts (customer_id, kind, value, phone_digits, label, is_primary)
      select * from unnest(${r.customer_contacts.customer_id}::int8[], ${r.customer_contacts.kind}::text[], ${r.customer_contacts.value}::text[],
                           ${r.customer_contacts.phone_digits}::text[], ${r.customer_contacts.label}::text[], ${r.customer_contacts.is_primary}::bool[])),
    ci as (
      insert into customer_identifiers (customer_id, kind, value)
      select * from unnest(${r.customer_identifiers.customer_id}::int8[], ${r.customer_identifiers.kind}::text[], ${r.customer_identifiers.value}::text[])),
    a as (
      insert into accounts (id, account_number, customer_id, status, customer_class, billing_cycle, billing_line1, billing_line2,
                            billing_city, billing_state, billing_postal_code, opened_on, closed_on)
      select * from unnest(${r.accounts.id}::int8[], ${r.accounts.account_number}::text[], ${r.accounts.customer_id}::int8[], ${r.accounts.status}::text[],
                           ${r.accounts.customer_class}::text[], ${r.accounts.billing_cycle}::int2[], ${r.accounts.billing_line1}::text[],
                           ${r.accounts.billing_line2}::text[], ${r.accounts.billing_city}::text[], ${r.accounts.billing_state}::text[],
                           ${r.accounts.billing_postal_code}::text[], ${r.accounts.opened_on}::date[], ${r.accounts.closed_on}::date[])),
    al as (
      insert into account_alerts (account_id, kind, note, starts_on, ends_on)
      select * from unnest(${r.account_alerts.account_id}::int8[], ${r.account_alerts.kind}::text[], ${r.account_alerts.note}::text[],
                           ${r.account_alerts.starts_on}::date[], ${r.account_alerts.ends_on}::date[])),
    p as (
      insert into premises (id, line1, line2, city, state, postal_code, premise_type, area, space_heating, owner_customer_id)
      select * from unnest(${r.premises.id}::int8[], ${r.premises.line1}::text[], ${r.premises.line2}::text[], ${r.premises.city}::text[],
                           ${r.premises.state}::text[], ${r.premises.postal_code}::text[], ${r.premises.premise_type}::text[], ${r.premises.area}::text[],
                           ${r.premises.space_heating}::bool[], ${r.premises.owner_customer_id}::int8[])),
    sp as (
      insert into service_points (id, premise_id, service, status, route, location_note)
      select * from unnest(${r.service_points.id}::int8[], ${r.service_points.premise_id}::int8[], ${r.service_points.service}::text[],
                           ${r.service_points.status}::text[], ${r.service_points.route}::text[], ${r.service_points.location_note}::text[])),
    m as (
      insert into meters (id, serial, kind, manufacturer, model, multiplier, dials, size, status)
      select * from unnest(${r.meters.id}::int8[], ${r.meters.serial}::text[], ${r.meters.kind}::text[], ${r.meters.manufacturer}::text[],
                           ${r.meters.model}::text[], ${r.meters.multiplier}::numeric[], ${r.meters.dials}::int2[], ${r.meters.size}::text[],
                           ${r.meters.status}::text[])),
    mi as (
      insert into meter_installations (meter_id, service_point_id, installed_on)
      select * from unnest(${r.meter_installations.meter_id}::int8[], ${r.meter_installations.service_point_id}::int8[],
                           ${r.meter_installations.installed_on}::date[])),
    sa as (
      insert into service_agreements (account_id, service_point_id, rate_code, start_date, end_date)
      select * from unnest(${r.service_agreements.account_id}::int8[], ${r.service_agreements.service_point_id}::int8[],
                           ${r.service_agreements.rate_code}::text[], ${r.service_agreements.start_date}::date[], ${r.service_agreements.end_date}::date[]))
    select 1`;
}

/**
 * Makes the new rows count at once. VACUUM (ANALYZE) gives the planner fresh statistics, merges
 * the trigram indexes' pending lists (where GIN keeps recent inserts until a vacuum) into the
 * indexes proper, and sets hint bits and the visibility map, so the first searches after a load
 * neither scan megabytes of pending entries nor dirty every page they read, and autovacuum has
 * nothing left to do in the middle of the day. Inside a transaction, where VACUUM cannot run,
 * it falls back to merging the pending lists and ANALYZE.
 */
export async function settleAfterLoad(db: Db): Promise<void> {
  const tables = sql.join(demoTables.map((t) => sql.table(t)));
  if (!db.isTransaction) {
    await sql`vacuum (analyze) ${tables}`.execute(db);
    return;
  }
  await sql`select gin_clean_pending_list(c.oid)
              from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am am on am.oid = c.relam
             where am.amname = 'gin' and i.indrelid = any(${[...demoTables]}::regclass[])`.execute(db);
  await sql`analyze ${tables}`.execute(db);
}
