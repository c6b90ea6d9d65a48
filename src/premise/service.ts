import { recordChange, type AuditChange } from '../audit/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import * as repo from './repository.ts';

export type Service = 'electric' | 'water' | 'fiber';

export interface Premise {
  id: number;
  address: { line1: string; line2: string | null; city: string; state: string; postalCode: string };
  premiseType: string;
  area: string;
  spaceHeating: boolean;
  ownerCustomerId: number | null;
}
export interface ServicePoint {
  id: number;
  premiseId: number;
  service: Service;
  status: 'active' | 'inactive' | 'disconnected';
  route: string | null;
  locationNote: string | null;
}
export interface Meter {
  id: number;
  serial: string;
  kind: 'electric' | 'water';
  manufacturer: string | null;
  model: string | null;
  /** Exact decimal, as a string. */
  multiplier: string;
  dials: number;
  size: string | null;
  status: repo.MeterRow['status'];
  /** What the register counts: kWh, or gal, cf or ccf for water. */
  unit: repo.MeterRow['read_unit'];
}
export interface Installation {
  id: number;
  meterId: number;
  servicePointId: number;
  installedOn: string;
  removedOn: string | null;
}
export interface Agreement {
  id: number;
  accountId: number;
  servicePointId: number;
  rateCode: string;
  startDate: string;
  endDate: string | null;
  endReason: repo.AgreementRow['end_reason'];
  /** Service has ended and the final bill is still to be issued. */
  finalBillDue: boolean;
}
export interface LandlordAgreement {
  id: number;
  premiseId: number;
  accountId: number;
  services: Service[];
  rateCode: string | null;
  startDate: string;
  endDate: string | null;
}
export interface PremiseDetail extends Premise {
  servicePoints: (ServicePoint & { meter: Meter | null; agreements: (Agreement & { accountNumber: string })[] })[];
}
export interface AccountService {
  agreement: Agreement;
  servicePoint: ServicePoint;
  premise: Pick<Premise, 'id' | 'address' | 'premiseType' | 'area'>;
  meter: (Pick<Meter, 'id' | 'serial' | 'kind' | 'multiplier' | 'dials' | 'size' | 'status' | 'unit'> & { installedOn: string | null }) | null;
}

const toPremise = (r: repo.PremiseRow): Premise => ({
  id: r.id,
  address: { line1: r.line1, line2: r.line2, city: r.city, state: r.state, postalCode: r.postal_code },
  premiseType: r.premise_type,
  area: r.area,
  spaceHeating: r.space_heating,
  ownerCustomerId: r.owner_customer_id,
});
const toServicePoint = (r: repo.ServicePointRow): ServicePoint => ({ id: r.id, premiseId: r.premise_id, service: r.service, status: r.status, route: r.route, locationNote: r.location_note });
const toMeter = (r: repo.MeterRow): Meter => ({ id: r.id, serial: r.serial, kind: r.kind, manufacturer: r.manufacturer, model: r.model, multiplier: r.multiplier, dials: r.dials, size: r.size, status: r.status, unit: r.read_unit });
const toInstallation = (r: repo.InstallationRow): Installation => ({ id: r.id, meterId: r.meter_id, servicePointId: r.service_point_id, installedOn: r.installed_on, removedOn: r.removed_on });
const toAgreement = (r: repo.AgreementRow): Agreement => ({ id: r.id, accountId: r.account_id, servicePointId: r.service_point_id, rateCode: r.rate_code, startDate: r.start_date, endDate: r.end_date, endReason: r.end_reason, finalBillDue: r.final_bill_due });
const toLandlord = (r: repo.LandlordAgreementRow): LandlordAgreement => ({ id: r.id, premiseId: r.premise_id, accountId: r.account_id, services: r.services, rateCode: r.rate_code, startDate: r.start_date, endDate: r.end_date });

// ---- premises ----

export interface PremiseInput {
  address: { line1: string; line2?: string | null; city: string; state: string; postalCode: string };
  premiseType: string;
  area: string;
  spaceHeating?: boolean;
  ownerCustomerId?: number | null;
}

