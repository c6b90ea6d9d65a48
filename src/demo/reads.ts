/**
 * The demo district's register reads: the plan, made here (pure and deterministic, like the rest
 * of the generator), and expanded into reads inside the database (`insertReadsQuery` in
 * repository.ts), where one INSERT ... SELECT per batch turns a few values per meter into months
 * of reads without shipping a row of them.
 *
 * What a meter gets:
 * - Schedule: billing cycle N (1-20, the cycle of the account with the latest agreement at the
 *   meter's service point) is read on the Nth working day (Monday to Friday; holidays are not
 *   modelled) of every month, so cycle 1 reads on the 1st to 3rd and cycle 20 on the 26th to
 *   28th. A meter has the `readMonths` latest cycle dates on or before the demo's "today". A meter
 *   installed before the first of those dates starts with a plain cycle read (history before the
 *   window is not loaded, so that read has no usage); a meter installed inside the window gets an
 *   'install' read on its installation date, then the cycle reads after it. A meter installed
 *   after today has no reads.
 * - Use: a daily rate per meter (by service, premise and size) x a seasonal curve by the month
 *   the read period mostly covers x noise from a hash of (seed, meter, month). A service point
 *   with no agreement on the read date (vacant) uses nothing, and so does a disconnected one in
 *   its latest period. The register counts use / multiplier, in whole units, and rolls over past
 *   10^dials (the read is marked rollover).
 * - Every read is validated by the meter-read rules in SQL, exactly as recordRead would
 *   (checkRead against the last three periods, actual reads preferred, and the same period last
 *   year, with the thresholds in read_validation_settings). The seasonal curves stay inside the
 *   thresholds with the noise and any period length, so an ordinary read is valid; what the rules
 *   find is a deliberate anomaly (a high read: a leak, a heater left on; a stuck register) or a
 *   real edge (a new tenant's first reads after months of vacancy, whose zeros pull the average
 *   down). Findings on a meter's latest read are open (the read-exceptions queue); older ones were
 *   accepted by staff two days after the read.
 * - A few meters have one estimated read, made by the estimation rule (estimateRead: the average
 *   daily use of the last three periods x the days, in whole register units), after which the
 *   next actual read catches up.
 */
import { generateSchedule } from '../billing/schedule.ts';
import { yearBefore } from '../platform/dates.ts';
import { addDays, mixSeed, Rng, type DistrictBatch } from './generate.ts';

export const CYCLES = 20;
export const DEFAULT_READ_MONTHS = 24;

// ---------------------------------------------------------------------------------------------
// The reading calendar

export interface CycleRead {
  cycle: number;
  date: string;
  /** Months since year 0 (year x 12 + month - 1) of the read date: the hash key of the read. */
  monthNo: number;
  /**
   * The calendar month (1-12) the read period mostly covers: the month before for cycles 1-10
   * (read in the first half of the month), the read's month for cycles 11-20.
   */
  periodMonth: number;
}

/**
 * For every cycle, its latest `months` read dates on or before `today`, oldest first: the read
 * dates of the district's billing schedule (billing/schedule.ts: weekends and holidays skipped),
 * so the demo's reads are where the billing run looks for them.
 */
export function cycleCalendar(today: string, months: number): Map<number, CycleRead[]> {
  const calendar = new Map<number, CycleRead[]>();
  for (let c = 1; c <= CYCLES; c++) calendar.set(c, []);
  if (months <= 0) return calendar;
  const [ty, tm] = today.split('-').map(Number) as [number, number];
  // One month more than asked: this month's read may still be ahead of today.
  for (let back = months; back >= 0; back--) {
    const first = new Date(Date.UTC(ty, tm - 1 - back, 1));
    const year = first.getUTCFullYear();
    const month = first.getUTCMonth() + 1;
    const schedule = scheduleOf(year);
    for (let c = 1; c <= CYCLES; c++) {
      const date = schedule.get(`${c}:${month}`)!;
      if (date > today) continue;
      const periodMonth = c <= CYCLES / 2 ? ((month + 10) % 12) + 1 : month;
      calendar.get(c)!.push({ cycle: c, date, monthNo: year * 12 + month - 1, periodMonth });
    }
  }
  for (const [c, list] of calendar) calendar.set(c, list.slice(-months));
  return calendar;
}

