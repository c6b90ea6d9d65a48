import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billingDeterminants, validateTouSchedule, type IntervalInput, type TouSchedule } from './determinants.ts';
import { parseGreenButton } from './greenbutton.ts';

const LA = 'America/Los_Angeles';

const flat: TouSchedule = { code: 'FLAT', periods: [], defaultPeriod: 'all' };

/** A summer-peak schedule in the shape of a typical residential TOU tariff. */
const tou: TouSchedule = {
  code: 'TOU-R',
  periods: [
    { name: 'on_peak', months: [6, 7, 8, 9], days: 'weekdays', hours: [[16, 21]] },
    { name: 'super_off_peak', days: 'all', hours: [[0, 6]] },
    { name: 'on_peak_winter', months: [11, 12, 1, 2], days: 'weekdays', hours: [[7, 10], [17, 20]] },
  ],
  defaultPeriod: 'off_peak',
  holidays: ['2026-07-03'],
};

/** Parses a decimal kWh string back to millionths, exactly. */
const toMicro = (s: string): bigint => {
  const [whole = '0', frac = ''] = s.replace('-', '').split('.');
  const v = BigInt(whole) * 1_000_000n + BigInt(frac.padEnd(6, '0'));
  return s.startsWith('-') ? -v : v;
};

/** Epoch seconds of a local wall-clock time in Los Angeles, given its UTC offset in hours. */
const laEpoch = (local: string, offsetHours: number): number => Date.parse(`${local}:00Z`) / 1000 - offsetHours * 3600;

/** `count` contiguous intervals of `seconds` from `start`, each of `micro` millionths of a kWh. */
const run = (start: number, count: number, seconds: number, micro: (k: number) => bigint): IntervalInput[] =>
  Array.from({ length: count }, (_, k) => ({ startEpoch: start + k * seconds, durationSeconds: seconds, microKwh: micro(k) }));

describe('daylight-saving days in America/Los_Angeles', () => {
  it('a spring-forward day has 23 hourly intervals', () => {
    const start = laEpoch('2026-03-08T00:00', -8);
    const d = billingDeterminants(run(start, 23, 3600, () => 1_000_000n), { from: '2026-03-08', to: '2026-03-08' }, flat, LA);
    expect(d).toMatchObject({ kwh: '23', intervals: 23, expectedIntervals: 23, missingIntervals: 0, days: [{ date: '2026-03-08', kwh: '23' }] });
    // The 24th hour is already the next local day.
    const next = billingDeterminants(run(start, 24, 3600, () => 1_000_000n), { from: '2026-03-08', to: '2026-03-09' }, flat, LA);
    expect(next.days).toEqual([{ date: '2026-03-08', kwh: '23' }, { date: '2026-03-09', kwh: '1' }]);
    expect(next.expectedIntervals).toBe(47);
  });

  it('a fall-back day has 25 hourly intervals, two of them starting at 01:00', () => {
    const start = laEpoch('2026-11-01T00:00', -7);
    const intervals = run(start, 25, 3600, (k) => BigInt(k + 1) * 100_000n);
    const d = billingDeterminants(intervals, { from: '2026-11-01', to: '2026-11-01' }, flat, LA);
    expect(d).toMatchObject({ kwh: '32.5', intervals: 25, expectedIntervals: 25, missingIntervals: 0 });
    expect(d.maxKw).toBe('2.5');
    expect(d.maxKwAt).toBe('2026-11-01T23:00');
    // The two 01:00 hours both count as hour 1 for time of use.
    const oneAm: TouSchedule = { code: 'X', periods: [{ name: 'one', days: 'all', hours: [[1, 2]] }], defaultPeriod: 'rest' };
    expect(billingDeterminants(intervals, { from: '2026-11-01', to: '2026-11-01' }, oneAm, LA).tou).toEqual({ one: '0.5', rest: '32' });
  });

  it('counts 15-minute intervals over a month with both kinds of days expected correctly', () => {
    const d = billingDeterminants([], { from: '2026-03-01', to: '2026-03-31' }, flat, LA);
    expect(d.expectedIntervals).toBe(31 * 24 - 1); // hourly by default when there is nothing to go by
    const start = laEpoch('2026-11-01T00:00', -7);
    const quarter = billingDeterminants(run(start, 10, 900, () => 1n), { from: '2026-11-01', to: '2026-11-01' }, flat, LA);
    expect(quarter).toMatchObject({ expectedIntervals: 100, intervals: 10, missingIntervals: 90 });
  });
});

