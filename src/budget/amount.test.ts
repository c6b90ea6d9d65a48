import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TariffVersion } from '../tariff/index.ts';
import { drifted, eligibility, levelAmount, monthBounds, monthsBefore, monthsToSettle, roundUp, yearAtCurrentRates, type EligibilityInput } from './amount.ts';

// A plain rate to check by hand: $10.00 a month and $0.10 a kWh, no taxes.
const flat: TariffVersion = {
  code: 'FLAT', name: 'Flat test rate', service: 'electric', effectiveFrom: '2026-06-01', rounding: 'half_up', standardMonthDays: 30,
  charges: [
    { code: 'BASIC', kind: 'fixed', description: 'Basic charge', per: 'month', price: '10.00' },
    { code: 'ENERGY', kind: 'usage', description: 'Energy', unit: 'kWh', price: '0.10' },
  ],
} as TariffVersion;

describe('the year at current rates', () => {
  it('is the twelve calendar months before the month of the day', () => {
    expect(monthsBefore('2026-11-27')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
    expect(monthBounds('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });

  it('rates every month, even those before the rate took effect, at the rate in force today', () => {
    const months = monthsBefore('2026-11-27').map((m, i) => ({ month: m, ...monthBounds(m), usage: String(100 * (i + 1)), estimated: i < 2 }));
    const year = yearAtCurrentRates([{ agreementId: 7, service: 'electric', version: flat, usageUnit: 'kWh', meterSize: null, months }]);
    // 12 x $10.00 + (100 + 200 + ... + 1,200) kWh x $0.10 = $120.00 + $780.00
    expect(year.annualCents).toBe(90000);
    expect(year.estimatedMonths).toBe(2);
    expect(year.agreements[0]!.months[0]).toMatchObject({ month: '2025-11', cents: 2000, estimated: true });
  });

  it('names the agreement when a month cannot be rated', () => {
    const demand = { ...flat, charges: [{ code: 'DEMAND', kind: 'demand', description: 'Demand', price: '5.00' }] } as unknown as TariffVersion;
    expect(() => yearAtCurrentRates([{ agreementId: 9, service: 'electric', version: demand, usageUnit: 'kWh', meterSize: null, months: [{ month: '2026-01', ...monthBounds('2026-01'), usage: '1', estimated: false }] }]))
      .toThrow(/Agreement 9 \(FLAT\) cannot be rated/);
  });
});

describe('the level amount', () => {
  it('spreads the year over twelve months and the deferred balance over the months to the settle-up, rounded up to the dollar', () => {
    expect(levelAmount({ annualCents: 120000, deferredCents: 0, monthsLeft: 12, roundToCents: 100 })).toBe(10000);
    expect(levelAmount({ annualCents: 120001, deferredCents: 0, monthsLeft: 12, roundToCents: 100 })).toBe(10100);
    // $1,200 a year and $30 deferred with 3 months left: $100 + $10
    expect(levelAmount({ annualCents: 120000, deferredCents: 3000, monthsLeft: 3, roundToCents: 100 })).toBe(11000);
    // Exact, not floating point: $1,020.04 a year less $12.01 over 3 months is $81.00 exactly.
    expect(levelAmount({ annualCents: 102004, deferredCents: -1201, monthsLeft: 3, roundToCents: 100 })).toBe(8100);
    // Far ahead: never below one step
    expect(levelAmount({ annualCents: 12000, deferredCents: -50000, monthsLeft: 1, roundToCents: 100 })).toBe(100);
  });

  it('counts the months to the settle-up from the month after, the settle-up month included', () => {
    expect(monthsToSettle(11, 10)).toBe(11);
    expect(monthsToSettle(9, 10)).toBe(1);
    expect(monthsToSettle(10, 10)).toBe(12);
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), (m, s) => {
      const n = monthsToSettle(m, s);
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(12);
      expect(((m + n - 1) % 12) + 1).toBe(s);
    }));
  });

  it('is never below a step and is a multiple of it', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 1, max: 12 }), (annual, deferred, left) => {
      const amount = levelAmount({ annualCents: annual, deferredCents: deferred, monthsLeft: left, roundToCents: 100 });
      expect(amount % 100).toBe(0);
      expect(amount).toBeGreaterThanOrEqual(Math.max(100, annual / 12 + deferred / left));
    }));
    expect(roundUp(1, 100)).toBe(100);
  });

  it('re-levels when the deferred balance is beyond the share of a year of budget amounts, either way', () => {
    // $100 a month: a year is $1,200; 10% is $120.00
    expect(drifted(12000, 10000, 10)).toBe(false);
    expect(drifted(12001, 10000, 10)).toBe(true);
    expect(drifted(-12001, 10000, 10)).toBe(true);
  });
});

describe('eligibility', () => {
  const ok: EligibilityInput = { accountStatus: 'active', openServices: 2, alreadyEnrolled: false, pastDueCents: 0, arrangement: false, assistanceEligible: false, occupancyMonths: 24, month: 11, minOccupancyMonths: 12, enrolMonths: [] };

  it('lets an account in good standing enrol', () => {
    expect(eligibility(ok)).toBeNull();
  });

  it('names the first rule an account fails', () => {
    expect(eligibility({ ...ok, accountStatus: 'final' })?.rule).toBe('account_not_active');
    expect(eligibility({ ...ok, openServices: 0 })?.rule).toBe('no_service');
    expect(eligibility({ ...ok, alreadyEnrolled: true })?.rule).toBe('already_enrolled');
    expect(eligibility({ ...ok, pastDueCents: 4250 })).toEqual({ rule: 'arrears', message: expect.stringContaining('$42.50 past due') });
    expect(eligibility({ ...ok, occupancyMonths: 3 })?.rule).toBe('occupancy');
    expect(eligibility({ ...ok, enrolMonths: [1, 2, 3] })?.rule).toBe('enrolment_month');
  });

  it('lets arrears under a payment arrangement enrol', () => {
    expect(eligibility({ ...ok, pastDueCents: 4250, arrangement: true })).toBeNull();
  });

  it('holds no month or occupancy rule against a customer eligible for energy assistance (GUIDE 3.1), but still arrears', () => {
    expect(eligibility({ ...ok, assistanceEligible: true, occupancyMonths: 0, enrolMonths: [1, 2, 3] })).toBeNull();
    expect(eligibility({ ...ok, assistanceEligible: true, pastDueCents: 100 })?.rule).toBe('arrears');
  });
});
