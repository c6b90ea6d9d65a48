/**
 * Register reads: recording one (with its usage and validation), the read-exceptions queue,
 * voiding and correcting, estimating a missing read, and read history.
 */
import { recordChange } from '../audit/index.ts';
import { premises, type Meter, type Service } from '../premise/index.ts';
import type { Actor } from '../platform/actor.ts';
import { addDays, daysBetween, yearBefore } from '../platform/dates.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { Dec } from '../platform/decimal.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { localDayStart } from './determinants.ts';
import * as repo from './repository.ts';
import { checkRead, estimateRead, fitsDials, lastThreePeriods, registerUsage, type PeriodUse, type ReadFinding, type ValidationSettings } from './rules.ts';

export type ReadPurpose = repo.ReadPurpose;
export type ReadType = repo.ReadRow['read_type'];

export interface MeterRead {
  id: number;
  meterId: number;
  servicePointId: number;
  readDate: string;
  readAt: string | null;
  reading: string;
  readType: ReadType;
  purpose: ReadPurpose;
  source: repo.ReadRow['source'];
  rollover: boolean;
  previousReadId: number | null;
  /** In the meter's unit, multiplier applied; null for the first read of an installation. */
  usage: string | null;
  usageOn: string;
  multiplier: string;
  dials: number;
  status: repo.ReadRow['status'];
  estimateRule: string | null;
  orderId: number | null;
  importId: number | null;
  note: string | null;
  exceptions: { id: number; code: string; message: string; status: string }[];
}

const toRead = (r: repo.ReadRow, exceptions: repo.ReadExceptionRow[] = []): MeterRead => ({
  id: r.id,
  meterId: r.meter_id,
  servicePointId: r.service_point_id,
  readDate: r.read_date,
  readAt: r.read_at ? r.read_at.toISOString() : null,
  reading: Dec.of(r.reading).toString(),
  readType: r.read_type,
  purpose: r.purpose,
  source: r.source,
  rollover: r.rollover,
  previousReadId: r.previous_read_id,
  usage: r.usage === null ? null : Dec.of(r.usage).toString(),
  usageOn: r.usage_on,
  multiplier: Dec.of(r.multiplier).toString(),
  dials: r.dials,
  status: r.status,
  estimateRule: r.estimate_rule,
  orderId: r.order_id,
  importId: r.import_id,
  note: r.note,
  exceptions: exceptions.filter((e) => e.read_id === r.id).map((e) => ({ id: e.id, code: e.code, message: e.message, status: e.status })),
});

/** Reads that start an installation: there is nothing to measure them from. */
const openingPurposes: ReadPurpose[] = ['install', 'exchange_in'];

export interface ReadInput {
  meterId: number;
  readDate: string;
  reading: string;
  readType?: ReadType;
  purpose?: ReadPurpose;
  source: repo.ReadRow['source'];
  rollover?: boolean;
  readAt?: Date | null;
  note?: string | null;
  orderId?: number | null;
  importId?: number | null;
  importLine?: number | null;
  estimateRule?: string | null;
}

export interface RecordOptions {
  /** Run the validation checks (default true). */
  validate?: boolean;
  /** Write an audit event for this read (imports write one for the whole file instead). */
  audit?: boolean;
  reason?: string;
}

export class MeterNotInstalledError extends AppError {
  constructor(meter: Pick<Meter, 'serial'>, date: string) {
    super('conflict', `Meter ${meter.serial} is not installed on ${date}: a read needs a meter in service`, { check: 'meter_not_installed', serial: meter.serial, date });
  }
}

async function settingsFor(db: Db, service: 'electric' | 'water'): Promise<ValidationSettings> {
  const s = await repo.validationSettings(db, service);
  return { highRatio: s.high_ratio, lowRatio: s.low_ratio, minDailyUse: s.min_daily_use, rolloverMaxShare: s.rollover_max_share };
}

/** History for validation and estimation: the last three periods (actual reads preferred) and last year's. */
async function historyAt(db: Db, servicePointId: number, date: string): Promise<{ lastThree: PeriodUse[]; lastYear: PeriodUse | null }> {
  const recent = await repo.periodsBefore(db, servicePointId, date, 12);
  const lastThree = lastThreePeriods(recent.map((p) => ({ usage: p.usage, days: p.days, estimated: p.read_type === 'estimated' })));
  const around = await repo.periodAround(db, servicePointId, yearBefore(date));
  return { lastThree, lastYear: around ? { usage: around.usage, days: around.days } : null };
}

