import { sql, type Generated, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../platform/db/database.ts';

export interface PremisesTable {
  id: Generated<number>;
  line1: string;
  line2: string | null;
  city: string;
  state: string;
  postal_code: string;
  premise_type: string;
  area: string;
  space_heating: Generated<boolean>;
  owner_customer_id: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface ServicePointsTable {
  id: Generated<number>;
  premise_id: number;
  service: 'electric' | 'water' | 'fiber';
  status: 'active' | 'inactive' | 'disconnected';
  route: string | null;
  location_note: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface MetersTable {
  id: Generated<number>;
  serial: string;
  kind: 'electric' | 'water';
  manufacturer: string | null;
  model: string | null;
  multiplier: string;
  dials: number;
  size: string | null;
  status: 'in_stock' | 'installed' | 'removed' | 'testing' | 'retired';
  /** Filled by a trigger from the kind when not given. */
  read_unit: Generated<'kWh' | 'gal' | 'cf' | 'ccf'>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface MeterInstallationsTable {
  id: Generated<number>;
  meter_id: number;
  service_point_id: number;
  installed_on: string;
  removed_on: string | null;
  created_at: Generated<Date>;
}
export interface ServiceAgreementsTable {
  id: Generated<number>;
  account_id: number;
  service_point_id: number;
  rate_code: string;
  start_date: string;
  end_date: string | null;
  end_reason: 'move_out' | 'transfer' | 'reversion_ended' | 'closed' | 'correction' | null;
  final_bill_due: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface LandlordAgreementsTable {
  id: Generated<number>;
  premise_id: number;
  account_id: number;
  services: ('electric' | 'water' | 'fiber')[];
  rate_code: string | null;
  start_date: string;
  end_date: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type PremiseTables = {
  landlord_agreements: LandlordAgreementsTable;
  premises: PremisesTable;
  service_points: ServicePointsTable;
  meters: MetersTable;
  meter_installations: MeterInstallationsTable;
  service_agreements: ServiceAgreementsTable;
};
export type PremiseRow = Selectable<PremisesTable>;
export type ServicePointRow = Selectable<ServicePointsTable>;
export type MeterRow = Selectable<MetersTable>;
export type InstallationRow = Selectable<MeterInstallationsTable>;
export type AgreementRow = Selectable<ServiceAgreementsTable>;
export type LandlordAgreementRow = Selectable<LandlordAgreementsTable>;

const t = (db: Db) => db.withTables<PremiseTables>();
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const insertPremise = (db: Db, row: Insertable<PremisesTable>) => t(db).insertInto('premises').values(row).returningAll().executeTakeFirstOrThrow();
export const findPremise = (db: Db, id: number) => t(db).selectFrom('premises').selectAll().where('id', '=', id).executeTakeFirst();
export const updatePremise = (db: Db, id: number, patch: Updateable<PremisesTable>) =>
  t(db).updateTable('premises').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
export function listPremises(db: Db, q: { after: number; limit: number; address?: string }) {
  let query = t(db).selectFrom('premises').selectAll().where('id', '>', q.after);
  if (q.address) query = query.where(sql<boolean>`lower(line1 || ' ' || coalesce(line2, '') || ' ' || city) like ${`%${escapeLike(q.address.toLowerCase())}%`}`);
  return query.orderBy('id').limit(q.limit).execute();
}

export const insertServicePoint = (db: Db, row: Insertable<ServicePointsTable>) => t(db).insertInto('service_points').values(row).returningAll().executeTakeFirstOrThrow();
export const findServicePoint = (db: Db, id: number) => t(db).selectFrom('service_points').selectAll().where('id', '=', id).executeTakeFirst();
export const servicePointsOfPremise = (db: Db, premiseId: number) => t(db).selectFrom('service_points').selectAll().where('premise_id', '=', premiseId).orderBy('id').execute();
export const updateServicePoint = (db: Db, id: number, patch: Updateable<ServicePointsTable>) =>
  t(db).updateTable('service_points').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

export const insertMeter = (db: Db, row: Insertable<MetersTable>) => t(db).insertInto('meters').values(row).returningAll().executeTakeFirstOrThrow();
export const findMeter = (db: Db, id: number) => t(db).selectFrom('meters').selectAll().where('id', '=', id).executeTakeFirst();
export const findMeterForUpdate = (db: Db, id: number) => t(db).selectFrom('meters').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const updateMeter = (db: Db, id: number, patch: Updateable<MetersTable>) =>
  t(db).updateTable('meters').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
export function listMeters(db: Db, q: { after: number; limit: number; serial?: string; status?: string; kind?: string }) {
  let query = t(db).selectFrom('meters').selectAll().where('id', '>', q.after);
  if (q.kind) query = query.where('kind', '=', q.kind as MeterRow['kind']);
  if (q.serial) query = query.where(sql<boolean>`upper(serial) like ${`${escapeLike(q.serial.toUpperCase())}%`}`);
  if (q.status) query = query.where('status', '=', q.status as MeterRow['status']);
  return query.orderBy('id').limit(q.limit).execute();
}

export const installationsOfMeter = (db: Db, meterId: number) =>
  t(db).selectFrom('meter_installations').selectAll().where('meter_id', '=', meterId).orderBy('installed_on', 'desc').orderBy('id', 'desc').execute();
export const currentInstallationOfMeter = (db: Db, meterId: number) =>
  t(db).selectFrom('meter_installations').selectAll().where('meter_id', '=', meterId).where('removed_on', 'is', null).executeTakeFirst();
export const currentInstallationAtPoint = (db: Db, servicePointId: number) =>
  t(db).selectFrom('meter_installations').selectAll().where('service_point_id', '=', servicePointId).where('removed_on', 'is', null).executeTakeFirst();
/** The installation of a meter in force on a date (removal day included). */
export const installationOfMeterOn = (db: Db, meterId: number, date: string) =>
  t(db).selectFrom('meter_installations').selectAll().where('meter_id', '=', meterId).where('installed_on', '<=', date)
    .where((eb) => eb.or([eb('removed_on', 'is', null), eb('removed_on', '>=', date)]))
    .orderBy('installed_on', 'desc').orderBy('id', 'desc').executeTakeFirst();
export const installationsAtPointOn = (db: Db, servicePointId: number, date: string) =>
  t(db).selectFrom('meter_installations').selectAll().where('service_point_id', '=', servicePointId).where('installed_on', '<=', date)
    .where((eb) => eb.or([eb('removed_on', 'is', null), eb('removed_on', '>=', date)]))
    .orderBy('installed_on').orderBy('id').execute();
export const installationsOfMeters = (db: Db, meterIds: number[]) =>
  meterIds.length === 0 ? Promise.resolve([]) : t(db).selectFrom('meter_installations').selectAll().where(sql<boolean>`meter_id = any(${meterIds}::int8[])`).orderBy('installed_on').orderBy('id').execute();
export const servicePointsByIds = (db: Db, ids: number[]) =>
  ids.length === 0 ? Promise.resolve([]) : t(db).selectFrom('service_points').selectAll().where(sql<boolean>`id = any(${ids}::int8[])`).execute();
export const agreementsAtPoints = (db: Db, ids: number[]) =>
  ids.length === 0 ? Promise.resolve([]) : t(db).selectFrom('service_agreements').selectAll().where(sql<boolean>`service_point_id = any(${ids}::int8[])`).orderBy('start_date').execute();
export const findMeterBySerial = (db: Db, serial: string) => t(db).selectFrom('meters').selectAll().where('serial', '=', serial.trim().toUpperCase()).executeTakeFirst();
export const findMetersBySerials = (db: Db, serials: string[]) =>
  serials.length === 0 ? Promise.resolve([]) : t(db).selectFrom('meters').selectAll().where(sql<boolean>`serial = any(${serials}::text[])`).execute();
export const insertInstallation = (db: Db, row: Insertable<MeterInstallationsTable>) =>
  t(db).insertInto('meter_installations').values(row).returningAll().executeTakeFirstOrThrow();
export const endInstallation = (db: Db, id: number, removedOn: string) =>
  t(db).updateTable('meter_installations').set({ removed_on: removedOn }).where('id', '=', id).execute();

export const insertAgreement = (db: Db, row: Insertable<ServiceAgreementsTable>) => t(db).insertInto('service_agreements').values(row).returningAll().executeTakeFirstOrThrow();
export const findAgreement = (db: Db, id: number) => t(db).selectFrom('service_agreements').selectAll().where('id', '=', id).executeTakeFirst();
export const findAgreementForUpdate = (db: Db, id: number) => t(db).selectFrom('service_agreements').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const updateAgreement = (db: Db, id: number, patch: Updateable<ServiceAgreementsTable>) =>
  t(db).updateTable('service_agreements').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
export function listAgreements(db: Db, q: { after: number; limit: number; accountId?: number; servicePointId?: number }) {
  let query = t(db).selectFrom('service_agreements').selectAll().where('id', '>', q.after);
  if (q.accountId) query = query.where('account_id', '=', q.accountId);
  if (q.servicePointId) query = query.where('service_point_id', '=', q.servicePointId);
  return query.orderBy('id').limit(q.limit).execute();
}
/** Agreements at a service point whose dates overlap [start, end] (end null = open). */
export function overlappingAgreements(db: Db, servicePointId: number, start: string, end: string | null, exceptId?: number) {
  let query = t(db)
    .selectFrom('service_agreements')
    .selectAll()
    .where('service_point_id', '=', servicePointId)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', start)]));
  if (end) query = query.where('start_date', '<=', end);
  if (exceptId) query = query.where('id', '!=', exceptId);
  return query.execute();
}
/** The agreements at a service point, newest first, each with its account's number for display. */
export const agreementsAtPoint = (db: Db, servicePointId: number) =>
  t(db).selectFrom('service_agreements').selectAll()
    .select(sql<string>`(select a.account_number from accounts a where a.id = service_agreements.account_id)`.as('account_number'))
    .where('service_point_id', '=', servicePointId).orderBy('start_date', 'desc').execute();

export const agreementOnDate = (db: Db, servicePointId: number, date: string) =>
  t(db).selectFrom('service_agreements').selectAll().where('service_point_id', '=', servicePointId).where('start_date', '<=', date)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', date)])).executeTakeFirst();

export const insertLandlordAgreement = (db: Db, row: Insertable<LandlordAgreementsTable>) =>
  t(db).insertInto('landlord_agreements').values(row).returningAll().executeTakeFirstOrThrow();
export const findLandlordAgreement = (db: Db, id: number) => t(db).selectFrom('landlord_agreements').selectAll().where('id', '=', id).executeTakeFirst();
export const updateLandlordAgreement = (db: Db, id: number, patch: Updateable<LandlordAgreementsTable>) =>
  t(db).updateTable('landlord_agreements').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
export const landlordAgreementsOfPremise = (db: Db, premiseId: number) =>
  t(db).selectFrom('landlord_agreements').selectAll().where('premise_id', '=', premiseId).orderBy('start_date', 'desc').execute();
export const landlordAgreementsOfAccount = (db: Db, accountId: number) =>
  t(db).selectFrom('landlord_agreements').selectAll().where('account_id', '=', accountId).orderBy('start_date', 'desc').execute();
/** The landlord agreement covering a service at a premise on a date. */
export const landlordAgreementOn = (db: Db, premiseId: number, service: string, date: string) =>
  t(db).selectFrom('landlord_agreements').selectAll().where('premise_id', '=', premiseId)
    .where(sql<boolean>`${service} = any(services)`).where('start_date', '<=', date)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', date)])).executeTakeFirst();

/** Everything the account page shows about an account's services, in one query. */
export function servicesOfAccount(db: Db, accountId: number) {
  return t(db)
    .selectFrom('service_agreements as a')
    .innerJoin('service_points as sp', 'sp.id', 'a.service_point_id')
    .innerJoin('premises as p', 'p.id', 'sp.premise_id')
    .leftJoin('meter_installations as mi', (j) => j.onRef('mi.service_point_id', '=', 'sp.id').on('mi.removed_on', 'is', null))
    .leftJoin('meters as m', 'm.id', 'mi.meter_id')
    .select([
      'a.id as agreement_id', 'a.rate_code', 'a.start_date', 'a.end_date',
      'sp.id as service_point_id', 'sp.service', 'sp.status as service_point_status', 'sp.route', 'sp.location_note',
      'p.id as premise_id', 'p.line1', 'p.line2', 'p.city', 'p.state', 'p.postal_code', 'p.premise_type', 'p.area',
      'a.end_reason', 'a.final_bill_due',
      'm.id as meter_id', 'm.serial', 'm.kind as meter_kind', 'm.multiplier', 'm.dials', 'm.size', 'm.status as meter_status', 'm.read_unit', 'mi.installed_on',
    ])
    .where('a.account_id', '=', accountId)
    .orderBy('a.end_date', (ob) => ob.desc().nullsFirst())
    .orderBy('sp.service')
    .orderBy('a.id')
    .execute();
}

/** The final bills of these agreements are issued: they leave the final-bill-due list. */
export const clearFinalBillDue = (db: Db, agreementIds: number[]) =>
  agreementIds.length === 0 ? Promise.resolve() :
    t(db).updateTable('service_agreements').set({ final_bill_due: false, updated_at: new Date() }).where(sql<boolean>`id = any(${agreementIds}::int8[])`).where('final_bill_due', '=', true).execute().then(() => undefined);
