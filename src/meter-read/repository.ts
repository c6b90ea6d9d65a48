import { sql, type Generated, type Insertable, type Selectable } from 'kysely';
import { drawIds } from '../platform/db/copy.ts';
import type { Db } from '../platform/db/database.ts';

export interface MeterReadsTable {
  id: Generated<number>;
  meter_id: number;
  service_point_id: number;
  read_date: string;
  read_at: Date | null;
  reading: string;
  read_type: 'actual' | 'customer' | 'estimated';
  purpose: ReadPurpose;
  source: 'manual' | 'csv' | 'greenbutton' | 'order' | 'estimate' | 'demo';
  rollover: Generated<boolean>;
  previous_read_id: number | null;
  usage: string | null;
  usage_on: string;
  multiplier: string;
  dials: number;
  status: 'valid' | 'exception' | 'accepted' | 'voided';
  estimate_rule: string | null;
  order_id: number | null;
  import_id: number | null;
  import_line: number | null;
  note: string | null;
  entered_by: number | null;
  created_at: Generated<Date>;
  voided_at: Date | null;
  voided_by: number | null;
  void_reason: string | null;
}
export type ReadPurpose =
  | 'cycle' | 'off_cycle' | 'move_in' | 'move_out' | 'exchange_out' | 'exchange_in'
  | 'install' | 'remove' | 'check' | 'test' | 'disconnect' | 'reconnect' | 'investigation';