const premiseColumns = (p: Partial<PremiseInput>) => ({
  ...(p.address
    ? { line1: p.address.line1.trim(), line2: p.address.line2?.trim() || null, city: p.address.city.trim(), state: p.address.state.toUpperCase(), postal_code: p.address.postalCode }
    : {}),
  premise_type: p.premiseType,
  area: p.area,
  space_heating: p.spaceHeating,
  owner_customer_id: p.ownerCustomerId,
});

export async function createPremise(db: Db, actor: Actor, input: PremiseInput, reason = 'New premise'): Promise<Premise> {
  return transact(db, async (trx) => {
    const row = await repo.insertPremise(trx, premiseColumns(input) as Parameters<typeof repo.insertPremise>[1]);
    const premise = toPremise(row);
    await recordChange(trx, actor, { action: 'create', entityType: 'premise', entityId: premise.id, after: { ...premise }, reason });
    return premise;
  });
}

export async function updatePremise(db: Db, actor: Actor, id: number, patch: Partial<PremiseInput>, reason: string): Promise<Premise> {
  return transact(db, async (trx) => {
    const before = await repo.findPremise(trx, id);
    if (!before) throw notFound('Premise', id);
    const after = toPremise(await repo.updatePremise(trx, id, premiseColumns(patch)));
    await recordChange(trx, actor, { action: 'update', entityType: 'premise', entityId: id, before: { ...toPremise(before) }, after: { ...after }, reason });
    return after;
  });
}

export async function getPremise(db: Db, id: number): Promise<PremiseDetail> {
  const row = await repo.findPremise(db, id);
  if (!row) throw notFound('Premise', id);
  const points = await repo.servicePointsOfPremise(db, id);
  const servicePoints = await Promise.all(
    points.map(async (sp) => {
      const installation = await repo.currentInstallationAtPoint(db, sp.id);
      const meter = installation ? await repo.findMeter(db, installation.meter_id) : undefined;
      const agreements = await repo.agreementsAtPoint(db, sp.id);
      return { ...toServicePoint(sp), meter: meter ? toMeter(meter) : null, agreements: agreements.map((a) => ({ ...toAgreement(a), accountNumber: a.account_number })) };
    }),
  );
  return { ...toPremise(row), servicePoints };
}

export async function listPremises(db: Db, q: { after: number; limit: number; address?: string }): Promise<Premise[]> {
  return (await repo.listPremises(db, q)).map(toPremise);
}

// ---- service points ----

export async function addServicePoint(
  db: Db,
  actor: Actor,
  premiseId: number,
  input: { service: Service; status?: ServicePoint['status']; route?: string | null; locationNote?: string | null },
  reason = 'New service point',
): Promise<ServicePoint> {
  return transact(db, async (trx) => {
    if (!(await repo.findPremise(trx, premiseId))) throw notFound('Premise', premiseId);
    const sp = toServicePoint(await repo.insertServicePoint(trx, { premise_id: premiseId, service: input.service, status: input.status ?? 'inactive', route: input.route ?? null, location_note: input.locationNote ?? null }));
    await recordChange(trx, actor, { action: 'create', entityType: 'service_point', entityId: sp.id, after: { ...sp }, reason });
    return sp;
  });
}

export async function getServicePoint(db: Db, id: number): Promise<ServicePoint & { meter: Meter | null; agreements: (Agreement & { accountNumber: string })[] }> {
  const row = await repo.findServicePoint(db, id);
  if (!row) throw notFound('Service point', id);
  const installation = await repo.currentInstallationAtPoint(db, id);
  const meter = installation ? await repo.findMeter(db, installation.meter_id) : undefined;
  return { ...toServicePoint(row), meter: meter ? toMeter(meter) : null, agreements: (await repo.agreementsAtPoint(db, id)).map((a) => ({ ...toAgreement(a), accountNumber: a.account_number })) };
}

/** The account served at a service point on a date, so changes there show in its history. */
async function accountAt(db: Db, servicePointId: number, date: string): Promise<number | null> {
  const agreements = await repo.agreementsAtPoint(db, servicePointId);
  return agreements.find((a) => a.start_date <= date && (a.end_date === null || a.end_date >= date))?.account_id ?? null;
}

