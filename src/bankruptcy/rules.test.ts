import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../platform/dates.ts';
import { assuranceDueOn, assuranceState, billShare, prePetitionSplit } from './rules.ts';

const bill = (over: Partial<Parameters<typeof billShare>[0]> = {}) => ({ billId: 7, service: 'electric', periodFrom: '2026-11-20', periodTo: '2026-12-19', billDate: '2026-12-22', totalCents: 9000, ...over });

describe('pre- and post-petition split', () => {
  it('adds the days of the bill spanning the petition to the balance of the day before', () => {
    // Petition 2026-12-10: Nov 20 .. Dec 9 is 20 of the period's 30 days.
    const s = prePetitionSplit({ petitionDate: '2026-12-10', balanceBeforeCents: 12345, bills: [bill()], balanceCents: 12345 + 9000 });
    expect(s.bills[0]).toMatchObject({ periodDays: 30, daysBefore: 20, prePetitionCents: 6000 });
    expect(s).toMatchObject({ prePetitionCents: 18345, heldCents: 18345, postPetitionCents: 3000 });
    expect(s.derivation).toBe('Balance at the end of 2026-12-09 (the day before the petition): $123.45; + bill 7 (electric, 2026-11-20 to 2026-12-19, $90.00): 20 of 30 days before the petition = $60.00; = pre-petition debt $183.45');
  });

  it('rounds each share half up to the cent, away from zero for a credit', () => {
    expect(billShare(bill({ periodFrom: '2026-12-01', periodTo: '2026-12-03', totalCents: 1000 }), '2026-12-02').prePetitionCents).toBe(333);
    expect(billShare(bill({ periodFrom: '2026-12-01', periodTo: '2026-12-03', totalCents: 1000 }), '2026-12-03').prePetitionCents).toBe(667);
    expect(billShare(bill({ periodFrom: '2026-12-01', periodTo: '2026-12-02', totalCents: 5 }), '2026-12-02').prePetitionCents).toBe(3);
    expect(billShare(bill({ periodFrom: '2026-12-01', periodTo: '2026-12-02', totalCents: -5 }), '2026-12-02').prePetitionCents).toBe(-3);
    const s = prePetitionSplit({ petitionDate: '2026-12-02', balanceBeforeCents: 0, bills: [bill({ periodFrom: '2026-12-01', periodTo: '2026-12-03', totalCents: 1000 })], balanceCents: 1000 });
    expect(s.derivation).toContain('1 of 3 days before the petition = $3.33 (rounded half up to the cent)');
  });

  it('counts the whole of a bill dated after the petition for a period that ended before it', () => {
    const s = prePetitionSplit({ petitionDate: '2026-12-21', balanceBeforeCents: 1000, bills: [bill()], balanceCents: 10000 });
    expect(s.bills[0]).toMatchObject({ daysBefore: 30, prePetitionCents: 9000 });
    expect(s.prePetitionCents).toBe(10000);
  });

  it('is never below zero, and holds no more than the account owes now', () => {
    const credit = prePetitionSplit({ petitionDate: '2026-12-10', balanceBeforeCents: -5000, bills: [bill()], balanceCents: 4000 });
    expect(credit).toMatchObject({ prePetitionCents: 1000, heldCents: 1000, postPetitionCents: 3000 });
    const bigCredit = prePetitionSplit({ petitionDate: '2026-12-10', balanceBeforeCents: -9000, bills: [bill()], balanceCents: 0 });
    expect(bigCredit).toMatchObject({ prePetitionCents: 0, heldCents: 0 });
    expect(bigCredit.derivation).toContain('(-$30.00 is a credit: no pre-petition debt)');
    // A post-petition payment larger than the post-petition debt: held drops to the balance.
    const paid = prePetitionSplit({ petitionDate: '2026-12-10', balanceBeforeCents: 12345, bills: [bill()], balanceCents: 10000 });
    expect(paid).toMatchObject({ prePetitionCents: 18345, heldCents: 10000, postPetitionCents: 0 });
    expect(paid.derivation).toContain('held $100.00, no more than the balance now ($100.00)');
    expect(prePetitionSplit({ petitionDate: '2026-12-10', balanceBeforeCents: 500, bills: [], balanceCents: -200 })).toMatchObject({ prePetitionCents: 500, heldCents: 0, postPetitionCents: -200 });
  });

  it('shares a bill within half a cent of the exact proportion, never beyond its total', () => {
    fc.assert(fc.property(fc.integer({ min: -1_000_000, max: 10_000_000 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 70 }), (total, days, before) => {
      const from = '2026-01-01';
      const s = billShare(bill({ periodFrom: from, periodTo: addDays(from, days - 1), totalCents: total }), addDays(from, before));
      const d = Math.min(before, days);
      expect(s.daysBefore).toBe(d);
      expect(Math.abs(s.prePetitionCents)).toBeLessThanOrEqual(Math.abs(total));
      // |share x days - total x before| <= days / 2, in whole numbers
      expect(Math.abs(s.prePetitionCents * days - total * d) * 2).toBeLessThanOrEqual(days);
    }));
  });
});

describe('adequate assurance', () => {
  it('is due 20 days after the petition', () => {
    expect(assuranceDueOn('2026-12-10', 20)).toBe('2026-12-30');
    expect(assuranceDueOn('2027-02-15', 20)).toBe('2027-03-07');
  });
  it('is paid, due, overdue, waived, not asked or ended', () => {
    const base = { waived: false, dueOn: '2026-12-30', today: '2026-12-30' };
    expect(assuranceState({ ...base, deposit: { status: 'billing', amountCents: 15000, heldCents: 0 } })).toBe('due');
    expect(assuranceState({ ...base, today: '2026-12-31', deposit: { status: 'billing', amountCents: 15000, heldCents: 14999 } })).toBe('overdue');
    expect(assuranceState({ ...base, today: '2026-12-31', deposit: { status: 'billing', amountCents: 15000, heldCents: 15000 } })).toBe('paid');
    expect(assuranceState({ ...base, deposit: { status: 'held', amountCents: 15000, heldCents: 15000 } })).toBe('paid');
    expect(assuranceState({ ...base, deposit: { status: 'cancelled', amountCents: 15000, heldCents: 0 } })).toBe('ended');
    expect(assuranceState({ ...base, waived: true, deposit: { status: 'billing', amountCents: 15000, heldCents: 0 } })).toBe('waived');
    expect(assuranceState({ ...base, deposit: null })).toBe('not_asked');
  });
});