export interface ReadExceptionsTable {
  id: Generated<number>;
  read_id: number;
  code: string;
  message: string;
  status: Generated<'open' | 'accepted' | 'voided'>;
  resolved_by: number | null;
  resolved_at: Date | null;
  resolution_reason: string | null;
  created_at: Generated<Date>;
}
export interface ReadImportsTable {
  id: Generated<number>;
  format: 'csv' | 'greenbutton';
  file_name: string;
  sha256: string;
  layout_code: string | null;
  content: Buffer;
  records: number;
  imported: number;
  rejected: number;
  duplicates: number;
  rejections: Generated<unknown>;
  imported_by: number | null;
  created_at: Generated<Date>;
}
export interface IntervalReadsTable {
  meter_id: number;
  flow: 'delivered' | 'received';
  start_at: Date;
  duration_seconds: number;
  kwh: string;
  import_id: number;
}
export interface JsonConfigTable {
  code: string;
  definition: unknown;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface ReadValidationSettingsTable {
  service: 'electric' | 'water';
  high_ratio: string;
  low_ratio: string;
  min_daily_use: string;
  rollover_max_share: string;
  updated_at: Generated<Date>;
}
export type MeterReadTables = {
  meter_reads: MeterReadsTable;
  read_exceptions: ReadExceptionsTable;
  read_imports: ReadImportsTable;
  interval_reads: IntervalReadsTable;
  read_file_layouts: JsonConfigTable;
  tou_schedules: JsonConfigTable;
  read_validation_settings: ReadValidationSettingsTable;
};
export type ReadRow = Selectable<MeterReadsTable>;
export type ReadExceptionRow = Selectable<ReadExceptionsTable>;
export type ReadImportRow = Omit<Selectable<ReadImportsTable>, 'content'>;

const t = (db: Db) => db.withTables<MeterReadTables>();
const live = ['valid', 'exception', 'accepted'] as const;

export const insertRead = (db: Db, row: Insertable<MeterReadsTable>) => t(db).insertInto('meter_reads').values(row).returningAll().executeTakeFirstOrThrow();
export const findRead = (db: Db, id: number) => t(db).selectFrom('meter_reads').selectAll().where('id', '=', id).executeTakeFirst();
export const findReadForUpdate = (db: Db, id: number) => t(db).selectFrom('meter_reads').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const updateRead = (db: Db, id: number, patch: Partial<Pick<ReadRow, 'previous_read_id' | 'usage' | 'rollover' | 'status' | 'voided_at' | 'voided_by' | 'void_reason'>>) =>
  t(db).updateTable('meter_reads').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

/** The live read of a meter just before (date, id), not earlier than `since`. */
export const readBefore = (db: Db, meterId: number, date: string, beforeId: number | null, since: string) =>
  t(db).selectFrom('meter_reads').selectAll()
    .where('meter_id', '=', meterId).where('status', 'in', live).where('read_date', '>=', since)
    .where((eb) => (beforeId === null ? eb('read_date', '<=', date) : eb.or([eb('read_date', '<', date), eb.and([eb('read_date', '=', date), eb('id', '<', beforeId)])])))
    .orderBy('read_date', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();

/** The live read of a meter just after (date, id). */
export const readAfter = (db: Db, meterId: number, date: string, afterId: number) =>
  t(db).selectFrom('meter_reads').selectAll()
    .where('meter_id', '=', meterId).where('status', 'in', live)
    .where((eb) => eb.or([eb('read_date', '>', date), eb.and([eb('read_date', '=', date), eb('id', '>', afterId)])]))
    .orderBy('read_date').orderBy('id').limit(1).executeTakeFirst();

export const sameRead = (db: Db, meterId: number, date: string, reading: string) =>
  t(db).selectFrom('meter_reads').select('id').where('meter_id', '=', meterId).where('read_date', '=', date)
    .where('reading', '=', reading).where('status', 'in', live).executeTakeFirst();

/**
 * Read periods at a service point that ended before `date` (reads with a usage), newest first,
 * each with its length in days, for validation and estimation.
 */
export async function periodsBefore(db: Db, servicePointId: number, date: string, limit: number) {
  const { rows } = await sql<{ read_date: string; usage: string; days: number; read_type: string }>`
    select r.read_date, r.usage, (r.read_date - p.read_date) as days, r.read_type
      from meter_reads r join meter_reads p on p.id = r.previous_read_id
     where r.service_point_id = ${servicePointId} and r.status <> 'voided' and r.usage is not null
       and r.read_date < ${date} and r.read_date > p.read_date
     order by r.read_date desc, r.id desc
     limit ${limit}`.execute(db);
  return rows;
}

/** The read period at a service point that contains `date`, if any. */
export async function periodAround(db: Db, servicePointId: number, date: string) {
  const { rows } = await sql<{ read_date: string; usage: string; days: number }>`
    select r.read_date, r.usage, (r.read_date - p.read_date) as days
      from meter_reads r join meter_reads p on p.id = r.previous_read_id
     where r.service_point_id = ${servicePointId} and r.status <> 'voided' and r.usage is not null
       and p.read_date < ${date} and r.read_date >= ${date}
     order by r.read_date limit 1`.execute(db);
  return rows[0];
}

export const readsOfMeter = (db: Db, meterId: number, q: { limit: number; before?: string; includeVoided?: boolean }) => {
  let query = t(db).selectFrom('meter_reads').selectAll().where('meter_id', '=', meterId);
  if (!q.includeVoided) query = query.where('status', 'in', live);
  if (q.before) query = query.where('read_date', '<', q.before);
  return query.orderBy('read_date', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
};

export const readsOfServicePoint = (db: Db, servicePointId: number, q: { from?: string; to?: string; limit: number }) => {
  let query = t(db).selectFrom('meter_reads').selectAll().where('service_point_id', '=', servicePointId).where('status', 'in', live);
  if (q.from) query = query.where('read_date', '>=', q.from);
  if (q.to) query = query.where('read_date', '<=', q.to);
  return query.orderBy('read_date', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
};

export const readsOfOrder = (db: Db, orderId: number) => t(db).selectFrom('meter_reads').selectAll().where('order_id', '=', orderId).orderBy('id').execute();

/** Usage at a service point whose service day falls in [from, to], across every meter it had. */
export async function usageBetween(db: Db, servicePointId: number, from: string, to: string) {
  const { rows } = await sql<{ usage: string | null; reads: number; estimated: number; exceptions: number }>`
    select sum(usage)::text as usage, count(*)::int as reads,
           count(*) filter (where read_type = 'estimated')::int as estimated,
           count(*) filter (where status = 'exception')::int as exceptions
      from meter_reads
     where service_point_id = ${servicePointId} and status <> 'voided' and usage is not null
       and usage_on between ${from} and ${to}`.execute(db);
  return rows[0]!;
}

/**
 * Use over service days for many service points at once (the billing run): per point, the use
 * whose usage_on falls in [from, to], how many reads it came from, how many were estimates or
 * still have open exceptions, and the latest read date among them.
 */
export async function usageOfPoints(db: Db, items: { servicePointId: number; from: string; to: string }[]) {
  if (items.length === 0) return [];
  const { rows } = await sql<{ sp: number; f: string; t: string; usage: string | null; reads: number; estimated: number; exceptions: number; last_read: string | null }>`
    select q.sp, q.f::text as f, q.t::text as t, sum(r.usage)::text as usage, count(r.id)::int as reads,
           count(r.id) filter (where r.read_type = 'estimated')::int as estimated,
           count(r.id) filter (where r.status = 'exception')::int as exceptions,
           max(r.read_date)::text as last_read
      from unnest(${items.map((i) => i.servicePointId)}::int8[], ${items.map((i) => i.from)}::date[], ${items.map((i) => i.to)}::date[]) as q(sp, f, t)
      left join meter_reads r on r.service_point_id = q.sp and r.status <> 'voided' and r.usage is not null and r.usage_on between q.f and q.t
     group by q.sp, q.f, q.t`.execute(db);
  return rows;
}

/**
 * The latest live read date of each service point on or before its own date (any meter): of reads
 * that measured use, or with `anyRead` also a meter's first read (an installation's, which has none).
 */
export async function lastReadDates(db: Db, items: { servicePointId: number; onOrBefore: string }[], anyRead = false) {
  if (items.length === 0) return [];
  const { rows } = await sql<{ sp: number; on_or_before: string; read_date: string | null }>`
    select q.sp, q.d::text as on_or_before,
           (select max(r.usage_on)::text from meter_reads r
             where r.service_point_id = q.sp and r.status <> 'voided' and ${anyRead ? sql`true` : sql`r.usage is not null`} and r.usage_on <= q.d) as read_date
      from unnest(${items.map((i) => i.servicePointId)}::int8[], ${items.map((i) => i.onOrBefore)}::date[]) as q(sp, d)`.execute(db);
  return rows;
}

/** kWh of one flow in interval data per meter between two instants [from, to), for many meters at once. */
export async function intervalKwhOfMeters(db: Db, flow: 'delivered' | 'received', items: { meterId: number; from: Date; to: Date }[]) {
  if (items.length === 0) return [];
  const { rows } = await sql<{ meter_id: number; from_at: Date; to_at: Date; kwh: string | null; intervals: number }>`
    select q.m as meter_id, q.f as from_at, q.t as to_at, sum(i.kwh)::text as kwh, count(i.start_at)::int as intervals
      from unnest(${items.map((i) => i.meterId)}::int8[], ${items.map((i) => i.from.toISOString())}::timestamptz[], ${items.map((i) => i.to.toISOString())}::timestamptz[]) as q(m, f, t)
      left join interval_reads i on i.meter_id = q.m and i.flow = ${flow} and i.start_at >= q.f and i.start_at < q.t
     group by q.m, q.f, q.t`.execute(db);
  return rows;
}

// ---- exceptions ----

export const insertExceptions = (db: Db, rows: Insertable<ReadExceptionsTable>[]) =>
  rows.length === 0 ? Promise.resolve([]) : t(db).insertInto('read_exceptions').values(rows).returningAll().execute();
export const exceptionsOfRead = (db: Db, readId: number) => t(db).selectFrom('read_exceptions').selectAll().where('read_id', '=', readId).orderBy('id').execute();
export const exceptionsOfReads = (db: Db, readIds: number[]) =>
  readIds.length === 0 ? Promise.resolve([]) : t(db).selectFrom('read_exceptions').selectAll().where('read_id', 'in', readIds).orderBy('id').execute();
export const findException = (db: Db, id: number) => t(db).selectFrom('read_exceptions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const resolveExceptions = (db: Db, readId: number, status: 'accepted' | 'voided', by: number | null, reason: string, onlyId?: number) => {
  let query = t(db).updateTable('read_exceptions').set({ status, resolved_by: by, resolved_at: new Date(), resolution_reason: reason }).where('read_id', '=', readId).where('status', '=', 'open');
  if (onlyId !== undefined) query = query.where('id', '=', onlyId);
  return query.returningAll().execute();
};

/** The open read-exceptions queue, oldest first, with what staff need to judge each. */
export async function openExceptions(db: Db, q: { after: number; limit: number; code?: string }) {
  const { rows } = await sql<{
    id: number; read_id: number; code: string; message: string; created_at: Date;
    meter_id: number; serial: string; service_point_id: number; service: string; read_date: string; reading: string; usage: string | null; read_type: string; unit: string;
    account_id: number | null; account_number: string | null; address: string;
  }>`
    select e.id, e.read_id, e.code, e.message, e.created_at,
           r.meter_id, m.serial, r.service_point_id, sp.service, r.read_date, r.reading, r.usage, r.read_type, m.read_unit as unit,
           a.id as account_id, a.account_number, p.line1 || ', ' || p.city as address
      from read_exceptions e
      join meter_reads r on r.id = e.read_id
      join meters m on m.id = r.meter_id
      join service_points sp on sp.id = r.service_point_id
      join premises p on p.id = sp.premise_id
      -- The account the use belongs to (one, even on a day one agreement ends and the next starts).
      left join lateral (select sa.account_id from service_agreements sa
                          where sa.service_point_id = r.service_point_id and sa.start_date <= r.usage_on and (sa.end_date is null or sa.end_date >= r.usage_on)
                          order by sa.start_date desc limit 1) sa on true
      left join accounts a on a.id = sa.account_id
     where e.status = 'open' and e.id > ${q.after} ${q.code ? sql`and e.code = ${q.code}` : sql``}
     order by e.id limit ${q.limit}`.execute(db);
  return rows;
}

// ---- imports ----

export const findImportByHash = (db: Db, sha256: string) =>
  t(db).selectFrom('read_imports').select(['id', 'format', 'file_name', 'sha256', 'layout_code', 'records', 'imported', 'rejected', 'duplicates', 'rejections', 'imported_by', 'created_at'])
    .where('sha256', '=', sha256).executeTakeFirst();
export const insertImport = (db: Db, row: Insertable<ReadImportsTable>) => t(db).insertInto('read_imports').values(row).returning('id').executeTakeFirstOrThrow();
export const finishImport = (db: Db, id: number, counts: { records: number; imported: number; rejected: number; duplicates: number; rejections: unknown[] }) =>
  t(db).updateTable('read_imports').set({ ...counts, rejections: JSON.stringify(counts.rejections) }).where('id', '=', id).execute();
export const listImports = (db: Db, q: { after: number; limit: number }) =>
  t(db).selectFrom('read_imports').select(['id', 'format', 'file_name', 'sha256', 'layout_code', 'records', 'imported', 'rejected', 'duplicates', 'rejections', 'imported_by', 'created_at'])
    .where((eb) => (q.after > 0 ? eb('id', '<', q.after) : eb.lit(true))).orderBy('id', 'desc').limit(q.limit).execute();
export const importContent = (db: Db, id: number) => t(db).selectFrom('read_imports').select(['file_name', 'content']).where('id', '=', id).executeTakeFirst();

/** Inserts intervals, skipping any already stored; returns how many were new. */
export async function insertIntervals(db: Db, meterId: number, importId: number, rows: { flow: string; startAt: Date; seconds: number; kwh: string }[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    const result = await sql`
      insert into interval_reads (meter_id, flow, start_at, duration_seconds, kwh, import_id)
      select ${meterId}, flow, start_at, seconds, kwh, ${importId}
        from unnest(${chunk.map((r) => r.flow)}::text[], ${chunk.map((r) => r.startAt.toISOString())}::timestamptz[],
                    ${chunk.map((r) => r.seconds)}::int[], ${chunk.map((r) => r.kwh)}::numeric[]) as u(flow, start_at, seconds, kwh)
      on conflict do nothing`.execute(db);
    inserted += Number(result.numAffectedRows ?? 0n);
  }
  return inserted;
}

export const intervalsBetween = (db: Db, meterId: number, flow: 'delivered' | 'received', from: Date, to: Date) =>
  t(db).selectFrom('interval_reads').select(['start_at', 'duration_seconds', 'kwh'])
    .where('meter_id', '=', meterId).where('flow', '=', flow).where('start_at', '>=', from).where('start_at', '<', to)
    .orderBy('start_at').execute();

// ---- configuration ----

export const findConfig = (db: Db, table: 'read_file_layouts' | 'tou_schedules', code: string) =>
  t(db).selectFrom(table).selectAll().where('code', '=', code).executeTakeFirst();
export const listConfig = (db: Db, table: 'read_file_layouts' | 'tou_schedules') => t(db).selectFrom(table).selectAll().orderBy('code').execute();
export const upsertConfig = (db: Db, table: 'read_file_layouts' | 'tou_schedules', code: string, definition: unknown) =>
  t(db).insertInto(table).values({ code, definition: JSON.stringify(definition) })
    .onConflict((oc) => oc.column('code').doUpdateSet({ definition: JSON.stringify(definition), updated_at: new Date() }))
    .returningAll().executeTakeFirstOrThrow();
export const validationSettings = (db: Db, service: 'electric' | 'water') =>
  t(db).selectFrom('read_validation_settings').selectAll().where('service', '=', service).executeTakeFirstOrThrow();
export const allValidationSettings = (db: Db) => t(db).selectFrom('read_validation_settings').selectAll().orderBy('service').execute();
export const updateValidationSettings = (db: Db, service: 'electric' | 'water', patch: Partial<Pick<ReadValidationSettingsTable, 'high_ratio' | 'low_ratio' | 'min_daily_use' | 'rollover_max_share'>>) =>
  t(db).updateTable('read_validation_settings').set({ ...patch, updated_at: new Date() }).where('service', '=', service).returningAll().executeTakeFirstOrThrow();

// ---- batch work (read files) ----

export interface RecentReadRow {
  id: number;
  meter_id: number;
  service_point_id: number;
  read_date: string;
  reading: string;
  usage: string | null;
  read_type: ReadRow['read_type'];
  previous_date: string | null;
}

/** Live reads at these service points since a date, each with its previous read's date. */
export async function recentReadsAtPoints(db: Db, servicePointIds: number[], since: string): Promise<RecentReadRow[]> {
  if (servicePointIds.length === 0) return [];
  const { rows } = await sql<RecentReadRow>`
    select r.id, r.meter_id, r.service_point_id, r.read_date, r.reading, r.usage, r.read_type, p.read_date as previous_date
      from meter_reads r left join meter_reads p on p.id = r.previous_read_id
     where r.service_point_id = any(${servicePointIds}::int8[]) and r.status <> 'voided' and r.read_date >= ${since}
     order by r.read_date, r.id`.execute(db);
  return rows;
}

/** The latest live read of each meter. */
export async function latestReadOfMeters(db: Db, meterIds: number[]) {
  if (meterIds.length === 0) return [];
  const { rows } = await sql<{ id: number; meter_id: number; read_date: string; reading: string }>`
    select distinct on (meter_id) id, meter_id, read_date, reading
      from meter_reads
     where meter_id = any(${meterIds}::int8[]) and status <> 'voided'
     order by meter_id, read_date desc, id desc`.execute(db);
  return rows;
}

/** Which of these (meter, date, reading) reads are already on file. */
export async function existingReads(db: Db, keys: { meterId: number; date: string; reading: string }[]) {
  if (keys.length === 0) return [];
  const { rows } = await sql<{ meter_id: number; read_date: string; reading: string }>`
    select distinct r.meter_id, r.read_date, r.reading::text as reading
      from unnest(${keys.map((k) => k.meterId)}::int8[], ${keys.map((k) => k.date)}::date[], ${keys.map((k) => k.reading)}::numeric[]) as k(meter_id, read_date, reading)
      join meter_reads r on r.meter_id = k.meter_id and r.read_date = k.read_date and r.reading = k.reading and r.status <> 'voided'`.execute(db);
  return rows;
}

/** `n` ids from meter_reads' identity sequence, in the order they were handed out. */
export async function reserveReadIds(db: Db, n: number): Promise<number[]> {
  return drawIds(db, { table: 'meter_reads' }, n);
}

export type BulkReadRow = Pick<ReadRow, 'id' | 'meter_id' | 'service_point_id' | 'read_date' | 'reading' | 'read_type' | 'purpose' | 'source' | 'rollover' | 'previous_read_id' | 'usage' | 'usage_on' | 'multiplier' | 'dials' | 'status' | 'import_id' | 'import_line' | 'note' | 'entered_by'>;

/** Inserts reads whose ids were reserved, in chunks, with one statement per chunk. */
export async function insertReadsBulk(db: Db, rows: BulkReadRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 10_000) {
    const c = rows.slice(i, i + 10_000);
    const col = <K extends keyof BulkReadRow>(k: K) => c.map((r) => r[k]);
    await sql`
      insert into meter_reads (id, meter_id, service_point_id, read_date, reading, read_type, purpose, source, rollover, previous_read_id, usage, usage_on,
                               multiplier, dials, status, import_id, import_line, note, entered_by)
      select * from unnest(${col('id')}::int8[], ${col('meter_id')}::int8[], ${col('service_point_id')}::int8[], ${col('read_date')}::date[], ${col('reading')}::numeric[],
                           ${col('read_type')}::text[], ${col('purpose')}::text[], ${col('source')}::text[], ${col('rollover')}::bool[], ${col('previous_read_id')}::int8[],
                           ${col('usage')}::numeric[], ${col('usage_on')}::date[], ${col('multiplier')}::numeric[], ${col('dials')}::int2[], ${col('status')}::text[],
                           ${col('import_id')}::int8[], ${col('import_line')}::int4[], ${col('note')}::text[], ${col('entered_by')}::int8[])`.execute(db);
  }
}

export async function insertExceptionsBulk(db: Db, rows: { read_id: number; code: string; message: string }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 10_000) {
    const c = rows.slice(i, i + 10_000);
    await sql`
      insert into read_exceptions (read_id, code, message)
      select * from unnest(${c.map((r) => r.read_id)}::int8[], ${c.map((r) => r.code)}::text[], ${c.map((r) => r.message)}::text[])`.execute(db);
  }
}