/** The read a new read at (meter, date) is measured from, within the meter's installation. */
async function previousFor(db: Db, meterId: number, date: string, installedOn: string, purpose: ReadPurpose, beforeId: number | null) {
  if (openingPurposes.includes(purpose)) return undefined;
  return repo.readBefore(db, meterId, date, beforeId, installedOn);
}

/**
 * Records a register read: finds where the meter was installed that day, measures it from the
 * read before (rollover and multiplier applied), validates it against the service's history and
 * files any finding in the read-exceptions queue. A read dated before later reads re-measures
 * the one that follows it.
 */
export async function recordRead(db: Db, actor: Actor, input: ReadInput, options: RecordOptions = {}): Promise<{ read: MeterRead; findings: ReadFinding[] }> {
  return transact(db, async (trx) => {
    const meter = await premises.getMeter(trx, input.meterId);
    if (!fitsDials(input.reading, meter.dials)) throw invalid('reading', `${input.reading} does not fit the ${meter.dials} dials of meter ${meter.serial}`);
    const installation = await premises.installationOfMeterOn(trx, meter.id, input.readDate);
    if (!installation) throw new MeterNotInstalledError(meter, input.readDate);
    const purpose = input.purpose ?? 'cycle';
    const settings = await settingsFor(trx, meter.kind);
    const previous = await previousFor(trx, meter.id, input.readDate, installation.installedOn, purpose, null);
    const measured = previous ? registerUsage(previous.reading, input.reading, meter.dials, meter.multiplier, input.rollover, settings.rolloverMaxShare) : null;
    // A move-in read closes the time before the move-in: its use belongs to the day before.
    const usageOn = purpose === 'move_in' ? addDays(input.readDate, -1) : input.readDate;

    let findings: ReadFinding[] = [];
    const sp = await premises.getServicePoint(trx, installation.servicePointId);
    const agreement = await premises.agreementOn(trx, sp.id, usageOn);
    if (measured && previous && options.validate !== false) {
      const history = await historyAt(trx, sp.id, input.readDate);
      findings = checkRead({
        usage: measured.usage,
        days: daysBetween(previous.read_date, input.readDate),
        negative: measured.negative,
        unit: meter.unit,
        serviceActive: sp.status === 'active' && agreement !== null,
        servicePointStatus: sp.status,
        ...history,
        settings,
      });
    }
    const row = await repo.insertRead(trx, {
      meter_id: meter.id,
      service_point_id: sp.id,
      read_date: input.readDate,
      read_at: input.readAt ?? null,
      reading: input.reading,
      read_type: input.readType ?? 'actual',
      purpose,
      source: input.source,
      rollover: measured?.rollover ?? false,
      previous_read_id: previous?.id ?? null,
      usage: measured ? measured.usage.toString() : null,
      usage_on: usageOn,
      multiplier: meter.multiplier,
      dials: meter.dials,
      status: findings.length > 0 ? 'exception' : 'valid',
      estimate_rule: input.estimateRule ?? null,
      order_id: input.orderId ?? null,
      import_id: input.importId ?? null,
      import_line: input.importLine ?? null,
      note: input.note ?? null,
      entered_by: actor.userId,
    });
    const exceptions = await repo.insertExceptions(trx, findings.map((f) => ({ read_id: row.id, code: f.code, message: f.message })));
    await remeasureNext(trx, row);
    const read = toRead(row, exceptions);
    if (options.audit !== false) {
      await recordChange(trx, actor, {
        action: 'create', entityType: 'meter_read', entityId: read.id, accountId: agreement?.accountId ?? null,
        after: { meter: meter.serial, readDate: read.readDate, reading: read.reading, usage: read.usage, readType: read.readType, purpose, status: read.status, exceptions: findings.map((f) => f.code) },
        reason: options.reason ?? `${purpose.replace('_', ' ')} read`,
      });
    }
    return { read, findings };
  });
}