describe('demand, time of use and gaps', () => {
  it('finds peak demand exactly from 15-minute energy', () => {
    const start = laEpoch('2026-01-15T08:00', -8);
    const values = [1_000_000n, 3_125_000n, 2_000_000n, 3_125_000n];
    const d = billingDeterminants(run(start, 4, 900, (k) => values[k] ?? 0n), { from: '2026-01-15', to: '2026-01-15' }, flat, LA);
    expect(d.kwh).toBe('9.25');
    expect(d.maxKw).toBe('12.5'); // 3.125 kWh in a quarter hour; the earlier of the two ties
    expect(d.maxKwAt).toBe('2026-01-15T08:15');
  });

  it('rounds a demand that is not a whole number of millionths half up to 6 decimals', () => {
    // 1 millionth of a kWh over 7 minutes = 0.00000857... kW
    const d = billingDeterminants([{ startEpoch: laEpoch('2026-01-15T08:00', -8), durationSeconds: 420, microKwh: 1n }], { from: '2026-01-15', to: '2026-01-15' }, flat, LA);
    expect(d.maxKw).toBe('0.000009');
  });

  it('gives every TOU period, even empty ones, and honours months, weekends and holidays', () => {
    const hourAt = (local: string, offset: number, micro: bigint): IntervalInput => ({ startEpoch: laEpoch(local, offset), durationSeconds: 3600, microKwh: micro });
    const intervals = [
      hourAt('2026-07-02T17:00', -7, 1_000_000n), // Thursday summer peak
      hourAt('2026-07-03T17:00', -7, 2_000_000n), // Friday, a holiday: off peak
      hourAt('2026-07-04T17:00', -7, 4_000_000n), // Saturday: off peak
      hourAt('2026-07-06T03:00', -7, 8_000_000n), // Monday night: super off peak
      hourAt('2026-07-06T21:00', -7, 16_000_000n), // 21:00 is past [16, 21): off peak
    ];
    const d = billingDeterminants(intervals, { from: '2026-07-01', to: '2026-07-31' }, tou, LA);
    expect(d.tou).toEqual({ on_peak: '1', super_off_peak: '8', on_peak_winter: '0', off_peak: '22' });
    expect(d.kwh).toBe('31');
    expect(d.days).toHaveLength(31);
    expect(d.days.find((x) => x.date === '2026-07-06')?.kwh).toBe('24');
    expect(d).toMatchObject({ intervals: 5, expectedIntervals: 744, missingIntervals: 739 });
  });

  it('leaves out intervals that start outside the period and reports an empty one as zeros', () => {
    const start = laEpoch('2026-02-01T00:00', -8);
    const d = billingDeterminants(run(start - 3600, 26, 3600, () => 500_000n), { from: '2026-02-01', to: '2026-02-01' }, tou, LA);
    expect(d).toMatchObject({ kwh: '12', intervals: 24, missingIntervals: 0 });
    const empty = billingDeterminants([], { from: '2026-02-01', to: '2026-02-02' }, tou, LA);
    expect(empty).toEqual({
      from: '2026-02-01', to: '2026-02-02', kwh: '0', maxKw: '0', maxKwAt: null,
      tou: { on_peak: '0', super_off_peak: '0', on_peak_winter: '0', off_peak: '0' },
      intervals: 0, expectedIntervals: 48, missingIntervals: 48,
      days: [{ date: '2026-02-01', kwh: '0' }, { date: '2026-02-02', kwh: '0' }],
    });
  });

  it('rejects a bad period, time zone or interval', () => {
    expect(() => billingDeterminants([], { from: '2026-02-30', to: '2026-03-01' }, flat, LA)).toThrow(/^period.from/);
    expect(() => billingDeterminants([], { from: '2026-03-02', to: '2026-03-01' }, flat, LA)).toThrow(/^period: from 2026-03-02 is after/);
    expect(() => billingDeterminants([], { from: '2026-03-01', to: '2026-03-01' }, flat, 'Mars/Olympus')).toThrow(/^timeZone/);
    expect(() => billingDeterminants([{ startEpoch: 0, durationSeconds: 0, microKwh: 1n }], { from: '2026-03-01', to: '2026-03-01' }, flat, LA)).toThrow(/^intervals\[0\]\.durationSeconds/);
  });
});

