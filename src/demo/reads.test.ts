import { describe, expect, it } from 'vitest';
import { generateBatch, range } from './generate.ts';
import { generateSchedule } from '../billing/schedule.ts';
import { calendarRows, curveMargins, curveNames, cycleCalendar, CYCLES, noiseShare, planReads, seasonalCurves } from './reads.ts';

const today = '2026-11-26';

describe('cycleCalendar', () => {
  const calendar = cycleCalendar(today, 24);

  it("reads each cycle on its billing schedule's read dates, the latest 24 on or before today", () => {
    expect([...calendar.keys()]).toEqual(range(1, CYCLES));
    for (const [cycle, dates] of calendar) {
      expect(dates).toHaveLength(24);
      expect(dates.at(-1)!.date <= today).toBe(true);
      for (const d of dates) {
        const [y, m] = d.date.split('-').map(Number) as [number, number];
        expect(generateSchedule({ year: y, cycles: CYCLES }).find((e) => e.cycle === cycle && e.month === m)!.readDate).toBe(d.date);
        expect(d.monthNo).toBe(y * 12 + m - 1);
      }
      // One a month, in order.
      for (let i = 1; i < dates.length; i++) expect(dates[i]!.monthNo).toBe(dates[i - 1]!.monthNo + 1);
    }
    // 26 November 2026 is Thanksgiving: cycle 19 read the day before, cycle 20 not yet this month.
    expect(calendar.get(19)!.at(-1)!.date).toBe('2026-11-25');
    expect(calendar.get(20)!.at(-1)!.date).toBe('2026-10-30');
    expect(calendar.get(1)![0]!.date).toBe('2024-12-02');
  });

  it('gives each read the month its period mostly covers, one after another', () => {
    for (const dates of calendar.values()) {
      for (let i = 1; i < dates.length; i++) expect(dates[i]!.periodMonth).toBe((dates[i - 1]!.periodMonth % 12) + 1);
    }
    expect(calendar.get(1)!.find((d) => d.date === '2026-11-02')!.periodMonth).toBe(10);
    expect(calendar.get(20)!.find((d) => d.date === '2026-10-30')!.periodMonth).toBe(10);
    expect(calendar.get(10)!.find((d) => d.date === '2026-01-15')!.periodMonth).toBe(12);
  });

  it('finds, for every date, the date before it and how many dates come before the same day a year earlier', () => {
    const rows = calendarRows(calendar);
    expect(rows.cycle).toHaveLength(20 * 24);
    const i = rows.read_date.indexOf('2026-11-02');
    expect(rows.year_before[i]).toBe('2025-11-02');
    expect(rows.prev_date[i]).toBe('2026-10-01');
    // Cycle 1 dates before 2 Nov 2025: Dec 2024 .. Oct 2025 (11 of them); Mon 3 Nov 2025 is the first at or after it.
    expect(rows.by_idx[i]).toBe(11);
    expect(rows.read_date[rows.read_date.indexOf('2025-11-03')]).toBe('2025-11-03');
    expect(rows.prev_date[rows.idx.indexOf(0)]).toBeNull();
    expect(cycleCalendar(today, 0).get(1)).toEqual([]);
    expect(cycleCalendar(today, 36).get(5)).toHaveLength(36);
  });
});

describe('seasonal curves', () => {
  // The thresholds of read_validation_settings as the migration sets them (0030_meter_read.sql).
  const thresholds = { electric: { high: 2.0, low: 0.4 }, water: { high: 2.5, low: 0.3 } };

  it('average about 1 over the year', () => {
    for (const name of curveNames) {
      const mean = seasonalCurves[name].reduce((s, x) => s + x, 0) / 12;
      expect(mean, name).toBeGreaterThan(0.95);
      expect(mean, name).toBeLessThan(1.1);
    }
  });

  it('stay inside the validation thresholds, with the noise and any period length, so an ordinary read is valid', () => {
    for (const name of curveNames) {
      const service = name.startsWith('water') ? 'water' : 'electric';
      const { highest, lowest } = curveMargins(seasonalCurves[name], noiseShare[service]);
      expect(highest, name).toBeLessThan(thresholds[service].high * 0.98);
      expect(lowest, name).toBeGreaterThan(thresholds[service].low * 1.02);
    }
  });

  it('peak in winter with electric heat and in summer for water and irrigation', () => {
    const peak = (c: readonly number[]) => c.indexOf(Math.max(...c)) + 1;
    expect([12, 1, 2]).toContain(peak(seasonalCurves.electricHeat));
    expect([7, 8]).toContain(peak(seasonalCurves.electricIrrigation));
    expect([7, 8]).toContain(peak(seasonalCurves.waterResidential));
    expect(seasonalCurves.electricHeat[6]!).toBeGreaterThan(seasonalCurves.electricHeat[4]!); // a summer cooling bump
  });
});

