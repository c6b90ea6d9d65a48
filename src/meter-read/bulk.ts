/**
 * Recording many cycle reads at once (read files): the same rules as `recordRead` in service.ts
 * (usage from the previous read of the meter in its installation, validation against the service
 * point's history, exceptions filed), worked out in memory from a few set-based queries and
 * written with a handful of statements instead of a dozen queries per read.
 *
 * A read dated before a read already on file for its meter needs the reads after it re-measured:
 * those rare reads go through `recordRead` one by one after the batch.
 */
import { premises, type Agreement, type Installation, type Meter, type ServicePoint } from '../premise/index.ts';
import type { Actor } from '../platform/actor.ts';
import { addDays, daysBetween, yearBefore } from '../platform/dates.ts';
import type { Db } from '../platform/db/database.ts';
import { Dec } from '../platform/decimal.ts';
import { AppError } from '../platform/errors.ts';
import * as repo from './repository.ts';
import { checkRead, fitsDials, lastThreePeriods, registerUsage, type PeriodUse, type ValidationSettings } from './rules.ts';
import { MeterNotInstalledError, recordRead, type ReadType } from './service.ts';

export interface BulkReadInput {
  line: number;
  meter: Meter;
  readDate: string;
  reading: string;
  readType: ReadType;
  rollover: boolean;
  note: string | null;
}

export interface BulkReadResult {
  imported: number;
  duplicates: number;
  exceptions: number;
  rejections: { line: number; serial: string; reason: string }[];
}

/** A read period at a service point: its end date, use, length and whether it was estimated. */
interface Period {
  endDate: string;
  startDate: string;
  usage: string;
  days: number;
  readType: string;
  id: number;
}

/** The history window validation looks at: last year's period plus the last three. */
const HISTORY_DAYS = 420;

