import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WASHINGTON_WINTER, winterPlan } from '../collections/rules.ts';
import { averageMonthlyBill, delinquentCents, heatAlertLastDay, instalmentSchedule, seasonLastDay, standing, winterInstalments, winterRequestDeadline } from './rules.ts';

describe('instalmentSchedule', () => {
  it('spreads the arrears over N months, the first instalments a cent larger when it does not divide', () => {
    expect(instalmentSchedule({ arrearsCents: 10000, instalments: 3, firstDueOn: '2027-01-31' })).toEqual([
      { n: 1, dueOn: '2027-01-31', amountCents: 3334 },
      { n: 2, dueOn: '2027-02-28', amountCents: 3333 },
      { n: 3, dueOn: '2027-03-31', amountCents: 3333 },
    ]);
  });

  it('takes an amount per instalment, the last one what is left', () => {
    expect(instalmentSchedule({ arrearsCents: 25000, instalmentCents: 6000, firstDueOn: '2026-12-15' }).map((i) => [i.dueOn, i.amountCents])).toEqual([
      ['2026-12-15', 6000], ['2027-01-15', 6000], ['2027-02-15', 6000], ['2027-03-15', 6000], ['2027-04-15', 1000],
    ]);
  });

  it('always adds up to the arrears, every instalment above nothing', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 36 }), fc.boolean(), (arrears, k, byCount) => {
      const input = byCount ? { instalments: Math.min(k, arrears) } : { instalmentCents: Math.max(1, Math.floor(arrears / k)) };
      const plan = instalmentSchedule({ arrearsCents: arrears, ...input, firstDueOn: '2027-01-10' });
      expect(plan.reduce((n, i) => n + i.amountCents, 0)).toBe(arrears);
      expect(plan.every((i) => i.amountCents > 0)).toBe(true);
    }));
  });

  it('refuses instalments that would be worth nothing', () => {
    expect(() => instalmentSchedule({ arrearsCents: 3, instalments: 4, firstDueOn: '2027-01-10' })).toThrow(/instalments/);
    expect(() => instalmentSchedule({ arrearsCents: 0, instalments: 1, firstDueOn: '2027-01-10' })).toThrow(/arrearsCents/);
  });
});

describe('winterInstalments', () => {
  it('puts the plan payment less the estimated bill on the arrears, the rest by October 15', () => {
    const plan = winterPlan({ start: '2026-11-27', monthlyIncomeCents: 200000, arrearsCents: 60000, estimatedMonthlyBillCents: 15000 });
    // 12 months Nov..Oct; needed 15000 + 5000 = 20000; cap 14000 + 5000 = 19000: capped.
    expect(plan).toMatchObject({ months: 12, capCents: 19000, neededCents: 20000, paymentCents: 19000, clearsArrears: false, payInFullBy: '2027-10-15' });
    const parts = winterInstalments(plan, { arrearsCents: 60000, estimatedMonthlyBillCents: 15000, firstDueOn: '2026-11-27' });
    expect(parts).toHaveLength(12);
    expect(parts.slice(0, 11).every((p) => p.amountCents === 4000)).toBe(true);
    expect(parts[11]).toEqual({ n: 12, dueOn: '2027-10-15', amountCents: 60000 - 11 * 4000 });
    expect(parts.reduce((n, p) => n + p.amountCents, 0)).toBe(60000);
  });

  it('never dues an instalment after the pay-in-full day, and always adds up to the arrears', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 0, max: 364 }), (arrears, income, bill, offset) => {
      const start = new Date(Date.UTC(2026, 0, 1 + offset)).toISOString().slice(0, 10);
      const plan = winterPlan({ start, monthlyIncomeCents: income, arrearsCents: arrears, estimatedMonthlyBillCents: bill });
      const parts = winterInstalments(plan, { arrearsCents: arrears, estimatedMonthlyBillCents: bill, firstDueOn: start });
      expect(parts.reduce((n, p) => n + p.amountCents, 0)).toBe(arrears);
      expect(parts.every((p) => p.dueOn <= plan.payInFullBy && p.amountCents >= 0)).toBe(true);
    }));
  });
});

describe('standing', () => {
  const facts = { paidCents: 10000, instalmentsDueCents: 5000, billsDueCents: 5000, instalmentsTotalCents: 15000, billsDueByDayCents: 5000 };
  it('is good while the payments cover the instalments and bills due, completed once every instalment is paid', () => {
    expect(standing(facts)).toEqual({ goodStanding: true, completed: false, shortCents: 0 });
    expect(standing({ ...facts, paidCents: 9999 })).toEqual({ goodStanding: false, completed: false, shortCents: 1 });
    expect(standing({ ...facts, paidCents: 20000 })).toMatchObject({ goodStanding: true, completed: true });
  });
});

describe('dates', () => {
  it('gives the winter request deadline in business days (Thanksgiving and the day after skipped)', () => {
    expect(winterRequestDeadline('2026-11-24', 5)).toBe('2026-12-03');
  });

  it('knows the last day of the season a day falls in', () => {
    const s = WASHINGTON_WINTER;
    expect(seasonLastDay('2026-11-15', s)).toBe('2027-03-15');
    expect(seasonLastDay('2027-02-01', s)).toBe('2027-03-15');
    expect(seasonLastDay('2027-03-15', s)).toBe('2027-03-15');
    expect(seasonLastDay('2027-03-16', s)).toBeNull();
    expect(seasonLastDay('2026-11-14', s)).toBeNull();
  });

  it('ends a heat alert the day before it was ended early, never after its end date', () => {
    expect(heatAlertLastDay('2026-07-20', null)).toBe('2026-07-20');
    expect(heatAlertLastDay('2026-07-20', '2026-07-18')).toBe('2026-07-17');
    expect(heatAlertLastDay('2026-07-20', '2026-07-25')).toBe('2026-07-20');
  });
});

describe('balances', () => {
  it('takes the bills not yet due out of the delinquent balance', () => {
    expect(delinquentCents(30000, 12000)).toBe(18000);
    expect(delinquentCents(5000, 12000)).toBe(0);
  });

  it('averages the bills per month billed, half a cent up', () => {
    expect(averageMonthlyBill([])).toBeNull();
    expect(averageMonthlyBill([{ billDate: '2026-01-05', totalCents: 10000 }, { billDate: '2026-01-05', totalCents: 2001 }, { billDate: '2026-02-05', totalCents: 12000 }])).toBe(12001);
    expect(averageMonthlyBill([{ billDate: '2026-01-05', totalCents: 1 }, { billDate: '2026-02-05', totalCents: 2 }])).toBe(2);
  });
});
