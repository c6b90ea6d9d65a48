import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBusinessDay } from '../billing/schedule.ts';
import { delinquencySchedule, inWinterSeason, medicalCertificate, medicalNoticeHoldsUntil, winterPlan } from './rules.ts';

describe('the delinquency schedule', () => {
  it('follows each due date with business days: late fee 3, notice 5, disconnect 8 after the notice (11 out of state)', () => {
    // Due Friday 2026-11-20; Thanksgiving (Thu 11-26) and the day after (Native American Heritage Day in Washington) are closed.
    const [e] = delinquencySchedule([{ year: 2026, month: 11, cycle: 3, dueDate: '2026-11-20' }]);
    expect(e).toEqual({
      year: 2026, month: 11, cycle: 3, dueDate: '2026-11-20', pastDueDate: '2026-11-21',
      lateFeeDate: '2026-11-25', noticeDate: '2026-12-01', disconnectEligibleDate: '2026-12-11', disconnectEligibleOutOfStateDate: '2026-12-16',
    });
  });

  it('puts every date on a business day, in order', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 3000 }), (n) => {
      const due = new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
      const [e] = delinquencySchedule([{ year: 2025, month: 1, cycle: 1, dueDate: due }]);
      for (const d of [e!.lateFeeDate, e!.noticeDate, e!.disconnectEligibleDate, e!.disconnectEligibleOutOfStateDate]) expect(isBusinessDay(d)).toBe(true);
      expect(e!.pastDueDate > due && e!.lateFeeDate > due && e!.noticeDate > e!.lateFeeDate && e!.disconnectEligibleDate > e!.noticeDate && e!.disconnectEligibleOutOfStateDate > e!.disconnectEligibleDate).toBe(true);
    }));
  });
});

describe('winter protection (RCW 54.16.285)', () => {
  it('runs from November 15 to March 15', () => {
    expect(['2026-11-14', '2026-11-15', '2027-01-31', '2027-03-15', '2027-03-16'].map((d) => inWinterSeason(d))).toEqual([false, true, true, true, false]);
  });

  it('pays the bills and the arrears by October 15, held to 7% of monthly income plus 1/12 of the arrears', () => {
    // From December: 11 payments (Dec..Oct). $600.00 arrears, $150.00 estimated bill, $2,500.00 income.
    expect(winterPlan({ start: '2026-12-01', monthlyIncomeCents: 250000, arrearsCents: 60000, estimatedMonthlyBillCents: 15000 })).toEqual({
      payInFullBy: '2027-10-15', months: 11,
      capCents: 17500 + 5000, // 7% of $2,500.00 + $600.00 / 12
      neededCents: 15000 + 5455, // $150.00 + $600.00 / 11, rounded up
      paymentCents: 20455, clearsArrears: true,
    });
    // A low income: the cap binds, and the arrears are not cleared by October 15.
    const low = winterPlan({ start: '2026-12-01', monthlyIncomeCents: 90000, arrearsCents: 60000, estimatedMonthlyBillCents: 15000 });
    expect(low).toMatchObject({ capCents: 6300 + 5000, paymentCents: 11300, clearsArrears: false });
  });

  it('starting after October 15 looks to the next year', () => {
    expect(winterPlan({ start: '2026-10-16', monthlyIncomeCents: 0, arrearsCents: 1200, estimatedMonthlyBillCents: 0 })).toMatchObject({ payInFullBy: '2027-10-15', months: 13 });
    expect(winterPlan({ start: '2026-10-15', monthlyIncomeCents: 0, arrearsCents: 1200, estimatedMonthlyBillCents: 0 })).toMatchObject({ payInFullBy: '2026-10-15', months: 1 });
  });
});

describe('medical certificates', () => {
  it('hold disconnection 60 days once 10% of the delinquent balance is paid', () => {
    expect(medicalCertificate({ receivedOn: '2026-12-01', earlier: [], delinquentCents: 43210 })).toEqual({ accepted: true, holdsUntil: '2027-01-30', paymentDueCents: 4321 });
  });

  it('are refused beyond 2 in 120 days, with the limit named', () => {
    const third = medicalCertificate({ receivedOn: '2026-12-01', earlier: ['2026-08-10', '2026-10-01'], delinquentCents: 1000 });
    expect(third).toEqual({ accepted: false, reason: 'At most 2 medical certificates in 120 days: this account had 2 (2026-08-10, 2026-10-01)' });
    // The first is 120 days old on 2026-12-08: a second certificate within the window is allowed again.
    expect(medicalCertificate({ receivedOn: '2026-12-08', earlier: ['2026-08-10', '2026-10-01'], delinquentCents: 1000 }).accepted).toBe(true);
  });

  it('wait 5 business days when an emergency is told without one', () => {
    expect(medicalNoticeHoldsUntil('2026-11-24')).toBe('2026-12-03');
  });
});
