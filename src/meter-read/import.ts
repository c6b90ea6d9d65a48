/**
 * Read files: CSV register reads in a configured column layout, and Green Button interval data.
 * Each file is kept whole and imported once (its SHA-256); a malformed file is refused whole with
 * the line or element and the reason, and imports nothing. Within a well-formed file, a record
 * that cannot be a read (an unknown meter, a meter not installed that day) is rejected with its
 * line and reason while the rest import; a read already on file is counted as a duplicate.
 */
import { createHash } from 'node:crypto';
import { recordChange } from '../audit/index.ts';
import { premises } from '../premise/index.ts';
import type { Actor } from '../platform/actor.ts';
import { localDate } from '../platform/clock.ts';
import { addDays } from '../platform/dates.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { Dec } from '../platform/decimal.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { parseReadCsv, ReadFileError, standardReadCsvLayout, validateReadCsvLayout, type ReadCsvLayout } from './csv-layout.ts';
import { billingDeterminants, localDayStart, validateTouSchedule, type Determinants, type TouSchedule } from './determinants.ts';
import { GreenButtonError, parseGreenButton } from './greenbutton.ts';
import * as repo from './repository.ts';
import { recordReadsBulk, type BulkReadInput } from './bulk.ts';

export interface ImportResult {
  importId: number;
  fileName: string;
  format: 'csv' | 'greenbutton';
  records: number;
  imported: number;
  rejected: number;
  duplicates: number;
  /** The same file was imported before: nothing was imported now. */
  duplicate: boolean;
  rejections: { line: number | null; serial?: string; reason: string }[];
  /** Reads that validation sent to the read-exceptions queue. */
  exceptions: number;
}

export interface ImportRequest {
  format: 'csv' | 'greenbutton';
  fileName: string;
  content: Buffer;
  /** CSV: a stored layout's code (default `standard`). */
  layoutCode?: string;
  /** Green Button: the serial of the meter the file's usage point is. */
  meterSerial?: string;
  /** The utility's time zone: interval dates are local dates in it. */
  timeZone: string;
}

export async function importReads(db: Db, actor: Actor, req: ImportRequest): Promise<ImportResult> {
  const sha256 = createHash('sha256').update(req.content).digest('hex');
  return transact(db, async (trx) => {
    const earlier = await repo.findImportByHash(trx, sha256);
    if (earlier) {
      return {
        importId: earlier.id, fileName: req.fileName, format: earlier.format, records: earlier.records, imported: 0, rejected: 0, duplicates: 0,
        duplicate: true, rejections: [], exceptions: 0,
      };
    }
    const text = decode(req.content, req.fileName);
    const result = req.format === 'csv' ? await importCsv(trx, actor, req, text, sha256) : await importGreenButton(trx, actor, req, text, sha256);
    await recordChange(trx, actor, {
      action: 'import', entityType: 'read_import', entityId: result.importId,
      after: { fileName: req.fileName, format: req.format, sha256, records: result.records, imported: result.imported, rejected: result.rejected, duplicates: result.duplicates },
      reason: `Read file ${req.fileName} imported`,
    });
    return result;
  });
}

function decode(content: Buffer, fileName: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new AppError('validation', `${fileName}: the file is not UTF-8 text`, { field: 'file' });
  }
}

async function layoutFor(db: Db, code: string | undefined): Promise<ReadCsvLayout> {
  if (!code || code === 'standard') {
    const stored = await repo.findConfig(db, 'read_file_layouts', 'standard');
    return stored ? validateReadCsvLayout(stored.definition) : standardReadCsvLayout;
  }
  const stored = await repo.findConfig(db, 'read_file_layouts', code);
  if (!stored) throw invalid('layout', `no read file layout "${code}"`);
  return validateReadCsvLayout(stored.definition);
}

