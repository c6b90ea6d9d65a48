import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../platform/dates.ts';
import { canStep, claimDeadline, dueSoon, lateClaimReason } from './rules.ts';

describe('the creditor-claim deadline (RCW 11.40.051)', () => {
  it('is four months after the first publication, clamped to the month end', () => {
    expect(claimDeadline('2026-06-15')).toBe('2026-10-15');
    expect(claimDeadline('2026-10-31')).toBe('2027-02-28');
    expect(claimDeadline('2027-10-31')).toBe('2028-02-29');
    expect(claimDeadline('2026-08-31')).toBe('2026-12-31');
    expect(claimDeadline('2026-07-31')).toBe('2026-11-30');
    expect(claimDeadline('2026-11-30')).toBe('2027-03-30');
    expect(claimDeadline('2026-10-31', 3)).toBe('2027-01-31');
  });

  it('refuses a claim filed after it, naming the deadline', () => {
    expect(lateClaimReason('2027-02-28', '2026-10-31')).toBeNull();
    expect(lateClaimReason('2027-03-01', '2026-10-31')).toBe('the deadline to present a claim was 2027-02-28 (4 months after the probate notice was first published on 2026-10-31; RCW 11.40.051)');
    expect(lateClaimReason('2027-01-01', null)).toMatch(/not recorded/);
  });

  it('is always between 89 and 123 days later, on or before the same day number', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 365 * 30 }), (n) => {
      const published = addDays('2000-01-01', n);
      const deadline = claimDeadline(published);
      const days = daysBetween(published, deadline);
      expect(days).toBeGreaterThanOrEqual(89);
      expect(days).toBeLessThanOrEqual(123);
      expect(Number(deadline.slice(8))).toBeLessThanOrEqual(Number(published.slice(8)));
      // The month is four on (mod 12).
      expect((Number(deadline.slice(5, 7)) - Number(published.slice(5, 7)) + 12) % 12).toBe(4);
    }));
  });
});

describe('claims due soon and claim steps', () => {
  it('lists a claim whose deadline is from today to 14 days ahead', () => {
    expect(dueSoon('2026-12-10', '2026-11-26')).toBe(true);
    expect(dueSoon('2026-11-26', '2026-11-26')).toBe(true);
    expect(dueSoon('2026-12-11', '2026-11-26')).toBe(false);
    expect(dueSoon('2026-11-25', '2026-11-26')).toBe(false);
    expect(dueSoon(null, '2026-11-26')).toBe(false);
  });
  it('moves draft to filed to allowed or rejected, then paid or written off', () => {
    expect(canStep('draft', 'filed')).toBe(true);
    expect(canStep('draft', 'allowed')).toBe(false);
    expect(canStep('filed', 'rejected')).toBe(true);
    expect(canStep('allowed', 'paid')).toBe(true);
    expect(canStep('rejected', 'paid')).toBe(false);
    expect(canStep('rejected', 'written_off')).toBe(true);
    expect(canStep('paid', 'written_off')).toBe(false);
  });
});