const schedules = new Map<number, Map<string, string>>();
/** The read date of every cycle and month of a year's default schedule, by `cycle:month`. */
function scheduleOf(year: number): Map<string, string> {
  let s = schedules.get(year);
  if (!s) {
    s = new Map(generateSchedule({ year, cycles: CYCLES }).map((e) => [`${e.cycle}:${e.month}`, e.readDate]));
    schedules.set(year, s);
  }
  return s;
}

/**
 * The calendar as column arrays for the database, each date with its place in the cycle's list
 * (idx), the date before it, the same day a year earlier and how many of the cycle's dates fall
 * before that day: what a read needs to find its period and the period a year back without a
 * search.
 */
export function calendarRows(calendar: Map<number, CycleRead[]>) {
  const rows = { cycle: [] as number[], idx: [] as number[], read_date: [] as string[], prev_date: [] as (string | null)[], month_no: [] as number[], period_month: [] as number[], year_before: [] as string[], by_idx: [] as number[] };
  for (const [cycle, list] of calendar) {
    list.forEach((d, idx) => {
      const y = yearBefore(d.date);
      rows.cycle.push(cycle);
      rows.idx.push(idx);
      rows.read_date.push(d.date);
      rows.prev_date.push(idx > 0 ? list[idx - 1]!.date : null);
      rows.month_no.push(d.monthNo);
      rows.period_month.push(d.periodMonth);
      rows.year_before.push(y);
      rows.by_idx.push(list.filter((x) => x.date < y).length);
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Use

/**
 * Seasonal curves: the daily use of a period relative to the meter's yearly mean, by the month
 * the period mostly covers (January first). Kept inside the validation thresholds (checked by
 * `curveMargins` in the tests): against the time-weighted average of the three periods before, and
 * against the neighbouring month a year earlier, with the noise either way.
 */
export const seasonalCurves = {
  /** Electric heat (furnace or heat pump): a winter peak and a small summer cooling bump. */
  electricHeat: [1.50, 1.35, 1.12, 0.90, 0.75, 0.72, 0.85, 0.88, 0.76, 0.85, 1.12, 1.40],
  /** No electric heat: summer cooling, a little more lighting in winter. */
  electricNoHeat: [1.08, 1.00, 0.92, 0.86, 0.86, 0.98, 1.22, 1.22, 1.00, 0.90, 0.96, 1.06],
  electricCommercial: [0.98, 0.95, 0.92, 0.90, 0.95, 1.06, 1.18, 1.18, 1.04, 0.94, 0.94, 0.98],
  /**
   * Irrigation pumps peak in July and August. Real pumps nearly stop in winter; the curve is kept
   * flatter (about 3:1) so that the read rules, which compare with the last three periods and know
   * no seasons, do not flag every pump twice a year.
   */
  electricIrrigation: [0.54, 0.54, 0.62, 0.76, 0.96, 1.24, 1.54, 1.66, 1.44, 1.00, 0.74, 0.60],
  /** Homes water their yards from May to September. */
  waterResidential: [0.60, 0.58, 0.62, 0.80, 1.22, 1.62, 1.98, 1.90, 1.40, 0.86, 0.62, 0.60],
  waterCommercial: [0.86, 0.84, 0.88, 0.94, 1.06, 1.20, 1.32, 1.30, 1.12, 0.94, 0.86, 0.86],
} as const;
export type Curve = keyof typeof seasonalCurves;
export const curveNames = Object.keys(seasonalCurves) as Curve[];
/** All curves in one array for SQL: curve i, month m (1-12) is element i x 12 + m. */
export const curveTable = curveNames.flatMap((c) => [...seasonalCurves[c]]);

/** Month-to-month noise on the daily rate: uniform in +-this share. */
export const noiseShare = { electric: 0.08, water: 0.1 } as const;

/**
 * The anomalies, per read, as probabilities; a meter's latest read has more of them, so even a
 * small demo has an open read-exceptions queue.
 */
export const anomalyOdds = {
  /** A high read (a leak, a heater left on): use x 2.6 to 4.2. */
  spike: { history: 0.002, latest: 0.012 },
  /** A stuck register: no use recorded for an occupied premise. */
  stuck: { history: 0.0008, latest: 0.004 },
} as const;
/** Share of meters with one estimated read. */
export const estimateOdds = 0.025;

/**
 * The worst ratios a curve can give the rules: its month's daily use against the weighted average
 * of the three months before (periods of 27 to 35 days, weighted either way) and against the
 * months beside it a year earlier (the same-period-last-year read may be the month after), with
 * the noise at its extremes. Both must stay inside (lowRatio, highRatio).
 */
export function curveMargins(curve: readonly number[], noise: number): { highest: number; lowest: number } {
  let highest = 0;
  let lowest = Infinity;
  const at = (m: number) => curve[((m % 12) + 12) % 12]!;
  for (let m = 0; m < 12; m++) {
    const prev = [at(m - 1), at(m - 2), at(m - 3)];
    for (let mask = 0; mask < 8; mask++) {
      const w = [0, 1, 2].map((i) => ((mask >> i) & 1 ? 35 : 27));
      const avg = prev.reduce((s, x, i) => s + x * w[i]!, 0) / (w[0]! + w[1]! + w[2]!);
      highest = Math.max(highest, (at(m) * (1 + noise)) / (avg * (1 - noise)));
      lowest = Math.min(lowest, (at(m) * (1 - noise)) / (avg * (1 + noise)));
    }
    for (const other of [at(m), at(m + 1)]) {
      highest = Math.max(highest, (at(m) * (1 + noise)) / (other * (1 - noise)));
      lowest = Math.min(lowest, (at(m) * (1 - noise)) / (other * (1 + noise)));
    }
  }
  return { highest, lowest };
}

// ---------------------------------------------------------------------------------------------
// The plan: one entry per meter with reads, as column arrays for the database

export interface ReadPlanRows {
  meter_id: number[];
  service_point_id: number[];
  /** The meter's first read id is the batch's first reserved read id + this. */
  read_offset: number[];
  /** 32-bit hash key of the meter (from the seed and the meter's place in the district). */
  read_key: number[];
  service: string[];
  unit: string[];
  multiplier: number[];
  dials: number[];
  /** The register at the first read. */
  start_register: number[];
  installed_on: string[];
  /** Installed inside the window: the first read is an 'install' read on installed_on. */
  install_read: boolean[];
  /** The first calendar date (its idx) after the installation: the first cycle read. */
  first_idx: number[];
  cycle: number[];
  /** When an agreement covers a day, as a datemultirange literal. */
  occupied: string[];
  /** Mean daily use over a year, in the meter's unit. */
  base_rate: number[];
  /** Index into curveNames. */
  curve: number[];
  noise: number[];
  /** The service point is disconnected now: its latest read shows no use. */
  disconnected: boolean[];
  /** Position (0-based) of the meter's one estimated read, or -1. */
  estimate_at: number[];
}

export interface ReadPlan {
  rows: ReadPlanRows;
  /** How many reads the batch will have (ids to reserve). */
  reads: number;
  meters: number;
}

export interface ReadPlanContext {
  seed: number;
  today: string;
  months: number;
  calendar: Map<number, CycleRead[]>;
  /** Place of the batch's first meter in the district, for the meters' hash keys. */
  firstMeterOrdinal: number;
  meterIds: readonly number[];
  servicePointIds: readonly number[];
}

/** Log-uniform between lo and hi, leaning to the middle. */
const rate = (rng: Rng, lo: number, hi: number) => lo * (hi / lo) ** ((rng.next() + rng.next()) / 2);

export function planReads(b: DistrictBatch, ctx: ReadPlanContext): ReadPlan {
  const rows: ReadPlanRows = {
    meter_id: [], service_point_id: [], read_offset: [], read_key: [], service: [], unit: [], multiplier: [], dials: [], start_register: [],
    installed_on: [], install_read: [], first_idx: [], cycle: [], occupied: [], base_rate: [], curve: [], noise: [], disconnected: [], estimate_at: [],
  };
  if (ctx.months <= 0 || b.meters.length === 0) return { rows, reads: 0, meters: 0 };
  // Agreements per service point, for who billed it (the cycle) and when it was occupied.
  const agreementsAt = new Map<number, DistrictBatch['agreements']>();
  for (const a of b.agreements) {
    const list = agreementsAt.get(a.servicePoint);
    if (list) list.push(a);
    else agreementsAt.set(a.servicePoint, [a]);
  }
  const keySeed = mixSeed(ctx.seed, 0x52454144); // "READ": a stream apart from the district's
  let reads = 0;
  b.meters.forEach((m, i) => {
    if (m.installedOn > ctx.today) return;
    const key = mixSeed(keySeed, ctx.firstMeterOrdinal + i);
    const rng = new Rng(key);
    const sp = b.servicePoints[m.servicePoint]!;
    const premise = b.premises[sp.premise]!;
    const agreements = (agreementsAt.get(m.servicePoint) ?? []).slice().sort((x, y) => x.startDate.localeCompare(y.startDate));
    const latest = agreements.at(-1);
    const cycle = latest ? b.accounts[latest.account]!.billingCycle : 1 + (key % CYCLES);
    const dates = ctx.calendar.get(cycle)!;
    if (dates.length === 0) return;
    const installRead = m.installedOn >= dates[0]!.date;
    const firstIdx = installRead ? dates.findIndex((d) => d.date > m.installedOn) : 0;
    const cycleReads = firstIdx < 0 ? 0 : dates.length - firstIdx;
    const count = (installRead ? 1 : 0) + cycleReads;

    const range = 10 ** m.dials;
    const startRegister = installRead && rng.chance(0.7) ? rng.int(0, 20) : rng.int(0, range - 1);
    const { curve, base } = usageProfile(rng, m, premise);
    const estimateAt = count >= 6 && rng.chance(estimateOdds) ? rng.int(4, count - 1) : -1;
    const occupied = `{${agreements.map((a) => `[${a.startDate},${a.endDate ? addDays(a.endDate, 1) : ''})`).join(',')}}`;

    rows.meter_id.push(ctx.meterIds[i]!);
    rows.service_point_id.push(ctx.servicePointIds[m.servicePoint]!);
    rows.read_offset.push(reads);
    rows.read_key.push(key);
    rows.service.push(m.kind);
    rows.unit.push(m.kind === 'electric' ? 'kWh' : 'gal');
    rows.multiplier.push(m.multiplier);
    rows.dials.push(m.dials);
    rows.start_register.push(startRegister);
    rows.installed_on.push(m.installedOn);
    rows.install_read.push(installRead);
    rows.first_idx.push(firstIdx < 0 ? dates.length : firstIdx);
    rows.cycle.push(cycle);
    rows.occupied.push(occupied);
    rows.base_rate.push(base);
    rows.curve.push(curveNames.indexOf(curve));
    rows.noise.push(noiseShare[m.kind]);
    rows.disconnected.push(sp.status === 'disconnected');
    rows.estimate_at.push(estimateAt);
    reads += count;
  });
  return { rows, reads, meters: rows.meter_id.length };
}

/** A meter's yearly mean daily use and seasonal curve, from what it serves. */
function usageProfile(rng: Rng, m: DistrictBatch['meters'][number], premise: DistrictBatch['premises'][number]): { curve: Curve; base: number } {
  const ct = m.multiplier > 1;
  const apartment = premise.premiseType === 'multi_family' && premise.line2 !== null;
  const building = premise.premiseType === 'multi_family' && premise.line2 === null;
  if (m.kind === 'water') {
    if (premise.premiseType === 'commercial') {
      const [lo, hi] = m.size === '2"' ? [400, 2000] : m.size === '1"' ? [120, 700] : [60, 300];
      return { curve: 'waterCommercial', base: rate(rng, lo, hi) };
    }
    if (building) return { curve: 'waterCommercial', base: rate(rng, 500, 1800) };
    return { curve: 'waterResidential', base: rate(rng, 120, 320) };
  }
  // Electric, kWh a day.
  switch (premise.premiseType) {
    case 'irrigation':
      return { curve: 'electricIrrigation', base: ct ? rate(rng, 600, 2400) : rate(rng, 40, 160) };
    case 'commercial':
      return { curve: 'electricCommercial', base: ct ? rate(rng, 600, 2600) : rate(rng, 40, 200) };
    default:
      if (building) return { curve: 'electricCommercial', base: ct ? rate(rng, 450, 1200) : rate(rng, 25, 90) };
      if (apartment) return premise.spaceHeating ? { curve: 'electricHeat', base: rate(rng, 12, 24) } : { curve: 'electricNoHeat', base: rate(rng, 7, 14) };
      {
        const size = premise.premiseType === 'mobile_home' ? 1.1 : 1;
        return premise.spaceHeating
          ? { curve: 'electricHeat', base: size * rate(rng, 26, 46) }
          : { curve: 'electricNoHeat', base: size * rate(rng, 13, 25) };
      }
  }
}