async function importCsv(db: Db, actor: Actor, req: ImportRequest, text: string, sha256: string): Promise<ImportResult> {
  const layout = await layoutFor(db, req.layoutCode);
  let records;
  try {
    records = parseReadCsv(text, layout);
  } catch (e) {
    if (e instanceof ReadFileError) throw new AppError('validation', `${req.fileName}: ${e.message}; nothing was imported`, { field: 'file', line: e.line, reason: e.reason });
    throw e;
  }
  const { id: importId } = await repo.insertImport(db, {
    format: 'csv', file_name: req.fileName, sha256, layout_code: layout.code, content: req.content,
    records: records.length, imported: 0, rejected: 0, duplicates: 0, imported_by: actor.userId,
  });
  const meters = await premises.findMetersBySerials(db, [...new Set(records.map((r) => r.meterSerial))]);
  const rejections: ImportResult['rejections'] = [];
  const inputs: BulkReadInput[] = [];
  for (const r of records) {
    const meter = meters.get(r.meterSerial);
    if (!meter) rejections.push({ line: r.line, serial: r.meterSerial, reason: `no meter with serial ${r.meterSerial}` });
    else inputs.push({ line: r.line, meter, readDate: r.readDate, reading: r.reading, readType: r.readType, rollover: r.rollover, note: r.note });
  }
  const recorded = await recordReadsBulk(db, actor, inputs, { importId, source: 'csv' });
  rejections.push(...recorded.rejections);
  const { imported, duplicates, exceptions } = recorded;
  rejections.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  await repo.finishImport(db, importId, { records: records.length, imported, rejected: rejections.length, duplicates, rejections });
  return { importId, fileName: req.fileName, format: 'csv', records: records.length, imported, rejected: rejections.length, duplicates, duplicate: false, rejections, exceptions };
}

async function importGreenButton(db: Db, actor: Actor, req: ImportRequest, text: string, sha256: string): Promise<ImportResult> {
  if (!req.meterSerial) throw invalid('meterSerial', 'a Green Button file carries no meter serial: say which meter it is');
  const meter = await premises.findMeterBySerial(db, req.meterSerial);
  if (!meter) throw invalid('meterSerial', `no meter with serial ${req.meterSerial.toUpperCase()}`);
  if (meter.kind !== 'electric') throw invalid('meterSerial', `meter ${meter.serial} is ${meter.kind}; Green Button interval data is electric`);
  let file;
  try {
    file = parseGreenButton(text);
  } catch (e) {
    if (e instanceof GreenButtonError) throw new AppError('validation', `${req.fileName}: ${e.message}; nothing was imported`, { field: 'file', element: e.where, reason: e.reason });
    throw e;
  }
  const intervals = file.series.flatMap((s) => s.intervals.map((i) => ({ flow: s.flowDirection, startAt: new Date(i.startEpoch * 1000), seconds: i.durationSeconds, kwh: i.kwh })));
  const { id: importId } = await repo.insertImport(db, {
    format: 'greenbutton', file_name: req.fileName, sha256, layout_code: null, content: req.content,
    records: intervals.length, imported: 0, rejected: 0, duplicates: 0, imported_by: actor.userId,
  });
  // Intervals outside the meter's installations are not this meter's: reject them by position.
  const meterDetail = await premises.getMeter(db, meter.id);
  const rejections: ImportResult['rejections'] = [];
  const kept = intervals.filter((i, n) => {
    const day = localDate(i.startAt, req.timeZone);
    const installed = meterDetail.installations.some((inst) => inst.installedOn <= day && (inst.removedOn === null || inst.removedOn >= day));
    if (!installed) rejections.push({ line: null, serial: meter.serial, reason: `interval ${n + 1} (${i.startAt.toISOString()}) is outside the times meter ${meter.serial} was installed` });
    return installed;
  });
  const imported = await repo.insertIntervals(db, meter.id, importId, kept);
  const duplicates = kept.length - imported;
  await repo.finishImport(db, importId, { records: intervals.length, imported, rejected: rejections.length, duplicates, rejections });
  return { importId, fileName: req.fileName, format: 'greenbutton', records: intervals.length, imported, rejected: rejections.length, duplicates, duplicate: false, rejections, exceptions: 0 };
}