/** After a read is added or voided, the next read of the meter is measured from the right one. */
async function remeasureNext(db: Db, changed: repo.ReadRow): Promise<void> {
  const next = await repo.readAfter(db, changed.meter_id, changed.read_date, changed.id);
  if (!next || openingPurposes.includes(next.purpose)) return;
  const installation = await premises.installationOfMeterOn(db, next.meter_id, next.read_date);
  if (!installation) return;
  const previous = await repo.readBefore(db, next.meter_id, next.read_date, next.id, installation.installedOn);
  if ((previous?.id ?? null) === next.previous_read_id) return;
  const settings = await settingsFor(db, (await premises.getMeter(db, next.meter_id)).kind);
  const measured = previous ? registerUsage(previous.reading, next.reading, next.dials, next.multiplier, next.rollover || undefined, settings.rolloverMaxShare) : null;
  await repo.updateRead(db, next.id, { previous_read_id: previous?.id ?? null, usage: measured ? measured.usage.toString() : null, rollover: measured?.rollover ?? false });
}

export async function getRead(db: Db, id: number): Promise<MeterRead> {
  const row = await repo.findRead(db, id);
  if (!row) throw notFound('Meter read', id);
  return toRead(row, await repo.exceptionsOfRead(db, id));
}

async function accountOfRead(db: Db, row: repo.ReadRow): Promise<number | null> {
  return (await premises.agreementOn(db, row.service_point_id, row.usage_on))?.accountId ?? null;
}

/** Takes a wrong read out of use; the next read is measured from the one before it. */
export async function voidRead(db: Db, actor: Actor, id: number, reason: string): Promise<MeterRead> {
  return transact(db, async (trx) => {
    const before = await repo.findReadForUpdate(trx, id);
    if (!before) throw notFound('Meter read', id);
    if (before.status === 'voided') throw new AppError('conflict', `Meter read ${id} is already void`);
    const row = await repo.updateRead(trx, id, { status: 'voided', voided_at: new Date(), voided_by: actor.userId, void_reason: reason });
    await repo.resolveExceptions(trx, id, 'voided', actor.userId, reason);
    await remeasureNext(trx, row);
    await recordChange(trx, actor, { action: 'void', entityType: 'meter_read', entityId: id, accountId: await accountOfRead(trx, row), before: { status: before.status }, after: { status: 'voided' }, reason });
    return toRead(row, await repo.exceptionsOfRead(trx, id));
  });
}

/** Replaces a wrong read with the right value: the wrong one is voided, the right one validated. */
export async function correctRead(db: Db, actor: Actor, id: number, input: { reading: string; rollover?: boolean; readDate?: string }, reason: string): Promise<{ read: MeterRead; findings: ReadFinding[]; voided: MeterRead }> {
  return transact(db, async (trx) => {
    const voided = await voidRead(trx, actor, id, reason);
    const result = await recordRead(trx, actor, {
      meterId: voided.meterId, readDate: input.readDate ?? voided.readDate, reading: input.reading, rollover: input.rollover,
      readType: 'actual', purpose: voided.purpose, source: 'manual', orderId: voided.orderId, note: `Corrects read ${id}`,
    }, { reason });
    return { ...result, voided };
  });
}

/** Accepts a read that an exception held (the reading is right after all), with the reason. */
export async function acceptException(db: Db, actor: Actor, exceptionId: number, reason: string): Promise<MeterRead> {
  return transact(db, async (trx) => {
    const exception = await repo.findException(trx, exceptionId);
    if (!exception) throw notFound('Read exception', exceptionId);
    if (exception.status !== 'open') throw new AppError('conflict', `Read exception ${exceptionId} is already ${exception.status}`);
    await repo.resolveExceptions(trx, exception.read_id, 'accepted', actor.userId, reason, exceptionId);
    const remaining = (await repo.exceptionsOfRead(trx, exception.read_id)).filter((e) => e.status === 'open');
    let row = (await repo.findReadForUpdate(trx, exception.read_id))!;
    if (remaining.length === 0 && row.status === 'exception') row = await repo.updateRead(trx, row.id, { status: 'accepted' });
    await recordChange(trx, actor, { action: 'accept', entityType: 'read_exception', entityId: exceptionId, accountId: await accountOfRead(trx, row), before: { status: 'open', code: exception.code }, after: { status: 'accepted', readStatus: row.status }, reason });
    return toRead(row, await repo.exceptionsOfRead(trx, row.id));
  });
}