export async function recordReadsBulk(db: Db, actor: Actor, inputs: BulkReadInput[], ctx: { importId: number; source: 'csv' }): Promise<BulkReadResult> {
  const result: BulkReadResult = { imported: 0, duplicates: 0, exceptions: 0, rejections: [] };
  if (inputs.length === 0) return result;
  const sorted = [...inputs].sort((a, b) => a.readDate.localeCompare(b.readDate) || a.line - b.line);
  const meterIds = [...new Set(sorted.map((i) => i.meter.id))];

  const installations = group(await premises.installationsOfMeters(db, meterIds), (i) => i.meterId);
  const installationOn = (meterId: number, date: string): Installation | undefined =>
    (installations.get(meterId) ?? []).filter((i) => i.installedOn <= date && (i.removedOn === null || i.removedOn >= date)).at(-1);

  const pointIds = [...new Set([...installations.values()].flat().map((i) => i.servicePointId))];
  const points = new Map((await premises.servicePointsByIds(db, pointIds)).map((p) => [p.id, p]));
  const agreements = group(await premises.agreementsAtPoints(db, pointIds), (a) => a.servicePointId);
  const agreementOn = (pointId: number, date: string): Agreement | undefined =>
    (agreements.get(pointId) ?? []).find((a) => a.startDate <= date && (a.endDate === null || a.endDate >= date));

  const settings = new Map<string, ValidationSettings>();
  for (const s of await repo.allValidationSettings(db)) settings.set(s.service, { highRatio: s.high_ratio, lowRatio: s.low_ratio, minDailyUse: s.min_daily_use, rolloverMaxShare: s.rollover_max_share });

  const earliest = sorted[0]!.readDate;
  const periods = new Map<number, Period[]>();
  for (const r of await repo.recentReadsAtPoints(db, pointIds, addDays(earliest, -HISTORY_DAYS))) {
    if (r.usage === null || r.previous_date === null || !(r.read_date > r.previous_date)) continue;
    push(periods, r.service_point_id, { endDate: r.read_date, startDate: r.previous_date, usage: r.usage, days: daysBetween(r.previous_date, r.read_date), readType: r.read_type, id: r.id });
  }
  const latest = new Map((await repo.latestReadOfMeters(db, meterIds)).map((r) => [r.meter_id, { id: r.id, readDate: r.read_date, reading: r.reading }]));
  const onFile = new Set((await repo.existingReads(db, sorted.map((i) => ({ meterId: i.meter.id, date: i.readDate, reading: i.reading })))).map((r) => key(r.meter_id, r.read_date, r.reading)));

  const ids = await repo.reserveReadIds(db, sorted.length);
  const rows: repo.BulkReadRow[] = [];
  const exceptions: { read_id: number; code: string; message: string }[] = [];
  const later: BulkReadInput[] = [];
  const seen = new Set<string>();

  for (const input of sorted) {
    const { meter } = input;
    const reading = Dec.of(input.reading).toString();
    const k = key(meter.id, input.readDate, reading);
    if (onFile.has(k) || seen.has(k)) {
      result.duplicates++;
      continue;
    }
    if (!fitsDials(input.reading, meter.dials)) {
      result.rejections.push({ line: input.line, serial: meter.serial, reason: `reading: ${input.reading} does not fit the ${meter.dials} dials of meter ${meter.serial}` });
      continue;
    }
    const installation = installationOn(meter.id, input.readDate);
    if (!installation) {
      result.rejections.push({ line: input.line, serial: meter.serial, reason: new MeterNotInstalledError(meter, input.readDate).message });
      continue;
    }
    const last = latest.get(meter.id);
    if (last && last.readDate > input.readDate) {
      later.push(input); // back-dated: measured one by one so the reads after it follow
      continue;
    }
    seen.add(k);
    const id = ids[rows.length]!;
    const previous = last && last.readDate >= installation.installedOn ? last : undefined;
    const config = settings.get(meter.kind)!;
    const measured = previous ? registerUsage(previous.reading, input.reading, meter.dials, meter.multiplier, input.rollover || undefined, config.rolloverMaxShare) : null;
    const point = points.get(installation.servicePointId) as ServicePoint;
    let findings: ReturnType<typeof checkRead> = [];
    if (measured && previous) {
      const history = historyAt(periods.get(point.id) ?? [], input.readDate);
      findings = checkRead({
        usage: measured.usage,
        days: daysBetween(previous.readDate, input.readDate),
        negative: measured.negative,
        unit: meter.unit,
        serviceActive: point.status === 'active' && agreementOn(point.id, input.readDate) !== undefined,
        servicePointStatus: point.status,
        ...history,
        settings: config,
      });
    }
    rows.push({
      id, meter_id: meter.id, service_point_id: point.id, read_date: input.readDate, reading: input.reading, read_type: input.readType, purpose: 'cycle',
      source: ctx.source, rollover: measured?.rollover ?? false, previous_read_id: previous?.id ?? null, usage: measured ? measured.usage.toString() : null,
      usage_on: input.readDate, multiplier: meter.multiplier, dials: meter.dials, status: findings.length > 0 ? 'exception' : 'valid',
      import_id: ctx.importId, import_line: input.line, note: input.note, entered_by: actor.userId,
    });
    for (const f of findings) exceptions.push({ read_id: id, code: f.code, message: f.message });
    if (findings.length > 0) result.exceptions++;
    latest.set(meter.id, { id, readDate: input.readDate, reading: input.reading });
    if (measured && previous && input.readDate > previous.readDate) {
      push(periods, point.id, { endDate: input.readDate, startDate: previous.readDate, usage: measured.usage.toString(), days: daysBetween(previous.readDate, input.readDate), readType: input.readType, id });
    }
  }
  await repo.insertReadsBulk(db, rows);
  await repo.insertExceptionsBulk(db, exceptions);
  result.imported = rows.length;

  for (const input of later) {
    try {
      const { read } = await recordRead(db, actor, {
        meterId: input.meter.id, readDate: input.readDate, reading: input.reading, rollover: input.rollover || undefined, readType: input.readType,
        note: input.note, source: ctx.source, importId: ctx.importId, importLine: input.line, purpose: 'cycle',
      }, { audit: false });
      result.imported++;
      if (read.status === 'exception') result.exceptions++;
    } catch (e) {
      if (!(e instanceof AppError) || (e.code !== 'validation' && e.code !== 'conflict')) throw e;
      result.rejections.push({ line: input.line, serial: input.meter.serial, reason: e.message });
    }
  }
  return result;
}

/**
 * The same history `historyAt` in service.ts reads from the database: the last three periods that
 * ended before the date (actual reads preferred), and the period around the same day last year.
 */
function historyAt(all: Period[], date: string): { lastThree: PeriodUse[]; lastYear: PeriodUse | null } {
  const before = all.filter((p) => p.endDate < date).sort((a, b) => b.endDate.localeCompare(a.endDate) || b.id - a.id).slice(0, 12);
  const lastThree = lastThreePeriods(before.map((p) => ({ usage: p.usage, days: p.days, estimated: p.readType === 'estimated' })));
  const target = yearBefore(date);
  const around = all.filter((p) => p.startDate < target && p.endDate >= target).sort((a, b) => a.endDate.localeCompare(b.endDate))[0];
  return { lastThree, lastYear: around ? { usage: around.usage, days: around.days } : null };
}

const key = (meterId: number, date: string, reading: string) => `${meterId}|${date}|${Dec.of(reading).toString()}`;

function group<T>(items: T[], by: (t: T) => number): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const item of items) push(m, by(item), item);
  return m;
}
function push<T>(m: Map<number, T[]>, k: number, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