export async function updateServicePoint(
  db: Db,
  actor: Actor,
  clock: Clock,
  id: number,
  patch: { status?: ServicePoint['status']; route?: string | null; locationNote?: string | null },
  reason: string,
): Promise<ServicePoint> {
  return transact(db, async (trx) => {
    const before = await repo.findServicePoint(trx, id);
    if (!before) throw notFound('Service point', id);
    const after = toServicePoint(await repo.updateServicePoint(trx, id, { status: patch.status, route: patch.route, location_note: patch.locationNote }));
    await recordChange(trx, actor, { action: 'update', entityType: 'service_point', entityId: id, accountId: await accountAt(trx, id, clock.today()), before: { ...toServicePoint(before) }, after: { ...after }, reason });
    return after;
  });
}

// ---- meters ----

export interface MeterInput {
  serial: string;
  kind: 'electric' | 'water';
  manufacturer?: string | null;
  model?: string | null;
  multiplier?: string;
  dials: number;
  size?: string | null;
  unit?: 'kWh' | 'gal' | 'cf' | 'ccf';
}

export async function createMeter(db: Db, actor: Actor, input: MeterInput, reason = 'New meter received'): Promise<Meter> {
  return transact(db, async (trx) => {
    const meter = toMeter(
      await repo.insertMeter(trx, {
        serial: input.serial.trim().toUpperCase(),
        kind: input.kind,
        manufacturer: input.manufacturer ?? null,
        model: input.model ?? null,
        multiplier: input.multiplier ?? '1',
        dials: input.dials,
        size: input.size ?? null,
        status: 'in_stock',
        ...(input.unit ? { read_unit: input.unit } : {}),
      }),
    );
    await recordChange(trx, actor, { action: 'create', entityType: 'meter', entityId: meter.id, after: { ...meter }, reason });
    return meter;
  });
}

export async function updateMeter(
  db: Db,
  actor: Actor,
  id: number,
  patch: Partial<Pick<Meter, 'manufacturer' | 'model' | 'multiplier' | 'dials' | 'size'>> & { status?: 'in_stock' | 'testing' | 'retired' },
  reason: string,
): Promise<Meter> {
  return transact(db, async (trx) => {
    const before = await repo.findMeterForUpdate(trx, id);
    if (!before) throw notFound('Meter', id);
    if (patch.status && before.status === 'installed') throw new AppError('conflict', `Meter ${before.serial} is installed; remove it before changing its status to ${patch.status}`);
    const after = toMeter(await repo.updateMeter(trx, id, patch));
    const installation = await repo.currentInstallationOfMeter(trx, id);
    const accountId = installation ? await accountAt(trx, installation.service_point_id, installation.installed_on) : null;
    await recordChange(trx, actor, { action: 'update', entityType: 'meter', entityId: id, accountId, before: { ...toMeter(before) }, after: { ...after }, reason });
    return after;
  });
}

export async function getMeter(db: Db, id: number): Promise<Meter & { installations: Installation[] }> {
  const row = await repo.findMeter(db, id);
  if (!row) throw notFound('Meter', id);
  return { ...toMeter(row), installations: (await repo.installationsOfMeter(db, id)).map(toInstallation) };
}

export async function listMeters(db: Db, q: { after: number; limit: number; serial?: string; status?: string; kind?: string }): Promise<Meter[]> {
  return (await repo.listMeters(db, q)).map(toMeter);
}

/** Sets a meter at a service point. A meter is in one place at a time, and a point has one meter. */
export async function installMeter(db: Db, actor: Actor, meterId: number, input: { servicePointId: number; installedOn: string }, reason: string): Promise<Installation> {
  return transact(db, async (trx) => {
    const meter = await repo.findMeterForUpdate(trx, meterId);
    if (!meter) throw notFound('Meter', meterId);
    const sp = await repo.findServicePoint(trx, input.servicePointId);
    if (!sp) throw invalid('body.servicePointId', `service point ${input.servicePointId} was not found`);
    if (sp.service === 'fiber') throw invalid('body.servicePointId', `service point ${sp.id} is fiber, which has no meter`);
    if (sp.service !== meter.kind) throw invalid('body.servicePointId', `meter ${meter.serial} is ${meter.kind} but service point ${sp.id} is ${sp.service}`);
    const elsewhere = await repo.currentInstallationOfMeter(trx, meterId);
    if (elsewhere) throw new AppError('conflict', `Meter ${meter.serial} is already installed at service point ${elsewhere.service_point_id} since ${elsewhere.installed_on}`);
    const occupied = await repo.currentInstallationAtPoint(trx, sp.id);
    if (occupied) throw new AppError('conflict', `Service point ${sp.id} already has meter ${occupied.meter_id}; remove it first (or exchange it)`);
    if (meter.status === 'retired') throw new AppError('conflict', `Meter ${meter.serial} is retired`);
    const installation = toInstallation(await repo.insertInstallation(trx, { meter_id: meterId, service_point_id: sp.id, installed_on: input.installedOn }));
    await repo.updateMeter(trx, meterId, { status: 'installed' });
    await recordChange(trx, actor, { action: 'install', entityType: 'meter', entityId: meterId, accountId: await accountAt(trx, sp.id, input.installedOn), before: { status: meter.status }, after: { status: 'installed', servicePointId: sp.id, installedOn: input.installedOn }, reason });
    return installation;
  });
}