/** Accepts every open exception of a read at once (the reading is right), with the reason. */
export async function acceptRead(db: Db, actor: Actor, readId: number, reason: string): Promise<MeterRead> {
  return transact(db, async (trx) => {
    const row = await repo.findReadForUpdate(trx, readId);
    if (!row) throw notFound('Meter read', readId);
    const open = (await repo.exceptionsOfRead(trx, readId)).filter((e) => e.status === 'open');
    if (open.length === 0) throw new AppError('conflict', `Meter read ${readId} has no open exception to accept`);
    for (const e of open) await acceptException(trx, actor, e.id, reason);
    return getRead(trx, readId);
  });
}

/**
 * Estimates a missing read by the stated rule (see `estimateRead`) and records it, marked as an
 * estimate with the rule and its figures.
 */
export async function estimate(db: Db, actor: Actor, input: { meterId: number; readDate: string; purpose?: ReadPurpose; orderId?: number | null }, reason: string): Promise<{ read: MeterRead; findings: ReadFinding[] }> {
  return transact(db, async (trx) => {
    const meter = await premises.getMeter(trx, input.meterId);
    const installation = await premises.installationOfMeterOn(trx, meter.id, input.readDate);
    if (!installation) throw new MeterNotInstalledError(meter, input.readDate);
    const last = await repo.readBefore(trx, meter.id, input.readDate, null, installation.installedOn);
    if (!last) throw new AppError('conflict', `Meter ${meter.serial} has no read since it was installed on ${installation.installedOn} to estimate from`);
    const days = daysBetween(last.read_date, input.readDate);
    if (days <= 0) throw invalid('readDate', `meter ${meter.serial} already has a read on ${last.read_date}`);
    const history = await historyAt(trx, installation.servicePointId, input.readDate);
    const est = estimateRead({ lastReading: last.reading, days, dials: meter.dials, multiplier: meter.multiplier, unit: meter.unit, ...history });
    return recordRead(trx, actor, {
      meterId: meter.id, readDate: input.readDate, reading: est.reading, rollover: est.rollover, readType: 'estimated', purpose: input.purpose ?? 'cycle',
      source: 'estimate', estimateRule: est.rule, orderId: input.orderId ?? null,
    }, { reason });
  });
}

export async function readsOfMeter(db: Db, meterId: number, q: { limit: number; before?: string; includeVoided?: boolean }): Promise<MeterRead[]> {
  const rows = await repo.readsOfMeter(db, meterId, q);
  const exceptions = await repo.exceptionsOfReads(db, rows.map((r) => r.id));
  return rows.map((r) => toRead(r, exceptions));
}

export async function readsOfServicePoint(db: Db, servicePointId: number, q: { from?: string; to?: string; limit: number }): Promise<MeterRead[]> {
  const rows = await repo.readsOfServicePoint(db, servicePointId, q);
  const exceptions = await repo.exceptionsOfReads(db, rows.map((r) => r.id));
  return rows.map((r) => toRead(r, exceptions));
}

export async function readsOfOrder(db: Db, orderId: number): Promise<MeterRead[]> {
  const rows = await repo.readsOfOrder(db, orderId);
  const exceptions = await repo.exceptionsOfReads(db, rows.map((r) => r.id));
  return rows.map((r) => toRead(r, exceptions));
}

/** The last live read of a meter on or before a date, within its current installation. */
export async function lastReadOf(db: Db, meterId: number, date: string): Promise<MeterRead | null> {
  const installation = await premises.installationOfMeterOn(db, meterId, date);
  const row = await repo.readBefore(db, meterId, date, null, installation?.installedOn ?? '0001-01-01');
  return row ? toRead(row) : null;
}

/**
 * Use at a service point over service days [from, to], across every meter it had in that time:
 * a meter exchanged mid-period counts the old meter up to its closing read and the new one from
 * its opening read, so nothing is counted twice.
 */
export async function usageOf(db: Db, servicePointId: number, from: string, to: string): Promise<{ usage: string; reads: number; estimated: number; exceptions: number }> {
  const r = await repo.usageBetween(db, servicePointId, from, to);
  return { usage: Dec.of(r.usage ?? '0').toString(), reads: r.reads, estimated: r.estimated, exceptions: r.exceptions };
}

export interface PeriodUsage {
  servicePointId: number;
  from: string;
  to: string;
  usage: string;
  reads: number;
  estimated: number;
  exceptions: number;
  lastReadDate: string | null;
}