describe('planReads', () => {
  const calendar = cycleCalendar(today, 24);
  const b = generateBatch(5, 0, 640, today);
  const ctx = { seed: 5, today, months: 24, calendar, firstMeterOrdinal: 0, meterIds: range(101, b.meters.length), servicePointIds: range(1, b.servicePoints.length) };
  const plan = planReads(b, ctx);

  it('plans reads for every meter installed by today, with offsets that add up', () => {
    expect(plan.meters).toBe(b.meters.filter((m) => m.installedOn <= today).length);
    expect(plan.rows.meter_id[0]).toBe(101);
    let reads = 0;
    plan.rows.meter_id.forEach((_, i) => {
      expect(plan.rows.read_offset[i]).toBe(reads);
      const dates = calendar.get(plan.rows.cycle[i]!)!;
      const count = plan.rows.install_read[i] ? 1 + dates.length - plan.rows.first_idx[i]! : dates.length;
      if (!plan.rows.install_read[i]) expect(plan.rows.first_idx[i]).toBe(0);
      else expect(plan.rows.installed_on[i]! >= dates[0]!.date).toBe(true);
      reads += count;
    });
    expect(plan.reads).toBe(reads);
    expect(plan.reads).toBeGreaterThan(plan.meters * 20);
  });

  it('reads a meter on the cycle of the account at its service point, occupied while an agreement runs', () => {
    const i = plan.rows.meter_id.findIndex((_, j) => plan.rows.occupied[j] !== '{}');
    const meter = b.meters[plan.rows.meter_id[i]! - 101]!;
    const agreements = b.agreements.filter((a) => a.servicePoint === meter.servicePoint);
    expect(agreements.map((a) => b.accounts[a.account]!.billingCycle)).toContain(plan.rows.cycle[i]);
    expect(plan.rows.occupied[i]).toContain(`[${agreements[0]!.startDate},`);
    expect(plan.rows.occupied.every((o) => /^\{(\[\d{4}-\d\d-\d\d,(\d{4}-\d\d-\d\d)?\),?)*\}$/.test(o))).toBe(true);
  });

  it('gives meters realistic daily use and a few of them an estimated read', () => {
    plan.rows.base_rate.forEach((rate, i) => {
      const curve = curveNames[plan.rows.curve[i]!]!;
      if (curve === 'electricHeat' || curve === 'electricNoHeat') {
        expect(rate).toBeGreaterThanOrEqual(7);
        expect(rate).toBeLessThanOrEqual(52);
      }
      if (curve.startsWith('water')) expect(plan.rows.service[i]).toBe('water');
    });
    const homes = plan.rows.base_rate.filter((_, i) => curveNames[plan.rows.curve[i]!] === 'electricHeat');
    const mean = homes.reduce((s, x) => s + x, 0) / homes.length;
    expect(mean * 30).toBeGreaterThan(500);
    expect(mean * 30).toBeLessThan(1300);
    const estimates = plan.rows.estimate_at.filter((k) => k >= 0);
    expect(estimates.length).toBeGreaterThan(0);
    expect(estimates.length).toBeLessThan(plan.meters * 0.06);
    expect(estimates.every((k) => k >= 4)).toBe(true);
  });

  it('is deterministic, keyed by the seed and the meter’s place in the district', () => {
    expect(planReads(b, ctx)).toEqual(plan);
    const other = planReads(b, { ...ctx, seed: 6 });
    expect(other.rows.start_register).not.toEqual(plan.rows.start_register);
    expect(planReads(b, { ...ctx, months: 0 })).toMatchObject({ reads: 0, meters: 0 });
  });
});