export async function removeMeter(db: Db, actor: Actor, meterId: number, input: { removedOn: string }, reason: string): Promise<Installation> {
  return transact(db, async (trx) => {
    const meter = await repo.findMeterForUpdate(trx, meterId);
    if (!meter) throw notFound('Meter', meterId);
    const installation = await repo.currentInstallationOfMeter(trx, meterId);
    if (!installation) throw new AppError('conflict', `Meter ${meter.serial} is not installed`);
    if (input.removedOn < installation.installed_on) throw invalid('body.removedOn', `is before the installation date ${installation.installed_on}`);
    await repo.endInstallation(trx, installation.id, input.removedOn);
    await repo.updateMeter(trx, meterId, { status: 'removed' });
    await recordChange(trx, actor, { action: 'remove', entityType: 'meter', entityId: meterId, accountId: await accountAt(trx, installation.service_point_id, input.removedOn), before: { status: meter.status, servicePointId: installation.service_point_id }, after: { status: 'removed', removedOn: input.removedOn }, reason });
    return { ...toInstallation(installation), removedOn: input.removedOn };
  });
}

// ---- service agreements ----

export interface AgreementInput {
  accountId: number;
  servicePointId: number;
  rateCode: string;
  startDate: string;
  endDate?: string | null;
}

async function refuseOverlap(db: Db, servicePointId: number, start: string, end: string | null, exceptId?: number) {
  const overlap = await repo.overlappingAgreements(db, servicePointId, start, end, exceptId);
  if (overlap.length > 0) {
    const o = overlap[0]!;
    throw new AppError('conflict', `Service point ${servicePointId} already has agreement ${o.id} (account ${o.account_id}) from ${o.start_date} to ${o.end_date ?? 'open'}, which overlaps ${start} to ${end ?? 'open'}`, { agreementId: o.id });
  }
}

export async function createAgreement(db: Db, actor: Actor, input: AgreementInput, reason = 'Service started'): Promise<Agreement> {
  if (input.endDate && input.endDate < input.startDate) throw invalid('body.endDate', `is before startDate ${input.startDate}`);
  return transact(db, async (trx) => {
    const sp = await repo.findServicePoint(trx, input.servicePointId);
    if (!sp) throw invalid('body.servicePointId', `service point ${input.servicePointId} was not found`);
    await refuseOverlap(trx, sp.id, input.startDate, input.endDate ?? null);
    const agreement = toAgreement(await repo.insertAgreement(trx, { account_id: input.accountId, service_point_id: sp.id, rate_code: input.rateCode, start_date: input.startDate, end_date: input.endDate ?? null }));
    await recordChange(trx, actor, { action: 'create', entityType: 'service_agreement', entityId: agreement.id, accountId: agreement.accountId, after: { ...agreement }, reason });
    return agreement;
  });
}

