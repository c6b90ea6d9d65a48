import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from '../platform/decimal.ts';
import { checkRead, estimateRead, fitsDials, registerUsage, type ReadCheckInput } from './rules.ts';

const settings = { highRatio: '2', lowRatio: '0.4', minDailyUse: '1', rolloverMaxShare: '0.1' };
const base: ReadCheckInput = {
  usage: Dec.of(900), days: 30, negative: false, unit: 'kWh', serviceActive: true, servicePointStatus: 'active',
  lastYear: { usage: '930', days: 31 }, lastThree: [{ usage: '900', days: 30 }, { usage: '870', days: 29 }, { usage: '930', days: 31 }], settings,
};
const codes = (input: Partial<ReadCheckInput>) => checkRead({ ...base, ...input }).map((f) => f.code);

describe('registerUsage', () => {
  it('measures forward, applies the multiplier, and wraps a rolled-over register', () => {
    expect(registerUsage('01000', '01500', 5, '1', undefined, '0.1')).toMatchObject({ rollover: false, negative: false });
    expect(registerUsage('01000', '01500', 5, '40', undefined, '0.1').usage.toString()).toBe('20000');
    const wrap = registerUsage('99950', '00120', 5, '1', undefined, '0.1');
    expect([wrap.usage.toString(), wrap.rollover, wrap.negative]).toEqual(['170', true, false]);
  });

  it('calls a big step backwards negative use unless the reader says it rolled over', () => {
    const back = registerUsage('05000', '04900', 5, '1', undefined, '0.1');
    expect([back.usage.toString(), back.negative, back.rollover]).toEqual(['-100', true, false]);
    const said = registerUsage('05000', '04900', 5, '1', true, '0.1');
    expect([said.usage.toString(), said.rollover]).toEqual(['99900', true]);
    const notWrap = registerUsage('99950', '00120', 5, '1', false, '0.1');
    expect(notWrap.negative).toBe(true);
  });

  it('never loses or invents use: previous + delta lands on the reading, modulo the dials', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.nat(), fc.nat(), (dials, a, b) => {
      const range = 10 ** dials;
      const prev = String(a % range);
      const cur = String(b % range);
      const m = registerUsage(prev, cur, dials, '1', undefined, '0.1');
      const landed = Dec.of(prev).plus(m.delta);
      return m.negative ? landed.eq(cur) : landed.eq(cur) || landed.minus(range).eq(cur);
    }));
  });

  it('checks a reading fits its dials', () => {
    expect(fitsDials('99999', 5)).toBe(true);
    expect(fitsDials('100000', 5)).toBe(false);
  });
});

describe('checkRead', () => {
  it('passes a normal read', () => expect(codes({})).toEqual([]));
  it('flags negative use alone', () => expect(codes({ negative: true, usage: Dec.of(-50) })).toEqual(['negative_use']));
  it('flags high and low against last year and the average', () => {
    expect(codes({ usage: Dec.of(3000) })).toEqual(['high_vs_last_year', 'high_vs_average']);
    expect(codes({ usage: Dec.of(100) })).toEqual(['low_vs_last_year', 'low_vs_average']);
    expect(codes({ usage: Dec.of(3000), lastYear: null })).toEqual(['high_vs_average']);
    expect(codes({ usage: Dec.of(3000), lastThree: [] })).toEqual(['high_vs_last_year']);
  });
  it('leaves vacant (zero-use) periods out of the average, so a new tenant is not judged against a vacancy', () => {
    const afterVacancy = { lastYear: null, lastThree: [{ usage: '600', days: 30 }, { usage: '0', days: 31 }, { usage: '0', days: 30 }] };
    expect(codes(afterVacancy)).toEqual([]);
    expect(codes({ ...afterVacancy, usage: Dec.of(1500) })).toEqual(['high_vs_average']);
    expect(checkRead({ ...base, ...afterVacancy, usage: Dec.of(1500) })[0]!.message).toBe('50.00 kWh/day is more than 2 x the average of the last read period with use (20.00 kWh/day)');
    expect(codes({ lastYear: null, lastThree: [{ usage: '0', days: 30 }, { usage: '0', days: 31 }] })).toEqual([]);
  });
  it('does not judge against a comparison too small to mean anything', () => {
    expect(codes({ usage: Dec.of(300), lastYear: { usage: '10', days: 30 }, lastThree: [{ usage: '10', days: 30 }] })).toEqual([]);
  });
  it('flags zero use on an active service, and any use where nobody has the service', () => {
    expect(codes({ usage: Dec.zero })).toEqual(['zero_use_active']);
    expect(codes({ serviceActive: false, servicePointStatus: 'disconnected' })).toEqual(['use_on_inactive']);
    expect(checkRead({ ...base, serviceActive: false, servicePointStatus: 'disconnected' })[0]!.message).toContain('possible unauthorized use');
    expect(codes({ serviceActive: false, servicePointStatus: 'inactive', usage: Dec.zero })).toEqual([]);
  });
});

describe('estimateRead', () => {
  it('uses the average of the last three periods, and says so', () => {
    const e = estimateRead({ lastReading: '01000', days: 30, dials: 5, multiplier: '1', unit: 'kWh', lastThree: base.lastThree, lastYear: base.lastYear });
    // 2,700 kWh over 90 days = 30 kWh/day, x 30 days.
    expect([e.usage.toString(), e.reading, e.rollover]).toEqual(['900', '1900', false]);
    expect(e.rule).toBe('average of the last 3 read periods: 2700 kWh over 90 days = 30 kWh/day; x 30 days = 900 kWh');
  });
  it('falls back to the same period last year, then to no use; moves the register by whole units and wraps', () => {
    const ly = estimateRead({ lastReading: '99900', days: 10, dials: 5, multiplier: '40', unit: 'kWh', lastThree: [], lastYear: { usage: '4000', days: 10 } });
    // 400 kWh/day x 10 days = 4,000 kWh = 100 register units at x40: 99,900 wraps to 0.
    expect([ly.usage.toString(), ly.reading, ly.rollover]).toEqual(['4000', '0', true]);
    expect(ly.rule).toContain('same period last year');
    const none = estimateRead({ lastReading: '500', days: 10, dials: 5, multiplier: '1', unit: 'kWh', lastThree: [], lastYear: null });
    expect([none.usage.toString(), none.reading]).toEqual(['0', '500']);
    expect(none.rule).toContain('no history');
  });
});