describe('validateTouSchedule', () => {
  it('accepts a good schedule and returns a clean copy', () => {
    expect(validateTouSchedule(JSON.parse(JSON.stringify(tou)))).toEqual(tou);
  });

  const bad = (change: (s: Record<string, unknown>) => void): (() => TouSchedule) => {
    const s = JSON.parse(JSON.stringify(tou)) as Record<string, unknown>;
    change(s);
    return () => validateTouSchedule(s);
  };
  const period0 = (s: Record<string, unknown>): Record<string, unknown> => (s['periods'] as Record<string, unknown>[])[0] ?? {};

  it('names the bad field', () => {
    expect(() => validateTouSchedule(null)).toThrow('schedule: must be an object');
    expect(bad((s) => delete s['defaultPeriod'])).toThrow('defaultPeriod: must be a non-empty string');
    expect(bad((s) => { s['code'] = ''; })).toThrow('code: must be a non-empty string');
    expect(bad((s) => { period0(s)['hours'] = [[22, 6]]; })).toThrow(/^periods\[0\]\.hours\[0\]: start 22 must be before end 6/);
    expect(bad((s) => { period0(s)['hours'] = [[16, 25]]; })).toThrow('periods[0].hours[0]: must be a pair of whole hours 0-24');
    expect(bad((s) => { period0(s)['hours'] = []; })).toThrow(/^periods\[0\]\.hours: must be a non-empty array/);
    expect(bad((s) => { period0(s)['months'] = [13]; })).toThrow(/^periods\[0\]\.months/);
    expect(bad((s) => { period0(s)['days'] = 'weekday'; })).toThrow(/^periods\[0\]\.days/);
    expect(bad((s) => { period0(s)['month'] = [1]; })).toThrow('periods[0].month: unknown field');
    expect(bad((s) => { s['holidays'] = ['2026-13-01']; })).toThrow(/^holidays\[0\]/);
  });
});

describe('with the real Green Button files', () => {
  const sample = (name: string): string => readFileSync(new URL(`../../../shared/data/greenbutton/${name}`, import.meta.url), 'utf8');

  it('TestGBDataHourlyNineDaysBinnedDaily.xml totals 199.563 kWh over its nine local days', () => {
    // The file's LocalTimeParameters say UTC-5 with US DST rules: US Eastern.
    const intervals = parseGreenButton(sample('TestGBDataHourlyNineDaysBinnedDaily.xml')).series[0]?.intervals ?? [];
    const d = billingDeterminants(intervals, { from: '2014-01-01', to: '2014-01-09' }, tou, 'America/New_York');
    expect(d).toMatchObject({ kwh: '199.563', intervals: 216, expectedIntervals: 216, missingIntervals: 0 });
    expect(d.days.map((x) => x.date)).toEqual(['2014-01-01', '2014-01-02', '2014-01-03', '2014-01-04', '2014-01-05', '2014-01-06', '2014-01-07', '2014-01-08', '2014-01-09']);
    const peakMicro = intervals.reduce((m, i) => (i.microKwh > m ? i.microKwh : m), 0n);
    expect(toMicro(d.maxKw)).toBe(peakMicro); // hourly intervals: kW = kWh
    expect(Object.values(d.tou).reduce((acc, v) => acc + toMicro(v), 0n)).toBe(199_563_000n);
  });

  it('electric_containerized.xml: 8 of a day\'s 24 hours, 4.086 kWh', () => {
    const intervals = parseGreenButton(sample('electric_containerized.xml')).series[0]?.intervals ?? [];
    const d = billingDeterminants(intervals, { from: '2011-01-01', to: '2011-01-01' }, flat, LA);
    expect(d).toMatchObject({ kwh: '4.086', intervals: 8, expectedIntervals: 24, missingIntervals: 16, maxKw: '0.611', maxKwAt: '2011-01-01T14:00' });
  });
});