export async function updateAgreement(db: Db, actor: Actor, id: number, patch: { rateCode?: string; endDate?: string | null }, reason: string): Promise<Agreement> {
  return transact(db, async (trx) => {
    const before = await repo.findAgreementForUpdate(trx, id);
    if (!before) throw notFound('Service agreement', id);
    const endDate = patch.endDate === undefined ? before.end_date : patch.endDate;
    if (endDate && endDate < before.start_date) throw invalid('body.endDate', `is before the start date ${before.start_date}`);
    await refuseOverlap(trx, before.service_point_id, before.start_date, endDate, id);
    const after = toAgreement(await repo.updateAgreement(trx, id, { rate_code: patch.rateCode, end_date: patch.endDate }));
    const change: AuditChange = { action: 'update', entityType: 'service_agreement', entityId: id, accountId: after.accountId, before: { ...toAgreement(before) }, after: { ...after }, reason };
    await recordChange(trx, actor, change);
    return after;
  });
}

export async function getAgreement(db: Db, id: number): Promise<Agreement> {
  const row = await repo.findAgreement(db, id);
  if (!row) throw notFound('Service agreement', id);
  return toAgreement(row);
}

export async function listAgreements(db: Db, q: { after: number; limit: number; accountId?: number; servicePointId?: number }): Promise<Agreement[]> {
  return (await repo.listAgreements(db, q)).map(toAgreement);
}

export async function servicesOfAccount(db: Db, accountId: number): Promise<AccountService[]> {
  const rows = await repo.servicesOfAccount(db, accountId);
  return rows.map((r) => ({
    agreement: { id: r.agreement_id, accountId, servicePointId: r.service_point_id, rateCode: r.rate_code, startDate: r.start_date, endDate: r.end_date, endReason: r.end_reason, finalBillDue: r.final_bill_due },
    servicePoint: { id: r.service_point_id, premiseId: r.premise_id, service: r.service, status: r.service_point_status, route: r.route, locationNote: r.location_note },
    premise: { id: r.premise_id, address: { line1: r.line1, line2: r.line2, city: r.city, state: r.state, postalCode: r.postal_code }, premiseType: r.premise_type, area: r.area },
    meter: r.meter_id === null
      ? null
      : { id: r.meter_id, serial: r.serial!, kind: r.meter_kind!, multiplier: r.multiplier!, dials: r.dials!, size: r.size, status: r.meter_status!, unit: r.read_unit!, installedOn: r.installed_on },
  }));
}

/**
 * Ends an agreement on a date for a reason (a move-out, a transfer, a reversion that a new tenant
 * ends). A move-out or transfer leaves the final bill due.
 */
export async function endAgreement(db: Db, actor: Actor, id: number, input: { endDate: string; endReason: NonNullable<Agreement['endReason']> }, reason: string): Promise<Agreement> {
  return transact(db, async (trx) => {
    const before = await repo.findAgreementForUpdate(trx, id);
    if (!before) throw notFound('Service agreement', id);
    if (before.end_date !== null && before.end_date < input.endDate) throw new AppError('conflict', `Service agreement ${id} already ended on ${before.end_date}`);
    if (input.endDate < before.start_date) throw invalid('endDate', `${input.endDate} is before agreement ${id} started (${before.start_date})`);
    const finalBill = input.endReason === 'move_out' || input.endReason === 'transfer' || input.endReason === 'closed';
    const after = toAgreement(await repo.updateAgreement(trx, id, { end_date: input.endDate, end_reason: input.endReason, final_bill_due: finalBill }));
    await recordChange(trx, actor, { action: 'end', entityType: 'service_agreement', entityId: id, accountId: after.accountId, before: { ...toAgreement(before) }, after: { ...after }, reason });
    return after;
  });
}

/** The agreement in force at a service point on a date, if any. */
export async function agreementOn(db: Db, servicePointId: number, date: string): Promise<Agreement | null> {
  const row = await repo.agreementOnDate(db, servicePointId, date);
  return row ? toAgreement(row) : null;
}

/** The meter installed at a service point on a date; on an exchange day, the new one. */
export async function meterAt(db: Db, servicePointId: number, date: string): Promise<(Meter & { installation: Installation }) | null> {
  const rows = await repo.installationsAtPointOn(db, servicePointId, date);
  const current = rows.at(-1);
  if (!current) return null;
  const meter = await repo.findMeter(db, current.meter_id);
  return meter ? { ...toMeter(meter), installation: toInstallation(current) } : null;
}

export async function installationOfMeterOn(db: Db, meterId: number, date: string): Promise<Installation | null> {
  const row = await repo.installationOfMeterOn(db, meterId, date);
  return row ? toInstallation(row) : null;
}

