/**
 * The demo loader's SQL: reserving ids and bulk inserts into the customer, premise and meter-read
 * tables (insert-only; see the invariant in ARCHITECTURE.md). One INSERT ... SELECT FROM unnest(...) per
 * table per batch, all in one statement, so a batch is one round trip and commits whole.
 */
import { sql, type RawBuilder } from 'kysely';
import { transact, type Db } from '../platform/db/database.ts';
import type { DistrictRows, ReservedIds } from './generate.ts';
import type { ReadPlanRows } from './reads.ts';

/** The tables a demo load writes to, parents first. */
export const demoTables = [
  'customers', 'customer_contacts', 'customer_identifiers', 'accounts', 'account_alerts',
  'premises', 'service_points', 'meters', 'meter_installations', 'service_agreements', 'meter_reads', 'read_exceptions',
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

// ---------------------------------------------------------------------------------------------
// Meter reads (see reads.ts for what they model)

/**
 * A 32-bit hash of a whole-number SQL expression (a multiply-xorshift round in int8 arithmetic
 * that cannot overflow), the same on every server. Its input here is a meter's random key plus
 * the month times a large odd constant, so the months of a meter walk the 32-bit circle evenly
 * and one round is enough to scatter them.
 */
function hash32(x: RawBuilder<unknown>): RawBuilder<number> {
  const x0 = sql`((${x}) & 4294967295)`;
  const x1 = sql`((((${x0} >> 16) # ${x0}) * 73244475) & 4294967295)`;
  return sql<number>`((${x1} >> 16) # ${x1})`;
}

/** The reading calendar as column arrays (see calendarRows in reads.ts). */
export interface CalendarRows {
  cycle: number[];
  idx: number[];
  read_date: string[];
  prev_date: (string | null)[];
  month_no: number[];
  period_month: number[];
  year_before: string[];
  by_idx: number[];
}

export interface ValidationSettingsRow {
  service: 'electric' | 'water';
  high_ratio: string;
  low_ratio: string;
  min_daily_use: string;
}

/** The read-validation thresholds the demo's reads are checked against (read only). */
export async function readValidationSettings(db: Db): Promise<ValidationSettingsRow[]> {
  const { rows } = await sql<ValidationSettingsRow>`select service, high_ratio, low_ratio, min_daily_use from read_validation_settings order by service`.execute(db);
  return rows;
}

export interface ReadSettings {
  /** Reads per cycle in the calendar. */
  months: number;
  /** seasonalCurves flattened: curve i, month m (1-12) at position i x 12 + m. */
  curves: number[];
  odds: { spike: { history: number; latest: number }; stuck: { history: number; latest: number } };
  validation: ValidationSettingsRow[];
  /** The utility's time zone, for the times the reads and exceptions were entered. */
  timeZone: string;
}

/**
 * Takes `n` consecutive ids from meter_reads' identity sequence at once: nextval then setval in
 * one expression. Another session taking an id between the two would get one inside the block
 * and one of the inserts would fail on the primary key (loudly, never silently).
 */
export async function reserveReadIds(db: Db, n: number): Promise<number> {
  const { rows } = await sql<{ first: string }>`
    select (setval(pg_get_serial_sequence('meter_reads', 'id'), nextval(pg_get_serial_sequence('meter_reads', 'id')) + ${n}::int8 - 1) - ${n}::int8 + 1)::text as first`.execute(db);
  return Number(rows[0]!.first);
}

/**
 * Inserts one batch of reads (see insertReadsQuery) in a transaction of its own (or the
 * caller's) with JIT compilation off: the statement is big and its cost estimate high, so a
 * server would spend seconds compiling it for a run of a few seconds; and with memory enough to
 * sort and hold a batch without temporary files.
 */
export async function insertReads(db: Db, p: ReadPlanRows, cal: CalendarRows, firstReadId: number, o: ReadSettings): Promise<{ reads: number; exceptions: number }> {
  return transact(db, async (trx) => {
    await sql`select set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`.execute(trx);
    const { rows } = await insertReadsQuery(p, cal, firstReadId, o).execute(trx);
    return rows[0]!;
  });
}

/**
 * One batch of reads in one statement. The meters' plan and the calendar expand into the reads
 * (by arithmetic: positions, period lengths and the read a year before come with the calendar),
 * use comes from a hash of (meter, month), one window pass over each meter's reads gives the
 * running register and the history the rules look at, and every read is checked by the rules of
 * meter-read/rules.ts (checkRead; estimated reads by estimateRead) before it is inserted with its
 * exceptions. Read ids are the reserved block in (meter, date) order, so a read's previous read
 * is id - 1.
 */
export function insertReadsQuery(p: ReadPlanRows, cal: CalendarRows, firstReadId: number, o: ReadSettings) {
  const at = (time: string, days = 0) => sql`((r.read_date + ${sql.lit(days)}::int) + time ${sql.lit(time)}) at time zone ${o.timeZone}`;
  const setting = (column: 'high_ratio' | 'low_ratio' | 'min_daily_use') => {
    const of = (service: string) => o.validation.find((v) => v.service === service)?.[column] ?? null;
    return sql`case m.service when 'electric' then ${of('electric')}::numeric else ${of('water')}::numeric end`;
  };
  const last = o.months - 1;
  const { spike, stuck } = o.odds;
  // The reads of some meters with the use of each period in register units: the schedule (a
  // cycle read per calendar date after the installation, and the install read), whether the
  // service was in use on the read date, the anomaly if any, and the use.
  const withUse = (meters: RawBuilder<unknown>) => sql`
    select r.*, r.units * 4096 + r.days as pack
      from (
        select r.meter_id, r.k, r.read_date, r.days, r.is_last, r.is_install, r.active, r.anomaly, r.before_year,
               case when r.k = 0 or not r.active or r.anomaly = 'stuck' then 0::int8
                    else greatest(1, round(r.base_rate * (${o.curves}::float8[])[r.curve * 12 + r.period_month] * (1 + (r.h1 * 2 - 1) * r.noise) * r.days
                                           * (case when r.anomaly = 'spike' then 2.6 + 1.6 * (((r.h * 1597334677) & 4294967295) >> 16) / 65536.0::float8 else 1 end) / r.multiplier))::int8
               end as units
          from (
            select r.*,
                   case when r.k = 0 or not r.active or r.k = r.estimate_at then null
                        when r.h2 < (case when r.is_last then ${spike.latest}::float8 else ${spike.history}::float8 end) then 'spike'
                        when r.h2 < (case when r.is_last then ${spike.latest + stuck.latest}::float8 else ${spike.history + stuck.history}::float8 end) then 'stuck'
                   end as anomaly
              from (
                select s.*, s.occupied @> s.read_date and not (s.disconnected and s.is_last) as active,
                       (s.h & 65535) / 65536.0::float8 as h1, (s.h >> 16) / 65536.0::float8 as h2
                  from (
                    select m.meter_id, m.occupied, m.disconnected, m.estimate_at, m.base_rate, m.curve, m.noise, m.multiplier,
                           ${hash32(sql`m.read_key + c.month_no::int8 * 2654435761`)} as h, c.read_date, c.period_month,
                           c.idx - m.first_idx + m.install_read::int as k,
                           c.read_date - (case when c.idx = m.first_idx and m.install_read then m.installed_on else c.prev_date end) as days,
                           c.idx = ${last}::int as is_last,
                           greatest(c.by_idx - m.first_idx, 0) + (m.install_read and m.installed_on < c.year_before)::int as before_year,
                           false as is_install
                      from ${meters} m join cal c on c.cycle = m.cycle and c.idx >= m.first_idx
                    union all
                    select m.meter_id, m.occupied, m.disconnected, m.estimate_at, m.base_rate, m.curve, m.noise, m.multiplier,
                           0, m.installed_on, 0, 0, null::int, m.first_idx > ${last}::int, 0, true
                      from ${meters} m where m.install_read
                  ) s
                offset 0) r) r) r`;
  // checkRead's comparison of a read's daily use with a basis (null when there is none or it is
  // under the minimum): 'high', 'low' or null. A float test first: only reads near a threshold
  // pay for the exact decimals.
  const judge = (perDayF: RawBuilder<unknown>, basisF: RawBuilder<unknown>, perDay: RawBuilder<unknown>, basis: RawBuilder<unknown>) => sql`
    case when ${basisF} is null or ${basisF} < r.min_f * 0.999 then null
         when ${perDayF} < ${basisF} * r.high_f * 0.999 and ${perDayF} > ${basisF} * r.low_f * 1.001 and ${basisF} > r.min_f * 1.001 then null
         when ${basis} < r.min_daily_use then null
         when ${perDay} > ${basis} * r.high_ratio then 'high'
         when ${perDay} < ${basis} * r.low_ratio then 'low' end`;
  const perDay = sql`round(r.usage::numeric / r.days, 6)`;
  const basisY = sql`round(r.ly_usage::numeric / r.ly_days, 6)`;
  const basisA = sql`round(r.t_usage::numeric / r.t_days, 6)`;
  return sql<{ reads: number; exceptions: number }>`
    with
    m as (
      select m.*, ${setting('high_ratio')} as high_ratio, ${setting('low_ratio')} as low_ratio, ${setting('min_daily_use')} as min_daily_use,
             (10::float8 ^ m.dials)::int8 as register_range
        from unnest(${p.meter_id}::int8[], ${p.service_point_id}::int8[], ${p.read_offset}::int8[], ${p.read_key}::int8[], ${p.service}::text[],
                    ${p.unit}::text[], ${p.multiplier}::int8[], ${p.dials}::int4[], ${p.start_register}::int8[], ${p.installed_on}::date[],
                    ${p.install_read}::bool[], ${p.first_idx}::int4[], ${p.cycle}::int4[], ${p.occupied}::datemultirange[], ${p.base_rate}::float8[],
                    ${p.curve}::int4[], ${p.noise}::float8[], ${p.disconnected}::bool[], ${p.estimate_at}::int4[])
          as m(meter_id, service_point_id, read_offset, read_key, service, unit, multiplier, dials, start_register, installed_on,
               install_read, first_idx, cycle, occupied, base_rate, curve, noise, disconnected, estimate_at)),
    cal as (
      select * from unnest(${cal.cycle}::int4[], ${cal.idx}::int4[], ${cal.read_date}::date[], ${cal.prev_date}::date[], ${cal.month_no}::int4[],
                           ${cal.period_month}::int4[], ${cal.year_before}::date[], ${cal.by_idx}::int4[])
        as c(cycle, idx, read_date, prev_date, month_no, period_month, year_before, by_idx)),
    -- The estimated reads (estimateRead: the average daily use of the three periods before x the
    -- days, in whole register units), where the next read, measured from the estimate, still goes
    -- forward. dd is what the estimate moves the register by against the true reading.
    est as (
      select e.meter_id, x.est_units, x.est_units - e.units_at as dd, p.per_day, e.units3 * e.multiplier as total3, e.days3
        from (
          select r.meter_id, max(m.multiplier) as multiplier,
                 bool_or(r.k = m.estimate_at and r.active and r.anomaly is null) as ok,
                 bool_or(r.k = m.estimate_at and r.is_last) as at_last,
                 sum(r.units) filter (where r.k between m.estimate_at - 3 and m.estimate_at - 1) as units3,
                 sum(r.days) filter (where r.k between m.estimate_at - 3 and m.estimate_at - 1) as days3,
                 max(r.units) filter (where r.k = m.estimate_at) as units_at,
                 max(r.units) filter (where r.k = m.estimate_at + 1) as units_next,
                 max(r.days) filter (where r.k = m.estimate_at) as days_at
            from (${withUse(sql`(select * from m where m.estimate_at >= 4)`)}) r join m on m.meter_id = r.meter_id
           group by r.meter_id) e
        cross join lateral (select case when e.ok and e.units3 > 0 then round(e.units3 * e.multiplier / e.days3, 6) end as per_day) p
        cross join lateral (select round(p.per_day * e.days_at / e.multiplier, 0)::int8 as est_units) x
       where x.est_units >= 1 and (e.at_last or x.est_units <= e.units_at + e.units_next)),
    -- One pass over each meter's reads: the running register and the history the rules use (each
    -- period's units and days packed in one number, units x 4096 + days, to halve the lags).
    h0 as (
      select r.*,
             (sum(r.units) over w)::int8 as cum,
             lag(r.pack, 1) over w as p1, lag(r.pack, 2) over w as p2, lag(r.pack, 3) over w as p3, lag(r.pack, 4) over w as p4,
             lag(r.pack, greatest(r.k - r.before_year, 1)) over w as ply
        from (${withUse(sql`m`)}) r
      window w as (partition by r.meter_id order by r.k)),
    h as (
      select r.*, r.p1 >> 12 as u1, r.p2 >> 12 as u2, r.p3 >> 12 as u3, r.p4 >> 12 as u4,
             (r.p1 & 4095)::int as t1, (r.p2 & 4095)::int as t2, (r.p3 & 4095)::int as t3, (r.p4 & 4095)::int as t4,
             r.ply >> 12 as ly_units, (r.ply & 4095)::int as ly_days
        from h0 r),
    -- The recorded reads. An estimate moves the register at its read (ea) by dd and the next read
    -- measures from it: the use of read j changes by corr(j) = dd at ea, -dd at ea + 1.
    rec as (
      select r.*,
             (r.rec_cum % r.register_range)::numeric as reading,
             r.k > 0 and r.rec_cum / r.register_range > r.prev_cum / r.register_range as rollover,
             case when r.k > 0 then (r.rec_cum - r.prev_cum) * r.multiplier end as usage
        from (
          select r.*, m.service_point_id, m.read_offset, m.unit, m.multiplier, m.dials, m.register_range, m.disconnected,
                 m.high_ratio, m.low_ratio, m.min_daily_use, m.high_ratio::float8 as high_f, m.low_ratio::float8 as low_f, m.min_daily_use::float8 as min_f,
                 e.ea, e.dd, est.est_units, est.per_day as est_per_day, est.total3, est.days3,
                 m.start_register + r.cum + case when r.k = e.ea then e.dd else 0 end as rec_cum,
                 m.start_register + r.cum - r.units + case when r.k - 1 = e.ea then e.dd else 0 end as prev_cum,
                 (r.u1 + case r.k - 1 when e.ea then e.dd when e.ea + 1 then -e.dd else 0 end) * m.multiplier as a1,
                 (r.u2 + case r.k - 2 when e.ea then e.dd when e.ea + 1 then -e.dd else 0 end) * m.multiplier as a2,
                 (r.u3 + case r.k - 3 when e.ea then e.dd when e.ea + 1 then -e.dd else 0 end) * m.multiplier as a3,
                 (r.u4 + case r.k - 4 when e.ea then e.dd when e.ea + 1 then -e.dd else 0 end) * m.multiplier as a4,
                 r.k - 1 = e.ea as e1, r.k - 2 = e.ea as e2, r.k - 3 = e.ea as e3, r.k = e.ea as is_est,
                 case when r.before_year >= 1 and r.before_year < r.k and r.ly_days > 0
                      then (r.ly_units + case r.before_year when e.ea then e.dd when e.ea + 1 then -e.dd else 0 end) * m.multiplier end as ly_usage
            from h r
            join m on m.meter_id = r.meter_id
            left join est on est.meter_id = r.meter_id
            cross join lateral (select case when est.meter_id is null then -1 else m.estimate_at end as ea, coalesce(est.dd, 0) as dd) e
          offset 0) r),
    -- checkRead: the last three periods before the read (actual reads preferred, so an estimate
    -- among them is skipped) and the period around the same day a year earlier.
    three as (
      select r.*, s.t_n, s.t_usage, s.t_days
        from rec r
        cross join lateral (
          select case when r.e1 then r.a2 else r.a1 end as x1, case when r.e1 or r.e2 then r.a3 else r.a2 end as x2,
                 case when r.e1 or r.e2 or r.e3 then r.a4 else r.a3 end as x3,
                 case when r.e1 then r.t2 else r.t1 end as y1, case when r.e1 or r.e2 then r.t3 else r.t2 end as y2,
                 case when r.e1 or r.e2 or r.e3 then r.t4 else r.t3 end as y3) z
        cross join lateral (
          select (z.x1 > 0 is true)::int + (z.x2 > 0 is true)::int + (z.x3 > 0 is true)::int as t_n,
                 case when z.x1 > 0 then z.x1 else 0 end + case when z.x2 > 0 then z.x2 else 0 end
                   + case when z.x3 > 0 then z.x3 else 0 end as t_usage,
                 case when z.x1 > 0 then z.y1 else 0 end + case when z.x2 > 0 then z.y2 else 0 end
                   + case when z.x3 > 0 then z.y3 else 0 end as t_days) s
       offset 0),
    v as (
      select r.meter_id, r.k, r.read_date, r.is_last, r.is_install, r.is_est, r.service_point_id, r.read_offset, r.unit, r.multiplier, r.dials,
             r.reading, r.rollover, r.usage, r.days, r.est_per_day, r.total3, r.days3, r.disconnected, r.high_ratio, r.low_ratio, r.t_n,
             r.c_inactive, r.c_zero, r.c_y, r.c_a, r.has_finding,
             case when r.has_finding then ${perDay} end as per_day,
             case when r.has_finding and r.ly_usage is not null then ${basisY} end as basis_y,
             case when r.has_finding and r.t_n > 0 and r.t_days > 0 then ${basisA} end as basis_a
        from (
          select r.*, coalesce(r.c_inactive, r.c_zero, r.c_y, r.c_a) is not null as has_finding
            from (
              select r.*,
                     case when not r.active and r.usage > 0 then 'use_on_inactive' end as c_inactive,
                     case when r.active and r.usage = 0 and r.days > 0 then 'zero_use_active' end as c_zero,
                     case when r.per_day_f is not null then ${judge(sql`r.per_day_f`, sql`r.basis_y_f`, perDay, basisY)} || '_vs_last_year' end as c_y,
                     case when r.per_day_f is not null then ${judge(sql`r.per_day_f`, sql`r.basis_a_f`, perDay, basisA)} || '_vs_average' end as c_a
                from (
                  select r.*,
                         case when r.usage > 0 and r.days > 0 then r.usage::float8 / r.days end as per_day_f,
                         case when r.ly_usage is not null then r.ly_usage::float8 / r.ly_days end as basis_y_f,
                         case when r.t_n > 0 and r.t_days > 0 then r.t_usage::float8 / r.t_days end as basis_a_f
                    from three r) r
              offset 0) r) r),
    reads as (
      insert into meter_reads (id, meter_id, service_point_id, read_date, reading, read_type, purpose, source, rollover, previous_read_id,
                               usage, usage_on, multiplier, dials, status, estimate_rule, created_at)
      select ${firstReadId}::int8 + r.read_offset + r.k, r.meter_id, r.service_point_id, r.read_date, r.reading,
             case when r.is_est then 'estimated' else 'actual' end,
             case when r.is_install then 'install' else 'cycle' end,
             case when r.is_est then 'estimate' else 'demo' end,
             r.rollover,
             case when r.k > 0 then ${firstReadId}::int8 + r.read_offset + r.k - 1 end,
             r.usage, r.read_date, r.multiplier, r.dials,
             case when not r.has_finding then 'valid' when r.is_last then 'exception' else 'accepted' end,
             case when r.is_est then
               'average of the last 3 read periods: ' || r.total3 || ' ' || r.unit || ' over ' || r.days3 || ' days = '
               || trim_scale(r.est_per_day)::text || ' ' || r.unit || '/day; x ' || r.days || ' days = ' || r.usage || ' ' || r.unit end,
             ${at('17:00')}
        from v r
      returning 1),
    exceptions as (
      insert into read_exceptions (read_id, code, message, status, resolved_at, resolution_reason, created_at)
      select ${firstReadId}::int8 + r.read_offset + r.k, f.code,
             case f.code
               when 'use_on_inactive' then r.usage || ' ' || r.unit || ' used while the service is '
                                           || case when r.disconnected and r.is_last then 'disconnected' else 'without a responsible account' end || ': possible unauthorized use'
               when 'zero_use_active' then 'No use in ' || r.days || ' days on an active service'
               else round(r.per_day, 2)::text || ' ' || r.unit || '/day is '
                    || case when f.code like 'high%' then 'more than ' || trim_scale(r.high_ratio)::text else 'less than ' || trim_scale(r.low_ratio)::text end || ' x '
                    || case when f.code like '%last_year' then 'the same period last year'
                            else 'the average of the last ' || case when r.t_n = 1 then 'read period' else r.t_n || ' read periods' end || ' with use' end
                    || ' (' || round(case when f.code like '%last_year' then r.basis_y else r.basis_a end, 2)::text || ' ' || r.unit || '/day)'
             end,
             case when r.is_last then 'open' else 'accepted' end,
             case when not r.is_last then ${at('10:30', 2)} end,
             case when r.is_last then null
                  when f.code like 'high%' then 'Use confirmed with the customer; the read is right'
                  when f.code = 'zero_use_active' then 'Register checked in the field; the read stands'
                  else 'Reading confirmed in the field' end,
             ${at('17:00')}
        from v r cross join lateral unnest(array[r.c_inactive, r.c_zero, r.c_y, r.c_a]) with ordinality as f(code, n)
       where r.has_finding and f.code is not null
       order by 1, f.n
      returning 1)
    select (select count(*) from reads)::int as reads, (select count(*) from exceptions)::int as exceptions`;
}