describe('properties', () => {
  const zones = ['America/Los_Angeles', 'America/New_York', 'UTC', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Europe/London', 'Pacific/Chatham'];
  const localDate = (epoch: number, timeZone: string): string =>
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(epoch * 1000));

  const periodArb = fc.record({
    name: fc.constantFrom('a', 'b', 'c'),
    months: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 }), { nil: undefined }),
    days: fc.constantFrom('weekdays' as const, 'weekends' as const, 'all' as const),
    hours: fc.array(fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 1, max: 24 })).filter(([s, e]) => s < e), { minLength: 1, maxLength: 3 }),
  }).map(({ months, ...rest }) => (months === undefined ? rest : { ...rest, months }));

  it('total = sum of TOU buckets = sum of days = sum of the inputs inside the period, each on its local date', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 4 * 365 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom(900, 1800, 3600),
        fc.array(fc.record({ gap: fc.integer({ min: 1, max: 30 }), micro: fc.bigInt({ min: 0n, max: 10n ** 10n }) }), { maxLength: 300 }),
        fc.array(periodArb, { maxLength: 4 }),
        (zone, fromOffset, span, seconds, steps, periods) => {
          const from = new Date(Date.UTC(2024, 0, 1 + fromOffset)).toISOString().slice(0, 10);
          const to = new Date(Date.UTC(2024, 0, 1 + fromOffset + span)).toISOString().slice(0, 10);
          // Start a day early so some intervals fall before the period (and some run past its end).
          let t = Date.UTC(2024, 0, fromOffset) / 1000;
          const intervals = steps.map(({ gap, micro }) => {
            t += gap * seconds;
            return { startEpoch: t, durationSeconds: seconds, microKwh: micro };
          });
          const d = billingDeterminants(intervals, { from, to }, { code: 'P', periods, defaultPeriod: 'other' }, zone);

          const inside = intervals.filter((i) => { const date = localDate(i.startEpoch, zone); return date >= from && date <= to; });
          const expectedTotal = inside.reduce((acc, i) => acc + i.microKwh, 0n);
          expect(toMicro(d.kwh)).toBe(expectedTotal);
          expect(d.intervals).toBe(inside.length);
          expect(Object.values(d.tou).reduce((acc, v) => acc + toMicro(v), 0n)).toBe(expectedTotal);
          expect(d.days.reduce((acc, x) => acc + toMicro(x.kwh), 0n)).toBe(expectedTotal);
          for (const day of d.days) {
            expect(toMicro(day.kwh)).toBe(inside.filter((i) => localDate(i.startEpoch, zone) === day.date).reduce((acc, i) => acc + i.microKwh, 0n));
          }
          expect(Object.keys(d.tou).sort()).toEqual([...new Set([...periods.map((p) => p.name), 'other'])].sort());
          expect(d.missingIntervals).toBe(Math.max(0, d.expectedIntervals - d.intervals));
        },
      ),
      { numRuns: 200 },
    );
  });
});