/** usageOf for many service points and periods at once (the billing run); one answer per (point, from, to). */
export async function usageOfPoints(db: Db, items: { servicePointId: number; from: string; to: string }[]): Promise<PeriodUsage[]> {
  return (await repo.usageOfPoints(db, items)).map((r) => ({
    servicePointId: Number(r.sp), from: r.f, to: r.t, usage: Dec.of(r.usage ?? '0').toString(), reads: r.reads, estimated: r.estimated, exceptions: r.exceptions, lastReadDate: r.last_read,
  }));
}

/**
 * The latest service day with measured use (or, with `anyRead`, any read) at each service point
 * on or before its date; keyed `servicePointId:date`.
 */
export async function lastReadDates(db: Db, items: { servicePointId: number; onOrBefore: string }[], anyRead = false): Promise<Map<string, string | null>> {
  return new Map((await repo.lastReadDates(db, items, anyRead)).map((r) => [`${Number(r.sp)}:${r.on_or_before}`, r.read_date]));
}

/**
 * kWh the customer sent to the grid (interval data, flow "received") per meter over service days
 * [from, to] in the utility's time zone, for many meters at once (net-metered bills), keyed
 * `meterId:from:to`. A meter with no received intervals in the period is absent from the map.
 */
export async function receivedKwhOfMeters(db: Db, timeZone: string, items: { meterId: number; from: string; to: string }[]): Promise<Map<string, string>> {
  const spans = items.map((i) => ({ key: `${i.meterId}:${i.from}:${i.to}`, meterId: i.meterId, from: new Date(localDayStart(i.from, timeZone) * 1000), to: new Date(localDayStart(addDays(i.to, 1), timeZone) * 1000) }));
  const keyOf = new Map(spans.map((s) => [`${s.meterId}:${s.from.toISOString()}:${s.to.toISOString()}`, s.key]));
  const rows = await repo.intervalKwhOfMeters(db, 'received', spans);
  return new Map(rows.filter((r) => r.intervals > 0).map((r) => [keyOf.get(`${Number(r.meter_id)}:${new Date(r.from_at).toISOString()}:${new Date(r.to_at).toISOString()}`)!, Dec.of(r.kwh ?? '0').toString()]));
}

export interface ReadExceptionItem {
  id: number;
  readId: number;
  code: string;
  message: string;
  createdAt: string;
  meterId: number;
  serial: string;
  servicePointId: number;
  service: Service;
  readDate: string;
  reading: string;
  usage: string | null;
  readType: string;
  unit: string;
  accountId: number | null;
  accountNumber: string | null;
  address: string;
}

export async function openExceptions(db: Db, q: { after: number; limit: number; code?: string }): Promise<ReadExceptionItem[]> {
  return (await repo.openExceptions(db, q)).map((r) => ({
    id: r.id, readId: r.read_id, code: r.code, message: r.message, createdAt: r.created_at.toISOString(), meterId: r.meter_id, serial: r.serial,
    servicePointId: r.service_point_id, service: r.service as Service, readDate: r.read_date, reading: Dec.of(r.reading).toString(),
    usage: r.usage === null ? null : Dec.of(r.usage).toString(), readType: r.read_type, unit: r.unit, accountId: r.account_id, accountNumber: r.account_number, address: r.address,
  }));
}

export async function getValidationSettings(db: Db) {
  return (await repo.allValidationSettings(db)).map((s) => ({ service: s.service, highRatio: Dec.of(s.high_ratio).toString(), lowRatio: Dec.of(s.low_ratio).toString(), minDailyUse: Dec.of(s.min_daily_use).toString(), rolloverMaxShare: Dec.of(s.rollover_max_share).toString() }));
}

export async function updateValidationSettings(db: Db, actor: Actor, service: 'electric' | 'water', patch: { highRatio?: string; lowRatio?: string; minDailyUse?: string; rolloverMaxShare?: string }, reason: string) {
  return transact(db, async (trx) => {
    const before = (await getValidationSettings(trx)).find((s) => s.service === service)!;
    await repo.updateValidationSettings(trx, service, { high_ratio: patch.highRatio, low_ratio: patch.lowRatio, min_daily_use: patch.minDailyUse, rollover_max_share: patch.rolloverMaxShare });
    const after = (await getValidationSettings(trx)).find((s) => s.service === service)!;
    await recordChange(trx, actor, { action: 'update', entityType: 'read_validation_settings', entityId: service, before: { ...before }, after: { ...after }, reason });
    return after;
  });
}