export async function listImports(db: Db, q: { after: number; limit: number }) {
  return (await repo.listImports(db, q)).map((r) => ({
    id: r.id, format: r.format, fileName: r.file_name, sha256: r.sha256, layoutCode: r.layout_code, records: r.records, imported: r.imported,
    rejected: r.rejected, duplicates: r.duplicates, rejections: r.rejections as ImportResult['rejections'], importedBy: r.imported_by, createdAt: r.created_at.toISOString(),
  }));
}

export async function importFile(db: Db, id: number): Promise<{ fileName: string; content: Buffer }> {
  const row = await repo.importContent(db, id);
  if (!row) throw notFound('Read import', id);
  return { fileName: row.file_name, content: row.content };
}

// ---- determinants from interval data ----

export async function touSchedule(db: Db, code: string): Promise<TouSchedule> {
  const row = await repo.findConfig(db, 'tou_schedules', code);
  if (!row) throw invalid('tou', `no time-of-use schedule "${code}"`);
  return validateTouSchedule(row.definition);
}

export async function determinantsFor(db: Db, timeZone: string, meterId: number, q: { from: string; to: string; tou?: string; flow?: 'delivered' | 'received' }): Promise<Determinants & { meterId: number; flow: string; touSchedule: string }> {
  if (q.to < q.from) throw invalid('to', `is before from (${q.from})`);
  await premises.getMeter(db, meterId);
  const schedule = await touSchedule(db, q.tou ?? 'standard');
  const flow = q.flow ?? 'delivered';
  const dayStart = (date: string) => new Date(localDayStart(date, timeZone) * 1000);
  const rows = await repo.intervalsBetween(db, meterId, flow, dayStart(q.from), dayStart(addDays(q.to, 1)));
  const intervals = rows.map((r) => ({ startEpoch: r.start_at.getTime() / 1000, durationSeconds: r.duration_seconds, microKwh: Dec.of(r.kwh).times(1_000_000).units / 10n ** 12n }));
  return { meterId, flow, touSchedule: schedule.code, ...billingDeterminants(intervals, { from: q.from, to: q.to }, schedule, timeZone) };
}

// ---- configuration ----

export async function listLayouts(db: Db) {
  const stored = await repo.listConfig(db, 'read_file_layouts');
  const layouts = stored.map((r) => validateReadCsvLayout(r.definition));
  return layouts.some((l) => l.code === 'standard') ? layouts : [standardReadCsvLayout, ...layouts];
}

export async function saveLayout(db: Db, actor: Actor, raw: unknown, reason: string): Promise<ReadCsvLayout> {
  let layout: ReadCsvLayout;
  try {
    layout = validateReadCsvLayout(raw);
  } catch (e) {
    throw new AppError('validation', `layout: ${(e as Error).message}`, { field: 'body' });
  }
  return transact(db, async (trx) => {
    const before = await repo.findConfig(trx, 'read_file_layouts', layout.code);
    await repo.upsertConfig(trx, 'read_file_layouts', layout.code, layout);
    await recordChange(trx, actor, { action: before ? 'update' : 'create', entityType: 'read_file_layout', entityId: layout.code, before: before ? { definition: before.definition } : null, after: { definition: layout }, reason });
    return layout;
  });
}

export async function listTouSchedules(db: Db): Promise<TouSchedule[]> {
  return (await repo.listConfig(db, 'tou_schedules')).map((r) => validateTouSchedule(r.definition));
}

export async function saveTouSchedule(db: Db, actor: Actor, raw: unknown, reason: string): Promise<TouSchedule> {
  let schedule: TouSchedule;
  try {
    schedule = validateTouSchedule(raw);
  } catch (e) {
    throw new AppError('validation', `schedule: ${(e as Error).message}`, { field: 'body' });
  }
  return transact(db, async (trx) => {
    const before = await repo.findConfig(trx, 'tou_schedules', schedule.code);
    await repo.upsertConfig(trx, 'tou_schedules', schedule.code, schedule);
    await recordChange(trx, actor, { action: before ? 'update' : 'create', entityType: 'tou_schedule', entityId: schedule.code, before: before ? { definition: before.definition } : null, after: { definition: schedule }, reason });
    return schedule;
  });
}
