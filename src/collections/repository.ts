/**
 * SQL for collections. `billingDueDates` is a read-only view over billing's schedule, which the
 * delinquency schedule follows.
 */
import { sql, type Generated, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../platform/db/database.ts';

export interface CollectionsSettingsTable {
  id: Generated<boolean>;
  late_fee_business_days: number;
  notice_business_days: number;
  mailed_notice_business_days: number;
  out_of_state_notice_business_days: number;
  updated_at: Date | null;
  updated_by: number | null;
}
export interface DelinquencyScheduleTable {
  id: Generated<number>;
  billing_schedule_id: number;
  year: number;
  cycle: number;
  month: number;
  due_date: string;
  past_due_date: string;
  late_fee_date: string;
  notice_date: string;
  disconnect_eligible_date: string;
  disconnect_eligible_out_of_state_date: string;
  updated_at: Date;
  updated_by: number | null;
}
export type CollectionsTables = { collections_settings: CollectionsSettingsTable; delinquency_schedule: DelinquencyScheduleTable };
export type DelinquencyRow = Selectable<DelinquencyScheduleTable>;

const t = (db: Db) => db.withTables<CollectionsTables>();

export const settings = (db: Db) => t(db).selectFrom('collections_settings').selectAll().executeTakeFirstOrThrow();

/** The billing schedule's entries of a year, with their due dates. */
export async function billingDueDates(db: Db, year: number) {
  const { rows } = await sql<{ id: string; year: number; cycle: number; month: number; due_date: string }>`
    select id::text, year, cycle, month, due_date::text from billing_schedule where year = ${year} order by month, cycle`.execute(db);
  return rows.map((r) => ({ billingScheduleId: Number(r.id), year: r.year, cycle: r.cycle, month: r.month, dueDate: r.due_date }));
}

export async function upsertSchedule(db: Db, rows: Insertable<DelinquencyScheduleTable>[]) {
  if (rows.length === 0) return;
  await t(db).insertInto('delinquency_schedule').values(rows)
    .onConflict((oc) => oc.column('billing_schedule_id').doUpdateSet((eb) => ({
      due_date: eb.ref('excluded.due_date'), past_due_date: eb.ref('excluded.past_due_date'), late_fee_date: eb.ref('excluded.late_fee_date'), notice_date: eb.ref('excluded.notice_date'),
      disconnect_eligible_date: eb.ref('excluded.disconnect_eligible_date'), disconnect_eligible_out_of_state_date: eb.ref('excluded.disconnect_eligible_out_of_state_date'),
      updated_at: eb.ref('excluded.updated_at'), updated_by: eb.ref('excluded.updated_by'),
    }))).execute();
}

export const scheduleOfYear = (db: Db, year: number) =>
  t(db).selectFrom('delinquency_schedule').selectAll().where('year', '=', year).orderBy('month').orderBy('cycle').execute();