/** Bulk lookups for batch work (read files): installations of many meters, many service points, their agreements. */
export async function installationsOfMeters(db: Db, meterIds: number[]): Promise<Installation[]> {
  return (await repo.installationsOfMeters(db, meterIds)).map(toInstallation);
}
export async function servicePointsByIds(db: Db, ids: number[]): Promise<ServicePoint[]> {
  return (await repo.servicePointsByIds(db, ids)).map(toServicePoint);
}
export async function agreementsAtPoints(db: Db, ids: number[]): Promise<Agreement[]> {
  return (await repo.agreementsAtPoints(db, ids)).map(toAgreement);
}

export async function findMeterBySerial(db: Db, serial: string): Promise<Meter | null> {
  const row = await repo.findMeterBySerial(db, serial);
  return row ? toMeter(row) : null;
}

export async function findMetersBySerials(db: Db, serials: string[]): Promise<Map<string, Meter>> {
  return new Map((await repo.findMetersBySerials(db, serials)).map((r) => [r.serial, toMeter(r)]));
}

// ---- landlord agreements ----

export interface LandlordAgreementInput {
  premiseId: number;
  accountId: number;
  services: Service[];
  rateCode?: string | null;
  startDate: string;
  endDate?: string | null;
}

/** An owner takes the service (and its bills) at a rental whenever a tenant moves out. */
export async function createLandlordAgreement(db: Db, actor: Actor, input: LandlordAgreementInput, reason = 'Landlord agreement signed'): Promise<LandlordAgreement> {
  if (input.endDate && input.endDate < input.startDate) throw invalid('body.endDate', `is before startDate ${input.startDate}`);
  return transact(db, async (trx) => {
    if (!(await repo.findPremise(trx, input.premiseId))) throw invalid('body.premiseId', `premise ${input.premiseId} was not found`);
    for (const service of input.services) {
      const other = await repo.landlordAgreementOn(trx, input.premiseId, service, input.startDate);
      if (other) throw new AppError('conflict', `Premise ${input.premiseId} already has landlord agreement ${other.id} for ${service} from ${other.start_date}`, { landlordAgreementId: other.id });
    }
    const row = toLandlord(await repo.insertLandlordAgreement(trx, { premise_id: input.premiseId, account_id: input.accountId, services: [...new Set(input.services)], rate_code: input.rateCode ?? null, start_date: input.startDate, end_date: input.endDate ?? null }));
    await recordChange(trx, actor, { action: 'create', entityType: 'landlord_agreement', entityId: row.id, accountId: row.accountId, after: { ...row }, reason });
    return row;
  });
}

export async function endLandlordAgreement(db: Db, actor: Actor, id: number, endDate: string, reason: string): Promise<LandlordAgreement> {
  return transact(db, async (trx) => {
    const before = await repo.findLandlordAgreement(trx, id);
    if (!before) throw notFound('Landlord agreement', id);
    if (endDate < before.start_date) throw invalid('body.endDate', `is before the start date ${before.start_date}`);
    const after = toLandlord(await repo.updateLandlordAgreement(trx, id, { end_date: endDate }));
    await recordChange(trx, actor, { action: 'update', entityType: 'landlord_agreement', entityId: id, accountId: after.accountId, before: { ...toLandlord(before) }, after: { ...after }, reason });
    return after;
  });
}

export async function landlordAgreementsOfPremise(db: Db, premiseId: number): Promise<LandlordAgreement[]> {
  return (await repo.landlordAgreementsOfPremise(db, premiseId)).map(toLandlord);
}
export async function landlordAgreementsOfAccount(db: Db, accountId: number): Promise<LandlordAgreement[]> {
  return (await repo.landlordAgreementsOfAccount(db, accountId)).map(toLandlord);
}
export async function landlordAgreementOn(db: Db, premiseId: number, service: Service, date: string): Promise<LandlordAgreement | null> {
  const row = await repo.landlordAgreementOn(db, premiseId, service, date);
  return row ? toLandlord(row) : null;
}

/** Marks the final bills of these agreements as issued (the billing run, a final bill posted). */
export async function finalBillsIssued(db: Db, agreementIds: number[]): Promise<void> {
  await repo.clearFinalBillDue(db, agreementIds);
}
